"""News sources of later apps for alerts: a generic hook, so alerts imports none of them.

An app registers a source in its `AppConfig.ready()`. A resident then subscribes to it through
the same double opt-in, consent, throttle, digest and unsubscribe link as to offers
(`alerts:create?source=<key>&alert_area=<slug>`, kind `news`); the digest asks the source
for what is new since the last mail.

Two shapes, both answering `describe`, `news` and `link` for a `Scope`:
- `Source` is about an area only (concerns: new concerns of an area); its callables take the
  area.
- `ScopedSource` is about an area and/or topics of the offers' vocabulary (events: new events
  by area and topic, `?topic=<id>` repeated); its callables take the whole `Scope` and the
  end of the digest's window, so that an item published while the digest runs is not
  announced twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Item:
    """One entry of a digest: a title, an absolute link and an optional line of text."""

    title: str
    url: str
    summary: str = ""


@dataclass(frozen=True)
class Scope:
    """What a news alert is about: an area (or None) and topics (offers.TaxonomyTerm; the
    source includes the narrower ones)."""

    area: Any = None
    topics: tuple[Any, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Source:
    key: str  # stored on the subscription; at most 40 characters
    label: Callable[[Any], str]  # the alert's description for an area ("New concerns in X")
    items: Callable[[Any, dt.datetime], list[Item]]  # what is new in the area (and below)
    list_url: Callable[[Any], str]  # an absolute link to all of it for the area

    takes_topics = False  # an area alert only; the area is required

    def describe(self, scope: Scope) -> str:
        return str(self.label(scope.area))

    def news(self, scope: Scope, since: dt.datetime, until: dt.datetime) -> list[Item]:
        return self.items(scope.area, since)

    def link(self, scope: Scope) -> str:
        return self.list_url(scope.area)


@dataclass(frozen=True)
class ScopedSource:
    key: str
    label: Callable[[Scope], str]  # "New events in X on Y"
    items: Callable[[Scope, dt.datetime, dt.datetime], list[Item]]  # new in (since, until]
    list_url: Callable[[Scope], str]

    takes_topics = True  # an area and/or topics; at least one of them

    def describe(self, scope: Scope) -> str:
        return str(self.label(scope))

    def news(self, scope: Scope, since: dt.datetime, until: dt.datetime) -> list[Item]:
        return self.items(scope, since, until)

    def link(self, scope: Scope) -> str:
        return self.list_url(scope)


AnySource = Source | ScopedSource

SOURCES: dict[str, AnySource] = {}


def register(source: AnySource) -> None:
    SOURCES[source.key] = source


def get(key: str) -> AnySource | None:
    return SOURCES.get(key)
