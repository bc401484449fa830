"""SQLite FTS5: a `search_fts` table (name, keywords, body) whose rowid is SearchDocument.id.

bm25 weights are stored in the table's `rank` option by migration 0002, so `ORDER BY rank`
costs what it costs the plain FTS5 baseline. A trigger deletes the FTS row with its document.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection

from quartier.search.analysis import ParsedQuery
from quartier.search.backends.base import Backend, IndexRow, quote

TABLE = "search_fts"
CREATE_SQL = [
    f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5("
    "name, keywords, body, tokenize='unicode61 remove_diacritics 2')",
    f"INSERT INTO {TABLE}({TABLE}, rank) VALUES('rank', 'bm25(10.0, 4.0, 1.0)')",
    "CREATE TRIGGER IF NOT EXISTS search_document_fts_delete AFTER DELETE ON "
    f"search_searchdocument BEGIN DELETE FROM {TABLE} WHERE rowid = old.id; END",
]
DROP_SQL = ["DROP TRIGGER IF EXISTS search_document_fts_delete", f"DROP TABLE IF EXISTS {TABLE}"]


def fts_expression(query: ParsedQuery) -> str:
    """("berat") AND ("kita" OR "kindertagesstatt" OR "allgemein sozial dien") ..."""
    parts = []
    for term in query.terms:
        alternatives = [quote(" ".join(alt), '"') for alt in term.alternatives]
        parts.append("(" + " OR ".join(alternatives) + ")")
    return " AND ".join(parts)


class SqliteBackend(Backend):
    vendor = "sqlite"

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
