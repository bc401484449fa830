"""Absolute, canonical URLs of OParl objects and lists.

OParl ids are URLs that must stay the same whichever host name a client used, so they are built
from `settings.SITE_URL` (the operator's canonical address), not from the request's Host header.
Paths use primary keys, never slugs: a renamed network keeps its OParl id.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.urls import get_script_prefix, reverse

SCHEMA = "https://schema.oparl.org/1.1/"


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


# A list page of 100 meetings needs about 800 URLs; reversing each costs more than the
# database does, so each route is reversed once with a marker id that is then replaced.
_MARKER = 918273645


@functools.lru_cache(maxsize=128)
def _path_template(name: str, script_prefix: str, with_pk: bool) -> str:
    return reverse(f"api:oparl_{name}", kwargs={"pk": _MARKER} if with_pk else None)


def url(name: str, pk: int | None = None) -> str:
    """The absolute URL of the OParl operation `name` (without the `oparl_` prefix)."""
    path = _path_template(name, get_script_prefix(), pk is not None)
    if pk is not None:
        path = path.replace(str(_MARKER), str(int(pk)))
    return absolute(path)


def type_uri(name: str) -> str:
    return f"{SCHEMA}{name}"
