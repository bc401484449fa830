"""Bulk writes for the import without building model instances (see bench/hsds_import.py).

`bulk_create` costs a model instance and a round of field preparation per row; for tens of
thousands of rows that dominates the import. These helpers prepare each value with the field's
own `get_db_prep_save` (so SQLite and PostgreSQL get what Django would send) and hand all rows
to one `executemany`. They skip signals and `save()`, which the import does not need: the
tables written here have no signal receivers that matter for an import, and search indexing
is refreshed by the importer's caller (see quartier.api.hsds.services).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections
from django.db.models import Model

CHUNK = 5_000


def insert_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], *, update: Iterable[str] | None = None
) -> None:
    """INSERT the rows (dicts by attname); with `update`, upsert on the primary key."""
    if not rows:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(quote(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
    if update is not None:
        pk = quote(model._meta.pk.column)
        sets = ", ".join(
            f"{quote(model._meta.get_field(name).column)} = excluded."
            f"{quote(model._meta.get_field(name).column)}"
            for name in update
        )
        sql += f" ON CONFLICT ({pk}) DO UPDATE SET {sets}"
    names = [f.attname for f in fields]
    params = [
        tuple(
            f.get_db_prep_save(row[name], connection) for f, name in zip(fields, names, strict=True)
        )
        for row in rows
    ]
    with connection.cursor() as cursor:
        for start in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[start : start + CHUNK])


def delete_where_in(model: type[Model], field: str, values: Sequence[Any]) -> None:
    """DELETE rows whose `field` is one of `values`, without Django's deletion collector.

    Only for tables nothing else refers to (schedules, offer-location links, M2M rows).
    """
    for start in range(0, len(values), CHUNK):
        model.objects.filter(**{f"{field}__in": values[start : start + CHUNK]})._raw_delete(
            model.objects.db
        )
