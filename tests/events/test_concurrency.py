"""Registration past capacity at the same moment: the database decides.

Threads each use their own connection. On PostgreSQL they share the test database
(`transaction=True` lets them see each other's commits). Django's SQLite test database lives in
memory, where threads meet table locks instead of the busy timeout, so for SQLite the test
copies it into a file first (SQLite's backup API) and points new connections there: the race
then runs with the project's real settings (WAL, IMMEDIATE transactions, busy timeout).
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections, transaction

from quartier.events import services
from quartier.events.models import Registration
from tests.factories.accounts import UserFactory
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def shared_database(tmp_path) -> Iterator[None]:
    """Make the test data reachable from other threads' connections."""
    if connection.vendor != "sqlite" or not connection.is_in_memory_db():
        yield
        return
    path = tmp_path / "race.sqlite3"
    connection.ensure_connection()
    target = sqlite3.connect(path)
    connection.connection.backup(target)
    target.close()
    settings_dict = connections.settings["default"]
    original = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    try:
        yield
    finally:
        settings_dict["NAME"] = original


def _in_threads(target: Callable[[int], Any], count: int) -> list[Any]:
    """Run `target(i)` in `count` threads released at the same moment."""
    barrier = threading.Barrier(count)
    outcomes: list[Any] = []
    lock = threading.Lock()

    def run(index: int) -> None:
        try:
            barrier.wait()
            result = target(index)
        except ValidationError as exc:
            result = exc
        finally:
            connections.close_all()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def _statuses(event) -> list[tuple[str, int | None]]:
    # Read through a thread's connection too, so SQLite reads the file the race wrote.
    return _in_threads(
        lambda _i: list(
            Registration.objects.filter(event_id=event.pk)
            .order_by("seat")
            .values_list("status", "seat")
        ),
        1,
    )[0]


def test_concurrent_confirmations_never_exceed_capacity(tmp_path):
    """Anonymous registrations take their places when their mailed links are confirmed
    (issue 19): eight confirmations at once for three places."""
    event = EventFactory(registration_required=True, capacity=3)
    pending = [
        services.registration_create(event=event, name=f"Person {i}", email=f"p{i}@example.org")
        for i in range(8)
    ]
    with shared_database(tmp_path):
        outcomes = _in_threads(
            lambda i: services.registration_confirm(registration=pending[i])[0], 8
        )
        rows = _statuses(event)
    assert all(isinstance(outcome, Registration) for outcome in outcomes)
    confirmed = [seat for status, seat in rows if status == "confirmed"]
    assert sorted(confirmed) == [1, 2, 3]
    assert [status for status, _ in rows].count("waitlisted") == 5


def test_the_last_place_taken_twice_at_once_goes_to_one(tmp_path):
    """Two verified accounts, which hold a place at once, register at the same moment."""
    event = EventFactory(registration_required=True, capacity=1)
    users = [UserFactory(email=f"s{i}@example.org") for i in range(2)]
    with shared_database(tmp_path):
        outcomes = _in_threads(
            lambda i: services.registration_create(
                event=event, name="Same", email=f"s{i}@example.org", user=users[i]
            ),
            2,
        )
    assert sorted(outcome.status for outcome in outcomes) == ["confirmed", "waitlisted"]


def test_the_database_refuses_a_second_holder_of_a_seat():
    """The backstop below the lock: the unique (event, seat) constraint."""
    event = EventFactory(registration_required=True, capacity=1)
    Registration.objects.create(
        event=event, name="A", email="a@example.org", status="confirmed", seat=1
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            event=event, name="B", email="b@example.org", status="confirmed", seat=1
        )
