"""Writes on the second factor and the login lockout (twofactor.py, lockout.py).

Each admin action is logged to the "quartier.security" logger with who did it to whom.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts import passkeys, tasks, twofactor
from quartier.accounts.models import User, WebAuthnCredential
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
    """Remove the app, and the recovery codes unless security keys remain; sessions verified
    with them lose it at once."""
    TOTPDevice.objects.filter(user=user).delete()
    if not WebAuthnCredential.objects.filter(user=user).exists():
        StaticDevice.objects.filter(user=user).delete()


class LastSecondFactor(Exception):
    """The account's role needs a second factor and this is its last one."""


@transaction.atomic
def security_key_add(*, user: User, credential: passkeys.NewCredential, name: str) -> list[str]:
    """Register a verified key; fresh recovery codes when the account had none (to be shown
    once), else []."""
    WebAuthnCredential.objects.create(
        user=user,
        name=name[:64],
        confirmed=True,
        credential_id=credential.credential_id,
        public_key=credential.public_key,
        sign_count=credential.sign_count,
        transports=credential.transports,
        aaguid=credential.aaguid,
        backed_up=credential.backed_up,
    )
    logger.info("Security key %r added by %s.", name[:64], user.username)
    if twofactor.recovery_device(user) is None:
        return recovery_codes_renew(user=user)
    return []


@transaction.atomic
def security_key_rename(*, key: WebAuthnCredential, name: str) -> None:
    key.name = name[:64]
    key.save(update_fields=["name"])


@transaction.atomic
def security_key_remove(*, key: WebAuthnCredential) -> None:
    """Remove a key; refused (LastSecondFactor) when it is the last second factor of an account
    whose role needs one. Sessions verified with the key lose it at once."""
    user = User.objects.select_for_update().get(pk=key.user_id)
    others = WebAuthnCredential.objects.filter(user=user, confirmed=True).exclude(pk=key.pk)
    if twofactor.requires_second_factor(user) and not (
        others.exists() or twofactor.totp_device(user) is not None
    ):
        raise LastSecondFactor
    key.delete()
    if not others.exists() and twofactor.totp_device(user) is None:
        StaticDevice.objects.filter(user=user).delete()
    logger.info("Security key %r removed by %s.", key.name, user.username)


@transaction.atomic
def security_key_used(*, key: WebAuthnCredential, sign_count: int) -> None:
    key.sign_count = sign_count
    key.throttling_failure_count = 0
    key.throttling_failure_timestamp = None
    key.last_used_at = timezone.now()
    key.save(
        update_fields=[
            "sign_count",
            "throttling_failure_count",
            "throttling_failure_timestamp",
            "last_used_at",
        ]
    )


@transaction.atomic
def two_factor_reset(
    *, by: User | None, user: User, language: str = "de", via: str = "the back office"
) -> None:
    """An admin's reset for a user who lost the app, the keys and the codes: the user sets it
    up anew at the next login (staff must), and is told by mail."""
    WebAuthnCredential.objects.filter(user=user).delete()
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
