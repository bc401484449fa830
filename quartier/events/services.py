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
from quartier.events import booking, mail, tokens
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
    topics: Iterable[Any] = (),
) -> Event:
    """Create an event; if it is held in a venue room, book the room in the same transaction
    (a conflicting booking refuses the event with the slot named)."""
    booking.fill_place_from_room(fields)
    event = Event(**fields, created_by=user if user and user.is_authenticated else None)
    if event.is_published:
        event.first_published_at = timezone.now()
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
            "topics": topics,
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
    topics: Iterable[Any] | None = None,
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
    if event.is_published and before.first_published_at is None:
        # Published for the first time: event alerts announce it from now on (once).
        event.first_published_at = timezone.now()
        changed.append("first_published_at")
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
            "topics": topics,
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


def address_proven(user, email: str) -> bool:
    """May this request hold a place at once? Only a logged-in account whose e-mail address is
    verified (accounts.User.email_verified_at), registering that very address: anyone else
    confirms by the mailed link first (issue 19)."""
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "email_verified_at", None)
        and (user.email or "").strip().lower() == email.strip().lower()
    )


def pending_expired(created_at, now=None) -> bool:
    return created_at <= (now or timezone.now()) - tokens.confirm_max_age()


def _take_place(event: Event, registration: Registration) -> None:
    """A free seat confirms, a full event puts on the waiting list. The caller holds the event's
    lock (select_for_update) and saves."""
    free = _free_seats(event)
    registration.status = RegistrationStatus.CONFIRMED if free else RegistrationStatus.WAITLISTED
    registration.seat = free[0] if free else None
    registration.confirmed_at = timezone.now()


def _save(registration: Registration, **kwargs: Any) -> None:
    try:
        with transaction.atomic():
            registration.save(**kwargs)
    except IntegrityError as exc:
        # Only reachable if the lock above did not serialise writers (a misconfigured DB).
        raise ValidationError(_("Please try again: the places have just changed.")) from exc


@transaction.atomic
def registration_create(
    *, event: Event, name: str, email: str, consent_text: str = "", user=None
) -> Registration:
    """Register for an event. `consent_text`: the consent as the form showed it, kept as a
    core.ConsentRecord.

    Anonymous registrations (and those for an address the account has not proven) are stored
    as pending: they hold no place and no waiting-list position until the link mailed to the
    address confirms them (registration_confirm), and expire after QUARTIER_EVENTS_CONFIRM_HOURS.
    A logged-in user with a verified address (address_proven) takes a place at once: a free
    seat confirms, a full event puts on the waiting list.

    An address already registered (or waiting, or pending) gets no second registration: its
    existing one is returned and a mail tells the address so (pending: the confirmation link
    again). Callers answer alike in every case, so that the form does not tell who takes part.
    """
    event = Event.objects.select_for_update().get(pk=event.pk)
    if not event.registration_open():
        raise ValidationError(_("Registration for this event is closed."))
    email = email.strip().lower()
    proven = address_proven(user, email)
    existing = (
        Registration.objects.filter(event=event, email=email)
        .exclude(status=RegistrationStatus.CANCELLED)
        .first()
    )
    if existing is not None and existing.status == RegistrationStatus.PENDING:
        if proven:
            _take_place(event, existing)
            _save(existing, update_fields=["status", "seat", "confirmed_at"])
            enqueue_on_commit(mail.send_registration_mail, existing.pk, existing.status)
            return existing
        if pending_expired(existing.created_at):
            # Never confirmed: it goes (the purge would take it), and the request starts anew.
            existing.delete()
            existing = None
        else:
            enqueue_on_commit(mail.send_registration_confirmation, existing.pk)
            return existing
    if existing is not None:
        enqueue_on_commit(mail.send_registration_mail, existing.pk, "already")
        return existing
    registration = Registration(
        event=event, name=name.strip(), email=email, status=RegistrationStatus.PENDING
    )
    if proven:
        _take_place(event, registration)
    registration.full_clean(exclude=["event"])
    _save(registration)
    if consent_text:
        consent.record(registration, purpose="events.registration", text=consent_text)
    if registration.status == RegistrationStatus.PENDING:
        enqueue_on_commit(mail.send_registration_confirmation, registration.pk)
    else:
        enqueue_on_commit(mail.send_registration_mail, registration.pk, registration.status)
    return registration


class ConfirmationExpired(ValidationError):
    """The pending registration or sign-up waited longer than QUARTIER_EVENTS_CONFIRM_HOURS."""


@transaction.atomic
def registration_confirm(*, registration: Registration) -> tuple[Registration, bool]:
    """Confirm a pending registration by its mailed link: it takes a place or a waiting-list
    position now, under the event's lock like a registration at once.

    Returns (registration, changed): `changed` is False for a link used before (the
    registration is confirmed, waiting or cancelled already). ConfirmationExpired when the
    registration waited too long, ValidationError when registration has closed meanwhile.
    """
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != RegistrationStatus.PENDING:
        return registration, False
    if pending_expired(registration.created_at):
        raise ConfirmationExpired(_("This confirmation link has expired."))
    if not event.registration_open():
        raise ValidationError(_("Registration for this event is closed."))
    _take_place(event, registration)
    _save(registration, update_fields=["status", "seat", "confirmed_at"])
    enqueue_on_commit(mail.send_registration_mail, registration.pk, registration.status)
    return registration, True


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
    # In the order the places were asked for: when each address was confirmed.
    for seat, candidate in zip(
        _free_seats(event), waiting.order_by("confirmed_at", "created_at", "pk"), strict=False
    ):
        candidate.status = RegistrationStatus.CONFIRMED
        candidate.seat = seat
        candidate.save(update_fields=["status", "seat"])
        enqueue_on_commit(mail.send_registration_mail, candidate.pk, "promoted")
        promoted.append(candidate)
    return promoted


def _shift_full(shift: Shift) -> bool:
    confirmed = ShiftSignup.objects.filter(shift=shift, confirmed_at__isnull=False).count()
    return confirmed >= shift.needed


def _shift_open(shift: Shift) -> None:
    if shift.event.is_cancelled or shift.starts_at <= timezone.now():
        raise ValidationError(_("This shift is no longer open."))
    if _shift_full(shift):
        raise ValidationError(_("This shift already has enough helpers."))


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
    event page only with `show_name`.

    Like a registration (registration_create), an anonymous sign-up takes no place in the shift
    until the link mailed to the address confirms it (shift_signup_confirm); a logged-in user
    with a verified address is signed up at once and mailed the confirmation with the cancel
    link."""
    Event.objects.select_for_update().filter(pk=shift.event_id).first()
    shift = Shift.objects.select_related("event").get(pk=shift.pk)
    _shift_open(shift)
    email = email.strip().lower()
    proven = address_proven(user, email)
    existing = ShiftSignup.objects.filter(shift=shift, email=email).first()
    if existing is not None and existing.confirmed_at is None:
        if proven:
            existing.confirmed_at = timezone.now()
            existing.save(update_fields=["confirmed_at"])
            enqueue_on_commit(mail.send_signup_confirmation, existing.pk)
            return existing
        if pending_expired(existing.created_at):
            existing.delete()
            existing = None
        else:
            enqueue_on_commit(mail.send_signup_confirm_request, existing.pk)
            return existing
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
        confirmed_at=timezone.now() if proven else None,
    )
    signup.full_clean(exclude=["shift", "user"])
    signup.save()
    if proven:
        enqueue_on_commit(mail.send_signup_confirmation, signup.pk)
    else:
        enqueue_on_commit(mail.send_signup_confirm_request, signup.pk)
    return signup


@transaction.atomic
def shift_signup_confirm(*, signup: ShiftSignup) -> tuple[ShiftSignup, bool]:
    """Confirm a pending sign-up by its mailed link, if the shift still needs helpers.

    Returns (signup, changed): False for a link used before. ConfirmationExpired when it waited
    too long; ValidationError when the shift is full, over or cancelled meanwhile."""
    Event.objects.select_for_update().filter(pk=signup.shift.event_id).first()
    signup = ShiftSignup.objects.select_related("shift__event").get(pk=signup.pk)
    if signup.confirmed_at is not None:
        return signup, False
    if pending_expired(signup.created_at):
        raise ConfirmationExpired(_("This confirmation link has expired."))
    _shift_open(signup.shift)
    signup.confirmed_at = timezone.now()
    signup.save(update_fields=["confirmed_at"])
    enqueue_on_commit(mail.send_signup_confirmation, signup.pk)
    return signup, True


@transaction.atomic
def shift_signup_cancel(*, signup: ShiftSignup) -> None:
    signup.delete()
