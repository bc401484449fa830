"""Racing writers for concurrency tests: threads released at one moment, each with its own
database connection (tests marked `django_db(transaction=True)`, so that they see each other's
commits).

`race(*attempts)` runs the callables at once and returns their outcomes in order (a return
value, or the exception raised). `rounds(...)` repeats a race and counts the rounds in which a
check found a double booking: run an unguarded control and the guarded code through the same
harness, so that the control shows the harness produces real races (see
tests/test_concurrency_control.py for how sure that makes a clean run).
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connections


def race(*attempts: Callable[[], Any]) -> list[Any]:
    """Run the callables in threads released at the same moment; return their outcomes."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[Any] = [None] * len(attempts)

    def run(index: int, attempt: Callable[[], Any]) -> None:
        try:
            barrier.wait()
            outcomes[index] = attempt()
        except Exception as exc:  # the loser's exception is an outcome under test
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


@dataclass
class Rounds:
    """What repeated races gave: how many rounds broke the rule, and every outcome."""

    rounds: int
    broken: int = 0
    outcomes: list[list[Any]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.broken / self.rounds

    def rate_at_least(self, confidence: float = 0.95) -> float:
        """A lower bound of the true rate at the given confidence (Clopper-Pearson, one-sided):
        the rate below which so many broken rounds would be too unlikely."""
        alpha, n, k = 1.0 - confidence, self.rounds, self.broken
        if k == 0:
            return 0.0
        low, high = 0.0, 1.0
        for _ in range(60):  # bisection on P(X >= k | p) = alpha
            p = (low + high) / 2
            tail = sum(math.comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k, n + 1))
            low, high = (low, p) if tail > alpha else (p, high)
        return low

    def chance_to_miss(self, rate: float) -> float:
        """The chance that code breaking the rule as often as `rate` broke it in none of these
        rounds (independent rounds): how likely a clean run is to hide a missing guard."""
        return (1.0 - rate) ** self.rounds


def rounds(
    count: int,
    setup: Callable[[], Any],
    attempts: Callable[[Any], list[Callable[[], Any]]],
    broken: Callable[[Any, list[Any]], bool],
) -> Rounds:
    """`count` races: each round `setup()` makes a fresh target, `attempts(target)` the racing
    callables, `broken(target, outcomes)` says whether the rule was broken in that round."""
    result = Rounds(rounds=count)
    for _ in range(count):
        target = setup()
        outcomes = race(*attempts(target))
        result.outcomes.append(outcomes)
        if broken(target, outcomes):
            result.broken += 1
    return result
