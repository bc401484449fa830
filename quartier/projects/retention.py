"""Retention rules of the projects app, applied by `quartier purge_personal_data` (with
`--dry-run` it only counts).

District fund: the applicant's name and e-mail address are blanked
QUARTIER_FUND_CONTACT_RETENTION_DAYS (default 180) after the application was closed (decided
or withdrawn). They are never written to the history tables, so nothing else keeps them.
"""

from __future__ import annotations

from django.utils import timezone

from quartier.projects.services import fund_contacts_purge


def purge(*, dry_run: bool = False, now=None) -> dict[str, int]:
    return {
        "district fund applicants' contact data of closed applications": fund_contacts_purge(
            now=now or timezone.now(), dry_run=dry_run
        )
    }
