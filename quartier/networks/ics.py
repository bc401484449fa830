"""iCalendar (RFC 5545 / 5546) output of meetings: invitations, cancellations and feeds.

Written by the calendar core (quartier/core/ics.py). Every meeting keeps its UID; SEQUENCE is
the meeting's `sequence`, raised by the services on each change that is sent, so calendar
clients update the entry instead of adding a second one. Times carry TZID=Europe/Berlin
(settings.TIME_ZONE) with a VTIMEZONE, so they stay right across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone

from quartier.core import ics
from quartier.core.recurrence import local_zone
from quartier.networks.models import Meeting

PRODID = "-//Quartier//Networks//DE"


def meeting_event(
    meeting: Meeting, *, cancelled: bool = False, attendee: str | None = None
) -> ics.Vevent:
    extra = []
    if attendee:
        extra = [
            f"ORGANIZER;CN={ics.param(meeting.body.name)}:mailto:{settings.DEFAULT_FROM_EMAIL}",
            f"ATTENDEE;ROLE=REQ-PARTICIPANT;RSVP=FALSE:mailto:{attendee}",
        ]
    has_geo = meeting.location_lat is not None and meeting.location_lon is not None
    return ics.Vevent(
        uid=meeting.uid,
        sequence=meeting.sequence,
        stamp=timezone.now(),
        start=meeting.start,
        end=meeting.end,
        summary=f"{meeting.title} – {meeting.body.name}",
        location=meeting.location_text,
        geo=(meeting.location_lat, meeting.location_lon) if has_geo else None,
        description=meeting.description,
        url=f"{settings.SITE_URL}{meeting.get_absolute_url()}",
        status="CANCELLED" if cancelled or meeting.is_cancelled else "CONFIRMED",
        extra=extra,
    )


def invitation_ics(meeting: Meeting, *, attendee: str, cancel: bool = False) -> bytes:
    """One meeting as an iTIP message: METHOD:REQUEST, or METHOD:CANCEL when cancelled."""
    return ics.calendar(
        [meeting_event(meeting, cancelled=cancel, attendee=attendee)],
        prodid=PRODID,
        method="CANCEL" if cancel else "REQUEST",
        tz=local_zone(),
    )


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed (METHOD:PUBLISH, as for published calendars)."""
    return ics.calendar(
        (meeting_event(meeting) for meeting in meetings),
        prodid=PRODID,
        name=name,
        tz=local_zone(),
        timezone_name=settings.TIME_ZONE,
    )
