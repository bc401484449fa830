"""JSON API of the venues app: venues and rooms, busy slots, booking and cancelling.

Reads are public and never contain requester data; writes need a session and the same
permissions as the back office. A double booking answers 409 with the conflicting slot.
"""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth
from pydantic import Field, model_validator

from quartier.core.api_types import IsoDateTime
from quartier.directory.models import Organisation
from quartier.venues import selectors, services, slots
from quartier.venues.models import Booking, BookingSource, Room, Venue
from quartier.venues.rules import staff_organisation_ids

router = Router(tags=["venues"])


class RoomOut(Schema):
    id: int
    slug: str
    name: str
    capacity: int
    barrier_free: bool
    has_kitchen: bool
    equipment: str
    public_requests: bool
    url: str

    @staticmethod
    def resolve_url(obj: Room) -> str:
        return obj.get_absolute_url()


class VenueOut(Schema):
    slug: str
    name: str
    organisation: str = Field(alias="organisation.name")
    street: str
    postcode: str
    city: str
    lat: float | None
    lon: float | None
    rooms: list[RoomOut]

    @staticmethod
    def resolve_rooms(obj: Venue) -> list[Room]:
        return list(obj.rooms.all())


class BusyOut(Schema):
    start: dt.datetime
    end: dt.datetime
    tentative: bool


class RangeQuery(Schema):
    start: dt.date = Field(description="First day (local date)")
    end: dt.date = Field(description="Day after the last day (local date), at most 92 days later")

    @model_validator(mode="after")
    def check_range(self) -> RangeQuery:
        if self.end <= self.start or (self.end - self.start).days > 92:
            raise ValueError("end must be after start and at most 92 days later")
        if not (slots.within_reach(self.start) and slots.within_reach(self.end)):
            raise ValueError(f"start and end lie within {slots.MAX_YEARS_AWAY} years of today")
        return self


class BookingIn(Schema):
    room: int
    title: str = Field(min_length=1, max_length=200)
    start: IsoDateTime
    end: IsoDateTime
    recurrence: str = Field("", max_length=300)
    recurrence_until: dt.date | None = None
    organisation: str | None = Field(None, description="Slug of the organisation")
    attendees: int | None = Field(None, ge=1, le=10000)
    notes: str = Field("", max_length=2000)


class BookingOut(Schema):
    id: int
    uid: uuid.UUID
    room: int = Field(alias="room_id")
    title: str
    status: str
    start: dt.datetime
    end: dt.datetime
    recurrence: str
    recurrence_until: dt.date | None


class ErrorOut(Schema):
    message: str
    errors: list[dict] = []


@router.get("/", response=list[VenueOut], url_name="venues_venue_list")
def venue_list(request: HttpRequest):
    """Active venues with their bookable rooms."""
    return (
        Venue.objects.active()
        .select_related("organisation")
        .prefetch_related(Prefetch("rooms", queryset=Room.objects.filter(is_active=True)))
    )


@router.get("/rooms/{room_id}/busy", response=list[BusyOut], url_name="venues_room_busy")
def room_busy(request: HttpRequest, room_id: int, span: Query[RangeQuery]):
    """Busy slots (UTC) of a room between two local dates; tentative = requested."""
    room = get_object_or_404(Room.objects.active(), pk=room_id)
    zone = timezone.get_current_timezone()
    start = dt.datetime.combine(span.start, dt.time(), tzinfo=zone)
    end = dt.datetime.combine(span.end, dt.time(), tzinfo=zone)
    return selectors.busy_slots(room, start, end)


@router.post(
    "/bookings",
    response={201: BookingOut, 409: ErrorOut},
    auth=django_auth,
    url_name="venues_booking_create",
)
def booking_create(request: HttpRequest, payload: BookingIn):
    """Book a room (as in the back office). 409 names the conflicting slot; 422 a broken rule
    or an `organisation` the user does not work for."""
    room = get_object_or_404(Room.objects.select_related("venue"), pk=payload.room)
    if not request.user.has_perm("venues.book_room", room):
        raise PermissionDenied
    organisation = None
    if payload.organisation:
        # As the back office's form: only an organisation the user works for (any, for admins).
        organisation = Organisation.objects.filter(slug=payload.organisation).first()
        if organisation is None or not (
            request.user.is_superuser or organisation.pk in staff_organisation_ids(request.user)
        ):
            raise ValidationError(
                {"organisation": [_("You can only book for an organisation you work for.")]}
            )
    try:
        booking = services.booking_create(
            room=room,
            start=payload.start,
            end=payload.end,
            title=payload.title,
            recurrence=payload.recurrence,
            recurrence_until=payload.recurrence_until,
            organisation=organisation,
            attendees=payload.attendees,
            notes=payload.notes,
            created_by=request.user,
            source=BookingSource.API,
        )
    except services.BookingConflict as exc:
        if isinstance(exc, services.DatesRefused) and not exc.taken:
            # A closing day or the opening hours: a broken rule (422), not a taken slot.
            raise ValidationError(exc.messages) from exc
        return Status(
            409,
            {
                "message": exc.messages[0],
                "errors": [
                    {
                        "field": "start",
                        "message": exc.messages[0],
                        "slot_start": exc.slot_start.isoformat(),
                        "slot_end": exc.slot_end.isoformat(),
                    }
                ],
            },
        )
    return Status(201, booking)


@router.post(
    "/bookings/{booking_id}/cancel",
    response=BookingOut,
    auth=django_auth,
    url_name="venues_booking_cancel",
)
def booking_cancel(request: HttpRequest, booking_id: int):
    booking = get_object_or_404(Booking.objects.select_related("room__venue"), pk=booking_id)
    if not request.user.has_perm("venues.cancel_booking", booking):
        raise PermissionDenied
    return services.booking_cancel(booking=booking, by=request.user)
