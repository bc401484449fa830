"""The monitoring's block on the area page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.monitoring import selectors


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    if not selectors.has_figures(area):
        return None
    return {"area": area}


def dashboard(request: HttpRequest, user) -> dict[str, Any] | None:
    """Links to the map and the coverage for those who may see them (no query: the
    permissions read the user's cached scope)."""
    if not user.has_perm("monitoring.view_coverage"):
        return None
    return {"unsuppressed": user.has_perm("monitoring.view_unsuppressed")}
