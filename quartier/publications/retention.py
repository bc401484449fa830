"""Retention rules of publications (docs/privacy-publications.md), applied by
`quartier purge_personal_data` (with `--dry-run` it only counts)."""

from __future__ import annotations

from django.utils import timezone

from quartier.publications.services import subscribers_purge


def purge(*, dry_run: bool = False) -> dict[str, int]:
    """Unconfirmed sign-ups after a week; unsubscribed and bounced addresses after
    QUARTIER_NEWSLETTER_RETENTION_DAYS (30)."""
    return subscribers_purge(now=timezone.now(), dry_run=dry_run)
