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
    rebuild_if_outdated(using, verbosity=kwargs.get("verbosity", 1))


def rebuild_if_outdated(using: str = "default", verbosity: int = 1) -> None:
    """Rebuild an index built with another analysis (analysis.VERSION): after an upgrade
    whose analysis changed, `migrate` brings the index up to date (about 2 minutes at
    100,000 offers; docs/operations.md)."""
    from quartier.search.services import index_outdated, index_rebuild

    if using != "default":
        return
    with connections[using].cursor() as cursor:
        tables = set(connections[using].introspection.table_names(cursor))
    if "search_indexversion" not in tables:
        return  # migrated only part of the way
    if index_outdated():
        if verbosity:
            print("Rebuilding the search index (its analysis changed)...")
        count = index_rebuild()
        if verbosity:
            print(f"Search index rebuilt: {count} offers.")
