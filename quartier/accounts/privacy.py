"""Personal data of accounts for the DSGVO registry (core/privacy.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from quartier.accounts.models import WebAuthnCredential
from quartier.accounts.services import resident_account, user_delete
from quartier.core.privacy import Category, Subject, rows

CATEGORIES = [
    Category(
        key="accounts.account",
        name=_("Account"),
        purpose=_("Logging in; residents' own alerts and sign-ups; staff work in the back office"),
        data=_(
            "username, e-mail address, display name, password hash, times of registration "
            "and last login, roles, second-factor devices"
        ),
        subjects=_("residents with an account, staff of organisations and public bodies"),
        recipients=_("none (platform admins see usernames and roles)"),
        retention=_(
            "until deleted by its owner; resident accounts unused for "
            "QUARTIER_ACCOUNT_RETENTION_DAYS and unconfirmed sign-ups after their link expired "
            "are deleted"
        ),
        legal_basis=_("Art. 6(1)(b) DSGVO (use of the platform at the person's request)"),
        kept=_(
            "accounts with a role are deleted only by their owner after logging in, or by an "
            "admin after the role is removed"
        ),
    ),
    Category(
        key="accounts.security_keys",
        name=_("Security keys"),
        purpose=_("Confirming the login with a security key or passkey (second factor)"),
        data=_(
            "name given by the owner, public key and identifier of the key, signature "
            "counter, times of registration and last use"
        ),
        subjects=_("account holders who registered a security key"),
        recipients=_("none"),
        retention=_(
            "until removed by the owner or an admin's reset, at the latest with the account"
        ),
        legal_basis=_("Art. 6(1)(b) and Art. 32 DSGVO (security of the processing)"),
    ),
]


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    user = subject.user
    if user is None:
        return {}
    account = rows(
        [user],
        [
            "username",
            "email",
            "display_name",
            "first_name",
            "last_name",
            "date_joined",
            "last_login",
            "is_active",
            (
                "roles",
                lambda u: ", ".join(
                    f"{a.get_role_display()}: {a.area or a.organisation}"
                    for a in u.role_assignments.filter(is_active=True).select_related(
                        "area", "organisation"
                    )
                ),
            ),
            ("two_factor", lambda u: TOTPDevice.objects.filter(user=u, confirmed=True).exists()),
            ("security_keys", lambda u: WebAuthnCredential.objects.filter(user=u).count()),
            ("recovery_codes", lambda u: StaticDevice.objects.filter(user=u).exists()),
        ],
    )
    # Names and dates only: the public key and its identifier say nothing to the person.
    keys = rows(
        WebAuthnCredential.objects.filter(user=user).order_by("created_at", "pk"),
        ["name", "created_at", "last_used_at", ("synced_passkey", lambda k: k.backed_up)],
    )
    return {"accounts.account": account, "accounts.security_keys": keys}


def erase(subject: Subject) -> dict[str, int]:
    user = subject.user
    if user is None:
        return {}
    if not (subject.logged_in or resident_account(user)):
        subject.notes.append(
            str(
                _(
                    "The account has a role in the back office: it is deleted only by its owner "
                    "after logging in, or by an admin after the role is removed."
                )
            )
        )
        return {"accounts.account": 0}
    keys = WebAuthnCredential.objects.filter(user=user).count()
    user_delete(user=user)  # the keys go with the account (ForeignKey CASCADE)
    subject.user = None
    return {"accounts.account": 1, "accounts.security_keys": keys}
