"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

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


def _new_events(area, since) -> list:
    """Published, still upcoming events of the area (and below) entered since the last mail."""
    from django.conf import settings
    from django.utils import formats, timezone

    from quartier.alerts.sources import Item

    events = (
        selectors.calendar_events({"area": area})
        .upcoming()
        .filter(created_at__gt=since)
        .order_by("starts_at", "pk")
    )
    return [
        Item(
            title=event.title,
            url=settings.SITE_URL + event.get_absolute_url(),
            summary=formats.date_format(timezone.localtime(event.starts_at), "DATETIME_FORMAT"),
        )
        for event in events[:200]
    ]


def _list_url(area) -> str:
    from django.conf import settings
    from django.urls import reverse

    return f"{settings.SITE_URL}{reverse('events:calendar')}?area={area.slug}"


def register_alerts() -> None:
    """Residents subscribe to new events of an area through the alerts app's double opt-in
    (alerts/sources.py): alerts never imports events."""
    from django.utils.translation import gettext as _

    from quartier.alerts import sources

    sources.register(
        sources.Source(
            key="events",
            label=lambda area: _("New events in %(area)s") % {"area": area.name},
            items=_new_events,
            list_url=_list_url,
        )
    )


def account_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The coming events a resident registered for, by their confirmed address (an address
    not confirmed proves nothing: it could be anyone's)."""
    if not user.email or user.email_verified_at is None:
        return None
    registrations = list(selectors.account_registrations(user.email)[:20])
    return {"registrations": registrations} if registrations else None
