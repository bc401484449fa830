"""Audit history pages: who changed what and when (django-simple-history underneath).

Each app's history view fetches the object, checks the permission and calls
`render_history(request, obj, ...)`; the page lists the historical records newest first with
the fields that changed in each.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

HISTORY_LIMIT = 200


@dataclass(frozen=True)
class Change:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class Entry:
    date: Any
    user: Any
    kind: str
    changes: list[Change]


def _label(model: Any, name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except Exception:  # a field that no longer exists on the model
        return name


def history_kind(history_type: str) -> str:
    """What a historical record did, in words ("+", "~", "-" as django-simple-history writes)."""
    return {"+": _("created"), "~": _("changed"), "-": _("deleted")}.get(history_type, "")


def history_entries(obj: Any, *, limit: int = HISTORY_LIMIT) -> list[Entry]:
    """The newest `limit` changes of `obj`, each with the fields that differ from the one before.

    One query: the records come in one go (with their users), diffs are computed in Python.
    """
    records = list(obj.history.select_related("history_user").order_by("-history_id")[: limit + 1])
    model = type(obj)
    entries = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                Change(_label(model, change.field), change.old, change.new)
                for change in delta.changes
            ]
        entries.append(
            Entry(
                record.history_date,
                record.history_user,
                history_kind(record.history_type),
                changes,
            )
        )
    return entries


def related_entries(
    history: Any, *, name: Callable[[Any], str], limit: int = HISTORY_LIMIT
) -> list[Entry]:
    """History entries of related records that belong to an object's story (a meeting's
    minutes, an event's registrations), for `render_history(extra_entries=...)`.

    `history` is a historical queryset (`Minutes.history.filter(meeting_id=...)`); each
    record is compared with the record before it of the same object, and `name(record)` says
    which record it is. One query.
    """
    records = list(history.select_related("history_user").order_by("-history_id")[:limit])
    model = history.model.instance_type
    pk_name = model._meta.pk.attname
    entries = []
    last: dict[Any, Any] = {}
    for record in reversed(records):  # oldest first, so the one before is known
        key = getattr(record, pk_name)
        previous = last.get(key)
        changes: list[Change] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            changes = [
                Change(_label(model, change.field), change.old, change.new)
                for change in delta.changes
            ]
        last[key] = record
        kind = f"{name(record)}: {history_kind(record.history_type)}"
        entries.append(Entry(record.history_date, record.history_user, kind, changes))
    entries.reverse()
    return entries


def render_history(
    request: HttpRequest,
    obj: Any,
    *,
    back_url: str,
    title: str | None = None,
    extra_entries: list[Entry] | None = None,
) -> HttpResponse:
    """`extra_entries`: changes of related records that belong to the object's story (an
    area's parent links), merged in by date."""
    entries = history_entries(obj)
    if extra_entries:
        entries = sorted([*entries, *extra_entries], key=lambda e: e.date, reverse=True)
    return render(
        request,
        "core/history.html",
        {
            "object": obj,
            "entries": entries[:HISTORY_LIMIT],
            "back_url": back_url,
            "title": title or _("History of %(name)s") % {"name": obj},
        },
    )
