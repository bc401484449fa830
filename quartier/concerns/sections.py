"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

SECTION_SIZE = 5


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The newest open concerns the user handles."""
    if not user.has_perm("concerns.view_inbox"):
        return None
    from quartier.concerns.backoffice import handled

    concerns = handled(user).open().select_related("category", "area")
    return {"concerns": list(concerns[:SECTION_SIZE])}
