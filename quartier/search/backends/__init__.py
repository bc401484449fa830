"""Full-text backends: SQLite FTS5 and PostgreSQL tsvector, chosen by `connection.vendor`.

Both index the same pre-analysed tokens (quartier.search.analysis), so they find the same
offers; they differ only in how the database stores and ranks them. A backend answers one
question in SQL: which documents match, with a score (lower is better). The backend is looked
up once per search (pipeline.plan) and once per indexing run, and handed on from there.
"""

from __future__ import annotations

from django.db import connection

from quartier.search.backends.base import Backend, IndexRow, Matches
from quartier.search.backends.postgres import PostgresBackend
from quartier.search.backends.sqlite import SqliteBackend

__all__ = ["Backend", "IndexRow", "Matches", "get_backend"]

_POSTGRES = PostgresBackend()
_SQLITE = SqliteBackend()


def get_backend() -> Backend:
    """The backend of the default database (backends keep no state: one of each serves all)."""
    return _POSTGRES if connection.vendor == "postgresql" else _SQLITE
