"""Reads over the area hierarchy (a DAG: an area may have several parents)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

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


_BOTH_WAYS = (
    "WITH RECURSIVE down(id) AS ("
    " SELECT child_id FROM {table} WHERE parent_id IN ({marks})"
    " UNION SELECT link.child_id FROM {table} link JOIN down ON link.parent_id = down.id"
    "), up(id) AS ("
    " SELECT parent_id FROM {table} WHERE child_id IN ({marks})"
    " UNION SELECT link.parent_id FROM {table} link JOIN up ON link.child_id = up.id"
    ") SELECT 0, id FROM down UNION ALL SELECT 1, id FROM up"
)


@dataclass(frozen=True)
class Reach:
    """The areas an area's lists draw on: `inside` the area itself and every area below it,
    `enclosing` every area above it (an offer for the whole city serves each of its quarters).
    An area both below and above (a cycle in bad data) counts as inside."""

    inside: frozenset[int]
    enclosing: frozenset[int]

    @property
    def all(self) -> frozenset[int]:
        return self.inside | self.enclosing


def reach(area_ids: Iterable[int]) -> Reach:
    """The areas inside and the areas enclosing the given ones: both walks in one query."""
    start = set(area_ids)
    if not start:
        return Reach(frozenset(), frozenset())
    table = connection.ops.quote_name(AreaLink._meta.db_table)
    marks = ", ".join(["%s"] * len(start))
    # Only the model's own table name and placeholders are formatted in.
    sql = _BOTH_WAYS.format(table=table, marks=marks)
    inside: set[int] = set(start)
    enclosing: set[int] = set()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*start, *start])
        for upward, area_id in cursor.fetchall():
            (enclosing if upward else inside).add(area_id)
    return Reach(frozenset(inside), frozenset(enclosing - inside))


def hierarchy() -> dict[int, tuple[str, int, tuple[int, ...]]]:
    """Every area as id -> (name, level of its kind, ids of its parents), in one query: for
    code that walks the (small) hierarchy often, such as the search's area filter."""
    found: dict[int, tuple[str, int, tuple[int, ...]]] = {}
    rows = Area.objects.values_list("pk", "name", "kind__level", "parent_links__parent_id")
    for pk, name, level, parent in rows:
        _name, _level, parents = found.get(pk, (name, level, ()))
        found[pk] = (name, level, (*parents, parent) if parent is not None else parents)
    return found


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
