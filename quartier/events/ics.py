"""iCalendar (RFC 5545) output: one event, or a whole (filtered) calendar in one pass.

Times are written in UTC (`...Z`), which every client reads correctly across midnight and
daylight-saving changes; all-day events use DATE values in local time. UID is the event's
stable `uid`; SEQUENCE rises with every change subscribers must see (services.event_update);
a cancelled event stays in the feed with STATUS:CANCELLED so subscribed calendars drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from quartier.events.models import Event

PRODID = "-//Quartier//Veranstaltungskalender//DE"


def _utc(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC)


def event_component(event: Event, *, base_url: str | None = None) -> icalendar.Event:
    base_url = base_url or settings.SITE_URL
    component = icalendar.Event()
    component.add("uid", event.uid)
    component.add("sequence", event.sequence)
    component.add("dtstamp", _utc(event.updated_at or timezone.now()))
    if event.updated_at:
        component.add("last-modified", _utc(event.updated_at))
    if event.all_day:
        start = timezone.localtime(event.starts_at).date()
        end = max(timezone.localtime(event.ends_at).date(), start) + dt.timedelta(days=1)
        component.add("dtstart", start)
        component.add("dtend", end)
    else:
        component.add("dtstart", _utc(event.starts_at))
        component.add("dtend", _utc(event.ends_at))
    component.add("summary", event.title)
    if event.description:
        component.add("description", event.description)
    if event.address_line:
        component.add("location", event.address_line)
    if event.has_point:
        component.add("geo", (event.lat, event.lon))
    if event.category_id:
        component.add("categories", [event.category.name])
    component.add("url", f"{base_url}{event.get_absolute_url()}")
    component.add("status", "CANCELLED" if event.is_cancelled else "CONFIRMED")
    component.add("transp", "TRANSPARENT" if event.all_day else "OPAQUE")
    return component


def calendar_bytes(
    events: Iterable[Event], *, name: str = "Quartier", base_url: str | None = None
) -> bytes:
    """A VCALENDAR of the given events, rendered once (callers pass one QuerySet with
    `select_related("category")`, so the whole feed costs one query)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        calendar.add_component(event_component(event, base_url=base_url))
    return calendar.to_ical()
