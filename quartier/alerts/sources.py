"""News sources of later apps for area alerts: a generic hook, so alerts imports none of them.

An app registers a `Source` in its `AppConfig.ready()` (concerns: new concerns of an area). A
resident then subscribes to that source for an area through the same double opt-in as to the
area's offers (`alerts:create?alert_area=<slug>&source=<key>`); the digest asks the source for
what is new in the area since the last mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Item:
    """One entry of a digest: a title, an absolute link and an optional line of text."""

    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class Source:
    key: str  # stored on the subscription; at most 40 characters
    label: Callable[[Any], str]  # the alert's description for an area ("New concerns in X")
    items: Callable[[Any, dt.datetime], list[Item]]  # what is new in the area (and below)
    list_url: Callable[[Any], str]  # an absolute link to all of it for the area


SOURCES: dict[str, Source] = {}


def register(source: Source) -> None:
    SOURCES[source.key] = source


def get(key: str) -> Source | None:
    return SOURCES.get(key)
