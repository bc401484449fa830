"""The host rotation's choice, as a pure function (tested with hypothesis).

Fairness: the member who hosted least recently goes first (never hosted before anyone who
has); ties go to the longer membership, then the name. Members who passed for this meeting, or
whose room is too small (or who have none), are skipped; `plan` lists every member in that
order with the reason it is skipped, so the coordination sees why the choice fell as it did.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    membership_id: int
    name: str
    room_capacity: int | None
    last_hosted: datetime.datetime | None = None
    member_since: datetime.date | None = None


def eligible(
    candidates: Iterable[Candidate], *, needed_capacity: int, excluded: set[int]
) -> list[Candidate]:
    return [
        candidate
        for candidate in candidates
        if candidate.membership_id not in excluded
        and candidate.room_capacity is not None
        and candidate.room_capacity >= needed_capacity
    ]


def order(candidates: Iterable[Candidate]) -> list[Candidate]:
    """The rotation order: least recently hosted first."""
    oldest = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    return sorted(
        candidates,
        key=lambda c: (
            c.last_hosted is not None,
            c.last_hosted or oldest,
            c.member_since or datetime.date.min,
            c.name,
            c.membership_id,
        ),
    )


def choose_host(
    candidates: Iterable[Candidate], *, needed_capacity: int, excluded: set[int]
) -> Candidate | None:
    ranked = order(eligible(candidates, needed_capacity=needed_capacity, excluded=excluded))
    return ranked[0] if ranked else None


# Why a member is not asked (Step.skip); an excluded member carries its turn's own reason.
NO_ROOM = "no_room"
TOO_SMALL = "too_small"


@dataclass(frozen=True)
class Step:
    """A member in rotation order and why it is skipped (`skip` None: it may be asked)."""

    candidate: Candidate
    skip: str | None = None


def plan(
    candidates: Iterable[Candidate], *, needed_capacity: int, excluded: Mapping[int, str]
) -> list[Step]:
    """Every member in rotation order with its reason to be skipped: `excluded` maps a
    membership to its reason (it passed, its turn was withdrawn ...), then a missing room
    capacity, then a room too small. The first step without a reason is `choose_host`'s."""
    steps = []
    for candidate in order(candidates):
        skip = excluded.get(candidate.membership_id)
        if skip is None:
            if candidate.room_capacity is None:
                skip = NO_ROOM
            elif candidate.room_capacity < needed_capacity:
                skip = TOO_SMALL
        steps.append(Step(candidate, skip))
    return steps
