"""Venues in the shared test world: a venue run by the world's organisation in the
Nordviertel (managed by editor, coordinator and planner) with a room and a public request, and
a venue of the other organisation elsewhere with a booking only the admin may see."""

import datetime as dt

from django.utils import timezone

from quartier.venues.models import BookingSource
from quartier.venues.services import Requester
from tests import sentinels
from tests.factories.venues import RoomFactory, VenueFactory, at, book

ORDER = 50


def extend(world) -> None:
    venue = VenueFactory(
        name="Nachbarschaftshaus Nord",
        slug="nachbarschaftshaus-nord",
        organisation=world.organisation,
        area=world.district,
    )
    room = RoomFactory(venue=venue, name="Saal", slug="saal", buffer_minutes=15)
    booking = book(
        room,
        at(2030, 3, 5, 18),
        at(2030, 3, 5, 20),
        title="Nachbarschaftstreffen",
        source=BookingSource.PUBLIC,
        requester=Requester(name="Rita Anfrage", email="rita@example.org", phone="0651 123"),
        consent=True,
    )
    # A public request inside the room feed's horizon (from 30 days back to the rolling
    # horizon): its requester and its title must not appear in the feed nor anywhere public.
    soon = timezone.localtime() + dt.timedelta(days=3)
    soon = soon.replace(hour=10, minute=0, second=0, microsecond=0)
    book(
        room,
        soon,
        soon + dt.timedelta(hours=2),
        title=sentinels.secret("venues request title"),
        notes=sentinels.secret("venues request notes"),
        source=BookingSource.PUBLIC,
        requester=Requester(
            name=sentinels.secret("venues requester name"),
            email=sentinels.secret_email("venues requester"),
            phone=sentinels.secret_phone("venues requester"),
            group=sentinels.secret("venues requester group"),
        ),
        consent=True,
        now=timezone.now(),
    )
    # An anonymous request not confirmed yet (issue 19): it holds no slot, and its requester
    # must not appear anywhere public. Its confirmation page shows only title and time.
    unconfirmed = book(
        room,
        at(2030, 3, 12, 18),
        at(2030, 3, 12, 20),
        title="Chorprobe",
        source=BookingSource.PUBLIC,
        requester=Requester(
            name=sentinels.secret("venues unconfirmed name"),
            email=sentinels.secret_email("venues unconfirmed"),
            phone=sentinels.secret_phone("venues unconfirmed"),
        ),
        consent=True,
        confirm_email=False,
    )
    other_venue = VenueFactory(
        name="Haus Anderstadt",
        slug="haus-anderstadt",
        organisation=world.other_organisation,
        area=world.other_city,
    )
    other_room = RoomFactory(venue=other_venue, name="Werkraum", slug="werkraum")
    other_booking = book(other_room, at(2030, 3, 6, 10), at(2030, 3, 6, 12), title="Vorstand")
    world.extra.update(
        venue=venue,
        room=room,
        room_booking=booking,
        unconfirmed_request=unconfirmed,
        other_venue=other_venue,
        other_room=other_room,
        other_room_booking=other_booking,
    )
