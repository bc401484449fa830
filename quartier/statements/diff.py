"""Compare two versions of a statement: paragraphs aligned, words marked inside changed ones.

Returns plain data (no HTML) so the template escapes everything and marks changes with
<ins>/<del> elements; no inline styles (CSP)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

_WORDS = re.compile(r"\s+|[^\s]+")


@dataclass(frozen=True)
class Piece:
    op: str  # "same", "ins", "del"
    text: str


# Word diffs of very long paragraphs cost quadratic time: beyond this they show whole.
MAX_WORDS = 3000


def _words(old: str, new: str) -> list[Piece]:
    a, b = _WORDS.findall(old), _WORDS.findall(new)
    if len(a) > MAX_WORDS or len(b) > MAX_WORDS:
        return [Piece("del", old), Piece("ins", new)]
    pieces: list[Piece] = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", "".join(a[i1:i2])))
            continue
        if i2 > i1:
            pieces.append(Piece("del", "".join(a[i1:i2])))
        if j2 > j1:
            pieces.append(Piece("ins", "".join(b[j1:j2])))
    return pieces


def compare(old: str, new: str) -> list[list[Piece]]:
    """One list of pieces per paragraph of the comparison."""
    a, b = old.splitlines(), new.splitlines()
    paragraphs: list[list[Piece]] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            paragraphs += [[Piece("same", line)] for line in a[i1:i2]]
        elif tag == "replace" and (i2 - i1) == (j2 - j1):
            paragraphs += [_words(x, y) for x, y in zip(a[i1:i2], b[j1:j2], strict=True)]
        else:
            paragraphs += [[Piece("del", line)] for line in a[i1:i2]]
            paragraphs += [[Piece("ins", line)] for line in b[j1:j2]]
    return paragraphs
