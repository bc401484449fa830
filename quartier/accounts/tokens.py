"""Links that accounts mails: confirming a sign-up, resetting a password."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from quartier.accounts.models import User
from quartier.core import tokens

ACTIVATE = "quartier.accounts.activate"
ACTIVATE_MAX_AGE = dt.timedelta(days=7)


def activation_token(user: User) -> str:
    return tokens.make(ACTIVATE, user.pk)


def read_activation(token: str) -> int:
    """The user's primary key, or core.tokens.BadToken."""
    return tokens.read_int(ACTIVATE, token, max_age=ACTIVATE_MAX_AGE)


def activation_url(user: User) -> str:
    path = reverse("accounts:signup_confirm", kwargs={"token": activation_token(user)})
    return settings.SITE_URL + path


def password_reset_url(user: User) -> str:
    """Django's reset link: void once the password or the last login changes, or after
    PASSWORD_RESET_TIMEOUT."""
    path = reverse(
        "accounts:password_reset_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


# A confirmed e-mail request for one's data (DSGVO Art. 15/17/20): the link holds the address.
PRIVACY = "quartier.accounts.privacy"
PRIVACY_MAX_AGE = dt.timedelta(days=2)


def privacy_token(email: str) -> str:
    return tokens.make(PRIVACY, email.strip().lower())


def read_privacy(token: str) -> str:
    """The address, or core.tokens.BadToken."""
    value = tokens.read(PRIVACY, token, max_age=PRIVACY_MAX_AGE)
    if not isinstance(value, str) or "@" not in value:
        raise tokens.BadToken("invalid")
    return value


def privacy_url(email: str) -> str:
    path = reverse("accounts:privacy_data", kwargs={"token": privacy_token(email)})
    return settings.SITE_URL + path
