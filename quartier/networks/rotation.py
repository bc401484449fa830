"""The host rotation's choice, as a pure function (tested with hypothesis).

Fairness: the member who hosted least recently goes first (never hosted before anyone who
has); ties go to the longer membership, then the name. Members who passed for this meeting, or
whose room is too small (or who have none), are skipped.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
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
