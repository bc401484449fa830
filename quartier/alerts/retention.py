"""Retention rules of the alerts app (docs/privacy-alerts.md), applied by
`quartier purge_personal_data` (with `--dry-run` it only counts) and by every digest run
(`quartier send_alert_digests`).

The rate-limit counters of throttle.py are not here: they live in the cache, which drops them
after a day at most.
"""

from __future__ import annotations

from django.utils import timezone

from quartier.alerts.services import subscriptions_purge


def purge(*, dry_run: bool = False) -> dict[str, int]:
    """Delete unconfirmed subscriptions after a week and paused ones after INVALID_DAYS."""
    return subscriptions_purge(now=timezone.now(), dry_run=dry_run)
