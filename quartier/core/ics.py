"""iCalendar (RFC 5545 / 5546) output for every app: one small, fast writer.

An app turns each of its objects into a `Vevent` (plain values) and `calendar()` renders
them in one pass: escaping of TEXT values, folding at 75 octets without splitting a UTF-8
character, CRLF line ends. Times are written either in UTC (`...Z`, `tz=None`: what feeds
use, read correctly by every client across midnight and daylight-saving changes) or as local
wall time with TZID (`tz=ZoneInfo(...)`: invitations, which clients show in the organiser's
zone); a calendar with TZID times carries the VTIMEZONE for the years it spans. All-day
events are DATE values.

The `icalendar` library parses (feed imports, tests reading our output back) but is not
used for writing: it needed seconds for a 2,000-event feed (docs/performance.md). Only the
VTIMEZONE comes from it, built once per zone and span of years.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

import icalendar

CRLF = "\r\n"
_ESCAPES = str.maketrans({"\\": "\\\\", ";": "\\;", ",": "\\,", "\n": "\\n", "\r": ""})
_PARAM_UNSAFE = str.maketrans({'"': "'", "\r": "", "\n": " "})


def escape(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11)."""
    return text.translate(_ESCAPES)


def param(text: str) -> str:
    """A parameter value (RFC 5545 3.2): quoted, without the characters it cannot hold."""
    return f'"{str(text).translate(_PARAM_UNSAFE)}"'


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


def utc(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def date_time(name: str, value: dt.datetime | dt.date, tz: ZoneInfo | None = None) -> str:
    """A DATE-TIME (UTC, or wall time with TZID when `tz` is given) or DATE property line."""
    if not isinstance(value, dt.datetime):
        return f"{name};VALUE=DATE:{value:%Y%m%d}"
    if tz is None:
        return f"{name}:{utc(value)}"
    return f"{name};TZID={tz.key}:{value.astimezone(tz):%Y%m%dT%H%M%S}"


@dataclass(slots=True)
class Vevent:
    """One VEVENT in plain values; empty values are left out.

    `start`/`end`: aware datetimes, or dates for all-day events (end exclusive).
    `extra`: further content lines as they are (ORGANIZER, ATTENDEE, ...), already escaped.
    """

    uid: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    stamp: dt.datetime
    summary: str = ""
    sequence: int | None = None
    last_modified: dt.datetime | None = None
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    categories: str = ""
    url: str = ""
    status: str = ""
    transp: str = ""
    klass: str = ""
    extra: list[str] = field(default_factory=list)

    def lines(self, tz: ZoneInfo | None = None) -> Iterator[str]:
        yield "BEGIN:VEVENT"
        yield f"UID:{escape(self.uid)}"
        if self.sequence is not None:
            yield f"SEQUENCE:{self.sequence}"
        yield f"DTSTAMP:{utc(self.stamp)}"
        if self.last_modified is not None:
            yield f"LAST-MODIFIED:{utc(self.last_modified)}"
        start, end = self.start, self.end
        if tz is None and isinstance(start, dt.datetime) and isinstance(end, dt.datetime):
            yield f"DTSTART:{utc(start)}"  # the common case (feeds), without a call
            yield f"DTEND:{utc(end)}"
        else:
            yield date_time("DTSTART", self.start, tz)
            yield date_time("DTEND", self.end, tz)
        yield f"SUMMARY:{escape(self.summary)}"
        if self.description:
            yield f"DESCRIPTION:{escape(self.description)}"
        if self.location:
            yield f"LOCATION:{escape(self.location)}"
        if self.geo is not None:
            yield f"GEO:{self.geo[0]:.6f};{self.geo[1]:.6f}"
        if self.categories:
            yield f"CATEGORIES:{escape(self.categories)}"
        if self.url:
            yield f"URL:{self.url}"
        if self.status:
            yield f"STATUS:{self.status}"
        if self.transp:
            yield f"TRANSP:{self.transp}"
        if self.klass:
            yield f"CLASS:{self.klass}"
        yield from self.extra
        yield "END:VEVENT"


@functools.lru_cache(maxsize=32)
def _vtimezone(key: str, first_year: int, last_year: int) -> tuple[str, ...]:
    component = icalendar.Timezone.from_tzinfo(
        ZoneInfo(key),
        tzid=key,
        first_date=dt.date(first_year, 1, 1),
        last_date=dt.date(last_year, 12, 31),
    )
    text = component.to_ical().decode()
    # Unfolded lines: calendar() folds everything once.
    return tuple(line for line in text.replace("\r\n ", "").split("\r\n") if line)


def vtimezone(tz: ZoneInfo, years: Iterable[int]) -> list[str]:
    """The VTIMEZONE lines of `tz` covering the given years (built once, then cached)."""
    span = sorted(set(years))
    if not span:
        return []
    return list(_vtimezone(tz.key, span[0], span[-1]))


def calendar(
    events: Iterable[Vevent],
    *,
    prodid: str,
    method: str | None = "PUBLISH",
    name: str | None = None,
    tz: ZoneInfo | None = None,
    timezone_name: str | None = None,
) -> bytes:
    """A VCALENDAR of the events, rendered in one pass. `tz`: write times as wall time with
    TZID (and its VTIMEZONE), else in UTC. `name` and `timezone_name` become
    X-WR-CALNAME / X-WR-TIMEZONE (the feed's name and zone in subscribing clients)."""
    head = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:{prodid}", "CALSCALE:GREGORIAN"]
    if method:
        head.append(f"METHOD:{method}")
    if name is not None:
        head.append(f"X-WR-CALNAME:{escape(str(name))}")
    if timezone_name:
        head.append(f"X-WR-TIMEZONE:{timezone_name}")
    body: list[str] = []
    years: set[int] = set()
    for event in events:
        if tz is not None:
            for value in (event.start, event.end):
                if isinstance(value, dt.datetime):
                    years.add(value.astimezone(tz).year)
        body.extend(event.lines(tz))
    zone_lines = vtimezone(tz, years) if tz is not None else []
    lines = [*head, *zone_lines, *body, "END:VCALENDAR"]
    return (CRLF.join(fold(line) for line in lines) + CRLF).encode()
