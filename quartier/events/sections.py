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
