"""The mails of accounts (called from tasks only)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from quartier.accounts import tokens
from quartier.accounts.models import User


def _send(user: User, template: str, subject: str, context: dict) -> None:
    body = render_to_string(
        template,
        {
            "user": user,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
            "reset_url": settings.SITE_URL + reverse("accounts:password_reset"),
            **context,
        },
    )
    EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]).send()


def send_signup_confirmation(user: User, language: str, requested_username: str = "") -> None:
    with translation.override(language):
        _send(
            user,
            "accounts/email/signup_confirm.txt",
            _("Please confirm your Quartier account"),
            {
                "confirm_url": tokens.activation_url(user),
                "requested_username": requested_username,
            },
        )


def send_signup_existing(user: User, language: str) -> None:
    """Someone signed up with an address that has an account: tell its owner, not them."""
    with translation.override(language):
        _send(
            user,
            "accounts/email/signup_existing.txt",
            _("You already have a Quartier account"),
            {},
        )


def send_password_reset(user: User, language: str) -> None:
    with translation.override(language):
        _send(
            user,
            "accounts/email/password_reset.txt",
            _("Set a new password for Quartier"),
            {
                "link": tokens.password_reset_url(user),
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
        )


def send_two_factor_reset(user: User, language: str) -> None:
    with translation.override(language):
        _send(
            user,
            "accounts/email/two_factor_reset.txt",
            _("Your two-factor login was reset"),
            {},
        )


def send_privacy_link(email: str, language: str) -> None:
    """The link to one's data, for a request by e-mail (sent whether or not data exist)."""
    with translation.override(language):
        body = render_to_string(
            "accounts/email/privacy_link.txt",
            {
                "link": tokens.privacy_url(email),
                "hours": int(tokens.PRIVACY_MAX_AGE.total_seconds() // 3600),
            },
        )
        EmailMessage(_("Your data at Quartier"), body, settings.DEFAULT_FROM_EMAIL, [email]).send()
