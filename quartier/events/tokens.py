"""Signed links of the events app: cancelling a registration and a helper's shift sign-up.

Each token carries the primary key and lives as long as the registration or sign-up (no
expiry, as before quartier.core.tokens); the purposes are the salts used since the first
mails, so links already sent keep working.
"""

from __future__ import annotations

from django.urls import reverse

from quartier.core import tokens
from quartier.events.models import Registration, ShiftSignup

REGISTRATION = "quartier.events.registration"
SIGNUP = "quartier.events.shiftsignup"


def registration_token(registration: Registration) -> str:
    return tokens.make(REGISTRATION, registration.pk)


def registration_cancel_path(registration: Registration) -> str:
    return reverse("events:registration_cancel", args=[registration_token(registration)])


def registration_from_token(token: str) -> Registration | None:
    """The registration a cancel link names; None for a changed link or a deleted one."""
    try:
        pk = tokens.read_int(REGISTRATION, token)
    except tokens.BadToken:
        return None
    return Registration.objects.select_related("event").filter(pk=pk).first()


def signup_token(signup: ShiftSignup) -> str:
    return tokens.make(SIGNUP, signup.pk)


def signup_cancel_path(signup: ShiftSignup) -> str:
    return reverse("events:signup_cancel", args=[signup_token(signup)])


def signup_from_token(token: str) -> ShiftSignup | None:
    """The shift sign-up a cancel link names; None for a changed link or a deleted one."""
    try:
        pk = tokens.read_int(SIGNUP, token)
    except tokens.BadToken:
        return None
    return ShiftSignup.objects.select_related("shift__event").filter(pk=pk).first()
