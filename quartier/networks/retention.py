"""Retention rules of the networks app (docs/privacy-networks.md), applied by
`quartier purge_personal_data` (with `--dry-run` it only counts) and by the app's own
`purge_networks_data` command."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from quartier.networks.models import CalendarToken, Delegate, JoinRequest, OrganisationRequest

JOIN_REQUEST_DAYS = 2 * 365
DELEGATION_DAYS = 5 * 365
REVOKED_TOKEN_DAYS = 30
# A request to add an organisation holds the requester's own name and address (given with
# consent, as the form says): gone half a year after it was sent, answered or not.
ORGANISATION_REQUEST_DAYS = 183


@transaction.atomic
def purge(*, dry_run: bool = False, today: datetime.date | None = None) -> dict[str, int]:
    """Delete what has outlived its purpose; returns the number of rows per kind. A dry run
    only counts them (the same interface as accounts.retention.purge)."""
    today = today or timezone.localdate()
    now = timezone.now()
    expired = {
        "decided join requests": JoinRequest.objects.exclude(
            status=JoinRequest.Status.PENDING
        ).filter(decided_at__lt=now - datetime.timedelta(days=JOIN_REQUEST_DAYS)),
        "ended delegations": Delegate.objects.filter(
            end_date__lt=today - datetime.timedelta(days=DELEGATION_DAYS)
        ),
        "revoked calendar tokens": CalendarToken.objects.filter(
            revoked_at__lt=now - datetime.timedelta(days=REVOKED_TOKEN_DAYS)
        ),
        "requests to add an organisation": OrganisationRequest.objects.filter(
            created_at__lt=now - datetime.timedelta(days=ORGANISATION_REQUEST_DAYS)
        ),
    }
    counts = {kind: rows.count() for kind, rows in expired.items()}
    if dry_run:
        return counts
    delegation_ids = list(expired["ended delegations"].values_list("pk", flat=True))
    for rows in expired.values():
        rows.delete()
    # The history of a deleted delegation (including the deletion record simple-history writes)
    # would keep who was delegated; it goes with the delegation, as directory.retention does.
    Delegate.history.filter(id__in=delegation_ids).delete()
    return counts
