"""iCalendar output of events: one event, or a whole (filtered) calendar in one pass.

Written by the calendar core (quartier/core/ics.py). Times are in UTC (`...Z`), which every
client reads correctly across midnight and daylight-saving changes; all-day events use DATE
values in local time. UID is the event's stable `uid`; SEQUENCE rises with every change
subscribers must see (services.event_update); a cancelled event stays in the feed with
STATUS:CANCELLED so subscribed calendars drop it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quartier.core import ics
from quartier.events.models import Event

PRODID = "-//Quartier//Veranstaltungskalender//DE"


def detail_url_prefix(base_url: str | None = None) -> str:
    """The absolute address of event pages without the slug: one reverse() per feed, not one
    per event (reverse dominated the feed's time)."""
    marker = "slug-marker"
    path = reverse("events:detail", kwargs={"slug": marker})
    return f"{base_url or settings.SITE_URL}{path.split(marker)[0]}"


def vevent(event: Event, *, url_prefix: str) -> ics.Vevent:
    stamp = event.updated_at or timezone.now()
    start: dt.datetime | dt.date = event.starts_at
    end: dt.datetime | dt.date = event.ends_at
    if event.all_day:
        start = timezone.localtime(event.starts_at).date()
        end = max(timezone.localtime(event.ends_at).date(), start) + dt.timedelta(days=1)
    return ics.Vevent(
        uid=event.uid,
        sequence=event.sequence,
        stamp=stamp,
        last_modified=stamp,
        start=start,
        end=end,
        summary=event.title,
        description=event.description,
        location=event.address_line,
        geo=(event.lat, event.lon) if event.has_point else None,
        categories=event.category.localized_name if event.category_id else "",
        url=f"{url_prefix}{event.slug}/",
        status="CANCELLED" if event.is_cancelled else "CONFIRMED",
        transp="TRANSPARENT" if event.all_day else "OPAQUE",
    )


def calendar_bytes(
    events: Iterable[Event], *, name: str = "Quartier", base_url: str | None = None
) -> bytes:
    """A VCALENDAR of the given events, rendered once (callers pass one QuerySet with
    `select_related("category")`, so the whole feed costs one query)."""
    url_prefix = detail_url_prefix(base_url)
    return ics.calendar(
        (vevent(event, url_prefix=url_prefix) for event in events),
        prodid=PRODID,
        name=str(name),
        timezone_name=settings.TIME_ZONE,
    )
