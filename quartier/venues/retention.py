"""Retention of room requesters' contact data (docs/privacy-venues.md), applied by
`quartier purge_personal_data` and `quartier venues_maintenance` (both with `--dry-run`):
contact data are blanked VENUES_REQUESTER_RETENTION_DAYS after the booking; anonymous requests
never confirmed by their mailed link are deleted, with their history and consent,
QUARTIER_VENUES_CONFIRM_HOURS after they were made (issue 19)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from quartier.venues.models import Booking, BookingStatus
from quartier.venues.services import booking_erase_personal_data
from quartier.venues.tokens import confirm_max_age


@transaction.atomic
def purge(*, dry_run: bool = False, now: dt.datetime | None = None) -> dict[str, int]:
    now = now or timezone.now()
    unconfirmed = Booking.objects.filter(
        status=BookingStatus.UNCONFIRMED, created_at__lte=now - confirm_max_age()
    )
    # Listed now: deleting the rows writes history rows, which go after them.
    ids = list(unconfirmed.values_list("pk", flat=True))
    counts = {"unconfirmed room requests": len(ids)}
    if not dry_run:
        Booking.objects.filter(pk__in=ids).delete()
        Booking.history.filter(id__in=ids).delete()
    counts["room requesters' contact data"] = booking_erase_personal_data(dry_run=dry_run)
    return counts
