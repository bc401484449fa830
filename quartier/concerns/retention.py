"""Retention rules of concerns (docs/privacy-concerns.md), applied by
`quartier purge_personal_data` (with `--dry-run` it only counts).

The reporter's name and e-mail address are blanked QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS
(default 180) after the concern was closed (solved, not ours, merged). They are never written
to the history tables, so nothing else keeps them.
"""

from __future__ import annotations

from django.utils import timezone

from quartier.concerns.services import contacts_purge


def purge(*, dry_run: bool = False, now=None) -> dict[str, int]:
    return {
        "reporters' contact data of closed concerns": contacts_purge(
            now=now or timezone.now(), dry_run=dry_run
        )
    }
