"""Signed links of the venues app: the requester's cancel link.

The token carries the booking's uid and lives as long as the booking (no expiry, as before
quartier.core.tokens); the purpose is the salt used since the first mails, so links already
sent keep working.
"""

from __future__ import annotations

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
