"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.publications import selectors

SECTION_SIZE = 3


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    """The newest public news of the area and the areas below it, with the area's feed."""
    posts = list(selectors.public_posts(area=area)[:SECTION_SIZE])
    if not posts:
        return None
    return {"posts": posts, "area": area}
