"""The areas block on the back-office dashboard (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.accounts.rules import is_platform_admin, scope_of
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids


def dashboard(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    if is_platform_admin(user):
        return {"count": Area.objects.count(), "roots": []}
    if not managed_area_ids(user):
        return None
    roots = Area.objects.filter(pk__in=scope_of(user).planner_area_ids).select_related("kind")
    return {"count": len(managed_area_ids(user)), "roots": list(roots)}
