"""A cheap fingerprint of the whole database: did a request change any row?

One query: per table, the number of rows and the sum of a hash of each row (PostgreSQL's
`hashtext` of the row's text; on SQLite a CRC-32 registered as a function). Tables that every
request may touch are left out: sessions (a login, a message), the cache tables (throttle
counters count refused requests too) and Django's migration record.
"""

from __future__ import annotations

import zlib

from django.conf import settings
from django.db import connection

IGNORED = {"django_session", "django_migrations"}

_sql: dict[tuple[str, str], str] = {}


def _ignored() -> set[str]:
    tables = set(IGNORED)
    for cache in settings.CACHES.values():
        if cache["BACKEND"].endswith("DatabaseCache"):
            tables.add(cache["LOCATION"])
    return tables


def _row_hash(*values) -> int:
    return zlib.crc32(repr(values).encode())


def _query() -> str:
    key = (connection.vendor, connection.settings_dict["NAME"])
    if key in _sql:
        return _sql[key]
    quote = connection.ops.quote_name
    ignored = _ignored()
    parts = []
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in ignored:
                continue
            if connection.vendor == "postgresql":
                digest = "coalesce(sum(hashtext(t::text)::bigint), 0)"
            else:
                columns = connection.introspection.get_table_description(cursor, table)
                names = ", ".join(quote(column.name) for column in columns)
                digest = f"coalesce(sum(quartier_row_hash({names})), 0)"
            parts.append(f"SELECT '{table}', count(*), {digest} FROM {quote(table)} t")
    _sql[key] = " UNION ALL ".join(parts)
    return _sql[key]


def fingerprint() -> dict[str, tuple[int, int]]:
    """{table: (rows, hash)} for every table but the ignored ones."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        connection.connection.create_function("quartier_row_hash", -1, _row_hash)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            rows = _execute_prepared(cursor)
        else:
            cursor.execute(_query())
            rows = cursor.fetchall()
        return {table: (count, int(digest)) for table, count, digest in rows}


_PREPARED = "quartier_fingerprint"
_WORKERS = "max_parallel_workers_per_gather"


def _execute_prepared(cursor) -> list:
    """On PostgreSQL the query is prepared once per session and run without parallel workers:
    planning its UNION ALL of every table cost about as much as running it, and starting
    parallel workers for a few hundred rows several times more (docs/testing.md, "Suite
    time"). The session's setting is restored afterwards, so the code under test plans as
    before."""
    cursor.execute(
        "SELECT current_setting(%s), set_config(%s, '0', false),"
        " EXISTS (SELECT 1 FROM pg_prepared_statements WHERE name = %s)",
        [_WORKERS, _WORKERS, _PREPARED],
    )
    workers, _, prepared = cursor.fetchone()
    try:
        if not prepared:
            cursor.execute(f"PREPARE {_PREPARED} AS {_query()}")
        cursor.execute(f"EXECUTE {_PREPARED}")
        return cursor.fetchall()
    finally:
        cursor.execute("SELECT set_config(%s, %s, false)", [_WORKERS, workers])


def changed(before: dict, after: dict) -> list[str]:
    """The tables whose rows differ."""
    return sorted(
        table for table in before.keys() | after.keys() if before.get(table) != after.get(table)
    )
