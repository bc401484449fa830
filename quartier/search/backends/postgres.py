"""PostgreSQL: a `search_pg` table of tsvectors (GIN index) keyed by SearchDocument.id.

The tokens are analysed in Python already (stemmed, folded), so the 'simple' configuration
stores them as they are; the 'german' configuration would stem the stems a second time and
make PostgreSQL find other offers than SQLite. Weights: name A, keywords B, body D.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from quartier.search.analysis import ParsedQuery
from quartier.search.backends.base import Backend, IndexRow, quote

TABLE = "search_pg"
# No foreign key to search_searchdocument: Django's test flush truncates the tables it knows
# without CASCADE, and a referencing table it does not know makes that TRUNCATE fail. Triggers
# keep the table in step instead (a deleted or truncated document takes its row along).
TRIGGER_SQL = [
    "CREATE OR REPLACE FUNCTION search_pg_delete_row() RETURNS trigger AS $$ "
    f"BEGIN DELETE FROM {TABLE} WHERE document_id = OLD.id; RETURN OLD; END; "
    "$$ LANGUAGE plpgsql",
    "CREATE OR REPLACE FUNCTION search_pg_truncate() RETURNS trigger AS $$ "
    f"BEGIN TRUNCATE {TABLE}; RETURN NULL; END; $$ LANGUAGE plpgsql",
    "DROP TRIGGER IF EXISTS search_pg_delete ON search_searchdocument",
    "CREATE TRIGGER search_pg_delete AFTER DELETE ON search_searchdocument "
    "FOR EACH ROW EXECUTE FUNCTION search_pg_delete_row()",
    "DROP TRIGGER IF EXISTS search_pg_truncate ON search_searchdocument",
    "CREATE TRIGGER search_pg_truncate AFTER TRUNCATE ON search_searchdocument "
    "FOR EACH STATEMENT EXECUTE FUNCTION search_pg_truncate()",
]
CREATE_SQL = [
    f"CREATE TABLE IF NOT EXISTS {TABLE} (document_id bigint PRIMARY KEY, tsv tsvector NOT NULL)",
    f"CREATE INDEX IF NOT EXISTS search_pg_tsv ON {TABLE} USING gin (tsv)",
    *TRIGGER_SQL,
]
DROP_SQL = [
    "DROP TRIGGER IF EXISTS search_pg_delete ON search_searchdocument",
    "DROP TRIGGER IF EXISTS search_pg_truncate ON search_searchdocument",
    f"DROP TABLE IF EXISTS {TABLE}",
    "DROP FUNCTION IF EXISTS search_pg_delete_row()",
    "DROP FUNCTION IF EXISTS search_pg_truncate()",
]


def tsquery_expression(query: ParsedQuery) -> str:
    """('berat') & ('kita' | 'allgemein' <-> 'sozial' <-> 'dien')"""
    parts = []
    for term in query.terms:
        alternatives = [" <-> ".join(quote(tok, "'") for tok in alt) for alt in term.alternatives]
        parts.append("(" + " | ".join(f"({alt})" for alt in alternatives) + ")")
    return " & ".join(parts)


class PostgresBackend(Backend):
    vendor = "postgresql"

    def one_pass(self, query: ParsedQuery) -> bool:
        # A second pass re-reads every match's row: 15-30 % slower (docs/performance.md).
        return True

    def match_sql(self, query: ParsedQuery) -> tuple[str, list]:
        sql = (
            f"SELECT document_id AS id, -ts_rank(tsv, q) AS score FROM {TABLE}, "
            "to_tsquery('simple', %s) q WHERE tsv @@ q"
        )
        return sql, [tsquery_expression(query)]

    def write(self, rows: Sequence[IndexRow]) -> None:
        if not rows:
            return
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {TABLE}(document_id, tsv) VALUES (%s, "
                "setweight(to_tsvector('simple', %s), 'A') || "
                "setweight(to_tsvector('simple', %s), 'B') || "
                "setweight(to_tsvector('simple', %s), 'D')) "
                "ON CONFLICT (document_id) DO UPDATE SET tsv = EXCLUDED.tsv",
                [tuple(row) for row in rows],
            )

    def delete(self, document_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE} WHERE document_id = ANY(%s)", [list(document_ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {TABLE}")
