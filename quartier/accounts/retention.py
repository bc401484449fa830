"""Retention of accounts (docs/privacy.md), applied by `quartier purge_personal_data`.

Resident accounts (no role, not an admin, not linked to a contact person) that have not been
used for QUARTIER_ACCOUNT_RETENTION_DAYS are deleted: counted from the last login, or from the
registration when the account never logged in.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from quartier.accounts.models import User


def stale_resident_accounts(now: datetime.datetime | None = None) -> QuerySet[User]:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.QUARTIER_ACCOUNT_RETENTION_DAYS)
    return User.objects.filter(
        is_superuser=False,
        is_staff=False,
        role_assignments__isnull=True,
        # directory.Person.user: a contact person's login is not a resident account.
        person__isnull=True,
    ).filter(Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff))


def purge(*, dry_run: bool) -> dict[str, int]:
    ids = list(stale_resident_accounts().values_list("pk", flat=True))
    if not dry_run:
        User.objects.filter(pk__in=ids).delete()
    return {"resident accounts": len(ids)}
