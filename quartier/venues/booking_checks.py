"""The booking rules of a room, checked before any slot is held (services.booking_create)."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.template.defaultfilters import floatformat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartier.venues import slots
from quartier.venues.models import Room


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
    *, room: Room, occurrences: list[slots.Occurrence], now: dt.datetime, is_manager: bool
) -> None:
    """The room's rules: lead time and window (not for venue managers), length, opening
    hours and closing days (for everyone). The message names the first offending date."""
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
    venue = room.venue
    windows = [(w.weekday, w.opens, w.closes) for w in venue.opening_hours.all()]
    closing = [(c.first_day, c.last_day) for c in venue.closing_days.all()]
    for occurrence in occurrences:
        closed = slots.touches_closing_days(occurrence.start, occurrence.end, closing)
        if closed is not None:
            raise ValidationError(
                _("The venue is closed on %(day)s.") % {"day": date_format(closed, "D, d.m.Y")}
            )
        if not slots.within_opening_hours(occurrence.start, occurrence.end, windows):
            local = timezone.localtime(occurrence.start)
            raise ValidationError(
                _("The booking on %(day)s lies outside the opening hours.")
                % {"day": date_format(local, "D, d.m.Y")}
            )


def _hours(minutes: int) -> str:
    return floatformat(minutes / 60, -1)
