"""The task worker as the newsletter benchmark runs it: `quartier db_worker --batch` in this
process, then its own peak resident memory and CPU time written to the file named by
BENCH_WORKER_REPORT (JSON), so the figure is the worker's alone, not the sink's or the driver's.

With BENCH_WORKER_PROFILE=<file> the run is profiled with cProfile into that file
(`python -m pstats <file>`; profiling slows the run, so take no time figure from it).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))


def _peak_rss_mb() -> float:
    """VmHWM of this process (Linux), else ru_maxrss (KiB on Linux)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "quartier.settings")
    from django.core.management import execute_from_command_line

    argv = ["quartier", "db_worker", "--batch", "--no-reload"]
    started = time.perf_counter()
    profile_to = os.environ.get("BENCH_WORKER_PROFILE")
    if profile_to:
        import cProfile

        cProfile.runctx("execute_from_command_line(argv)", globals(), locals(), profile_to)
    else:
        execute_from_command_line(argv)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    report = {
        "wall_s": time.perf_counter() - started,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": _peak_rss_mb(),
    }
    target = os.environ.get("BENCH_WORKER_REPORT")
    if target:
        Path(target).write_text(json.dumps(report))


if __name__ == "__main__":
    main()
