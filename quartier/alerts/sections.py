"""The alerts block on a resident's account page (core.registry account sections)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.alerts.models import Subscription


def account_context(request: HttpRequest, user) -> dict[str, Any] | None:
    subscriptions = list(Subscription.objects.filter(user=user).select_related("area")[:20])
    return {"subscriptions": subscriptions} if subscriptions else None
