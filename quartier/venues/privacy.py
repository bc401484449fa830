"""Personal data of venues for the DSGVO registry (core/privacy.py); docs/privacy-venues.md.

Erasure: a room request still to come is cancelled (the venue is told; the slots are free
again), then the requester's contact data are blanked as the retention rule does. The booking
itself stays (title, room, times): it is the venue's record of its room's use."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, rows
from quartier.core.recurrence import describe
from quartier.venues.models import Booking, BookingStatus
from quartier.venues.services import booking_cancel

CATEGORIES = [
    Category(
        key="venues.booking",
        name=_("Room requests and bookings"),
        purpose=_("Answering a room request, the decision and the cancel link"),
        data=_(
            "name, e-mail address, phone, group, time of consent; for accounts the login that "
            "booked"
        ),
        subjects=_("residents and groups without an account, staff of organisations"),
        recipients=_("the venue's managers (back office)"),
        retention=_(
            "contact data erased VENUES_REQUESTER_RETENTION_DAYS (default 30) days after the "
            "booking's end or the decision; requests never confirmed by the mailed link deleted "
            "after QUARTIER_VENUES_CONFIRM_HOURS (default 24) hours"
        ),
        legal_basis=_("Art. 6(1)(b) DSGVO (the request)"),
        kept=_("the booking without contact data, as the record of the room's use"),
    ),
]


def _mine(subject: Subject):
    match = Q(requester_email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(created_by=subject.user)
    return (
        Booking.objects.filter(match)
        .select_related("room__venue", "organisation")
        .prefetch_related("consents")
    )


def _upcoming(booking: Booking, now: dt.datetime) -> bool:
    if not booking.is_active:
        return False
    if booking.recurrence:
        return booking.recurrence_until is None or booking.recurrence_until >= now.date()
    return booking.end > now


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "venues.booking": rows(
            _mine(subject),
            [
                "room.venue.name",
                "room.name",
                "title",
                "notes",
                "start",
                "end",
                ("recurrence", lambda b: describe(b.recurrence, b.recurrence_until)),
                ("status", lambda b: b.get_status_display()),
                "organisation",
                "requester_name",
                "requester_email",
                "requester_phone",
                "requester_group",
                "consent_at",
                ("consent", consent.describe),
                "created_at",
                "decided_at",
            ],
        )
    }


def erase(subject: Subject) -> dict[str, int]:
    now = timezone.now()
    # Requests never confirmed by their mailed link are nobody's record: they go entirely.
    unconfirmed = list(
        _mine(subject).filter(status=BookingStatus.UNCONFIRMED).values_list("pk", flat=True)
    )
    Booking.objects.filter(pk__in=unconfirmed).delete()
    Booking.history.filter(id__in=unconfirmed).delete()
    bookings = list(_mine(subject))
    for booking in bookings:
        # An organisation's booking made by this login stays the organisation's.
        if booking.organisation_id is None and _upcoming(booking, now):
            booking_cancel(
                booking=booking, reason=str(_("Withdrawn on the requester's erasure request."))
            )
    Booking.objects.filter(pk__in=[b.pk for b in bookings]).exclude(
        requester_name="", requester_email="", requester_phone="", requester_group=""
    ).update(
        requester_name="",
        requester_email="",
        requester_phone="",
        requester_group="",
        personal_data_erased_at=now,
    )
    return {"venues.booking": len(bookings) + len(unconfirmed)}
