"""Signed links of the events app: confirming and cancelling a registration and a helper's
shift sign-up.

Each cancel token carries the primary key and lives as long as the registration or sign-up (no
expiry, as before quartier.core.tokens); the purposes are the salts used since the first
mails, so links already sent keep working.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
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


# Confirmation links of anonymous registrations and sign-ups (issue 19): they expire with the
# pending row (QUARTIER_EVENTS_CONFIRM_HOURS), and a link used once finds the row confirmed.
REGISTRATION_CONFIRM = "quartier.events.registration.confirm"
SIGNUP_CONFIRM = "quartier.events.shiftsignup.confirm"


def confirm_max_age() -> dt.timedelta:
    return dt.timedelta(hours=int(getattr(settings, "QUARTIER_EVENTS_CONFIRM_HOURS", 24)))


def registration_confirm_path(registration: Registration) -> str:
    token = tokens.make(REGISTRATION_CONFIRM, registration.pk)
    return reverse("events:registration_confirm", args=[token])


def registration_confirm_from_token(token: str) -> Registration | None:
    """The registration a confirmation link names; BadToken for a changed or expired link,
    None when the registration no longer exists (expired and deleted, or cancelled and
    purged)."""
    pk = tokens.read_int(REGISTRATION_CONFIRM, token, max_age=confirm_max_age())
    return Registration.objects.select_related("event").filter(pk=pk).first()


def signup_confirm_path(signup: ShiftSignup) -> str:
    return reverse("events:signup_confirm", args=[tokens.make(SIGNUP_CONFIRM, signup.pk)])


def signup_confirm_from_token(token: str) -> ShiftSignup | None:
    """Like registration_confirm_from_token, for a helper's sign-up."""
    pk = tokens.read_int(SIGNUP_CONFIRM, token, max_age=confirm_max_age())
    return ShiftSignup.objects.select_related("shift__event").filter(pk=pk).first()
