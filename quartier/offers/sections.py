"""Blocks this app contributes to shared pages (registered in apps.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.offers import selectors
from quartier.offers.models import Offer

DASHBOARD_LIMIT = 10


def dashboard_review(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    if not user.has_perm("offers.review_offers"):
        return None
    offers = list(selectors.offers_awaiting_review(user)[: DASHBOARD_LIMIT + 1])
    return {"offers": offers[:DASHBOARD_LIMIT], "more": len(offers) > DASHBOARD_LIMIT}


def dashboard_stale(request: HttpRequest, user: Any) -> dict[str, Any] | None:
    if not user.has_perm("offers.access_offers"):
        return None
    offers = list(selectors.offers_stale_for(user).order_by("last_verified")[: DASHBOARD_LIMIT + 1])
    if not offers:
        return None
    return {"offers": offers[:DASHBOARD_LIMIT], "more": len(offers) > DASHBOARD_LIMIT}


EASY_LIMIT = 100


def easy_language_offers(request: HttpRequest, obj: Any) -> dict[str, Any] | None:
    """The site's easy-language page lists the public offers that have an easy text."""
    offers = list(
        Offer.objects.public()
        .exclude(easy_language_description="")
        .only("pk", "name")
        .order_by("name")[: EASY_LIMIT + 1]
    )
    if not offers:
        return None
    return {"offers": offers[:EASY_LIMIT], "more": len(offers) > EASY_LIMIT}
