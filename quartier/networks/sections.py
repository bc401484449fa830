"""Blocks this app contributes to shared pages (through quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.networks import selectors
from quartier.networks.models import Body, Membership

AREA_LIMIT = 20


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    """The public bodies working in this area; None hides the block."""
    bodies = list(
        selectors.bodies_with_dates(Body.objects.public().active().filter(areas=area)).order_by(
            "name"
        )[:AREA_LIMIT]
    )
    return {"bodies": bodies} if bodies else None


def organisation_bodies_context(request: HttpRequest, offer) -> dict[str, Any] | None:
    """The public bodies the offer's organisation is a current member of (offer pages)."""
    body_ids = Membership.objects.current().filter(organisation_id=offer.organisation_id)
    bodies = list(
        Body.objects.public()
        .active()
        .filter(pk__in=body_ids.values("body_id"))
        .select_related("kind")
        .order_by("name")[:AREA_LIMIT]
    )
    return {"bodies": bodies, "organisation": offer.organisation} if bodies else None


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    if not user.has_perm("networks.use_backoffice"):
        return None
    bodies = list(selectors.bodies_for_backoffice(user).order_by("name")[:10])
    overview = user.has_perm("networks.view_overview")
    if not bodies and not overview:
        return None
    return {"bodies": bodies, "overview": overview}


def organisation_requests_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The number of open requests to add an organisation, for those who decide them."""
    if not user.has_perm("networks.view_organisation_requests"):
        return None
    count = selectors.organisation_requests_for(user).open().count()
    return {"count": count} if count else None
