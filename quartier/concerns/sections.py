"""Blocks on shared pages (registered in apps.py through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

SECTION_SIZE = 5


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The newest open concerns the user handles."""
    if not user.has_perm("concerns.view_inbox"):
        return None
    from quartier.concerns.backoffice import handled

    concerns = handled(user).open().select_related("category", "area")
    return {"concerns": list(concerns[:SECTION_SIZE])}


def _new_concerns(area, since) -> list:
    from quartier.alerts.sources import Item
    from quartier.concerns import selectors

    concerns = (
        selectors.public_concerns({"area": area})
        .filter(created_at__gt=since)
        .select_related("category", "area")
        .order_by("created_at")
    )
    return [
        Item(
            title=f"{concern.number} {concern.category.name} ({concern.area.name})",
            url=settings.SITE_URL + concern.get_absolute_url(),
            summary=concern.summary,
        )
        for concern in concerns[:200]
    ]


def _list_url(area) -> str:
    return f"{settings.SITE_URL}{reverse('concerns:list')}?area={area.slug}"


def register_alerts() -> None:
    """Residents subscribe to new concerns of an area through the alerts app's double
    opt-in (alerts/sources.py): alerts never imports concerns."""
    from quartier.alerts import sources

    sources.register(
        sources.Source(
            key="concerns",
            label=lambda area: _("New concerns in %(area)s") % {"area": area.name},
            items=_new_concerns,
            list_url=_list_url,
        )
    )
