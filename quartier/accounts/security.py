"""Writes on the second factor and the login lockout (twofactor.py, lockout.py).

Each admin action is logged to the "quartier.security" logger with who did it to whom.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import tasks, twofactor
from quartier.accounts.models import User
from quartier.core.tasks import enqueue_on_commit

logger = logging.getLogger("quartier.security")


@transaction.atomic
def two_factor_enable(*, user: User, device: TOTPDevice) -> list[str]:
    """Confirm the app `device` (its code was checked), drop any other, and return fresh
    recovery codes (to be shown once)."""
    device.confirmed = True
    device.name = twofactor.TOTP_NAME
    device.save(update_fields=["confirmed", "name"])
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    return recovery_codes_renew(user=user)


@transaction.atomic
def recovery_codes_renew(*, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=twofactor.RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(twofactor.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=code) for code in codes])
    return codes


@transaction.atomic
def two_factor_disable(*, user: User) -> None:
    """Remove the app and the recovery codes; sessions verified with them lose it at once."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()


@transaction.atomic
def two_factor_reset(
    *, by: User | None, user: User, language: str = "de", via: str = "the back office"
) -> None:
    """An admin's reset for a user who lost the app and the codes: the user sets it up anew
    at the next login (staff must), and is told by mail."""
    two_factor_disable(user=user)
    logger.warning(
        "Two-factor login of %s reset by %s (%s).", user.username, by.username if by else "-", via
    )
    enqueue_on_commit(tasks.send_two_factor_reset, user.pk, language)


def login_unlock(
    *, by: User | None, username: str = "", ip_address: str = "", via: str = "the back office"
) -> int:
    """Lift the login lockout of a username and/or a client address; the number of records
    removed."""
    from axes.utils import reset

    count = 0
    if username:
        count += reset(username=username)
    if ip_address:
        count += reset(ip=ip_address)
    if count:
        logger.warning(
            "Login lockout of %s lifted by %s (%s, %d records).",
            " and ".join(filter(None, [username, ip_address])),
            by.username if by else "-",
            via,
            count,
        )
    return count
