"""Retention of events' personal data (docs/privacy-events.md), applied by
`quartier purge_personal_data` and `quartier purge_event_personal_data` (both with
`--dry-run`, which only counts): registrations and helper sign-ups are deleted
QUARTIER_EVENTS_RETENTION_DAYS after their event ended; those never confirmed by their mailed
link (pending) QUARTIER_EVENTS_CONFIRM_HOURS after they were made (issue 19)."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from quartier.events.models import Event, Registration, RegistrationStatus, ShiftSignup
from quartier.events.tokens import confirm_max_age


def retention_days() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_RETENTION_DAYS", 30))


@transaction.atomic
def purge(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=retention_days())
    unconfirmed = now - confirm_max_age()
    pending = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lte=unconfirmed
    ).exclude(event__ends_at__lt=cutoff)  # those go with their event's registrations
    # Listed now: deleting the rows writes history rows, which go after them.
    pending_ids = list(pending.values_list("pk", flat=True))
    expired = {
        "event registrations": Registration.objects.filter(event__ends_at__lt=cutoff),
        "helper sign-ups": ShiftSignup.objects.filter(shift__event__ends_at__lt=cutoff),
        "unconfirmed event registrations": pending,
        "unconfirmed helper sign-ups": ShiftSignup.objects.filter(
            confirmed_at__isnull=True, created_at__lte=unconfirmed
        ).exclude(shift__event__ends_at__lt=cutoff),
        "history of unconfirmed registrations": Registration.history.filter(id__in=pending_ids),
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
