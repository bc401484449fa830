"""Retention of events' personal data (docs/privacy-events.md), applied by
`quartier purge_personal_data` and `quartier purge_event_personal_data` (both with
`--dry-run`, which only counts): registrations and helper sign-ups are deleted
QUARTIER_EVENTS_RETENTION_DAYS after their event ended."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quartier.events.models import Event, Registration, ShiftSignup


def retention_days() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_RETENTION_DAYS", 30))


@transaction.atomic
def purge(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    cutoff = (now or timezone.now()) - dt.timedelta(days=retention_days())
    expired = {
        "event registrations": Registration.objects.filter(event__ends_at__lt=cutoff),
        "helper sign-ups": ShiftSignup.objects.filter(shift__event__ends_at__lt=cutoff),
        # The registrations' history rows hold the same names and addresses: those of past
        # events go with them, and those of deleted events (nothing left to audit).
        "registration history": Registration.history.filter(event__ends_at__lt=cutoff),
        "registration history of deleted events": Registration.history.exclude(
            event_id__in=Event.objects.values("pk")
        ),
    }
    counts = {kind: rows.count() for kind, rows in expired.items()}
    if not dry_run:
        for rows in expired.values():
            rows.delete()
    return counts
