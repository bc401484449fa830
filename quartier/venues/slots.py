"""Pure time arithmetic for bookings: occurrences of a series, 15-minute cells, opening hours.

Everything here works on aware datetimes and has no database access, so it can be tested
with Hypothesis. Conventions (docs/adr/0004-no-double-booking.md):

- Cells are 15 minutes long and aligned in UTC. Local times in Europe/Berlin differ from UTC
  by whole hours, so "on the quarter hour" means the same in both.
- A series repeats in local wall time: "every second Tuesday 18:00-20:00" stays at 18:00
  across daylight-saving changes. An occurrence whose wall time does not exist (the hour
  skipped in March) moves one hour later and keeps its length; one whose wall time exists
  twice (October) takes the first.
- A series without an end is held for ROLLING_HORIZON_DAYS ahead and extended daily.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from quartier.core import recurrence
from quartier.core.recurrence import local_zone

CELL = dt.timedelta(minutes=15)
ROLLING_HORIZON_DAYS = 400  # longer than the longest booking window (365 days)
MAX_SERIES_DAYS = 2 * 366
MAX_OCCURRENCES = 1000
UTC = dt.UTC
# Bookings lie within this many years of today: far enough for any plan, near enough that the
# arithmetic on them (day before, series horizon, time zones) stays within datetime's years 1-9999.
MAX_YEARS_AWAY = 10


@dataclass(frozen=True)
class Occurrence:
    start: dt.datetime  # UTC
    end: dt.datetime  # UTC


def within_reach(moment: dt.datetime | dt.date, *, today: dt.date | None = None) -> bool:
    """True when `moment` lies within MAX_YEARS_AWAY years of today (before or after)."""
    today = today or timezone.localdate()
    day = moment.date() if isinstance(moment, dt.datetime) else moment
    return abs(day.year - today.year) <= MAX_YEARS_AWAY


def is_aligned(moment: dt.datetime) -> bool:
    utc = moment.astimezone(UTC)
    return utc.second == 0 and utc.microsecond == 0 and utc.minute % 15 == 0


def floor_cell(moment: dt.datetime) -> dt.datetime:
    utc = moment.astimezone(UTC)
    return utc.replace(minute=utc.minute - utc.minute % 15, second=0, microsecond=0)


def cells(start: dt.datetime, end: dt.datetime, buffer_minutes: int = 0) -> list[tuple]:
    """(cell_start, is_buffer) for [start, end) plus the buffer after it, rounded out to cells."""
    first = floor_cell(start)
    busy_end = end.astimezone(UTC)
    total_end = busy_end + dt.timedelta(minutes=buffer_minutes)
    result = []
    cursor = first
    while cursor < total_end:
        result.append((cursor, cursor >= busy_end))
        cursor += CELL
    return result


def parse_rule(text: str, start: dt.datetime | None = None) -> str:
    """The normalised RRULE of a series (recurrence.check); ValueError if invalid."""
    try:
        return recurrence.check(text)
    except ValidationError as exc:
        raise ValueError(" ".join(exc.messages)) from exc


def occurrences(
    start: dt.datetime,
    end: dt.datetime,
    recurrence_rule: str = "",
    until: dt.date | None = None,
    horizon: dt.datetime | None = None,
    skip: Iterable[dt.datetime] = (),
) -> list[Occurrence]:
    """The occurrences of a booking in UTC, in order, without those in `skip`.

    A single booking has exactly one. A series ends at `until` (inclusive, local date) or, when
    it has none, at `horizon`. Raises ValueError for an invalid rule.
    """
    skipped = {moment.astimezone(UTC) for moment in skip}
    if not recurrence_rule:
        first = Occurrence(start.astimezone(UTC), end.astimezone(UTC))
        return [] if first.start in skipped else [first]
    zone = local_zone()
    wall_length = recurrence.to_wall(end, zone) - recurrence.to_wall(start, zone)
    rule = parse_rule(recurrence_rule, start)
    limits = []
    if until is not None:
        limits.append(dt.datetime.combine(until, dt.time.max))
    if horizon is not None:
        limits.append(recurrence.to_wall(horizon, zone))
    if not limits and not recurrence.is_bounded(rule):
        raise ValueError("a series needs an end or a horizon")
    last = min(limits) if limits else dt.datetime.max
    result: list[Occurrence] = []
    for naive in recurrence.wall_times(rule, start, zone=zone):
        if naive > last:
            break
        occurrence = _resolve(naive, wall_length, zone)
        if occurrence.end > occurrence.start and occurrence.start not in skipped:
            result.append(occurrence)
        if len(result) > MAX_OCCURRENCES:
            raise ValueError("too many occurrences")
    return result


def _resolve(naive: dt.datetime, wall_length: dt.timedelta, zone: ZoneInfo) -> Occurrence:
    start = recurrence.aware(naive, zone)
    if recurrence.to_wall(start, zone) != naive:
        # The wall start falls into the hour skipped in March: the whole occurrence moves one
        # hour later and keeps its length.
        return Occurrence(start.astimezone(UTC), start.astimezone(UTC) + wall_length)
    end = recurrence.aware(naive + wall_length, zone)
    return Occurrence(start.astimezone(UTC), end.astimezone(UTC))


def local_days(start: dt.datetime, end: dt.datetime) -> list[dt.date]:
    """The local dates a slot touches (end exclusive)."""
    zone = local_zone()
    first = start.astimezone(zone).date()
    last = (end.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def within_opening_hours(
    start: dt.datetime, end: dt.datetime, windows: Sequence[tuple[int, dt.time, dt.time]]
) -> bool:
    """True when [start, end) lies inside the union of the weekly windows (weekday, opens, closes).

    A window whose `closes` is at or before `opens` runs past midnight into the next day, so a
    booking from 22:00 to 01:00 fits a Friday window 18:00-02:00. No windows: always open.
    """
    if not windows:
        return True
    zone = local_zone()
    first_day = start.astimezone(zone).date() - dt.timedelta(days=1)
    last_day = end.astimezone(zone).date()
    intervals = []
    day = first_day
    while day <= last_day:
        for weekday, opens, closes in windows:
            if weekday != day.weekday():
                continue
            close_day = day + dt.timedelta(days=1) if closes <= opens else day
            intervals.append(
                (
                    dt.datetime.combine(day, opens, tzinfo=zone),
                    dt.datetime.combine(close_day, closes, tzinfo=zone),
                )
            )
        day += dt.timedelta(days=1)
    cursor = start
    for begin, finish in sorted(intervals):
        if begin <= cursor < finish:
            cursor = finish
        if cursor >= end:
            return True
    return cursor >= end


def touches_closing_days(
    start: dt.datetime, end: dt.datetime, closing: Sequence[tuple[dt.date, dt.date]]
) -> dt.date | None:
    """The first closed local date the slot touches, or None."""
    for day in local_days(start, end):
        for first, last in closing:
            if first <= day <= last:
                return day
    return None


def format_slot(start: dt.datetime, end: dt.datetime) -> str:
    """'Tue, 12.05.2026 18:00–20:00' in local time (with the end date if it differs)."""
    local_start, local_end = timezone.localtime(start), timezone.localtime(end)
    first = date_format(local_start, "D, d.m.Y H:i")
    if local_end.date() == local_start.date():
        return f"{first}–{local_end:%H:%M}"
    return f"{first} – {date_format(local_end, 'D, d.m.Y H:i')}"
