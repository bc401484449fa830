"""Vocabularies held as data (topics, target groups, kinds of areas and bodies, categories) in
German and English.

Each vocabulary model keeps its German `name` (the term of record, used by the standard
exports: HSDS, OParl, Open311) and a `name_en` that may stay blank. The English UI shows
`name_en` and falls back to the German name where no English one is given. Models take
`LocalizedName` (and `LocalizedPlural` where they have a plural) and show `localized_name` (also
their `__str__`, so form choices and `{{ term }}` follow the language); code that reads
values_list() pairs calls `localized(name, name_en)`.

Why not django-modeltranslation: the vocabularies are a handful of small tables, half of them
had `name_en` already, and two languages are all the project has; a registration layer that
swaps model attributes per request would cost more to follow than these twenty lines.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import get_language


def english() -> bool:
    """Whether the active language is English (the UI's only language besides German)."""
    return (get_language() or "de").lower().startswith("en")


def localized(german: str, english_name: str | None) -> str:
    """The English name under English when there is one, else the German name."""
    if english_name and english():
        return english_name
    return german


class LocalizedName:
    """For a vocabulary model with `name` (German) and `name_en` (English, blank allowed)."""

    name: str
    name_en: str

    @property
    def localized_name(self) -> str:
        return localized(self.name, self.name_en)

    def __str__(self) -> str:
        return self.localized_name


class LocalizedPlural(LocalizedName):
    """And with `name_plural` / `name_plural_en` (kinds of areas and bodies)."""

    name_plural: str
    name_plural_en: str

    @property
    def localized_name_plural(self) -> str:
        """The plural in the active language; without one, the singular (as the pages did)."""
        if english():
            return self.name_plural_en or self.name_en or self.name_plural or self.name
        return self.name_plural or self.name


def fill_english_names(
    model: Any, shipped: dict[str, tuple[str, dict[str, str]]], *, key: str = "slug"
) -> int:
    """For data migrations: give the shipped terms their English names.

    `shipped` maps a term's key to (its shipped German name, {english field: value}). A term
    whose German name an admin has changed is left alone, and so is every English field that
    already has a value. Returns the number of terms changed.
    """
    changed = 0
    for term in model._default_manager.filter(**{f"{key}__in": list(shipped)}):
        german, english_fields = shipped[getattr(term, key)]
        if term.name != german:
            continue
        blank = [field for field in english_fields if not getattr(term, field)]
        for field in blank:
            setattr(term, field, english_fields[field])
        if blank:
            term.save(update_fields=blank)
            changed += 1
    return changed
