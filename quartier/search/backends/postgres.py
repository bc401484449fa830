"""PostgreSQL: a `search_pg` table of tsvectors (GIN index) keyed by SearchDocument.id.

The tokens are analysed in Python already (stemmed, folded), so the 'simple' configuration
stores them as they are; the 'german' configuration would stem the stems a second time and
make PostgreSQL find other offers than SQLite. Weights: name A, keywords B, body D.
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

TABLE = "search_pg"
# Where each plain token occurs: its weighted frequency per document (bm25.WEIGHTS by column).
# Read by index-only scans for one-term searches (ADR 0008); `search_pg.tokens` is each
# document's length. Both are written with the tsvector.
POSTINGS = "search_pg_posting"
# No foreign key to search_searchdocument: Django's test flush truncates the tables it knows
# without CASCADE, and a referencing table it does not know makes that TRUNCATE fail. Triggers
# keep the tables in step instead (a deleted or truncated document takes its rows along).
TRIGGER_SQL = [
    "CREATE OR REPLACE FUNCTION search_pg_delete_row() RETURNS trigger AS $$ "
    f"BEGIN DELETE FROM {TABLE} WHERE document_id = OLD.id; "
    f"DELETE FROM {POSTINGS} WHERE document_id = OLD.id; RETURN OLD; END; "
    "$$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_pg_truncate() RETURNS trigger AS $$ "
    f"BEGIN TRUNCATE {TABLE}, {POSTINGS}; RETURN NULL; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS search_pg_delete ON search_searchdocument",
    "CREATE TRIGGER search_pg_delete AFTER DELETE ON search_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION search_pg_delete_row()",
    "DROP TRIGGER IF EXISTS search_pg_truncate ON search_searchdocument",
    "CREATE TRIGGER search_pg_truncate AFTER TRUNCATE ON search_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_pg_truncate()",
]
POSTINGS_SQL = [
    f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS tokens integer NOT NULL DEFAULT 0",
    f"CREATE TABLE IF NOT EXISTS {POSTINGS} (token text NOT NULL, document_id bigint NOT NULL, "
    "freq real NOT NULL, PRIMARY KEY (token, document_id) INCLUDE (freq))",
    f"CREATE INDEX IF NOT EXISTS search_pg_posting_document ON {POSTINGS} (document_id)",
]
# Postings and lengths of documents indexed before the table existed, from their tsvectors
# (weights A, B, D are name, keywords, body). Migration 0010.
BACKFILL_SQL = [
    f"INSERT INTO {POSTINGS} (token, document_id, freq) "
    "SELECT u.lexeme, s.document_id, sum(CASE w WHEN 'A' THEN %s WHEN 'B' THEN %s ELSE %s END) "
    f"FROM {TABLE} s CROSS JOIN LATERAL unnest(s.tsv) u CROSS JOIN LATERAL unnest(u.weights) w "
    "WHERE u.lexeme ~ '^[a-z0-9]+$' GROUP BY u.lexeme, s.document_id ON CONFLICT DO NOTHING",
    f"UPDATE {TABLE} s SET tokens = "
    "(SELECT coalesce(sum(cardinality(u.positions)), 0) FROM unnest(s.tsv) u)",
]
CREATE_SQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (document_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS search_pg_tsv ON {TABLE} USING gin (tsv)",
    *POSTINGS_SQL,
    *TRIGGER_SQL,
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS search_pg_delete ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_pg_truncate ON search_searchdocument",
    f"DROP TABLE IF EXISTS {POSTINGS}",
    f"DROP TABLE IF EXISTS {TABLE}",
    "DROP FUNCTION IF EXISTS search_pg_delete_row()",
    "DROP FUNCTION IF EXISTS search_pg_truncate()",
]
_POSTING = numpy.dtype([("doc", ">u4"), ("freq", ">f4")])


class RowLengths(bm25.RowLengths):
    """Row lengths from `search_pg.tokens`."""

    def _read(self, ids: list[int] | None) -> tuple[numpy.ndarray, numpy.ndarray]:
        where, params = "", []
        if ids is not None:
            condition, param = sql.ids_condition("document_id", ids)
            where, params = f" WHERE {condition}", [param]
        rows, sizes = sql.columns(
            f"{TABLE}{where}", params, [("document_id", numpy.uint32), ("tokens", numpy.uint32)]
        )
        return rows.astype(numpy.int64), sizes.astype(numpy.int64)


def _occurrences(tokens: list[str]) -> bm25.Occurrences:
    """Each token's postings, read in index order: one binary string per token."""
    select = ", ".join(
        [
            "(SELECT string_agg(int4send(document_id::int4) || float4send(freq), ''::bytea) "
            f"FROM {POSTINGS} WHERE token = %s)"
        ]
        * len(tokens)
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select}", tokens)
        packed_columns = cursor.fetchone()
    found: bm25.Occurrences = {}
    for token, packed in zip(tokens, packed_columns, strict=True):
        postings = numpy.frombuffer(bytes(packed or b""), dtype=_POSTING)
        found[token] = bm25.in_order(
            postings["doc"].astype(numpy.int64), postings["freq"].astype(numpy.float64)
        )
    return found


def _bm25_sql(tokens: list[str]) -> Statement:
    """SQL selecting (id, score) with the scores bm25.scores computes, the same operations
    in the same order (one alternative after the other), for HSDS and the SQL page."""
    terms: list[str] = []
    term_params: list[float] = []
    joins: list[str] = []
    join_params: list[str] = []
    for n, token in enumerate(tokens):
        idf = f"ln((c.n - h{n}.hits + 0.5) / (h{n}.hits + 0.5))"
        freq = f"coalesce(p{n}.freq, 0)::float8"
        terms.append(
            f"(CASE WHEN {idf} > 0 THEN {idf} ELSE 1e-6::float8 END) "
            f"* (({freq} * %s::float8) / ({freq} + %s::float8 * (%s::float8 + "
            "%s::float8 * d.tokens::float8 / (c.total / c.n))))"
        )
        term_params += [bm25.K1 + 1.0, bm25.K1, 1 - bm25.B, bm25.B]
        joins.append(
            f"LEFT JOIN {POSTINGS} p{n} ON p{n}.token = %s AND p{n}.document_id = m.id "
            f"CROSS JOIN (SELECT count(*)::float8 AS hits FROM {POSTINGS} WHERE token = %s) h{n}"
        )
        join_params += [token, token]
    marks = ", ".join(["%s"] * len(tokens))
    sql = (
        f"SELECT m.id, -(0.0::float8 + {' + '.join(terms)}) AS score FROM "
        f"(SELECT DISTINCT document_id AS id FROM {POSTINGS} WHERE token IN ({marks})) m "
        f"JOIN {TABLE} d ON d.document_id = m.id CROSS JOIN "
        f"(SELECT count(*)::float8 AS n, sum(tokens)::float8 AS total FROM {TABLE}) c "
        + " ".join(joins)
    )
    return sql, [*term_params, *tokens, *join_params]


def tsquery_expression(query: ParsedQuery) -> str:
    """('berat') & ('kita' | 'allgemein' <-> 'sozial' <-> 'dien')"""
    parts: list[str] = []
    for term in query.terms:
        alternatives = [" <-> ".join(quote(tok, "'") for tok in alt) for alt in term.alternatives]
        parts.append("(" + " | ".join(f"({alt})" for alt in alternatives) + ")")
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def one_pass(self, query: ParsedQuery) -> bool:
        # A second pass re-reads every match's row: 15-30 % slower (docs/performance.md).
        return True

    def matches(self, query: ParsedQuery, lengths: bm25.RowLengths | None) -> Matches | None:
        tokens = bm25.one_term(query)
        if tokens is None or lengths is None:
            return None
        return bm25.scores([tokens], _occurrences(list(dict.fromkeys(tokens))), lengths)

    def row_lengths(self) -> RowLengths:
        return RowLengths().load()

    def after_rebuild(self) -> None:
        # Fresh rows are not yet marked all-visible: until a vacuum does so, the index-only
        # scans of one-term searches would visit the table. Autovacuum gets there too, later.
        if connection.in_atomic_block:
            return  # VACUUM cannot run in a transaction; the caller's commit comes first
        with connection.cursor() as cursor:
            cursor.execute(f"VACUUM (ANALYZE) {POSTINGS}, {TABLE}")

    def match_sql(self, query: ParsedQuery) -> Statement:
        """One plain term: bm25 from the postings (as matches() computes it); otherwise
        ts_rank of the tsvectors."""
        tokens = bm25.one_term(query)
        if tokens is not None:
            return _bm25_sql(tokens)
        sql = (
            f"SELECT document_id AS id, -ts_rank(tsv, q) AS score FROM {TABLE}, "
            "to_tsquery('simple', %s) q WHERE tsv @@ q"
        )
        return sql, [tsquery_expression(query)]

    def ids_sql(self, query: ParsedQuery) -> Statement:
        tokens = bm25.one_term(query)
        if tokens is not None:  # an index-only scan, where the tsvector match reads each row
            marks = ", ".join(["%s"] * len(tokens))
            sql = f"SELECT DISTINCT document_id AS id FROM {POSTINGS} WHERE token IN ({marks})"
            return sql, list(tokens)
        sql = f"SELECT document_id AS id FROM {TABLE}, to_tsquery('simple', %s) q WHERE tsv @@ q"
        return sql, [tsquery_expression(query)]

    def write(self, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        lengths: list[int] = []
        postings: list[tuple[str, int, float]] = []
        for row in rows:
            length, frequencies = _frequencies(row)
            lengths.append(length)
            postings += [(token, row.document_id, freq) for token, freq in frequencies.items()]
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE}(document_id, tsv, tokens) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D'), %s) "
                "ON CONFLICT (document_id) DO UPDATE SET tsv = EXCLUDED.tsv, "
                "tokens = EXCLUDED.tokens",
                [(*row, length) for row, length in zip(rows, lengths, strict=True)],
            )
            cursor.execute(
                f"DELETE FROM {POSTINGS} WHERE document_id = ANY(%s)",
                [[row.document_id for row in rows]],
            )
            with cursor.cursor.copy(
                f"COPY {POSTINGS} (token, document_id, freq) FROM STDIN"
            ) as copy:
                for posting in postings:
                    copy.write_row(posting)

    def delete(self, document_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [list(document_ids)])
            cursor.execute(
                f"DELETE FROM {POSTINGS} WHERE document_id = ANY(%s)", [list(document_ids)]
            )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
            cursor.execute(f"DELETE FROM {POSTINGS}")


def _frequencies(row: IndexRow) -> tuple[int, dict[str, float]]:
    """(the row's length in tokens, {plain token: its weighted frequency}); the analysed
    texts are tokens separated by spaces."""
    length = 0
    frequencies: dict[str, float] = {}
    for weight, text in zip(bm25.WEIGHTS, (row.name, row.keywords, row.body), strict=True):
        tokens = text.split()
        length += len(tokens)
        for token in tokens:
            frequencies[token] = frequencies.get(token, 0.0) + weight
    plain = bm25.PLAIN_TOKEN.fullmatch
    return length, {token: freq for token, freq in frequencies.items() if plain(token)}
