#!/usr/bin/env python
"""Development shortcut; operators use the `quartier` console command (same thing)."""

from quartier.__main__ import main

if __name__ == "__main__":
    main()
