"""iCalendar (RFC 5545) output: one event, or a whole (filtered) calendar in one pass.

Times are written in UTC (`...Z`), which every client reads correctly across midnight and
daylight-saving changes; all-day events use DATE values in local time. UID is the event's
stable `uid`; SEQUENCE rises with every change subscribers must see (services.event_update);
a cancelled event stays in the feed with STATUS:CANCELLED so subscribed calendars drop it.

The writer is our own, small and fast: the `icalendar` library (used for parsing imports and
in the tests that read this output back) needed seconds for a 2,000-event feed
(docs/performance.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from quartier.events.models import Event

PRODID = "-//Quartier//Veranstaltungskalender//DE"
CRLF = "\r\n"
_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return text.translate(_ESCAPES)


def fold(line: str) -> str:
    """Fold a content line at 75 octets without splitting a UTF-8 character (RFC 5545 3.1)."""
    data = line.encode()
    if len(data) <= 75:
        return line
    parts, start, limit = [], 0, 75
    while start < len(data):
        end = min(start + limit, len(data))
        while end < len(data) and (data[end] & 0xC0) == 0x80:
            end -= 1  # do not cut inside a multi-byte character
        parts.append(data[start:end].decode())
        start, limit = end, 74  # continuation lines start with one space
    return (CRLF + " ").join(parts)


def _utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def detail_url_prefix(base_url: str | None = None) -> str:
    """The absolute address of event pages without the slug: one reverse() per feed, not one
    per event (reverse dominated the feed's time)."""
    marker = "slug-marker"
    path = reverse("events:detail", kwargs={"slug": marker})
    return f"{base_url or settings.SITE_URL}{path.split(marker)[0]}"


def event_lines(event: Event, *, url_prefix: str | None = None) -> Iterator[str]:
    url_prefix = url_prefix or detail_url_prefix()
    stamp = _utc(event.updated_at or timezone.now())
    yield "BEGIN:VEVENT"
    yield f"UID:{escape(event.uid)}"
    yield f"SEQUENCE:{event.sequence}"
    yield f"DTSTAMP:{stamp}"
    yield f"LAST-MODIFIED:{stamp}"
    if event.all_day:
        start = timezone.localtime(event.starts_at).date()
        end = max(timezone.localtime(event.ends_at).date(), start) + dt.timedelta(days=1)
        yield f"DTSTART;VALUE=DATE:{start:%Y%m%d}"
        yield f"DTEND;VALUE=DATE:{end:%Y%m%d}"
    else:
        yield f"DTSTART:{_utc(event.starts_at)}"
        yield f"DTEND:{_utc(event.ends_at)}"
    yield f"SUMMARY:{escape(event.title)}"
    if event.description:
        yield f"DESCRIPTION:{escape(event.description)}"
    if event.address_line:
        yield f"LOCATION:{escape(event.address_line)}"
    if event.has_point:
        yield f"GEO:{event.lat:.6f};{event.lon:.6f}"
    if event.category_id:
        yield f"CATEGORIES:{escape(event.category.name)}"
    yield f"URL:{url_prefix}{event.slug}/"
    yield f"STATUS:{'CANCELLED' if event.is_cancelled else 'CONFIRMED'}"
    yield f"TRANSP:{'TRANSPARENT' if event.all_day else 'OPAQUE'}"
    yield "END:VEVENT"


def calendar_bytes(
    events: Iterable[Event], *, name: str = "Quartier", base_url: str | None = None
) -> bytes:
    """A VCALENDAR of the given events, rendered once (callers pass one QuerySet with
    `select_related("category")`, so the whole feed costs one query)."""
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape(str(name))}",
        f"X-WR-TIMEZONE:{settings.TIME_ZONE}",
    ]
    url_prefix = detail_url_prefix(base_url)
    for event in events:
        lines.extend(event_lines(event, url_prefix=url_prefix))
    lines.append("END:VCALENDAR")
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode()
