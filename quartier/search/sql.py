"""SQL helpers the search's modules share: id lists as one parameter, many rows as numpy arrays.

The lowest layer of the search: it imports nothing of the search, so the backends, the facet
index, the pipeline and the result pages can all use it without an import cycle.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import array
import json
from collections.abc import Sequence
from typing import Any

import numpy
from django.db import connection
from pyroaring import BitMap

# (column, numpy dtype of its values) for `columns`: uint32 or float64.
Column = tuple[str, Any]

# PostgreSQL sends columns for `columns` in binary: (SQL type, numpy dtype of its bytes).
_PG_BINARY = {
    numpy.dtype(numpy.uint32): ("int4", ">u4"),
    numpy.dtype(numpy.float64): ("float8", ">f8"),
}


def joined(column: str) -> str:
    """SQL aggregating `column` over all rows into one comma-separated string (see columns)."""
    if connection.vendor == "postgresql":
        return f"string_agg({column}::text, ',')"
    return f"group_concat({column})"


def ids_condition(column: str, ids: Sequence[int]) -> tuple[str, Any]:
    """`column` is one of `ids`, with the list as one parameter (no limit on its length)."""
    values = ids if isinstance(ids, list) else list(ids)
    if connection.vendor == "postgresql":
        return f"{column} = ANY(%s)", values
    return f"{column} IN (SELECT value FROM json_each(%s))", json.dumps(values)


def ids_select(ids: Sequence[int]) -> tuple[str, list[Any]]:
    """SQL selecting these ids as its one column, with the list as one parameter."""
    values = ids if isinstance(ids, list) else list(ids)
    if connection.vendor == "postgresql":
        return "SELECT unnest(%s::bigint[])", [values]
    return "SELECT value FROM json_each(%s)", [json.dumps(values)]


def columns(sql: str, params: Sequence[Any], parts: Sequence[Column]) -> list[numpy.ndarray]:
    """Columns of many rows as numpy arrays, from one row of joined strings.

    `sql` is a FROM clause (aliases allowed); `parts` pairs a column with its numpy dtype
    (uint32 or float64). The database joins each column into one string (the aggregates see
    the rows in the same order) and numpy parses it: at 20,000 rows this costs a third of
    fetching them as rows through the driver, which creates a tuple per row. PostgreSQL joins
    the values' binary form (no number formatted or parsed as text: a third less time for
    27,000 matches, docs/performance.md); SQLite joins text.
    """
    postgres = connection.vendor == "postgresql"
    if postgres:
        types = [_PG_BINARY[numpy.dtype(dtype)] for _column, dtype in parts]
        select = ", ".join(
            f"string_agg({sql_type}send(({column})::{sql_type}), ''::bytea)"
            for (column, _dtype), (sql_type, _raw) in zip(parts, types, strict=True)
        )
    else:
        select = ", ".join(joined(column) for column, _dtype in parts)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {select} FROM {sql}", list(params))
        values = cursor.fetchone()
    if not values[0]:
        return [numpy.zeros(0, dtype=dtype) for _column, dtype in parts]
    if postgres:
        return [
            numpy.frombuffer(bytes(value), dtype=raw).astype(dtype)
            for value, (_column, dtype), (_type, raw) in zip(values, parts, types, strict=True)
        ]
    return [
        numpy.fromstring(text, sep=",", dtype=dtype)
        for text, (_column, dtype) in zip(values, parts, strict=True)
    ]


def bitmap(ids: numpy.ndarray) -> BitMap:
    """A bitmap of uint32 ids (the buffer path; iterating the array is 30x slower)."""
    return BitMap(array.array("I", ids.astype(numpy.uint32, copy=False).tobytes()))


def id_set(sql: str, params: Sequence[Any]) -> BitMap:
    """The ids a query selects (its only column, named `id`) as a bitmap."""
    [ids] = columns(f"({sql}) x", params, [("x.id", numpy.uint32)])
    return bitmap(ids)
