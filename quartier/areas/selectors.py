"""Reads over the area hierarchy (a DAG: an area may have several parents)."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.utils.translation import gettext as _

from quartier.areas.models import Area, AreaLink
from quartier.core.history import Change, Entry, history_kind

MAX_DEPTH = 10  # the hierarchy has five levels; breadcrumbs stop here on a cycle in bad data

_REACHABLE = (
    "WITH RECURSIVE reached(id) AS ("
    " SELECT {to} FROM {table} WHERE {by} IN ({marks})"
    " UNION SELECT link.{to} FROM {table} link JOIN reached ON link.{by} = reached.id"
    ") SELECT id FROM reached"
)


def _reachable(area_ids: set[int], *, down: bool) -> set[int]:
    """The areas one or more links below (or above) the given ones, in one query: a recursive
    common table expression, which SQLite and PostgreSQL both run. UNION (not UNION ALL)
    drops rows seen already, so a cycle in bad data ends the walk instead of looping."""
    if not area_ids:
        return set()
    table = connection.ops.quote_name(AreaLink._meta.db_table)
    to, by = ("child_id", "parent_id") if down else ("parent_id", "child_id")
    marks = ", ".join(["%s"] * len(area_ids))
    # Only the model's own table and column names and placeholders are formatted in.
    sql = _REACHABLE.format(table=table, to=to, by=by, marks=marks)
    with connection.cursor() as cursor:
        cursor.execute(sql, list(area_ids))
        return {row[0] for row in cursor.fetchall()}


def descendant_ids(area_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """All areas below the given ones (one query, however deep the hierarchy)."""
    start = set(area_ids)
    found = _reachable(start, down=True)
    return found | start if include_self else found


def ancestor_ids(area_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """All areas above the given ones (one query, however deep the hierarchy)."""
    start = set(area_ids)
    found = _reachable(start, down=False)
    return found | start if include_self else found


def breadcrumbs(area: Area) -> list[Area]:
    """One path from the top to the area, following the first full parent at each step."""
    path: list[Area] = []
    current: Area | None = area
    seen: set[int] = set()
    while current is not None and current.pk not in seen and len(path) < MAX_DEPTH:
        seen.add(current.pk)
        path.append(current)
        link = (
            AreaLink.objects.filter(child=current)
            .select_related("parent__kind")
            .order_by("coverage", "parent__kind__level", "parent__name")
            .first()
        )
        current = link.parent if link else None
    return list(reversed(path))


def parent_link_entries(area: Area, *, limit: int = 200) -> list[Entry]:
    """History entries for the area's parent links (added, coverage changed, removed)."""
    label = _("parent area")
    records = (
        AreaLink.history.filter(child_id=area.pk)
        .select_related("parent", "history_user")
        .order_by("-history_id")[:limit]
    )
    entries = []
    for record in records:
        parent = record.parent.name if record.parent else record.parent_id
        text = f"{parent} ({record.get_coverage_display()})"
        # Added or changed: the link as it is now; removed: the link as it was.
        old, new = (text, None) if record.history_type == "-" else (None, text)
        entries.append(
            Entry(
                record.history_date,
                record.history_user,
                history_kind(record.history_type),
                [Change(label, old, new)],
            )
        )
    return entries
