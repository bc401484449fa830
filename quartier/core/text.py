"""Text helpers shared by the apps."""

from __future__ import annotations

from collections.abc import Callable

from django.utils.text import slugify

UMLAUTS = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"}
)


def german_slug(text: str, *, max_length: int = 200) -> str:
    """A URL slug that spells umlauts out (Trier-Süd -> trier-sued), as German readers expect."""
    return slugify(text.translate(UMLAUTS))[:max_length].strip("-")


def unique_slug(text: str, taken: Callable[[str], bool], *, max_length: int = 200) -> str:
    """`german_slug(text)`, with -2, -3, ... appended while `taken(slug)` says it is in use."""
    base = german_slug(text, max_length=max_length - 4) or "eintrag"
    slug, number = base, 2
    while taken(slug):
        slug = f"{base}-{number}"
        number += 1
    return slug
