"""Facet counts from compressed bitmaps that each worker process keeps in memory.

Counting facets over a broad match set in SQL reads every hit's facet rows; at 100,000 offers
"Beratung" matches 20,000 of them and the counting cost several times the full-text match
itself. Here every facet value (a topic, a target group, an area, ...) is a roaring bitmap of
document ids, built once per process from `search_searchdocument.facet_ids`. A search asks the
database only for the ids of its matches; counts are intersections of bitmaps (microseconds
each). See docs/adr/0005-facet-bitmaps.md.

Staying current: database triggers write every inserted, updated or deleted search document
to `search_change` (migration 0005). Before each search the process reads `max(seq)` (one
index probe) and applies only the documents changed since it last looked; a TRUNCATE, a gap
of more than FULL_REBUILD_AFTER changes or a smaller sequence than before rebuilds it whole.
On PostgreSQL the trigger takes a transaction-scoped advisory lock first, so change numbers
are handed out in commit order and no committed change can hide behind a later one.

Whatever is read inside a transaction that may still roll back (a test's transaction, an
atomic block) is used for that search only and never kept: it could hold uncommitted changes.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections.abc import Callable, Iterable
from typing import Any

from django.db import connection, transaction
from pyroaring import BitMap

from quartier.search.backends import get_backend
from quartier.search.bm25 import RowLengths

FULL_REBUILD_AFTER = 5_000  # pending changes above this: a full rebuild is cheaper
KEEP_CHANGES = 20_000  # rows of search_change kept by trim_changes()
CHUNK = 900  # ids per IN (...) list; below SQLite's default limit of host parameters

CHANGES_TABLE = "search_change"
# A change row with this document id means: synonyms or the labels of facet values changed.
VOCABULARY_CHANGE = -1
ADVISORY_LOCK = 7205553000000000001  # the PostgreSQL trigger's lock (migration 0005)


class FacetIndex:
    """Document ids per facet value, plus the set of all indexed documents."""

    def __init__(self) -> None:
        self.seq: int | None = None
        self.documents = BitMap()
        self.values: dict[int, BitMap] = {}  # FacetValue id -> documents
        self.keys: dict[int, str] = {}  # FacetValue id -> key ("topic:<id>", "free", ...)
        self.ids: dict[str, int] = {}  # key -> FacetValue id
        self._open: dict[tuple[dt.date, int], BitMap] = {}  # (date, bucket) -> open then
        self._boundaries: dict[dt.date, list[int]] = {}  # date -> minutes where hours change
        self.memo: dict[str, Any] = {}  # small vocabularies (synonyms, labels): see cached()
        # What the full-text backend keeps per process to rank: every row's length
        # (read by the backend); None if it keeps nothing.
        self.lengths: RowLengths | None = None

    def copy(self) -> FacetIndex:
        other = FacetIndex()
        other.seq = self.seq
        other.documents = BitMap(self.documents)
        other.values = {value: BitMap(bitmap) for value, bitmap in self.values.items()}
        other.keys, other.ids = dict(self.keys), dict(self.ids)
        other.memo = dict(self.memo)
        other.lengths = self.lengths.copy() if self.lengths is not None else None
        return other

    # Building and refreshing -------------------------------------------------------------

    def load(self, seq: int | None) -> None:
        """Build everything from the database as it is now."""
        members: dict[int, list[int]] = {}
        documents: list[int] = []
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, facet_ids FROM search_searchdocument")
            for doc_id, packed in cursor.fetchall():
                documents.append(doc_id)
                for value in packed.split():
                    members.setdefault(int(value), []).append(doc_id)
        self.documents = BitMap(documents)
        self.values = {value: BitMap(docs) for value, docs in members.items()}
        self.lengths = get_backend().row_lengths()
        self._load_keys()
        self._forget_hours()
        self.memo.clear()
        self.seq = seq

    def apply(self, seq: int, changed_ids: Iterable[int]) -> None:
        """Bring the given documents up to date (added, changed or deleted); the id
        VOCABULARY_CHANGE drops the memoised vocabularies instead."""
        documents = set(changed_ids)
        if VOCABULARY_CHANGE in documents:
            documents.discard(VOCABULARY_CHANGE)
            self.memo.clear()
        changed = BitMap(documents)
        self.documents -= changed
        for bitmap in self.values.values():
            bitmap -= changed
        unknown = False
        ids = list(changed)
        with connection.cursor() as cursor:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT id, facet_ids FROM search_searchdocument WHERE id IN ({marks})", chunk
                )
                for doc_id, packed in cursor.fetchall():
                    self.documents.add(doc_id)
                    for text in packed.split():
                        value = int(text)
                        if value not in self.values:
                            self.values[value] = BitMap()
                            unknown = unknown or value not in self.keys
                        self.values[value].add(doc_id)
        if unknown:
            self._load_keys()
        if self.lengths is not None:
            self.lengths.update(ids)
        self._forget_hours()
        self.seq = seq

    def _load_keys(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, key FROM search_facetvalue")
            self.keys = dict(cursor.fetchall())
        self.ids = {key: value for value, key in self.keys.items()}

    def _forget_hours(self) -> None:
        self._open.clear()
        self._boundaries.clear()

    # Reading ---------------------------------------------------------------------------

    def cached(self, name: str, build: Callable[[], Any]) -> Any:
        """A small derived value (the synonym map, the labels of the search form) kept until
        the next vocabulary change (see vocabulary_changed)."""
        if name not in self.memo:
            self.memo[name] = build()
        return self.memo[name]

    def bitmap(self, key: str) -> BitMap:
        value = self.ids.get(key)
        return self.values.get(value, BitMap()) if value is not None else BitMap()

    def any_of(self, keys: Iterable[str]) -> BitMap:
        return BitMap.union(BitMap(), *(self.bitmap(key) for key in keys))

    def counts(self, hits: BitMap) -> dict[str, int]:
        """{facet key: number of hits with that value}, values without hits left out."""
        counts: dict[str, int] = {}
        for value, bitmap in self.values.items():
            count = hits.intersection_cardinality(bitmap)
            if count and value in self.keys:
                counts[self.keys[value]] = count
        return counts

    def open_at(self, at: dt.datetime) -> BitMap:
        """Documents open at local time `at`: weekly hours of that weekday valid on the date
        or a single date, minus closures covering the date (as pipeline._open_exists says).

        The set only changes where some opening or closing time lies, so it is computed once
        per date and stretch between two such minutes, not per request.
        """
        day = at.date()
        minute = at.hour * 60 + at.minute
        boundaries = self._boundaries.get(day)
        if boundaries is None:
            if len(self._boundaries) >= 3:  # a process running for days: keep a few dates
                self._forget_hours()
            boundaries = self._boundaries[day] = self._hour_boundaries(day)
        key = (day, bisect.bisect_right(boundaries, minute))
        found = self._open.get(key)
        if found is None:
            found = self._open[key] = self._open_documents(day, minute)
        return found

    def _hour_boundaries(self, day: dt.date) -> list[int]:
        sql_day = connection.ops.adapt_datefield_value(day)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT opens, closes FROM search_searchopening WHERE "
                "(kind = 'weekly' AND weekday = %s) OR (kind = 'date' AND valid_from = %s)",
                [day.weekday(), sql_day],
            )
            minutes = {m for row in cursor.fetchall() for m in row if m is not None}
        return sorted(minutes)

    def _open_documents(self, day: dt.date, minute: int) -> BitMap:
        sql_day = connection.ops.adapt_datefield_value(day)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT o.document_id FROM search_searchopening o WHERE "
                "((o.kind = 'weekly' AND o.weekday = %s "
                "AND (o.valid_from IS NULL OR o.valid_from <= %s) "
                "AND (o.valid_to IS NULL OR o.valid_to >= %s)) "
                "OR (o.kind = 'date' AND o.valid_from = %s)) "
                "AND (o.opens IS NULL OR o.opens <= %s) AND (o.closes IS NULL OR o.closes > %s)",
                [day.weekday(), sql_day, sql_day, sql_day, minute, minute],
            )
            open_docs = BitMap(row[0] for row in cursor.fetchall())
            cursor.execute(
                "SELECT c.document_id FROM search_searchopening c WHERE c.kind = 'closed' "
                "AND c.valid_from <= %s AND COALESCE(c.valid_to, c.valid_from) >= %s",
                [sql_day, sql_day],
            )
            closed = BitMap(row[0] for row in cursor.fetchall())
        return open_docs - closed


_lock = threading.Lock()
_shared = FacetIndex()


def current() -> FacetIndex:
    """The process's index, brought up to date with the database (one query if nothing
    changed).

    Inside a transaction the caller may see its own uncommitted changes, which could still
    roll back: it gets a private copy with those applied, and the shared index is left alone.
    The shared index is replaced, never changed in place, so a thread that holds it keeps a
    consistent snapshot while another brings it up to date (threaded servers); the change log
    is read under the lock, so threads never see its numbers out of order.
    """
    global _shared
    with _lock:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT max(seq) FROM {CHANGES_TABLE}")
            seq = cursor.fetchone()[0] or 0
        shared = _shared
        if not connection.in_atomic_block:
            if shared.seq != seq:
                fresh = shared.copy() if shared.seq is not None else FacetIndex()
                _refresh(fresh, seq)
                _shared = fresh
            return _shared
        if shared.seq == seq:
            # Nothing changed since the shared index was read, this transaction included: its
            # own writes to documents or vocabularies would have taken higher numbers.
            return shared
        if shared.seq is None or seq < shared.seq:
            private = FacetIndex()
            private.load(seq)
            return private
        private = shared.copy()
    if private.seq != seq:
        _refresh(private, seq)
    return private


def lock_changes() -> None:
    """PostgreSQL: take the change log's lock now, before any search document row is locked.

    The trigger takes it too, but only after the row lock; two transactions indexing
    overlapping offers in different orders would then deadlock (one holds a row and waits for
    the lock, the other holds the lock and waits for the row). Taken first, they queue.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ADVISORY_LOCK])


def vocabulary_changed() -> None:
    """Tell every process that synonyms or labels changed (signals call this)."""
    with transaction.atomic():
        lock_changes()
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {CHANGES_TABLE}(document_id) VALUES (%s)", [VOCABULARY_CHANGE]
            )


def _refresh(index: FacetIndex, seq: int) -> None:
    last = index.seq
    if last is None or seq < last or seq - last > FULL_REBUILD_AFTER:
        index.load(seq)
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT document_id FROM {CHANGES_TABLE} WHERE seq > %s AND seq <= %s",
            [last, seq],
        )
        changed = [row[0] for row in cursor.fetchall()]
    if None in changed:  # a TRUNCATE of the documents
        index.load(seq)
    else:
        index.apply(seq, changed)


def reset() -> None:
    """Forget the process's index (tests; the next search rebuilds it)."""
    global _shared
    with _lock:
        _shared = FacetIndex()


def trim_changes() -> None:
    """Keep the change log short; processes further behind than this rebuild in full."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {CHANGES_TABLE} WHERE seq < (SELECT max(seq) FROM {CHANGES_TABLE}) - %s",
            [KEEP_CHANGES],
        )
