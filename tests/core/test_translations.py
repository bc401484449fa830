"""Every German catalogue of the project is complete: no empty and no fuzzy msgstr."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import quartier

CATALOGUES = sorted(Path(quartier.__file__).parent.glob("**/locale/de/LC_MESSAGES/django.po"))


def _entries(text: str):
    """(flags, msgid, [msgstr, ...]) for each entry of a .po file (header included)."""
    for block in re.split(r"\n\s*\n", text):
        flags: set[str] = set()
        parts: dict[str, list[str]] = {}
        current = None
        for line in block.splitlines():
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            elif line.startswith("#"):
                continue
            elif m := re.match(r'^(msgid|msgid_plural|msgctxt|msgstr(?:\[\d+\])?) "(.*)"$', line):
                current = m.group(1)
                parts[current] = [m.group(2)]
            elif line.startswith('"') and current:
                parts[current].append(line.strip()[1:-1])
        if "msgid" in parts:
            msgstrs = ["".join(v) for k, v in parts.items() if k.startswith("msgstr")]
            context = "".join(parts["msgctxt"]) if "msgctxt" in parts else None
            yield flags, "".join(parts["msgid"]), msgstrs, context


def test_there_are_catalogues():
    assert CATALOGUES, "no German catalogues found"


@pytest.mark.parametrize(
    "path", CATALOGUES, ids=[str(p.relative_to(Path(quartier.__file__).parent)) for p in CATALOGUES]
)
def test_german_catalogue_is_complete(path: Path):
    problems = []
    for flags, msgid, msgstrs, _context in _entries(path.read_text(encoding="utf-8")):
        if not msgid:
            continue  # the header
        if "fuzzy" in flags:
            problems.append(f"fuzzy: {msgid!r}")
        if not msgstrs or any(not s for s in msgstrs):
            problems.append(f"untranslated: {msgid!r}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


def test_one_msgid_has_one_german_text_across_apps():
    """Django merges all catalogues into one: when two apps translate the same msgid (and
    context) differently, one silently wins. Same words, same German; where the meaning
    differs, the code gives a context (pgettext, {% translate ... context ... %})."""
    import django

    seen: dict[tuple[str | None, str], dict[str, tuple[str, ...]]] = {}
    django_catalogue = Path(django.__file__).parent / "conf/locale/de/LC_MESSAGES/django.po"
    for path in [django_catalogue, *CATALOGUES]:
        app = (
            "django"
            if path == django_catalogue
            else str(path.relative_to(Path(quartier.__file__).parent)).split("/")[0]
        )
        for _flags, msgid, msgstrs, context in _entries(path.read_text(encoding="utf-8")):
            if msgid:
                seen.setdefault((context, msgid), {})[app] = tuple(msgstrs)
    clashes = [
        f"{msgid!r} (context {context!r}): {texts}"
        for (context, msgid), texts in seen.items()
        if len(set(texts.values())) > 1
    ]
    # Django's own catalogue counts too: our catalogues are merged over it.
    assert not clashes, "\n".join(clashes)
