"""Retention of room requesters' contact data (docs/privacy-venues.md), applied by
`quartier purge_personal_data` and `quartier venues_maintenance` (both with `--dry-run`)."""

from __future__ import annotations

from quartier.venues.services import booking_erase_personal_data


def purge(*, dry_run: bool = False) -> dict[str, int]:
    """Blank requesters' contact data VENUES_REQUESTER_RETENTION_DAYS after the booking."""
    return {"room requesters' contact data": booking_erase_personal_data(dry_run=dry_run)}
