"""Mail only for committed bookings, and cancel links mailed before quartier.core.tokens still
work."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.db import transaction

from quartier.venues.models import Booking, BookingSource
from quartier.venues.services import Requester
from quartier.venues.tokens import booking_from_token, cancel_token
from tests.factories.venues import RoomFactory, at, book

pytestmark = pytest.mark.django_db

PUBLIC = {
    "source": BookingSource.PUBLIC,
    "requester": Requester(name="Rita", email="rita@example.org"),
    "consent": True,
}


class Rollback(Exception):
    pass


def test_a_rolled_back_request_sends_nothing(django_capture_on_commit_callbacks):
    room = RoomFactory(venue__email="haus@example.org")
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        book(room, at(2030, 3, 5, 18), at(2030, 3, 5, 20), **PUBLIC)
        raise Rollback
    assert queued == [] and mail.outbox == [] and not Booking.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the control
        book(room, at(2030, 3, 5, 18), at(2030, 3, 5, 20), **PUBLIC)
    assert sorted(m.to[0] for m in mail.outbox) == ["haus@example.org", "rita@example.org"]


def test_cancel_links_mailed_before_core_tokens_still_work():
    booking = book(RoomFactory(), at(2030, 3, 5, 18), at(2030, 3, 5, 20))
    old = signing.dumps(str(booking.uid), salt="quartier.venues.booking-cancel")
    assert booking_from_token(old) == booking
    assert booking_from_token(cancel_token(booking)) == booking
    assert booking_from_token(old[:-2] + "xx") is None
