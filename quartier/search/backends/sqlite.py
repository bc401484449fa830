"""SQLite FTS5: a `search_fts` table (name, keywords, body) whose rowid is SearchDocument.id.

bm25 weights are stored in the table's `rank` option by migration 0002. A trigger deletes the
FTS row with its document.

Ranking without FTS5's rank (ADR 0008): FTS5 computes bm25 row by row, reading each match's
length from its docsize table (a B-tree probe per match); for 20,000 matches that is most of a
search's time. The same scores come from two cheaper sources: the instance table
(`search_fts_instance`, fts5vocab) lists where each token occurs, in one sequential read of
the token's index entry, and each process keeps every row's length in memory (RowLengths,
refreshed with the facet index). numpy then applies FTS5's bm25 formula, operation for
operation, so the scores are FTS5's to the last bit (tests/search/test_bm25.py). Queries with
a phrase of several tokens (multi-word synonyms) still rank in SQL.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence

import numpy
from django.db import connection

from quartier.search.analysis import ParsedQuery
from quartier.search.backends.base import Backend, IndexRow, Matches, quote

TABLE = "search_fts"
INSTANCES = f"{TABLE}_instance"
WEIGHTS = (10.0, 4.0, 1.0)  # bm25 weights of name, keywords, body: the table's rank option
VOCABULARY_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INSTANCES} USING fts5vocab({TABLE}, instance)"
]
CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "name, keywords, body, tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO {TABLE}({TABLE}, rank) VALUES('rank', 'bm25({', '.join(map(str, WEIGHTS))})')",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON "
    f"search_searchdocument BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END",
    *VOCABULARY_SQL,
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {INSTANCES}",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]

K1, B = 1.2, 0.75  # FTS5's bm25 constants
# A token FTS5's unicode61 tokenizer (diacritics removed) stores exactly as it is given.
PLAIN_TOKEN = re.compile(r"[a-z0-9]+")
# Instance rows travel as doc * 4 + column code (1 name, 2 keywords, 3 body).
_CODE_SQL = "CASE col WHEN 'name' THEN 1 WHEN 'keywords' THEN 2 ELSE 3 END"
_WEIGHT_OF_CODE = numpy.array((0.0, *WEIGHTS))
CHUNK = 900  # ids per IN (...) list


def _varint_sum(blob: bytes) -> int:
    """The sum of the varints in an FTS5 docsize blob (one per column): the row's tokens."""
    if max(blob, default=0) < 0x80:  # every column under 128 tokens: one byte each
        return sum(blob)
    total = value = 0
    for byte in blob:
        value = (value << 7) | (byte & 0x7F)
        if byte < 0x80:
            total, value = total + value, 0
    return total


class RowLengths:
    """Every full-text row's length in tokens (bm25's D), and the row count and token total
    FTS5's averages record holds (for the average length), read from its docsize table."""

    def __init__(self) -> None:
        self.tokens = numpy.full(0, -1, dtype=numpy.int64)  # by rowid; -1: no row
        self.rows = 0
        self.total = 0

    def copy(self) -> RowLengths:
        other = RowLengths()
        other.tokens, other.rows, other.total = self.tokens.copy(), self.rows, self.total
        return other

    def load(self) -> RowLengths:
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, sz FROM {TABLE}_docsize")
            found = cursor.fetchall()
        self.tokens = numpy.full(0, -1, dtype=numpy.int64)
        self.rows = self.total = 0
        self._set(found)
        return self

    def update(self, ids: Iterable[int]) -> None:
        """Read these rows again (changed, added or deleted)."""
        ids = [i for i in ids if i >= 0]
        for doc in ids:
            if doc < len(self.tokens) and self.tokens[doc] >= 0:
                self.rows -= 1
                self.total -= int(self.tokens[doc])
                self.tokens[doc] = -1
        found = []
        with connection.cursor() as cursor:
            for start in range(0, len(ids), CHUNK):
                chunk = ids[start : start + CHUNK]
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"SELECT id, sz FROM {TABLE}_docsize WHERE id IN ({marks})", chunk)
                found += cursor.fetchall()
        self._set(found)

    def _set(self, found: list[tuple[int, bytes]]) -> None:
        if not found:
            return
        top = max(doc for doc, _size in found)
        if top >= len(self.tokens):
            grown = numpy.full(max(top + 1, len(self.tokens) * 5 // 4), -1, dtype=numpy.int64)
            grown[: len(self.tokens)] = self.tokens
            self.tokens = grown
        docs = numpy.fromiter((doc for doc, _size in found), dtype=numpy.int64, count=len(found))
        sizes = numpy.fromiter(
            (_varint_sum(size) for _doc, size in found), dtype=numpy.int64, count=len(found)
        )
        self.tokens[docs] = sizes
        self.rows += len(found)
        self.total += int(sizes.sum())


def _plain_terms(query: ParsedQuery) -> list[list[str]] | None:
    """The query's terms as lists of single-token alternatives; None if some alternative is a
    phrase of several tokens or a token FTS5 would store differently."""
    terms = []
    for term in query.terms:
        tokens = []
        for alternative in term.alternatives:
            if len(alternative) != 1 or not PLAIN_TOKEN.fullmatch(alternative[0]):
                return None
            tokens.append(alternative[0])
        terms.append(tokens)
    return terms


def _occurrences(tokens: list[str]) -> dict[str, tuple[numpy.ndarray, numpy.ndarray]]:
    """{token: (ids of the rows holding it, ascending; its weighted frequency in each)}."""
    select = ", ".join(
        [f"(SELECT group_concat(doc * 4 + {_CODE_SQL}) FROM {INSTANCES} WHERE term = %s)"]
        * len(tokens)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", tokens)
        packed_columns = cursor.fetchone()
    found = {}
    for token, text in zip(tokens, packed_columns, strict=True):
        packed = numpy.fromstring(text or "", sep=",", dtype=numpy.int64)
        docs, weights = packed >> 2, _WEIGHT_OF_CODE[packed & 3]
        if len(docs) > 1 and not (docs[1:] >= docs[:-1]).all():
            order = numpy.argsort(docs, kind="stable")
            docs, weights = docs[order], weights[order]
        if not len(docs):
            found[token] = (docs, weights)
            continue
        starts = numpy.flatnonzero(numpy.concatenate(([True], docs[1:] != docs[:-1])))
        # Weights are small integers, so their sums are exact in any order (FTS5 sums them
        # in instance order).
        found[token] = (docs[starts], numpy.add.reduceat(weights, starts))
    return found


def _union(a: numpy.ndarray, b: numpy.ndarray) -> numpy.ndarray:
    """The union of two ascending arrays of distinct ids (a merge; numpy.union1d hashes)."""
    both = numpy.sort(numpy.concatenate((a, b)), kind="stable")
    return both[numpy.concatenate(([True], both[1:] != both[:-1]))] if len(both) else both


def bm25(query: ParsedQuery, lengths: RowLengths) -> Matches | None:
    """FTS5's bm25 (weights WEIGHTS) of every match of the query, computed as FTS5 does, or
    None if the query has a phrase of several tokens."""
    terms = _plain_terms(query)
    if terms is None or not terms or not lengths.rows:
        return None
    found = _occurrences(list(dict.fromkeys(token for term in terms for token in term)))
    ids = None
    for term in terms:
        either = found[term[0]][0]
        for token in term[1:]:
            either = _union(either, found[token][0])
        ids = either if ids is None else numpy.intersect1d(ids, either, assume_unique=True)
    if not len(ids):
        empty = numpy.zeros(0)
        return Matches(empty.astype(numpy.uint32), empty)
    # fts5Bm25Function and fts5Bm25GetData (ext/fts5/fts5_aux.c), in the same order of
    # operations: one phrase per alternative, in the order of the MATCH expression.
    rows = lengths.rows
    avgdl = float(lengths.total) / float(rows)
    length = lengths.tokens[ids].astype(numpy.float64)
    norm = K1 * (1 - B + B * length / avgdl)
    score = numpy.zeros(len(ids))
    for token in (token for term in terms for token in term):
        docs, weights = found[token]
        hits = len(docs)
        idf = math.log((rows - hits + 0.5) / (hits + 0.5))
        if idf <= 0.0:
            idf = 1e-6
        freq = numpy.zeros(len(ids))
        at = numpy.minimum(numpy.searchsorted(docs, ids), max(hits - 1, 0))
        if hits:
            present = docs[at] == ids
            freq[present] = weights[at[present]]
        score += idf * ((freq * (K1 + 1.0)) / (freq + norm))
    return Matches(ids.astype(numpy.uint32), -1.0 * score)


def fts_expression(query: ParsedQuery) -> str:
    """("berat") AND ("kita" OR "kindertagesstatt" OR "allgemein sozial dien") ..."""
    parts = []
    for term in query.terms:
        alternatives = [quote(" ".join(alt), '"') for alt in term.alternatives]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


class SqliteBackend(Backend):
    vendor = "sqlite"

    def one_pass(self, query: ParsedQuery) -> bool:
        # One term (its alternatives OR'd): computing the scores (bm25 above) costs a third
        # to a half of the two passes below. Several terms: FTS5 intersects its lists
        # cheaply and ranks only the intersection, where the instance table would list
        # every occurrence of each term ("Sprachkurs Deutsch": 23 ms against 16). Two passes
        # (the ids, then ORDER BY score LIMIT) are 10-15 % cheaper than reading every score
        # from FTS5. docs/performance.md.
        terms = _plain_terms(query)
        return terms is not None and len(terms) == 1

    def matches(self, query: ParsedQuery, lengths: RowLengths | None) -> Matches | None:
        return bm25(query, lengths) if lengths is not None else None

    def row_lengths(self) -> RowLengths:
        return RowLengths().load()

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        sql = f"SELECT rowid AS id, rank AS score FROM {TABLE} WHERE {TABLE} MATCH %s"
        return sql, [fts_expression(query)]

    def write(self, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            self.delete([row.document_id for row in rows])
            cursor.executemany(
                f"INSERT INTO {TABLE}(rowid, name, keywords, body) VALUES (%s, %s, %s, %s)",
                [tuple(row) for row in rows],
            )

    def delete(self, document_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(document_ids), 500):
                chunk = list(document_ids[start : start + 500])
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {TABLE} WHERE rowid IN ({marks})", chunk)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
