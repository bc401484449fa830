"""Signed, purpose-bound, optionally expiring tokens for links in mails and tracking pages.

One shape for every app (unsubscribe, confirm, cancel, RSVP, tracking links): the value is
signed with SECRET_KEY and a salt made of the purpose, so a token made for one purpose is
refused for any other, and a changed character is refused. `max_age` makes a token expire;
without it the token lives as long as the object it names (delete the object to end it).

Each app keeps a small `tokens.py` naming its purposes and building its URLs; views read a
token with `read()` and turn `BadToken` into a page that says why the link does not work.
The format is django.core.signing's (base64 JSON, timestamp, HMAC-SHA256), so links sent
before this module existed keep working where the app keeps its old purpose string.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from django.core import signing


class BadToken(Exception):
    """A token that cannot be used: `reason` is "invalid" (changed, cut off, other purpose)
    or "expired"."""

    def __init__(self, reason: Literal["invalid", "expired"]) -> None:
        super().__init__(reason)
        self.reason = reason


def make(purpose: str, value: Any) -> str:
    """A URL-safe token for `value` (anything JSON can hold) bound to `purpose`."""
    return signing.dumps(value, salt=purpose, compress=True)


def read(purpose: str, token: str, *, max_age: dt.timedelta | None = None) -> Any:
    """The value of a token made by `make(purpose, ...)`, or BadToken.

    Tokens older than `max_age` are refused as expired.
    """
    try:
        return signing.loads(token, salt=purpose, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise BadToken("expired") from exc
    except (signing.BadSignature, ValueError, TypeError, UnicodeError) as exc:
        raise BadToken("invalid") from exc


def read_int(purpose: str, token: str, *, max_age: dt.timedelta | None = None) -> int:
    """`read()` for tokens that carry a primary key: anything but an int is invalid."""
    value = read(purpose, token, max_age=max_age)
    if not isinstance(value, int) or isinstance(value, bool):
        raise BadToken("invalid")
    return value
