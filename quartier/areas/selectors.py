"""Reads over the area hierarchy (a DAG: an area may have several parents)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext as _

from quartier.areas.models import Area, AreaLink
from quartier.core.history import Change, Entry, history_kind

MAX_DEPTH = 10  # the hierarchy has five levels; this guards against a cycle in bad data


def descendant_ids(area_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """All areas below the given ones, one query per level."""
    start = set(area_ids)
    found = set(start) if include_self else set()
    frontier = start
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        children = set(
            AreaLink.objects.filter(parent_id__in=frontier).values_list("child_id", flat=True)
        )
        frontier = children - found - start
        found |= children
    return found


def ancestor_ids(area_ids: Iterable[int], *, include_self: bool = True) -> set[int]:
    """All areas above the given ones, one query per level."""
    start = set(area_ids)
    found = set(start) if include_self else set()
    frontier = start
    for _level in range(MAX_DEPTH):
        if not frontier:
            break
        parents = set(
            AreaLink.objects.filter(child_id__in=frontier).values_list("parent_id", flat=True)
        )
        frontier = parents - found - start
        found |= parents
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
