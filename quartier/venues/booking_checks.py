"""The booking rules of a room, checked before any slot is held (services.booking_create)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartier.venues import slots
from quartier.venues.models import Occupancy, Room


def check_shape(
    *, room: Room, start: dt.datetime, end: dt.datetime, title: str, until: dt.date | None
) -> None:
    """Input every booking must satisfy, whoever books."""
    errors: dict[str, list[str]] = {}
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Start and end need a time zone."))
    if not (slots.within_reach(start) and slots.within_reach(end)):
        raise ValidationError(
            {
                "start": [
                    _("Bookings lie within %(years)d years of today.")
                    % {"years": slots.MAX_YEARS_AWAY}
                ]
            }
        )
    if not title.strip():
        errors.setdefault("title", []).append(_("Please give the booking a title."))
    if end <= start:
        errors.setdefault("end", []).append(_("The end must be after the start."))
    if not (slots.is_aligned(start) and slots.is_aligned(end)):
        errors.setdefault("start", []).append(
            _("Bookings start and end on the quarter hour (for example 18:00 or 18:15).")
        )
    if until is not None:
        first_day = timezone.localtime(start).date()
        if until < first_day:
            errors.setdefault("recurrence_until", []).append(
                _("The repetition must end after its first date.")
            )
        elif until > first_day + dt.timedelta(days=slots.MAX_SERIES_DAYS):
            errors.setdefault("recurrence_until", []).append(
                _("A series can run for at most two years; book a new one after that.")
            )
    if not room.is_active or not room.venue.is_active:
        errors.setdefault("room", []).append(_("This room cannot be booked at the moment."))
    if errors:
        raise ValidationError(errors)


def check_rules(
    *,
    room: Room,
    occurrences: list[slots.Occurrence],
    now: dt.datetime,
    is_manager: bool,
    attendees: int | None = None,
) -> None:
    """The room's rules for the booking as a whole: lead time and window (not for venue
    managers), length, capacity. Per date (closing days, opening hours, other bookings):
    `date_conflicts`."""
    first = occurrences[0]
    if not is_manager:
        earliest = now + dt.timedelta(hours=room.lead_time_hours)
        if first.start < earliest:
            raise ValidationError(
                _("This room must be booked at least %(hours)d hours in advance.")
                % {"hours": room.lead_time_hours}
            )
        latest = now + dt.timedelta(days=room.booking_window_days)
        if first.start > latest:
            raise ValidationError(
                _("This room can be booked at most %(days)d days ahead.")
                % {"days": room.booking_window_days}
            )
    length = first.end - first.start
    if not is_manager and length > dt.timedelta(minutes=room.max_length_minutes):
        raise ValidationError(
            _("A booking of this room may last at most %(hours)s hours.")
            % {"hours": _hours(room.max_length_minutes)}
        )
    if attendees is not None and attendees > room.capacity:
        raise ValidationError(
            {
                "attendees": [
                    _("This room holds at most %(count)d people.") % {"count": room.capacity}
                ]
            }
        )


# Why one date of a booking cannot be held, most serious first.
BOOKED = "booked"  # another booking holds the room at that time
BUFFER_AFTER = "buffer_after"  # the tidy-up time after another booking is not over
BUFFER_BEFORE = "buffer_before"  # this booking's tidy-up time runs into another booking
CLOSED = "closed"  # a closing day of the venue
HOURS = "hours"  # outside the opening hours
_RANK = {BOOKED: 0, BUFFER_AFTER: 1, BUFFER_BEFORE: 2, CLOSED: 3, HOURS: 4}


@dataclass(frozen=True)
class DateConflict:
    """One date (occurrence, UTC) that cannot be booked, and the real reason."""

    start: dt.datetime
    end: dt.datetime
    reason: str
    other_booking_id: int | None = None
    other_start: dt.datetime | None = None
    other_end: dt.datetime | None = None
    day: dt.date | None = None  # the closed local date
    closed_reason: str = ""

    def worse_than(self, other: DateConflict | None) -> bool:
        return other is None or _RANK[self.reason] < _RANK[other.reason]


def rule_conflicts(
    *, room: Room, occurrences: list[slots.Occurrence]
) -> dict[dt.datetime, DateConflict]:
    """Dates on a closing day or outside the opening hours (no queries beyond the venue's
    hours and closing days)."""
    venue = room.venue
    windows = [(w.weekday, w.opens, w.closes) for w in venue.opening_hours.all()]
    closing = [(c.first_day, c.last_day, c.reason) for c in venue.closing_days.all()]
    found: dict[dt.datetime, DateConflict] = {}
    for occurrence in occurrences:
        closed = slots.touches_closing_days(
            occurrence.start, occurrence.end, [(first, last) for first, last, _r in closing]
        )
        if closed is not None:
            reason = next((r for first, last, r in closing if first <= closed <= last), "")
            found[occurrence.start] = DateConflict(
                occurrence.start, occurrence.end, CLOSED, day=closed, closed_reason=reason
            )
        elif not slots.within_opening_hours(occurrence.start, occurrence.end, windows):
            found[occurrence.start] = DateConflict(occurrence.start, occurrence.end, HOURS)
    return found


def occupancy_conflicts(
    *, room: Room, occurrences: list[slots.Occurrence]
) -> dict[dt.datetime, DateConflict]:
    """Dates whose cells (time or buffer) other bookings hold, with the real reason: the other
    booking's time, the buffer after it, or this booking's buffer running into it. One query
    per 500 cells."""
    wanted: dict[dt.datetime, tuple[slots.Occurrence, bool]] = {}
    for occurrence in occurrences:
        for cell, is_buffer in slots.cells(occurrence.start, occurrence.end, room.buffer_minutes):
            wanted[cell] = (occurrence, is_buffer)
    cells = list(wanted)
    found: dict[dt.datetime, DateConflict] = {}
    for index in range(0, len(cells), 500):
        rows = Occupancy.objects.filter(
            room=room, cell_start__in=cells[index : index + 500]
        ).values_list("cell_start", "is_buffer", "booking_id", "occurrence_start", "occurrence_end")
        for cell, theirs_buffer, booking_id, other_start, other_end in rows:
            occurrence, ours_buffer = wanted[cell]
            if not ours_buffer and not theirs_buffer:
                reason = BOOKED
            elif not ours_buffer:
                reason = BUFFER_AFTER
            else:
                reason = BUFFER_BEFORE
            conflict = DateConflict(
                occurrence.start,
                occurrence.end,
                reason,
                other_booking_id=booking_id,
                other_start=other_start,
                other_end=other_end,
            )
            if conflict.worse_than(found.get(occurrence.start)):
                found[occurrence.start] = conflict
    return found


def merge(*parts: dict[dt.datetime, DateConflict]) -> list[DateConflict]:
    """The conflicts of several checks, one per date (the most serious), in date order."""
    merged: dict[dt.datetime, DateConflict] = {}
    for part in parts:
        for start, conflict in part.items():
            if conflict.worse_than(merged.get(start)):
                merged[start] = conflict
    return [merged[start] for start in sorted(merged)]


def describe(conflict: DateConflict, *, room: Room, names: dict[int, str] | None = None) -> str:
    """The reason in words. `names`: titles of the other bookings the reader may see (by id);
    any other booking is "another booking" (its time is public on the room's page anyway)."""
    title = (names or {}).get(conflict.other_booking_id or 0, "")
    if conflict.reason == CLOSED:
        day = date_format(conflict.day or timezone.localtime(conflict.start), "D, d.m.Y")
        if conflict.closed_reason:
            return _("The venue is closed on %(day)s (%(reason)s).") % {
                "day": day,
                "reason": conflict.closed_reason,
            }
        return _("The venue is closed on %(day)s.") % {"day": day}
    if conflict.reason == HOURS:
        return _("The booking on %(day)s lies outside the opening hours.") % {
            "day": date_format(timezone.localtime(conflict.start), "D, d.m.Y")
        }
    other_start, other_end = conflict.other_start, conflict.other_end
    assert other_start is not None and other_end is not None
    slot = slots.format_slot(other_start, other_end)
    if conflict.reason == BOOKED:
        if title:
            return _("The room is booked at that time: “%(title)s”, %(slot)s.") % {
                "title": title,
                "slot": slot,
            }
        return _("%(room)s is already booked on %(slot)s.") % {"room": room.name, "slot": slot}
    minutes = room.buffer_minutes
    if conflict.reason == BUFFER_AFTER:
        values = {"minutes": minutes, "title": title, "time": _time(other_end)}
        if title:
            return (
                _(
                    "Too soon after “%(title)s”, which ends at %(time)s: the room needs "
                    "%(minutes)d minutes to be tidied after each booking."
                )
                % values
            )
        return (
            _(
                "Too soon after another booking, which ends at %(time)s: the room needs "
                "%(minutes)d minutes to be tidied after each booking."
            )
            % values
        )
    values = {"minutes": minutes, "title": title, "time": _time(other_start)}
    if title:
        return (
            _(
                "Too close before “%(title)s”, which begins at %(time)s: the room needs "
                "%(minutes)d minutes to be tidied after this booking."
            )
            % values
        )
    return (
        _(
            "Too close before another booking, which begins at %(time)s: the room needs "
            "%(minutes)d minutes to be tidied after this booking."
        )
        % values
    )


def _time(moment: dt.datetime) -> str:
    return f"{timezone.localtime(moment):%H:%M}"


def _hours(minutes: int) -> str:
    return floatformat(minutes / 60, -1)
