"""iCalendar (RFC 5545 / 5546) output: invitations, cancellations and feeds.

Every meeting keeps its UID; SEQUENCE is the meeting's `sequence`, raised by the services on
each change that is sent, so calendar clients update the entry instead of adding a second one.
Times carry TZID=Europe/Berlin (settings.TIME_ZONE) with a VTIMEZONE, so they stay right
across daylight-saving changes.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from quartier.networks.models import Meeting
from quartier.networks.recurrence import local_zone

PRODID = "-//Quartier//Networks//DE"


def _calendar(method: str | None, name: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    if name:
        calendar.add("x-wr-calname", name)
        calendar.add("x-wr-timezone", settings.TIME_ZONE)
    return calendar


def meeting_event(meeting: Meeting, *, cancelled: bool = False, attendee: str | None = None):
    zone = local_zone()
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", timezone.now())
    event.add("dtstart", meeting.start.astimezone(zone))
    event.add("dtend", meeting.end.astimezone(zone))
    event.add("summary", f"{meeting.title} – {meeting.body.name}")
    if meeting.location_text:
        event.add("location", meeting.location_text)
    if meeting.location_lat is not None and meeting.location_lon is not None:
        event.add("geo", (meeting.location_lat, meeting.location_lon))
    if meeting.description:
        event.add("description", meeting.description)
    event.add("url", f"{settings.SITE_URL}{meeting.get_absolute_url()}")
    is_cancelled = cancelled or meeting.is_cancelled
    event.add("status", "CANCELLED" if is_cancelled else "CONFIRMED")
    if attendee:
        organizer = vCalAddress(f"mailto:{settings.DEFAULT_FROM_EMAIL}")
        organizer.params["cn"] = vText(meeting.body.name)
        event["organizer"] = organizer
        address = vCalAddress(f"mailto:{attendee}")
        address.params["role"] = vText("REQ-PARTICIPANT")
        address.params["rsvp"] = vText("FALSE")
        event.add("attendee", address, encode=0)
    return event


def invitation_ics(meeting: Meeting, *, attendee: str, cancel: bool = False) -> bytes:
    """One meeting as an iTIP message: METHOD:REQUEST, or METHOD:CANCEL when cancelled."""
    calendar = _calendar("CANCEL" if cancel else "REQUEST")
    calendar.add_component(meeting_event(meeting, cancelled=cancel, attendee=attendee))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed_ics(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A subscription feed (METHOD:PUBLISH, as for published calendars)."""
    calendar = _calendar("PUBLISH", name)
    for meeting in meetings:
        calendar.add_component(meeting_event(meeting))
    calendar.add_missing_timezones()
    return calendar.to_ical()
