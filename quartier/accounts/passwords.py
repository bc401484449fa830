"""Refuse passwords that are common, breached, or a word with a few digits around it.

Offline, from data shipped in `data/passwords/` (sources and licences in its README.md):
Django's own list of 20,000 common passwords, 49,000 passwords from a public breach corpus,
76,000 German words and names, and `german.txt` (seasons, months, holidays, towns, the site's
own words, keyboard rows). Checks, on the lower-cased password:

1. the whole password is on a list, also read as leetspeak ("p@ssw0rt");
2. with its decoration taken off (digits and up to three symbols before and after the
   letters: "Sommer2024!", "123trier"), what is left is a listed password or word, also
   with umlauts written out or dropped ("Fruehling", "Fruhling") and read backwards;
   a decoration counts when its digits are short (up to four: a year, "123", "0815"), a
   date (ddmmyy, ddmmyyyy) or a run ("111111", "123456789");
3. the same for the names of this installation's areas and the site's host name, which
   change with the data and are read from the database at each check.

No composition rules and no forced rotation (NIST SP 800-63B, ASVS 5.0 V6.2).
"""

from __future__ import annotations

import datetime
import functools
import gzip
import itertools
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.conf import settings
from django.contrib.auth.password_validation import CommonPasswordValidator as DjangoList
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

DATA = Path(__file__).resolve().parent / "data" / "passwords"
LETTERS = "a-zäöüß"
# letters at both ends, anything between; the rest is the decoration.
SPLIT = re.compile(
    rf"^(?P<pre>[^{LETTERS}]*)(?P<core>[{LETTERS}](?:.*[{LETTERS}])?)(?P<post>[^{LETTERS}]*)$"
)
LEET = str.maketrans(
    {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"}
)
UMLAUTS_OUT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
UMLAUTS_DROP = str.maketrans({"ä": "a", "ö": "o", "ü": "u", "ß": "ss"})
MAX_SYMBOLS = 3
MAX_FREE_DIGITS = 4


def _read(path: Path) -> list[str]:
    opener: Any = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [line.strip() for line in handle if line.strip() and not line.startswith("#")]


def _spellings(word: str) -> set[str]:
    return {word, word.translate(UMLAUTS_OUT), word.translate(UMLAUTS_DROP)}


@functools.cache
def passwords() -> frozenset[str]:
    """Whole passwords: Django's list and the breach corpus."""
    django_list = DjangoList().passwords
    return frozenset(django_list) | frozenset(_read(DATA / "breached.txt.gz"))


@functools.cache
def words() -> frozenset[str]:
    """Words that are weak with digits around them: German words, names, patterns."""
    found: set[str] = set()
    for name in ("words-de.txt.gz", "german.txt"):
        for word in _read(DATA / name):
            found |= _spellings(word.lower())
    return frozenset(found)


def _site_words() -> set[str]:
    """Names of this installation's areas and the labels of its host name."""
    found: set[str] = set()
    host = urlsplit(settings.SITE_URL).hostname or ""
    names = [host.replace(".", " ")]
    if apps.is_installed("quartier.areas"):
        names += apps.get_model("areas", "Area").objects.values_list("name", flat=True)
    for name in names:
        for word in re.findall(rf"[{LETTERS}]{{4,}}", name.lower()):
            found |= _spellings(word)
    return found


def _is_date(digits: str) -> bool:
    """ddmmyy, ddmmyyyy or yyyymmdd."""
    if len(digits) == 6:
        candidates = [(digits[:2], digits[2:4], f"20{digits[4:]}")]
    elif len(digits) == 8:
        candidates = [(digits[:2], digits[2:4], digits[4:]), (digits[6:], digits[4:6], digits[:4])]
    else:
        return False
    for day, month, year in candidates:
        try:
            datetime.date(int(year), int(month), int(day))
        except ValueError:
            continue
        return True
    return False


def _is_run(digits: str) -> bool:
    if len(set(digits)) == 1:
        return True
    steps = {(int(b) - int(a)) % 10 for a, b in itertools.pairwise(digits)}
    return steps in ({1}, {9})


def _trivial(decoration: str) -> bool:
    """Digits and symbols anyone tries first: few symbols, and short, dated or run digits."""
    digits = "".join(c for c in decoration if c.isdigit())
    symbols = len(decoration) - len(digits)
    if symbols > MAX_SYMBOLS:
        return False
    return len(digits) <= MAX_FREE_DIGITS or _is_date(digits) or _is_run(digits)


def _cores(password: str) -> set[str]:
    """What is left of the password without a trivial decoration, in its spellings."""
    match = SPLIT.match(password)
    if match is None or not (_trivial(match["pre"]) and _trivial(match["post"])):
        return set()
    core = match["core"]
    found = _spellings(core) | _spellings(core.translate(LEET))
    return found | {word[::-1] for word in found}


def is_guessable(password: str) -> bool:
    text = password.strip().lower()
    if text in passwords() or text.translate(LEET) in passwords():
        return True
    cores = _cores(text)
    if not cores:
        return False
    if cores & passwords() or cores & words():
        return True
    return bool(cores & _site_words())


class CommonPasswordValidator:
    """Replaces Django's CommonPasswordValidator (its list is part of this one)."""

    def validate(self, password: str, user: Any = None) -> None:
        if is_guessable(password):
            raise ValidationError(
                _(
                    "This password is too easy to guess: it is a common or breached password, "
                    "or a word (a season, a month, a town, a name) with a few digits or "
                    "symbols around it."
                ),
                code="password_too_common",
            )

    def get_help_text(self) -> str:
        return _(
            "Your password can't be a common or breached password, nor a word with a few "
            "digits around it. A few unrelated words make a good password."
        )
