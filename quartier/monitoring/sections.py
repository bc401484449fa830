"""The monitoring's block on the area page (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.monitoring import selectors


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    if not selectors.has_figures(area):
        return None
    return {"area": area}
