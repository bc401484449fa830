"""Full-text backends: SQLite FTS5 and PostgreSQL tsvector, chosen by `connection.vendor`.

Both index the same pre-analysed tokens (quartier.search.analysis), so they find the same
offers; they differ only in how the database stores and ranks them. A backend answers one
question in SQL: which documents match, with a score (lower is better).
"""

from __future__ import annotations

from django.db import connection

from quartier.search.backends.base import Backend


def get_backend() -> Backend:
    if connection.vendor == "postgresql":
        from quartier.search.backends.postgres import PostgresBackend

        return PostgresBackend()
    from quartier.search.backends.sqlite import SqliteBackend

    return SqliteBackend()
