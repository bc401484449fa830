"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from quartier.events import selectors
from quartier.events.models import IcalFeed
from quartier.events.rules import organisation_ids

SECTION_SIZE = 5


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    """Upcoming events in the area and below it."""
    events = list(selectors.calendar_events({"area": area}).upcoming()[:SECTION_SIZE])
    if not events:
        return None
    return {"events": events, "area": area}


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    if not user.has_perm("events.add_event"):
        return None
    events = list(selectors.managed_events(user).upcoming().order_by("starts_at")[:SECTION_SIZE])
    feeds = IcalFeed.objects.exclude(last_error="").select_related("organisation")
    if not user.is_superuser:
        feeds = feeds.filter(organisation_id__in=organisation_ids(user))
    return {"events": events, "failing_feeds": list(feeds[:SECTION_SIZE])}


def _new_events(scope, since: dt.datetime, until: dt.datetime) -> list:
    """Events first published in (since, until] that match the alert's area and topics: each
    event is announced once, never a cancelled or unpublished one
    (selectors.new_public_events)."""
    from quartier.alerts.sources import Item

    events = selectors.new_public_events(
        area_id=scope.area.pk if scope.area is not None else None,
        topic_ids=[topic.pk for topic in scope.topics],
        since=since,
        until=until,
    )
    return [
        Item(
            title=event.title,
            url=settings.SITE_URL + event.get_absolute_url(),
            summary=formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT"),
        )
        for event in events[:200]
    ]


def _label(scope) -> str:
    topics = ", ".join(topic.name for topic in scope.topics)
    if scope.area is not None and topics:
        return _("New events in %(area)s: %(topics)s") % {"area": scope.area.name, "topics": topics}
    if scope.area is not None:
        return _("New events in %(area)s") % {"area": scope.area.name}
    return _("New events: %(topics)s") % {"topics": topics}


def _list_url(scope) -> str:
    """The calendar with the alert's area and, when it is one, its topic."""
    params = {}
    if scope.area is not None:
        params["area"] = scope.area.slug
    if len(scope.topics) == 1:
        params["topic"] = str(scope.topics[0].pk)
    query = f"?{urlencode(params)}" if params else ""
    return f"{settings.SITE_URL}{reverse('events:calendar')}{query}"


def register_alerts() -> None:
    """Residents subscribe to new events by area and/or topic through the alerts app's double
    opt-in (alerts/sources.py): alerts never imports events."""
    from quartier.alerts import sources

    sources.register(
        sources.ScopedSource(key="events", label=_label, items=_new_events, list_url=_list_url)
    )


def account_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The coming events a resident registered for, by their confirmed address (an address
    not confirmed proves nothing: it could be anyone's)."""
    if not user.email or user.email_verified_at is None:
        return None
    registrations = list(selectors.account_registrations(user.email)[:20])
    return {"registrations": registrations} if registrations else None
