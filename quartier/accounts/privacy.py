"""Personal data of accounts for the DSGVO registry (core/privacy.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

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
            ("recovery_codes", lambda u: StaticDevice.objects.filter(user=u).exists()),
        ],
    )
    return {"accounts.account": account}


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
    user_delete(user=user)
    subject.user = None
    return {"accounts.account": 1}
