"""Retention rules of the networks app (docs/privacy-networks.md), applied by the
`purge_networks_data` command (run it daily, next to the foundation's `purge_personal_data`)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from quartier.networks.models import CalendarToken, Delegate, JoinRequest

JOIN_REQUEST_DAYS = 2 * 365
DELEGATION_DAYS = 5 * 365
REVOKED_TOKEN_DAYS = 30


@transaction.atomic
def purge(today: datetime.date | None = None) -> dict[str, int]:
    """Delete what has outlived its purpose; returns the number of rows per kind."""
    today = today or timezone.localdate()
    now = timezone.now()
    requests = JoinRequest.objects.exclude(status=JoinRequest.Status.PENDING).filter(
        decided_at__lt=now - datetime.timedelta(days=JOIN_REQUEST_DAYS)
    )
    delegations = Delegate.objects.filter(
        end_date__lt=today - datetime.timedelta(days=DELEGATION_DAYS)
    )
    tokens = CalendarToken.objects.filter(
        revoked_at__lt=now - datetime.timedelta(days=REVOKED_TOKEN_DAYS)
    )
    return {
        "join_requests": requests.delete()[0],
        "delegations": delegations.delete()[0],
        "calendar_tokens": tokens.delete()[0],
    }
