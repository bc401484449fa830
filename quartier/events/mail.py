"""The mails of the events app: registrations and cancellations, each a task the services
enqueue after commit, and the helpers' reminders (tasks.send_shift_reminders).

Mail leaves only from here and tasks.py (never in the request). Links in mails are absolute,
built from settings.SITE_URL. Reads models and tokens, never the services.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from quartier.events import tokens
from quartier.events.models import Event, Registration, RegistrationStatus, ShiftSignup


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def send(template: str, context: dict, recipient: str) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"events/emails/{template}_subject.txt", context).strip()
        body = render_to_string(f"events/emails/{template}.txt", context)
    send_mail(subject, body, None, [recipient])


@task()
def send_registration_mail(registration_id: int, kind: str) -> None:
    """kind: confirmed, waitlisted, promoted or already. Each mail carries the signed cancel
    link."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status in (
        RegistrationStatus.CANCELLED,
        RegistrationStatus.PENDING,
    ):
        return
    cancel_url = tokens.registration_cancel_path(registration)
    context = {
        "registration": registration,
        "event": registration.event,
        "kind": kind,
        "event_url": absolute(registration.event.get_absolute_url()),
        "cancel_url": absolute(cancel_url),
    }
    send("registration", context, registration.email)


def _hours() -> int:
    return int(tokens.confirm_max_age().total_seconds() // 3600)


@task()
def send_registration_confirmation(registration_id: int) -> None:
    """The link that confirms a pending registration (issue 19): only then does it hold a
    place or a waiting-list position."""
    registration = Registration.objects.select_related("event").filter(pk=registration_id).first()
    if registration is None or registration.status != RegistrationStatus.PENDING:
        return
    context = {
        "registration": registration,
        "event": registration.event,
        "hours": _hours(),
        "event_url": absolute(registration.event.get_absolute_url()),
        "confirm_url": absolute(tokens.registration_confirm_path(registration)),
    }
    send("registration_confirm", context, registration.email)


@task()
def send_signup_confirm_request(signup_id: int) -> None:
    """The link that confirms a pending helper's sign-up."""
    signup = ShiftSignup.objects.select_related("shift__event").filter(pk=signup_id).first()
    if signup is None or signup.confirmed_at is not None:
        return
    context = {
        "signup": signup,
        "shift": signup.shift,
        "event": signup.shift.event,
        "hours": _hours(),
        "event_url": absolute(signup.shift.event.get_absolute_url()),
        "confirm_url": absolute(tokens.signup_confirm_path(signup)),
    }
    send("signup_confirm_request", context, signup.email)


@task()
def send_signup_confirmation(signup_id: int) -> None:
    """Confirm a helper's sign-up, say whether the first name is shown, give the cancel link."""
    signup = ShiftSignup.objects.select_related("shift__event").filter(pk=signup_id).first()
    if signup is None or signup.confirmed_at is None:
        return
    context = {
        "signup": signup,
        "shift": signup.shift,
        "event": signup.shift.event,
        "event_url": absolute(signup.shift.event.get_absolute_url()),
        "cancel_url": absolute(tokens.signup_cancel_path(signup)),
    }
    send("signup_confirmation", context, signup.email)


@task()
def send_event_cancelled(event_id: int) -> int:
    """Tell everyone registered (confirmed or waiting) and every helper. Unconfirmed addresses
    (pending) are not written to. Returns mails sent."""
    event = Event.objects.filter(pk=event_id).first()
    if event is None:
        return 0
    recipients: dict[str, str] = {}
    for name, email in (
        Registration.objects.filter(event=event)
        .exclude(status__in=[RegistrationStatus.CANCELLED, RegistrationStatus.PENDING])
        .values_list("name", "email")
    ):
        recipients.setdefault(email, name)
    for name, email in ShiftSignup.objects.filter(
        shift__event=event, confirmed_at__isnull=False
    ).values_list("first_name", "email"):
        recipients.setdefault(email, name)
    for email, name in recipients.items():
        send("cancelled", {"event": event, "name": name}, email)
    return len(recipients)
