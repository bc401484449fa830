"""The iCal feed of a room: busy slots only (no titles, no requester data)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from quartier.venues import slots
from quartier.venues.models import Room
from quartier.venues.selectors import busy_slots

PAST_DAYS = 30


def room_calendar(room: Room, *, now: dt.datetime | None = None) -> bytes:
    """Busy slots from 30 days ago up to the rolling horizon, in one query, times in UTC."""
    now = now or timezone.now()
    calendar = Calendar()
    calendar.add("prodid", "-//Quartier//Venues//DE")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{room.name} ({room.venue.name})")
    host = settings.SITE_URL.split("//", 1)[-1]
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=PAST_DAYS)
    end = now + dt.timedelta(days=slots.ROLLING_HORIZON_DAYS)
    for slot in busy_slots(room, start, end):
        event = Event()
        event.add("uid", f"{slot.booking_uid}-{slot.start:%Y%m%dT%H%M%SZ}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", slot.start.astimezone(dt.UTC))
        event.add("dtend", slot.end.astimezone(dt.UTC))
        event.add("summary", _("Reserved (requested)") if slot.tentative else _("Booked"))
        event.add("status", "TENTATIVE" if slot.tentative else "CONFIRMED")
        event.add("transp", "OPAQUE")
        event.add("class", "PUBLIC")
        calendar.add_component(event)
    return calendar.to_ical()
