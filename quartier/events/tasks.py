"""Background work: mails, the feed import, reminders and the retention rule.

Mail leaves only from here (never in the request). Links in mails are absolute, built from
settings.SITE_URL.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from quartier.events.models import (
    Event,
    IcalFeed,
    Registration,
    RegistrationStatus,
    ShiftSignup,
)

logger = logging.getLogger(__name__)


def retention_days() -> int:
    return int(getattr(settings, "QUARTIER_EVENTS_RETENTION_DAYS", 30))


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _send(template: str, context: dict, recipient: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"events/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/emails/{template}.txt", context)
    send_mail(subject, body, None, [recipient])


@task()
def send_registration_mail(registration_id: int, kind: str) -> None:
    """kind: confirmed, waitlisted or promoted. Each mail carries the signed cancel link."""
    from quartier.events.services import registration_token

    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status == RegistrationStatus.CANCELLED:
        return
    cancel_url = reverse("events:registration_cancel", args=[registration_token(registration)])
    context = {
        "registration": registration,
        "event": registration.event,
        "kind": kind,
        "event_url": _absolute(registration.event.get_absolute_url()),
        "cancel_url": _absolute(cancel_url),
    }
    _send("registration", context, registration.email)


@task()
def send_event_cancelled(event_id: int) -> int:
    """Tell everyone registered (confirmed or waiting) and every helper. Returns mails sent."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    recipients: dict[str, str] = {}
    for name, email in (
        Registration.objects.filter(event=event)
        .exclude(status=RegistrationStatus.CANCELLED)
        .values_list("name", "email")
    ):
        recipients.setdefault(email, name)
    for name, email in ShiftSignup.objects.filter(shift__event=event).values_list(
        "first_name", "email"
    ):
        recipients.setdefault(email, name)
    for email, name in recipients.items():
        _send("cancelled", {"event": event, "name": name}, email)
    return len(recipients)


@task()
def send_shift_reminders() -> int:
    """Remind helpers whose shift is tomorrow (local date); each helper once."""
    from quartier.events.services import signup_token

    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    start = timezone.make_aware(dt.datetime.combine(tomorrow, dt.time.min))
    end = start + dt.timedelta(days=1)
    signups = ShiftSignup.objects.filter(
        reminded_at__isnull=True,
        shift__starts_at__gte=start,
        shift__starts_at__lt=end,
        shift__event__status="scheduled",
    ).select_related("shift__event")
    sent = 0
    for signup in signups:
        cancel_url = reverse("events:signup_cancel", args=[signup_token(signup)])
        context = {
            "signup": signup,
            "shift": signup.shift,
            "event": signup.shift.event,
            "event_url": _absolute(signup.shift.event.get_absolute_url()),
            "cancel_url": _absolute(cancel_url),
        }
        _send("shift_reminder", context, signup.email)
        ShiftSignup.objects.filter(pk=signup.pk).update(reminded_at=timezone.now())
        sent += 1
    return sent


@task()
def import_ical_feeds() -> dict[str, int]:
    """Pull every active feed; a failing feed records its error and does not stop the others."""
    from quartier.events.importer import feed_import

    results = {}
    for feed in IcalFeed.objects.filter(is_active=True).select_related("organisation"):
        result = feed_import(feed=feed)
        results[str(feed.pk)] = -1 if result.error else result.total
    return results


@task()
def purge_expired_personal_data() -> int:
    """Delete registrations and shift sign-ups of events that ended more than the retention
    period ago (docs/privacy-events.md)."""
    cutoff = timezone.now() - dt.timedelta(days=retention_days())
    deleted, _ = Registration.objects.filter(event__ends_at__lt=cutoff).delete()
    signups, _ = ShiftSignup.objects.filter(shift__event__ends_at__lt=cutoff).delete()
    return deleted + signups


@task()
def import_ical_feed(feed_id: int) -> int:
    """Import one feed now (the back office's button, and a new feed's first import)."""
    from quartier.events.importer import feed_import

    feed = IcalFeed.objects.select_related("organisation").filter(pk=feed_id).first()
    if feed is None:
        return 0
    result = feed_import(feed=feed)
    return -1 if result.error else result.total
