"""Background work of the venues app: booking mails, the rolling horizon, the retention rule.

Mail leaves only from here. Links are absolute, built from settings.SITE_URL. Run
`quartier venues_maintenance` daily (cron or systemd timer) for the two periodic jobs.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from quartier.venues.models import Booking

CANCEL_SALT = "quartier.venues.booking-cancel"

# kind -> (template, who receives it)
MAILS = {
    "created": ("created", "requester"),
    "approved": ("approved", "requester"),
    "rejected": ("rejected", "requester"),
    "cancelled_by_venue": ("cancelled", "requester"),
    "cancelled_by_requester": ("cancelled", "venue"),
    "occurrences_skipped": ("skipped", "requester"),
}


def cancel_token(booking: Booking) -> str:
    """A signed token for the requester's cancel link (valid while the booking exists)."""
    return signing.dumps(str(booking.uid), salt=CANCEL_SALT)


def booking_from_token(token: str) -> Booking | None:
    try:
        uid = signing.loads(token, salt=CANCEL_SALT)
    except signing.BadSignature:
        return None
    return Booking.objects.select_related("room__venue").filter(uid=uid).first()


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
    template, audience = MAILS[kind]
    recipient = booking.room.venue.email if audience == "venue" else booking.contact_email
    if kind == "created" and booking.status == "requested" and booking.room.venue.email:
        _send("new_request", booking, booking.room.venue.email)
    if not recipient:
        return False
    _send(template, booking, recipient)
    return True


def _send(template: str, booking: Booking, recipient: str) -> None:
    from quartier.venues.services import format_slot

    context = {
        "booking": booking,
        "room": booking.room,
        "venue": booking.room.venue,
        "slot": format_slot(booking.start, booking.end),
        "room_url": _absolute(booking.room.get_absolute_url()),
        "cancel_url": _absolute(reverse("venues:cancel", args=[cancel_token(booking)])),
        "backoffice_url": _absolute(
            reverse("backoffice:venues:booking", kwargs={"pk": booking.pk})
        ),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"venues/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"venues/emails/{template}.txt", context)
    send_mail(subject, body, None, [recipient])


@task()
def extend_series() -> int:
    """Hold open-ended series up to the rolling horizon. Returns the number of series."""
    from quartier.venues.services import booking_extend_series

    count = 0
    for booking in (
        Booking.objects.active().exclude(recurrence="").filter(recurrence_until__isnull=True)
    ):
        booking_extend_series(booking=booking)
        count += 1
    return count


@task()
def erase_personal_data() -> int:
    from quartier.venues.services import booking_erase_personal_data

    return booking_erase_personal_data()
