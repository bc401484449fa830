"""Double booking under real concurrency, with a control that shows the race is real.

SQLite serialises writers, so only PostgreSQL can show whether the guards hold: the booking
cells' UNIQUE constraint (venues.services._hold) and the lock on the event row when places are
given out (events.services.registration_confirm and registration_create, `select_for_update`).

Each guard runs through the same harness (tests/concurrency.py) as a control without it:
- bookings: a check-then-insert (is the slot free? then insert) must double-book;
- registrations: the same service with `select_for_update` switched off must fail at least
  once (two writers take the same seat; the seat's UNIQUE turns one away with "try again").
The control must break the rule in at least half of its rounds; the guarded code in none. If a
missing guard broke the rule as often as the control did, a clean run of ROUNDS rounds would
hide it with chance (1 - p) ** ROUNDS, where p is the control's rate taken low: the lower bound
of its 95 % confidence interval (12 of 12 rounds: p >= 0.78, chance below 1e-7). The test
fails above 0.001 and prints the rates and the chance (pytest -s).
"""

from __future__ import annotations

import math

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from quartier.events import services as events
from quartier.events.models import Event, Registration, RegistrationStatus
from quartier.venues.models import Booking, BookingStatus, Room
from quartier.venues.services import BookingConflict, booking_create
from tests.concurrency import Rounds, rounds
from tests.factories.events import EventFactory
from tests.factories.venues import RoomFactory, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 12
RACERS = 4
START, END = at(2030, 3, 5, 18), at(2030, 3, 5, 20)
MISS_AT_MOST = 0.001
MAX_ROUNDS = 40


def _guarded_booking(room_pk: int, title: str) -> int:
    room = Room.objects.select_related("venue").get(pk=room_pk)
    return booking_create(room=room, start=START, end=END, title=title, now=at(2030, 1, 1)).pk


def _unguarded_booking(room_pk: int, title: str) -> int | None:
    """Is the slot free? Then insert: the pattern the cells' UNIQUE exists to replace."""
    with transaction.atomic():
        taken = Booking.objects.active().filter(room_id=room_pk, start__lt=END, end__gt=START)
        if taken.exists():
            return None
        booking = Booking.objects.create(
            room_id=room_pk, title=title, start=START, end=END, status=BookingStatus.CONFIRMED
        )
        return booking.pk


def _booking_rounds(book, count: int = ROUNDS) -> Rounds:
    return rounds(
        count,
        setup=RoomFactory,
        attempts=lambda room: [(lambda i=i: book(room.pk, f"Racer {i}")) for i in range(RACERS)],
        broken=lambda room, _outcomes: Booking.objects.filter(room_id=room.pk).count() > 1,
    )


def _pending_event() -> Event:
    """An event with one place and RACERS anonymous registrations awaiting confirmation."""
    event = EventFactory(registration_required=True, capacity=1)
    for index in range(RACERS):
        events.registration_create(
            event=event, name=f"Racer {index}", email=f"racer{index}@example.org"
        )
    return event


def _register(event_pk: int, index: int) -> Registration:
    """The mailed link confirmed: the moment a place is given out (issue 19)."""
    registration = Registration.objects.get(event_id=event_pk, email=f"racer{index}@example.org")
    return events.registration_confirm(registration=registration)[0]


def _registration_broken(event: Event, outcomes: list) -> bool:
    """More confirmed than places, a seat twice, or a writer sent away ("try again")."""
    seats = list(
        Registration.objects.filter(
            event_id=event.pk, status=RegistrationStatus.CONFIRMED
        ).values_list("seat", flat=True)
    )
    turned_away = any(isinstance(outcome, Exception) for outcome in outcomes)
    return turned_away or len(seats) > event.capacity or len(seats) != len(set(seats))


def _registration_rounds(count: int = ROUNDS) -> Rounds:
    return rounds(
        count,
        setup=_pending_event,
        attempts=lambda event: [(lambda i=i: _register(event.pk, i)) for i in range(RACERS)],
        broken=_registration_broken,
    )


def _guarded_rounds_needed(control: Rounds) -> int:
    """How many guarded rounds make a missing guard show with chance above 1 - MISS_AT_MOST,
    given the control's rate taken low: ROUNDS when the control raced in nearly every round,
    more when it raced less (on a quiet machine the unguarded code sometimes wins alone), at
    most MAX_ROUNDS. A control that raced too seldom fails the harness check instead."""
    rate = control.rate_at_least(0.95)
    if rate <= 0.0:
        return ROUNDS
    needed = math.ceil(math.log(MISS_AT_MOST) / math.log(1.0 - rate)) if rate < 1.0 else 1
    return min(max(ROUNDS, needed), MAX_ROUNDS)


def _verdict(name: str, control: Rounds, guarded: Rounds) -> str:
    return (
        f"{name}: control broke the rule in {control.broken}/{control.rounds} rounds, guarded "
        f"code in {guarded.broken}/{guarded.rounds}; chance that a missing guard hides in a "
        f"clean run: {guarded.chance_to_miss(control.rate_at_least(0.95)):.2g} (control's rate "
        f">= {control.rate_at_least(0.95):.2f} at 95 % confidence)"
    )


def test_booking_cells_never_double_book_where_check_then_insert_does():
    control = _booking_rounds(_unguarded_booking)
    guarded = _booking_rounds(_guarded_booking, _guarded_rounds_needed(control))
    verdict = _verdict("bookings", control, guarded)
    print(verdict)
    assert control.rate >= 0.5, "The harness did not race: " + verdict
    assert guarded.broken == 0, verdict
    for outcomes in guarded.outcomes:  # one winner, the others told which slot is taken
        assert sum(isinstance(o, int) for o in outcomes) == 1, outcomes
        assert all(isinstance(o, int | BookingConflict) for o in outcomes), outcomes
    assert guarded.chance_to_miss(control.rate_at_least(0.95)) <= MISS_AT_MOST, verdict


def test_registrations_never_exceed_places_where_an_unlocked_check_fails(monkeypatch):
    with monkeypatch.context() as unlocked:
        unlocked.setattr(QuerySet, "select_for_update", lambda self, *a, **k: self)
        control = _registration_rounds()
    guarded = _registration_rounds(_guarded_rounds_needed(control))
    verdict = _verdict("registrations", control, guarded)
    print(verdict)
    assert control.rate >= 0.5, "The harness did not race: " + verdict
    assert guarded.broken == 0, verdict
    for outcomes in guarded.outcomes:
        statuses = sorted(o.status for o in outcomes if not isinstance(o, ValidationError))
        assert statuses == ["confirmed"] + ["waitlisted"] * (RACERS - 1), outcomes
    assert guarded.chance_to_miss(control.rate_at_least(0.95)) <= MISS_AT_MOST, verdict
