"""Personal data of events for the DSGVO registry (core/privacy.py); docs/privacy-events.md.

Erasure: a registration or helper sign-up for an event still to come is cancelled (its seat
goes to the waiting list, its shift place is free again); every registration is then kept
without name and address, so that the event's figures (registered, waiting, cancelled) stay
right until the retention period deletes the rows. Helper sign-ups of past shifts are kept the
same way (no name, no address, no login)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quartier.core import consent
from quartier.core.privacy import Category, Subject, erased_address, rows
from quartier.events.models import Registration, RegistrationStatus, ShiftSignup
from quartier.events.services import registration_cancel, shift_signup_cancel

RETENTION = _("deleted QUARTIER_EVENTS_RETENTION_DAYS (default 30) days after the event")

CATEGORIES = [
    Category(
        key="events.registration",
        name=_("Event registrations"),
        purpose=_("Places and waiting list of an event, mails about it"),
        data=_("name, e-mail address, status, seat, times"),
        subjects=_("residents and guests"),
        recipients=_("the event's organisers (back office)"),
        retention=RETENTION,
        legal_basis=_("Art. 6(1)(a) DSGVO (consent on the registration form)"),
        kept=_("the registration without name and address, for the event's figures"),
    ),
    Category(
        key="events.shift_signup",
        name=_("Helper sign-ups"),
        purpose=_("The shift plan of an event and the reminder the day before"),
        data=_("first and last name, e-mail address, account, times"),
        subjects=_("volunteers"),
        recipients=_("the event's organisers; the public sees the first name"),
        retention=RETENTION,
        legal_basis=_("Art. 6(1)(a) DSGVO (consent on the sign-up form)"),
        kept=_("past shifts: the sign-up without name, address and account"),
    ),
]


def _registrations(subject: Subject):
    return (
        Registration.objects.filter(email__iexact=subject.email)
        .select_related("event")
        .prefetch_related("consents")
    )


def _signups(subject: Subject):
    match = Q(email__iexact=subject.email)
    if subject.user is not None:
        match |= Q(user=subject.user)
    return ShiftSignup.objects.filter(match).select_related("shift__event")


def export(subject: Subject) -> dict[str, list[dict[str, Any]]]:
    return {
        "events.registration": rows(
            _registrations(subject),
            [
                "event.title",
                "event.starts_at",
                "name",
                "email",
                ("status", lambda r: r.get_status_display()),
                "seat",
                "created_at",
                "confirmed_at",
                "cancelled_at",
                ("consent", consent.describe),
            ],
        ),
        "events.shift_signup": rows(
            _signups(subject),
            [
                "shift.event.title",
                "shift.title",
                "shift.starts_at",
                "first_name",
                "last_name",
                "email",
                "created_at",
                "confirmed_at",
                "reminded_at",
            ],
        ),
    }


def erase(subject: Subject) -> dict[str, int]:
    now = timezone.now()
    registrations = list(_registrations(subject))
    for registration in registrations:
        if registration.status != RegistrationStatus.CANCELLED and registration.event.ends_at > now:
            registration_cancel(registration=registration)
        Registration.objects.filter(pk=registration.pk).update(
            name="", email=erased_address(f"r{registration.pk}")
        )
    signups = 0
    for signup in _signups(subject):
        signups += 1
        if signup.shift.starts_at > now:
            shift_signup_cancel(signup=signup)
        else:
            ShiftSignup.objects.filter(pk=signup.pk).update(
                first_name="", last_name="", email=erased_address(f"s{signup.pk}"), user=None
            )
    return {"events.registration": len(registrations), "events.shift_signup": signups}
