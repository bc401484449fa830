"""Retention rules of participation (docs/privacy-participation.md), applied by
`quartier purge_personal_data` (with `--dry-run` it only counts).

A proposer's and a survey respondent's e-mail address (given only with consent) are blanked
QUARTIER_PARTICIPATION_CONTACT_RETENTION_DAYS (default 180) after the round closed.
"""

from __future__ import annotations

from quartier.participation.services import contacts_purge


def purge(*, dry_run: bool = False, now=None) -> dict[str, int]:
    today = now.date() if now is not None else None
    return {
        "e-mail addresses of proposers and survey respondents": contacts_purge(
            today=today, dry_run=dry_run
        )
    }
