"""Writes for events and registrations. Views, the API, tasks and commands call these.

Registration decides seats under a lock on the event row: `select_for_update` on PostgreSQL;
on SQLite every transaction is IMMEDIATE (settings.DATABASES), so writers queue for the write
lock. The unique (event, seat) constraint on Registration backs this up in the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.core import consent
from quartier.core.tasks import enqueue_on_commit
from quartier.core.text import german_slug
from quartier.events import booking, mail
from quartier.events.importer import IMPORTED_FIELDS
from quartier.events.models import (
    Event,
    EventStatus,
    Registration,
    RegistrationStatus,
    Shift,
    ShiftSignup,
)

# Fields whose change subscribers must learn about (iCal SEQUENCE is raised).
ICAL_FIELDS = {
    "title", "description", "starts_at", "ends_at", "all_day", "place_name", "street",
    "postcode", "city", "lat", "lon", "status", "room",
}  # fmt: skip
# An imported event's fields that only its source calendar changes: what the import writes, and
# the room (the import moves times without re-booking it).
FEED_OWNED_FIELDS = IMPORTED_FIELDS | {"room"}


def unique_slug(title: str, starts_at, *, exclude_pk: int | None = None) -> str:
    base = german_slug(f"{title} {timezone.localtime(starts_at):%Y-%m-%d}")[:200] or "event"
    slug, number = base, 2
    others = Event.objects.exclude(pk=exclude_pk) if exclude_pk else Event.objects.all()
    while others.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _set_relations(event: Event, relations: dict[str, Iterable[Any] | None]) -> None:
    for name, values in relations.items():
        if values is not None:
            getattr(event, name).set(values)


@transaction.atomic
def event_create(
    *,
    fields: dict[str, Any],
    user=None,
    organisations: Iterable[Any] = (),
    areas: Iterable[Any] = (),
    target_groups: Iterable[Any] = (),
    bodies: Iterable[Any] = (),
) -> Event:
    """Create an event; if it is held in a venue room, book the room in the same transaction
    (a conflicting booking refuses the event with the slot named)."""
    booking.fill_place_from_room(fields)
    event = Event(**fields, created_by=user if user and user.is_authenticated else None)
    if not event.slug:
        event.slug = unique_slug(event.title, event.starts_at)
    event.full_clean(exclude=["uid"])
    event.save()
    _set_relations(
        event,
        {
            "organisations": organisations,
            "areas": areas,
            "target_groups": target_groups,
            "bodies": bodies,
        },
    )
    booking.book_room(event=event, user=user)
    return event


@transaction.atomic
def event_update(
    *,
    event: Event,
    fields: dict[str, Any],
    user=None,
    organisations: Iterable[Any] | None = None,
    areas: Iterable[Any] | None = None,
    target_groups: Iterable[Any] | None = None,
    bodies: Iterable[Any] | None = None,
) -> Event:
    """Change an event. A change subscribers see raises the iCal SEQUENCE; a changed room or
    time re-books the room. An imported event keeps what its source calendar says
    (FEED_OWNED_FIELDS): the next import would overwrite a change, so it is refused."""
    booking.fill_place_from_room(fields)
    before = Event.objects.select_for_update().get(pk=event.pk)
    changed = [name for name, value in fields.items() if getattr(before, name) != value]
    if before.source_feed_id and set(changed) & FEED_OWNED_FIELDS:
        raise ValidationError(
            _(
                "This event is imported from an iCal feed: title, time, place and description "
                "can only be changed in the source calendar."
            )
        )
    for name in changed:
        setattr(event, name, fields[name])
    if set(changed) & ICAL_FIELDS:
        event.sequence = before.sequence + 1
        changed.append("sequence")
    event.full_clean(exclude=["uid", "slug"])
    if changed:
        event.save(update_fields=[*changed, "updated_at"])
    _set_relations(
        event,
        {
            "organisations": organisations,
            "areas": areas,
            "target_groups": target_groups,
            "bodies": bodies,
        },
    )
    if {"room", "starts_at", "ends_at"} & set(changed):
        booking.rebook_room(event=event, user=user)
    return event


@transaction.atomic
def event_cancel(*, event: Event, user=None) -> Event:
    """Cancel: STATUS:CANCELLED in the feeds, the room freed, everyone registered or signed up
    for a shift told by mail."""
    event = Event.objects.select_for_update().get(pk=event.pk)
    if event.is_cancelled:
        return event
    if event.source_feed_id:  # the next import would schedule it again
        raise ValidationError(
            _(
                "An imported event is cancelled in its source calendar. To take it off the "
                "calendar here, stop publishing it."
            )
        )
    event.status = EventStatus.CANCELLED
    event.cancelled_at = timezone.now()
    event.sequence += 1
    event.save(update_fields=["status", "cancelled_at", "sequence", "updated_at"])
    booking.free_room(event=event, user=user)
    enqueue_on_commit(mail.send_event_cancelled, event.pk)
    return event


def _free_seats(event: Event) -> list[int]:
    taken = set(
        Registration.objects.filter(event=event, seat__isnull=False).values_list("seat", flat=True)
    )
    return [seat for seat in range(1, (event.capacity or 0) + 1) if seat not in taken]


@transaction.atomic
def registration_create(
    *, event: Event, name: str, email: str, consent_text: str = ""
) -> Registration:
    """Register for an event: a free seat confirms, a full event puts on the waiting list.
    `consent_text`: the consent as the form showed it, kept as a core.ConsentRecord.

    An address already registered (or waiting) gets no second registration: its existing one
    is returned and a mail tells the address so, with its cancel link. Callers answer alike
    in both cases, so that the form does not tell who takes part (issue 19).
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_open():
        raise ValidationError(_("Registration for this event is closed."))
    email = email.strip().lower()
    existing = (
        Registration.objects.filter(event=event, email=email)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if existing is not None:
        enqueue_on_commit(mail.send_registration_mail, existing.pk, "already")
        return existing
    free = _free_seats(event)
    registration = Registration(
        event=event,
        name=name.strip(),
        email=email,
        status=RegistrationStatus.CONFIRMED if free else RegistrationStatus.WAITLISTED,
        seat=free[0] if free else None,
    )
    registration.full_clean(exclude=["event"])
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError as exc:
        # Only reachable if the lock above did not serialise writers (a misconfigured DB).
        raise ValidationError(_("Please try again: the places have just changed.")) from exc
    if consent_text:
        consent.record(registration, purpose="events.registration", text=consent_text)
    enqueue_on_commit(mail.send_registration_mail, registration.pk, registration.status)
    return registration


@transaction.atomic
def registration_cancel(*, registration: Registration) -> list[Registration]:
    """Cancel a registration and promote from the waiting list into the freed seats.

    Returns the promoted registrations (each is told by mail)."""
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == RegistrationStatus.CANCELLED:
        return []
    registration.status = RegistrationStatus.CANCELLED
    registration.seat = None
    registration.cancelled_at = timezone.now()
    registration.save(update_fields=["status", "seat", "cancelled_at"])
    if event.is_cancelled or event.starts_at <= timezone.now():
        return []
    promoted = []
    waiting = Registration.objects.filter(event=event, status=RegistrationStatus.WAITLISTED)
    for seat, candidate in zip(
        _free_seats(event), waiting.order_by("created_at", "pk"), strict=False
    ):
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.seat = seat
        candidate.save(update_fields=["status", "seat"])
        enqueue_on_commit(mail.send_registration_mail, candidate.pk, "promoted")
        promoted.append(candidate)
    return promoted


@transaction.atomic
def shift_signup_create(
    *,
    shift: Shift,
    first_name: str,
    email: str,
    last_name: str = "",
    show_name: bool = False,
    user=None,
) -> ShiftSignup:
    """Sign up for a helper shift while it still needs helpers. The first name appears on the
    event page only with `show_name`; the helper is mailed a confirmation with the cancel link."""
    Event.objects.select_for_update().filter(pk=shift.event_id).first()
    event = shift.event
    if event.is_cancelled or shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift is no longer open."))
    if ShiftSignup.objects.filter(shift=shift).count() >= shift.needed:
        raise ValidationError(_("This shift already has enough helpers."))
    email = email.strip().lower()
    existing = ShiftSignup.objects.filter(shift=shift, email=email).first()
    if existing is not None:
        # Answered like a new sign-up: the form must not tell who helps (issue 19).
        return existing
    signup = ShiftSignup(
        shift=shift,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        email=email,
        show_name=bool(show_name),
        user=user if user is not None and user.is_authenticated else None,
    )
    signup.full_clean(exclude=["shift", "user"])
    signup.save()
    enqueue_on_commit(mail.send_signup_confirmation, signup.pk)
    return signup


@transaction.atomic
def shift_signup_cancel(*, signup: ShiftSignup) -> None:
    signup.delete()
