"""Two requests for the same slot at the same moment: exactly one wins, by the database.

Each thread has its own database connection. On SQLite the in-memory test database is copied
into a temporary file database (WAL), because threads on a shared in-memory database would
serialise on table locks and prove nothing; on PostgreSQL the threads use the test database.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from contextlib import contextmanager

import pytest
from django.db import connection, connections

from quartier.venues.models import Booking, Occupancy, Room
from quartier.venues.services import BookingConflict, booking_create
from tests.factories.venues import RoomFactory, at

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def shared_database(tmp_path):
    """Make connections opened by new threads see the test data (see module docstring)."""
    if connection.vendor != "sqlite":
        yield
        return
    target = tmp_path / "concurrency.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(target) as file_db:
        connection.connection.backup(file_db)
        file_db.execute("PRAGMA journal_mode=WAL")
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(target)
    try:
        yield
    finally:
        settings_dict["NAME"] = original


def race(*attempts):
    """Run the callables in threads released at the same moment; return their outcomes."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list = [None] * len(attempts)

    def run(index, attempt):
        try:
            barrier.wait()
            outcomes[index] = attempt()
        except Exception as exc:  # the loser's exception is the outcome under test
            outcomes[index] = exc
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(index, attempt))
        for index, attempt in enumerate(attempts)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def in_thread(query):
    """Read through a thread's connection (the file database on SQLite)."""
    return race(query)[0]


def _book(room_pk: int, title: str, start, end, **kwargs):
    room = Room.objects.select_related("venue").get(pk=room_pk)
    booking = booking_create(
        room=room, start=start, end=end, title=title, now=at(2030, 1, 1), **kwargs
    )
    return booking.pk


@pytest.mark.parametrize("round_", range(3))
def test_two_requests_for_the_same_slot_at_once_cannot_both_win(tmp_path, round_):
    room = RoomFactory()
    start, end = at(2030, 3, 5, 18), at(2030, 3, 5, 20)
    with shared_database(tmp_path):
        outcomes = race(
            lambda: _book(room.pk, "A", start, end),
            lambda: _book(room.pk, "B", start, end),
        )
        wins = [o for o in outcomes if isinstance(o, int)]
        losses = [o for o in outcomes if isinstance(o, BookingConflict)]
        assert len(wins) == 1, outcomes
        assert len(losses) == 1, outcomes
        assert "05.03.2030 18:00–20:00" in losses[0].messages[0]
        counts = in_thread(
            lambda: (
                Booking.objects.filter(room_id=room.pk).count(),
                Occupancy.objects.filter(room_id=room.pk).count(),
            )
        )
        assert counts == (1, 8)


def test_a_series_and_a_single_booking_racing_for_one_occurrence(tmp_path):
    room = RoomFactory()
    with shared_database(tmp_path):
        outcomes = race(
            lambda: _book(
                room.pk,
                "Arbeitskreis",
                at(2030, 3, 5, 18),
                at(2030, 3, 5, 20),
                recurrence="FREQ=WEEKLY;INTERVAL=2",
                recurrence_until=at(2030, 6, 30).date(),
            ),
            lambda: _book(room.pk, "Geburtstag", at(2030, 4, 2, 19), at(2030, 4, 2, 23)),
        )
        assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
        assert sum(isinstance(o, BookingConflict) for o in outcomes) == 1, outcomes
        assert in_thread(lambda: Booking.objects.filter(room_id=room.pk).count()) == 1


def test_many_requests_for_overlapping_slots_leave_no_overlap(tmp_path):
    room = RoomFactory()
    with shared_database(tmp_path):
        outcomes = race(
            *[
                (
                    lambda hour=hour: _book(
                        room.pk, f"T{hour}", at(2030, 3, 5, hour), at(2030, 3, 5, hour + 2)
                    )
                )
                for hour in range(10, 16)
            ]
        )
        winners = [o for o in outcomes if isinstance(o, int)]
        assert all(isinstance(o, int | BookingConflict) for o in outcomes), outcomes
        slots = in_thread(
            lambda: sorted(Booking.objects.filter(pk__in=winners).values_list("start", "end"))
        )
        for (_, first_end), (second_start, _) in itertools.pairwise(slots):
            assert first_end <= second_start
