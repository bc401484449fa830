"""Bulk writes for the import without building model instances (see bench/hsds_import.py).

`bulk_create` costs a model instance and a round of field preparation per row; for tens of
thousands of rows that dominates the import. These helpers prepare the values column by column
(see `_prepare`: what Django's `get_db_prep_save` would send, without calling it per value
where the value needs no change) and hand all rows to one `executemany`. They skip signals and
`save()`, which the import does not need: the tables written here have no signal receivers that
matter for an import, and search indexing is refreshed by the importer (see .importer).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connections, models
from django.db.models import Model

from quartier.api.hsds import ids

CHUNK = 5_000
RETURNING_CHUNK = 500

# Field classes whose get_db_prep_save returns a value of these types unchanged (exact classes:
# a subclass may prepare values its own way and goes through the field). Text fields also pass
# subclasses of str (the members of TextChoices) unchanged; numbers must be of the exact type
# (Django turns True into 1 for an integer column).
_UNCHANGED: dict[type[models.Field], tuple[type, ...]] = {
    models.CharField: (str,),
    models.TextField: (str,),
    models.EmailField: (str,),
    models.URLField: (str,),
    models.SlugField: (str,),
    models.BooleanField: (bool,),
    models.IntegerField: (int,),
    models.SmallIntegerField: (int,),
    models.BigIntegerField: (int,),
    models.PositiveIntegerField: (int,),
    models.PositiveSmallIntegerField: (int,),
    models.PositiveBigIntegerField: (int,),
    models.AutoField: (int,),
    models.BigAutoField: (int,),
    models.SmallAutoField: (int,),
    models.FloatField: (float,),
}
_REPEATING = (models.DateTimeField, models.DateField, models.TimeField)


def _prepare(field: models.Field, values: list[Any], connection: Any) -> list[Any]:
    """The column's values as `field.get_db_prep_save` gives them, one by one."""
    prep = field.get_db_prep_save
    kind = field.target_field if field.is_relation else field
    same = _UNCHANGED.get(type(kind))
    types = set(map(type, values))  # fast: map and set run in C
    types.discard(type(None))
    if same == (str,):
        if all(issubclass(t, str) for t in types):
            return values
    elif same and types <= set(same):
        return values
    if type(kind) is models.UUIDField and not connection.features.has_native_uuid_field:
        present = [v for v in values if v is not None]
        if types == {str}:
            if ids.is_uuid_column("\n".join(present), len(present)):
                # Canonical lower-case ids, as the checks leave them: the hex form is the same
                # without dashes.
                return [v if v is None else v.replace("-", "") for v in values]
        elif types == {uuid.UUID}:
            return [v if v is None else v.hex for v in values]
    elif isinstance(kind, _REPEATING):
        done: dict[Any, Any] = {None: prep(None, connection)}
        result = []
        for v in values:
            try:
                result.append(done[v])
            except KeyError:
                result.append(done.setdefault(v, prep(v, connection)))
        return result
    return [prep(v, connection) for v in values]


def _complete(model: type[Model], rows: Sequence[dict[str, Any]]) -> Sequence[dict[str, Any]]:
    """Each row with the model's defaults for the columns it does not name, as the ORM would
    write them (a callable default called per row; "" for a text field without a default,
    None for a nullable one): a field added to a model later must not break these hand-made
    INSERTs."""
    missing = [
        f
        for f in model._meta.concrete_fields
        if f.attname not in rows[0]
        and not f.primary_key
        and getattr(f, "db_default", models.NOT_PROVIDED) is models.NOT_PROVIDED
    ]
    if not missing:
        return rows
    return [{**row, **{f.attname: f.get_default() for f in missing}} for row in rows]


def insert_rows(
    model: type[Model], rows: Sequence[dict[str, Any]], *, update: Iterable[str] | None = None
) -> None:
    """INSERT the rows (dicts by attname); with `update`, upsert on the primary key."""
    if not rows:
        return
    rows = _complete(model, rows)
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
    prepared = [_prepare(f, [row[f.attname] for row in rows], connection) for f in fields]
    params = list(zip(*prepared, strict=True))
    with connection.cursor() as cursor:
        for start in range(0, len(params), CHUNK):
            cursor.executemany(sql, params[start : start + CHUNK])


def insert_returning_keys(model: type[Model], rows: Sequence[dict[str, Any]]) -> list[Any]:
    """INSERT the rows (dicts by attname, without the automatic key) and return their keys in
    row order: a multi-row INSERT ... RETURNING per chunk, the way `bulk_create` learns them
    (and relying, as it does, on the database returning them in order)."""
    if not rows:
        return []
    rows = _complete(model, rows)
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in rows[0]]
    columns = ", ".join(quote(f.column) for f in fields)
    one = "(" + ", ".join(["%s"] * len(fields)) + ")"
    per_query = max(1, min(RETURNING_CHUNK, 999 // len(fields)))
    prepared = [_prepare(f, [row[f.attname] for row in rows], connection) for f in fields]
    params = list(zip(*prepared, strict=True))
    pk = quote(model._meta.pk.column)
    keys: list[Any] = []
    with connection.cursor() as cursor:
        for start in range(0, len(params), per_query):
            chunk = params[start : start + per_query]
            cursor.execute(
                f"INSERT INTO {quote(model._meta.db_table)} ({columns}) "  # noqa: S608
                f"VALUES {', '.join([one] * len(chunk))} RETURNING {pk}",
                [value for row in chunk for value in row],
            )
            keys += [row[0] for row in cursor.fetchall()]
    return keys


def delete_where_in(model: type[Model], field: str, values: Sequence[Any]) -> None:
    """DELETE rows whose `field` is one of `values`, without Django's deletion collector.

    Only for tables nothing else refers to (schedules, offer-location links, M2M rows).
    """
    if not values:
        return
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    fld = model._meta.get_field(field)
    sql = (
        f"DELETE FROM {quote(model._meta.db_table)} "  # noqa: S608
        f"WHERE {quote(fld.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(v,) for v in _prepare(fld, list(values), connection)])


def instance_rows(objs: Sequence[Model]) -> list[dict[str, Any]]:
    """Rows for `insert_rows` from unsaved instances, as `bulk_create` would save them.

    The automatic primary key is left to the database; `pre_save` fills timestamps.
    """
    if not objs:
        return []
    fields = [
        f
        for f in objs[0]._meta.concrete_fields
        if not (f.primary_key and isinstance(f, models.AutoField))
    ]
    return [{f.attname: f.pre_save(obj, True) for f in fields} for obj in objs]


def existing(model: type[Model], values: Sequence[Any]) -> set[Any]:
    """Which of these primary keys the table holds (a few hundred keys per query)."""
    connection = connections[model.objects.db]
    quote = connection.ops.quote_name
    pk = model._meta.pk
    prepared = dict(zip(_prepare(pk, list(values), connection), values, strict=True))
    keys = list(prepared)
    found: set[Any] = set()
    with connection.cursor() as cursor:
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            cursor.execute(
                f"SELECT {quote(pk.column)} FROM {quote(model._meta.db_table)} "  # noqa: S608
                f"WHERE {quote(pk.column)} IN ({', '.join(['%s'] * len(chunk))})",
                chunk,
            )
            found.update(prepared[row[0]] for row in cursor.fetchall())
    return found
