"""Rebuild breached.txt.gz and words-de.txt.gz from the npm packages named in README.md.

    cd "$(mktemp -d)" && npm pack @zxcvbn-ts/language-common@4.1.3 @zxcvbn-ts/language-de@3.0.2
    for f in *.tgz; do mkdir "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
    python quartier/accounts/data/passwords/build.py "$PWD"

Both outputs are sorted, lower-case, one entry a line, gzip'd without a timestamp (a rebuild
from the same packages gives the same bytes). german.txt is written by hand and not touched.
"""

from __future__ import annotations

import gzip
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
WORD = re.compile(r"[a-zäöüß]{3,}")


def _json(root: Path, package: str, name: str) -> list[str]:
    return json.loads((root / package / "package" / "src" / f"{name}.json").read_text("utf-8"))


def _write(name: str, entries: set[str]) -> None:
    data = ("\n".join(sorted(entries)) + "\n").encode("utf-8")
    (HERE / name).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    print(f"{name}: {len(entries)} entries")


def main(root: Path) -> None:
    common = "zxcvbn-ts-language-common-4.1.3"
    german = "zxcvbn-ts-language-de-3.0.2"
    _write("breached.txt.gz", {p.strip().lower() for p in _json(root, common, "passwords")})
    words: set[str] = set()
    for name in ("commonWords", "wikipedia", "firstnames", "lastnames"):
        words |= {w.lower() for w in _json(root, german, name) if WORD.fullmatch(w.lower())}
    _write("words-de.txt.gz", words)


if __name__ == "__main__":
    main(Path(sys.argv[1]))
