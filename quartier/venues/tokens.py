"""Signed links of the venues app: the requester's cancel link and the confirmation link of
an anonymous request.

The token carries the booking's uid and lives as long as the booking (no expiry, as before
quartier.core.tokens); the purpose is the salt used since the first mails, so links already
sent keep working.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse

from quartier.core import tokens
from quartier.venues.models import Booking

CANCEL = "quartier.venues.booking-cancel"


def cancel_token(booking: Booking) -> str:
    """A signed token for the requester's cancel link (valid while the booking exists)."""
    return tokens.make(CANCEL, str(booking.uid))


def cancel_path(booking: Booking) -> str:
    return reverse("venues:cancel", args=[cancel_token(booking)])


def booking_from_token(token: str) -> Booking | None:
    """The booking a cancel link names; None for a changed link or a deleted booking."""
    try:
        uid = tokens.read(CANCEL, token)
    except tokens.BadToken:
        return None
    if not isinstance(uid, str):
        return None
    try:
        return Booking.objects.select_related("room__venue").filter(uid=uid).first()
    except ValueError:  # not a UUID (only a token made by hand could carry one)
        return None


# The confirmation link of an anonymous request (issue 19): it expires with the unconfirmed
# request (QUARTIER_VENUES_CONFIRM_HOURS), and a link used once finds the request confirmed.
CONFIRM = "quartier.venues.booking-confirm"


def confirm_max_age() -> dt.timedelta:
    return dt.timedelta(hours=settings.QUARTIER_VENUES_CONFIRM_HOURS)


def confirm_path(booking: Booking) -> str:
    return reverse("venues:confirm", args=[tokens.make(CONFIRM, str(booking.uid))])


def confirm_booking_from_token(token: str) -> Booking | None:
    """The request a confirmation link names; BadToken for a changed or expired link, None
    when the request no longer exists (expired and purged)."""
    uid = tokens.read(CONFIRM, token, max_age=confirm_max_age())
    if not isinstance(uid, str):
        raise tokens.BadToken("invalid")
    try:
        return Booking.objects.select_related("room__venue").filter(uid=uid).first()
    except (ValueError, ValidationError):  # not a UUID
        raise tokens.BadToken("invalid") from None
