"""Venues in the shared test world: a venue run by the world's organisation in the
Nordviertel (managed by editor, coordinator and planner) with a room and a public request, and
a venue of the other organisation elsewhere with a booking only the admin may see."""

from quartier.venues.models import BookingSource
from quartier.venues.services import Requester
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
        other_venue=other_venue,
        other_room=other_room,
        other_room_booking=other_booking,
    )
