"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.projects import selectors
from quartier.projects.models import Status
from quartier.projects.rules import seen_area_ids

SECTION_SIZE = 5


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    projects = list(selectors.public_projects(area, Status.RUNNING)[:SECTION_SIZE])
    if not projects:
        return None
    return {"projects": projects, "area": area}


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """Continuation gaps: tasks ending within six months that nobody carries on yet."""
    if not user.has_perm("projects.access_backoffice"):
        return None
    areas = None if user.is_superuser else seen_area_ids(user)
    gaps = list(selectors.continuation_gaps(areas)[: SECTION_SIZE + 1])
    return {"gaps": gaps[:SECTION_SIZE], "more": len(gaps) > SECTION_SIZE}
