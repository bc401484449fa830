"""The iCal feed of a room: busy slots only (no titles, no requester data).

Written by the calendar core (quartier/core/ics.py), times in UTC.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core import ics
from quartier.venues import slots
from quartier.venues.models import Room
from quartier.venues.selectors import busy_slots

PAST_DAYS = 30
PRODID = "-//Quartier//Venues//DE"


def room_calendar(room: Room, *, now: dt.datetime | None = None) -> bytes:
    """Busy slots from 30 days ago up to the rolling horizon, in one query, times in UTC."""
    now = now or timezone.now()
    host = settings.SITE_URL.split("//", 1)[-1]
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    start = now - dt.timedelta(days=PAST_DAYS)
    end = now + dt.timedelta(days=slots.ROLLING_HORIZON_DAYS)
    requested, booked = _("Reserved (requested)"), _("Booked")
    events = (
        ics.Vevent(
            uid=f"{slot.booking_uid}-{ics.utc(slot.start)}@{host}",
            stamp=stamp,
            start=slot.start,
            end=slot.end,
            summary=requested if slot.tentative else booked,
            status="TENTATIVE" if slot.tentative else "CONFIRMED",
            transp="OPAQUE",
            klass="PUBLIC",
        )
        for slot in busy_slots(room, start, end)
    )
    return ics.calendar(events, prodid=PRODID, method=None, name=f"{room.name} ({room.venue.name})")
