"""Blocks the venues app contributes to shared pages (see quartier.core.registry)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from quartier.venues.models import Booking, BookingStatus, Venue
from quartier.venues.selectors import account_bookings, managed_venues


def area_context(request: HttpRequest, area) -> dict[str, Any] | None:
    venues = list(Venue.objects.active().filter(area=area).only("name", "slug")[:20])
    return {"venues": venues} if venues else None


def dashboard_context(request: HttpRequest, user) -> dict[str, Any] | None:
    if not user.has_perm("venues.list_bookings"):
        return None
    venues = managed_venues(user)
    if not venues.exists():
        return None
    return {"pending": _pending_count(venues)}


def _pending_count(venues) -> int:
    return Booking.objects.filter(room__venue__in=venues, status=BookingStatus.REQUESTED).count()


def account_context(request: HttpRequest, user) -> dict[str, Any] | None:
    """The resident's coming room bookings: made with their login, or with their confirmed
    address (an address not confirmed proves nothing)."""
    email = user.email if user.email_verified_at is not None else ""
    bookings = list(account_bookings(user, email)[:20])
    return {"bookings": bookings} if bookings else None
