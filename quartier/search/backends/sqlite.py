"""SQLite FTS5: a `search_fts` table (name, keywords, body) whose rowid is SearchDocument.id.

bm25 weights are stored in the table's `rank` option by migration 0002. A trigger deletes the
FTS row with its document.

Ranking without FTS5's rank (ADR 0008): FTS5 computes bm25 row by row, reading each match's
length from its docsize table (a B-tree probe per match); for 20,000 matches that is most of a
search's time. The same scores come from two cheaper sources: the instance table
(`search_fts_instance`, fts5vocab) lists where each token occurs, in one sequential read of
the token's index entry, and each process keeps every row's length in memory (RowLengths,
refreshed with the facet index). quartier/search/bm25.py applies FTS5's formula, operation for
operation, so the scores are FTS5's to the last bit (tests/search/test_bm25.py). Queries with
a phrase of several tokens (multi-word synonyms) or several terms still rank in SQL.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence

import numpy
from django.db import connection

from quartier.search import bm25, sql
from quartier.search.analysis import ParsedQuery
from quartier.search.backends.base import Backend, IndexRow, Statement, quote
from quartier.search.bm25 import Matches

TABLE = "search_fts"
INSTANCES = f"{TABLE}_instance"
RANK = f"bm25({', '.join(map(str, bm25.WEIGHTS))})"  # "bm25(10.0, 4.0, 1.0)"
VOCABULARY_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {INSTANCES} USING fts5vocab({TABLE}, instance)"
]
CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "name, keywords, body, tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO {TABLE}({TABLE}, rank) VALUES('rank', '{RANK}')",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON "
    f"search_searchdocument BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END",
    *VOCABULARY_SQL,
]
DROP_SQL = [
    f"DROP TABLE IF EXISTS {INSTANCES}",
    "DROP TRIGGER IF EXISTS search_document_fts_delete",
    f"DROP TABLE IF EXISTS {TABLE}",
]

# Instance rows travel as doc * 4 + column code (1 name, 2 keywords, 3 body).
_CODE_SQL = "CASE col WHEN 'name' THEN 1 WHEN 'keywords' THEN 2 ELSE 3 END"
_WEIGHT_OF_CODE = numpy.array((0.0, *bm25.WEIGHTS))


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


class RowLengths(bm25.RowLengths):
    """Row lengths from FTS5's docsize table (its rows and their sum are what FTS5's
    averages record holds)."""

    def _read(self, ids: list[int] | None) -> tuple[numpy.ndarray, numpy.ndarray]:
        where, params = "", []
        if ids is not None:
            condition, param = sql.ids_condition("id", ids)
            where, params = f" WHERE {condition}", [param]
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id, sz FROM {TABLE}_docsize{where}", params)
            found = cursor.fetchall()
        rows = numpy.fromiter((row for row, _size in found), dtype=numpy.int64, count=len(found))
        sizes = numpy.fromiter(
            (_varint_sum(size) for _row, size in found), dtype=numpy.int64, count=len(found)
        )
        return rows, sizes


def _occurrences(tokens: list[str]) -> bm25.Occurrences:
    """Where each token occurs, from the instance table: one string per token."""
    select = ", ".join(
        [f"(SELECT group_concat(doc * 4 + {_CODE_SQL}) FROM {INSTANCES} WHERE term = %s)"]
        * len(tokens)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", tokens)
        packed_columns = cursor.fetchone()
    found: bm25.Occurrences = {}
    for token, text in zip(tokens, packed_columns, strict=True):
        packed = numpy.fromstring(text or "", sep=",", dtype=numpy.int64)
        found[token] = bm25.summed(*bm25.in_order(packed >> 2, _WEIGHT_OF_CODE[packed & 3]))
    return found


def scores(query: ParsedQuery, lengths: bm25.RowLengths) -> Matches | None:
    """FTS5's bm25 of every match, computed (quartier/search/bm25.py), or None if the query
    has a phrase of several tokens or a token that is not plain."""
    terms = bm25.plain_terms(query)
    if not terms:
        return None
    tokens = list(dict.fromkeys(token for term in terms for token in term))
    return bm25.scores(terms, _occurrences(tokens), lengths)


def fts_expression(query: ParsedQuery) -> str:
    """("berat") AND ("kita" OR "kindertagesstatt" OR "allgemein sozial dien") ..."""
    parts: list[str] = []
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
        return bm25.one_term(query) is not None

    def matches(self, query: ParsedQuery, lengths: bm25.RowLengths | None) -> Matches | None:
        if lengths is None or bm25.one_term(query) is None:
            return None
        return scores(query, lengths)

    def row_lengths(self) -> RowLengths:
        return RowLengths().load()

    def match_sql(self, query: ParsedQuery) -> Statement:
        sql = f"SELECT rowid AS id, rank AS score FROM {TABLE} WHERE {TABLE} MATCH %s"
        return sql, [fts_expression(query)]

    def count_terms(self) -> None:
        """Document frequencies from FTS5's own vocabulary (PostgreSQL keeps the counts of
        the indexing batches; they only order typo candidates)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab "
                f"USING fts5vocab(main, {TABLE}, 'row')"
            )
            cursor.execute(
                "UPDATE search_indexedterm SET doc_count = COALESCE("
                "(SELECT doc FROM temp.search_vocab v WHERE v.term = search_indexedterm.term), 0)"
            )

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
