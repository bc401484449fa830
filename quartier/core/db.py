"""Database helpers shared by the apps."""

from __future__ import annotations

from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import Func, Q, QuerySet, TextField


class UnicodeLower(Func):
    """LOWER() for every alphabet: SQLite's own lower() changes only ASCII letters, so there
    Python's str.lower does it (registered on each connection, `connect`). PostgreSQL's
    lower() follows the database's character type (C.UTF-8 and de_DE.UTF-8 cover umlauts).
    Compare it with the search text's `.lower()`: "Ärzte" then finds "ärztehaus"."""

    function = "LOWER"
    output_field = TextField()

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return super().as_sql(compiler, connection, function="quartier_lower", **extra)


def containing(items: QuerySet, text: str, *fields: str) -> QuerySet:
    """The rows where any of `fields` contains `text`, case folded in every alphabet."""
    folded = text.lower()
    aliases = {f"lower_{name}": UnicodeLower(name) for name in fields}
    matches = Q()
    for alias in aliases:
        matches |= Q(**{f"{alias}__contains": folded})
    return items.alias(**aliases).filter(matches)


def _lower(value: Any) -> Any:
    return value.lower() if isinstance(value, str) else value


def _register(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("quartier_lower", 1, _lower, deterministic=True)


def connect() -> None:
    """Called once from CoreConfig.ready."""
    connection_created.connect(_register, dispatch_uid="quartier-sqlite-functions")
