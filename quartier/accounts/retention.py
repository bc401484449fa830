"""Retention of accounts (docs/privacy.md), applied by `quartier purge_personal_data`.

Resident accounts (no role, not an admin, not linked to a contact person) that have not been
used for QUARTIER_ACCOUNT_RETENTION_DAYS are deleted: counted from the last login, or from the
registration when the account never logged in. Sign-ups never confirmed are deleted when their
link expires (tokens.ACTIVATE_MAX_AGE). Records of failed logins (django-axes' AccessAttempt:
username, client address, browser) are deleted once their lockout window has passed. Records
of data subjects' requests (PrivacyRequest: a keyed hash of the address, never the address) are
deleted after PRIVACY_REQUEST_DAYS (three years, the limitation period of claims about them).
Security keys (WebAuthnCredential) are deleted with their account (ForeignKey CASCADE).
"""

from __future__ import annotations

import datetime

from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from quartier.accounts.models import PrivacyRequest, User
from quartier.accounts.tokens import ACTIVATE_MAX_AGE


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


def unconfirmed_signups(now: datetime.datetime | None = None) -> QuerySet[User]:
    now = now or timezone.now()
    return User.objects.filter(
        is_active=False,
        last_login__isnull=True,
        is_superuser=False,
        is_staff=False,
        role_assignments__isnull=True,
        person__isnull=True,
        date_joined__lt=now - ACTIVATE_MAX_AGE,
    )


def expired_login_failures(now: datetime.datetime | None = None) -> QuerySet[AccessAttempt]:
    now = now or timezone.now()
    return AccessAttempt.objects.filter(attempt_time__lt=now - settings.AXES_COOLOFF_TIME)


PRIVACY_REQUEST_DAYS = 3 * 365


def old_privacy_requests(now: datetime.datetime | None = None) -> QuerySet[PrivacyRequest]:
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=PRIVACY_REQUEST_DAYS)
    return PrivacyRequest.objects.filter(created_at__lt=cutoff)


def purge(*, dry_run: bool) -> dict[str, int]:
    ids = list(stale_resident_accounts().values_list("pk", flat=True))
    pending = list(unconfirmed_signups().values_list("pk", flat=True))
    failures = expired_login_failures()
    counts = {
        "resident accounts": len(ids),
        "unconfirmed sign-ups": len(pending),
        "records of failed logins": failures.count(),
        "records of data subject requests": old_privacy_requests().count(),
    }
    if not dry_run:
        User.objects.filter(pk__in=ids + pending).delete()
        failures.delete()
        old_privacy_requests().delete()
    return counts
