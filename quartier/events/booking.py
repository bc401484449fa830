"""The link to quartier.venues: an event held in a venue room books that room.

The booking is made through `venues.services.booking_create` inside the event's transaction,
so a conflict (BookingConflict, a ValidationError naming the taken slot) refuses the event as a
whole. The room's rules (lead time, longest booking, opening hours) apply unless the user
manages the venue; the booking may need the venue's approval like any other.
"""

from __future__ import annotations

from quartier.events.models import Event
from quartier.venues.models import BookingSource
from quartier.venues.services import booking_cancel, booking_create


def book_room(*, event: Event, user=None) -> None:
    """Book the event's room for its time (no-op without a room or for a cancelled event)."""
    if not event.room_id or event.is_cancelled:
        return
    booking = booking_create(
        room=event.room,
        start=event.starts_at,
        end=event.ends_at,
        title=event.title[:200],
        created_by=user if user is not None and user.is_authenticated else None,
        organisation=event.organisations.first(),
        source=BookingSource.EVENT,
        notes=event.get_absolute_url(),
    )
    event.booking = booking
    event.save(update_fields=["booking"])


def free_room(*, event: Event, user=None) -> None:
    """Cancel the event's room booking, if any, so the slot is free again."""
    if not event.booking_id:
        return
    booking_cancel(booking=event.booking, by=user if user and user.is_authenticated else None)
    event.booking = None
    event.save(update_fields=["booking"])


def rebook_room(*, event: Event, user=None) -> None:
    free_room(event=event, user=user)
    book_room(event=event, user=user)


def fill_place_from_room(fields: dict) -> None:
    """An event in a room without its own address takes the venue's."""
    room = fields.get("room")
    if room is None or any(fields.get(name) for name in ("street", "city", "lat")):
        return
    venue = room.venue
    fields.setdefault("place_name", "")
    fields["place_name"] = fields["place_name"] or f"{venue.name}, {room.name}"
    fields.update(
        street=venue.street, postcode=venue.postcode, city=venue.city, lat=venue.lat, lon=venue.lon
    )
