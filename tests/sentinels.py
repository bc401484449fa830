"""Sentinel values for the privacy sweep (tests/test_privacy_sweep.py).

A world extension plants personal or internal data as a *secret* sentinel: a value no public
output may ever show (a requester's name, a registrant's e-mail, a person's internal phone, the
name of a person whose position is internal or has ended). It plants public data as a *public*
sentinel: a value that must appear somewhere, so that the sweep shows it can find what it looks
for (the positive control).

    from tests import sentinels

    booking.requester_name = sentinels.secret("venues requester name")
    booking.requester_email = sentinels.secret_email("venues requester")
    booking.requester_phone = sentinels.secret_phone("venues requester")
    person = PersonFactory(family_name=sentinels.public("offers contact"))

Each call returns the same value for the same label (the world is built many times); labels
name where the value is planted, so a failure reads "venues requester name leaked at ...".
Values are plain ASCII words (valid in names, titles, e-mail addresses), matched
case-insensitively.
"""

from __future__ import annotations

import re
import zlib

SECRET_PREFIX = "Qsx"
PUBLIC_PREFIX = "Qpb"

# needle (lower case) -> label
SECRETS: dict[str, str] = {}
PUBLIC: dict[str, str] = {}


def _word(prefix: str, label: str) -> str:
    slug = re.sub(r"[^a-z0-9]", "", label.lower())
    if not slug:
        raise ValueError(f"A sentinel needs a label with letters or digits: {label!r}")
    return prefix + slug


def _register(registry: dict[str, str], needle: str, label: str) -> None:
    other = registry.get(needle.lower())
    if other is not None and other != label:
        raise ValueError(f"Sentinel labels {other!r} and {label!r} give the same value")
    registry[needle.lower()] = label


def secret(label: str) -> str:
    """A word that must never appear in a public output (names, titles, notes)."""
    word = _word(SECRET_PREFIX, label)
    _register(SECRETS, word, label)
    return word


def secret_email(label: str) -> str:
    """An e-mail address that must never appear in a public output."""
    return f"{secret(label + ' email').lower()}@example.org"


def secret_phone(label: str) -> str:
    """A phone number (digits only, so outputs show it as planted) never to appear publicly."""
    number = f"0651{zlib.crc32(label.encode()) % 10**8:08d}"
    _register(SECRETS, number, label + " phone")
    return number


def public(label: str) -> str:
    """A word that must appear in some public output (the sweep's positive control)."""
    word = _word(PUBLIC_PREFIX, label)
    _register(PUBLIC, word, label)
    return word


def public_email(label: str) -> str:
    return f"{public(label + ' email').lower()}@example.org"


# Whole words only: "Qsxperson" does not match inside "Qsxpersonemail".
_NEEDLE = re.compile(
    rf"(?<![a-z0-9])(?:{SECRET_PREFIX}|{PUBLIC_PREFIX})[a-z0-9]+|(?<!\d)0651\d{{8}}(?!\d)",
    re.IGNORECASE,
)


def found_in(text: str) -> tuple[set[str], set[str]]:
    """The labels of the secret and of the public sentinels that occur in `text`."""
    words = {match.lower() for match in _NEEDLE.findall(text)}
    return (
        {SECRETS[word] for word in words if word in SECRETS},
        {PUBLIC[word] for word in words if word in PUBLIC},
    )
