"""Triggers on `search_searchdocument` that SQLite loses when a migration rebuilds the table.

On SQLite, Django alters a table by creating a new one, copying the rows and dropping the old
table, and the old table's triggers go with it. Migration 0003 did exactly that to the trigger
that deletes a document's FTS row. After every `migrate` this module puts back what is missing
(`CREATE TRIGGER IF NOT EXISTS`), so a future migration of the documents table cannot silently
leave deleted documents findable or the facet bitmaps (facetindex.py) unaware of changes.
PostgreSQL keeps its triggers through ALTER TABLE; nothing to do there.
"""

from __future__ import annotations

from typing import Any

from django.db import connections

from quartier.search.backends import sqlite

SQLITE_TRIGGERS = [
    sqlite.CREATE_SQL[2],  # the FTS row goes with its document
    "CREATE TRIGGER IF NOT EXISTS search_change_insert AFTER INSERT ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_change_update AFTER UPDATE ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (new.id); END",
    "CREATE TRIGGER IF NOT EXISTS search_change_delete AFTER DELETE ON search_searchdocument "
    "BEGIN INSERT INTO search_change(document_id) VALUES (old.id); END",
]


def ensure(using: str = "default") -> None:
    connection = connections[using]
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        tables = set(connection.introspection.table_names(cursor))
        if not {"search_searchdocument", "search_fts", "search_change"} <= tables:
            return  # migrated only part of the way (tests of old migrations)
        # Documents whose FTS row outlived them while the trigger was missing.
        cursor.execute(
            "DELETE FROM search_fts WHERE rowid NOT IN (SELECT id FROM search_searchdocument)"
        )
        for statement in SQLITE_TRIGGERS:
            cursor.execute(statement)


def on_post_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    ensure(using)
