"""Query budgets that can fail: the count with N rows against the count with 2N rows.

A fixed budget measured on the three rows of the test world passes a query per row as long as
the rows are few; comparing N with 2N rows catches it whatever the budget's slack.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext


def query_count(fetch: Callable[[], Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        fetch()
    return len(queries)


def assert_queries_do_not_grow(
    fetch: Callable[[], Any], add: Callable[[int], Any], n: int = 5
) -> int:
    """`add(n)` rows, count the queries of `fetch()`, add n more, count again: the same (or
    fewer, once caches are warm). Returns the count, for a budget on top."""
    add(n)
    fetch()  # warm per-process caches (content types, the search index)
    first = query_count(fetch)
    add(n)
    second = query_count(fetch)
    assert second <= first, f"{first} queries with {n} rows, {second} with {2 * n}: a query per row"
    return second
