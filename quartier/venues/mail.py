"""The mails of the venues app: each a task the services enqueue after commit.

Mail leaves only from here. Links are absolute, built from settings.SITE_URL. Reads models,
tokens and slots, never the services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from quartier.venues import tokens
from quartier.venues.models import Booking
from quartier.venues.slots import format_slot

# kind -> (template, who receives it)
MAILS = {
    "confirm": ("confirm", "requester"),
    "created": ("created", "requester"),
    "approved": ("approved", "requester"),
    "rejected": ("rejected", "requester"),
    "cancelled_by_venue": ("cancelled", "requester"),
    "cancelled_by_requester": ("cancelled", "venue"),
    "occurrences_skipped": ("skipped", "requester"),
}


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


@task()
def send_booking_mail(booking_id: int, kind: str) -> bool:
    """Tell the requester (or, when the requester cancelled, the venue) what happened."""
    booking = (
        Booking.objects.select_related("room__venue", "created_by").filter(pk=booking_id).first()
    )
    if booking is None or kind not in MAILS:
        return False
    if kind == "confirm" and booking.status != "unconfirmed":
        return False
    template, audience = MAILS[kind]
    recipient = booking.room.venue.email if audience == "venue" else booking.contact_email
    if kind == "created" and booking.status == "requested" and booking.room.venue.email:
        _send("new_request", booking, booking.room.venue.email)
    if not recipient:
        return False
    _send(template, booking, recipient)
    return True


def _send(template: str, booking: Booking, recipient: str) -> None:
    context = {
        "booking": booking,
        "room": booking.room,
        "venue": booking.room.venue,
        "slot": format_slot(booking.start, booking.end),
        "room_url": _absolute(booking.room.get_absolute_url()),
        "cancel_url": _absolute(tokens.cancel_path(booking)),
        "confirm_url": _absolute(tokens.confirm_path(booking)),
        "confirm_hours": int(tokens.confirm_max_age().total_seconds() // 3600),
        "backoffice_url": _absolute(
            reverse("backoffice:venues:booking", kwargs={"pk": booking.pk})
        ),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"venues/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"venues/emails/{template}.txt", context)
    send_mail(subject, body, None, [recipient])
