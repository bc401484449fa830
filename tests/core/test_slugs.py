"""Slugs spell German letters out (ä -> ae, ß -> ss), everywhere a slug is made."""

import ast
from pathlib import Path

import quartier
from quartier.core.text import german_slug

PACKAGE = Path(quartier.__file__).resolve().parent


def test_german_letters_are_spelled_out():
    assert german_slug("Erzählcafé am Großmarkt") == "erzaehlcafe-am-grossmarkt"
    assert german_slug("Trier-Süd: Öffnungszeiten") == "trier-sued-oeffnungszeiten"


def test_only_core_text_calls_djangos_slugify():
    """Django's slugify drops umlauts ("erzahlcafe"): every app goes through german_slug."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path == PACKAGE / "core" / "text.py" or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module == "django.utils.text"
                and any(alias.name == "slugify" for alias in node.names)
            ):
                offenders.append(str(path.relative_to(PACKAGE)))
    assert offenders == []
