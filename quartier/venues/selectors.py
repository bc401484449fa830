"""Reads: the availability of a room for a week or a month, busy slots for feeds and the API.

Busy slots come from the Occupancy cells (one row per cell, grouped back into occurrences),
so the public views never need to expand recurrence rules and never see requester data.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from quartier.areas.rules import managed_area_ids
from quartier.venues.models import Booking, BookingStatus, Occupancy, Room, Venue
from quartier.venues.rules import booking_body_ids, rules_q_managed, staff_organisation_ids


@dataclass(frozen=True)
class BusySlot:
    booking_id: int
    booking_uid: str
    start: dt.datetime
    end: dt.datetime
    tentative: bool


@dataclass
class Day:
    date: dt.date
    in_month: bool = True
    slots: list[BusySlot] = field(default_factory=list)
    opening: list[str] = field(default_factory=list)
    closed_reason: str | None = None


def busy_slots(room: Room, start: dt.datetime, end: dt.datetime) -> list[BusySlot]:
    """Occurrences of active bookings overlapping [start, end), in one query."""
    rows = (
        Occupancy.objects.filter(
            room=room,
            is_buffer=False,
            occurrence_end__gt=start,
            occurrence_start__lt=end,
        )
        .values_list(
            "booking_id", "booking__uid", "occurrence_start", "occurrence_end", "booking__status"
        )
        .distinct()
        .order_by("occurrence_start")
    )
    return [
        BusySlot(pk, str(uid), s, e, status == BookingStatus.REQUESTED)
        for pk, uid, s, e, status in rows
    ]


def week_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    monday = day - dt.timedelta(days=day.weekday())
    return monday, monday + dt.timedelta(days=7)


def month_bounds(day: dt.date) -> tuple[dt.date, dt.date]:
    """From the Monday of the first week to the day after the Sunday of the last week."""
    first = day.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    return first - dt.timedelta(days=first.weekday()), last + dt.timedelta(days=7 - last.weekday())


def availability(room: Room, day: dt.date, view: str) -> list[Day]:
    """The days of the week or month grid around `day`, each with its busy slots, opening
    hours and closing reason. Four queries whatever the number of bookings."""
    first, stop = week_bounds(day) if view == "week" else month_bounds(day)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(first, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(stop, dt.time(), tzinfo=zone)
    days = {
        first + dt.timedelta(days=n): Day(
            date=first + dt.timedelta(days=n),
            in_month=view == "week" or (first + dt.timedelta(days=n)).month == day.month,
        )
        for n in range((stop - first).days)
    }
    for slot in busy_slots(room, start, end):
        for date in _dates_of(slot, zone):
            if date in days:
                days[date].slots.append(slot)
    windows = list(room.venue.opening_hours.all())
    for entry in days.values():
        entry.opening = [
            f"{w.opens:%H:%M}–{w.closes:%H:%M}"
            for w in windows
            if w.weekday == entry.date.weekday()
        ]
    for closing in room.venue.closing_days.filter(last_day__gte=first, first_day__lt=stop):
        for entry in days.values():
            if closing.first_day <= entry.date <= closing.last_day:
                entry.closed_reason = closing.reason or "–"
    return list(days.values())


def _dates_of(slot: BusySlot, zone) -> list[dt.date]:
    first = slot.start.astimezone(zone).date()
    last = (slot.end.astimezone(zone) - dt.timedelta(microseconds=1)).date()
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


def managed_venues(user) -> QuerySet[Venue]:
    if user.is_superuser:
        return Venue.objects.all()
    return Venue.objects.filter(
        rules_q_managed(staff_organisation_ids(user), managed_area_ids(user))
    )


def bookable_rooms(user) -> QuerySet[Room]:
    """Rooms the user may book in the back office (managed venues, `bookable_by` and
    `bookable_by_bodies`)."""
    organisations = staff_organisation_ids(user)
    rooms = Room.objects.active().select_related("venue")
    if user.is_superuser:
        return rooms
    return rooms.filter(
        Q(venue__in=managed_venues(user))
        | Q(bookable_by__in=organisations)
        | Q(bookable_by_bodies__in=booking_body_ids(user))
    ).distinct()


def bookings_for(user) -> QuerySet[Booking]:
    """Bookings the user may see in the back office: of managed venues, or their own."""
    bookings = Booking.objects.select_related("room__venue", "organisation")
    if user.is_superuser:
        return bookings
    return bookings.filter(Q(room__venue__in=managed_venues(user)) | Q(created_by=user))


def account_bookings(user, email: str) -> QuerySet[Booking]:
    """Coming bookings made with a login or (when given) an address, soonest first."""
    mine = Q(created_by=user)
    if email:
        mine |= Q(requester_email__iexact=email)
    return (
        Booking.objects.filter(mine, end__gte=timezone.now())
        .select_related("room__venue")
        .order_by("start")
    )
