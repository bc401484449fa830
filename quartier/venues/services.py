"""Writes for rooms and bookings. Views, the API, the events app and commands call these.

Public interface used by other apps (keep the signatures stable):

- `booking_create(...)` -> Booking. Raises `BookingConflict` (a ValidationError naming the
  conflicting slot; `DatesRefused`, its subclass, lists every refused date with its reason)
  or `ValidationError` (rule broken, bad input).
- `booking_cancel(booking=..., by=..., reason=...)` -> Booking.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartier.core.consent import record as record_consent
from quartier.core.tasks import enqueue_on_commit
from quartier.venues import booking_checks, mail, slots, tokens
from quartier.venues.booking_checks import DateConflict, check_rules, check_shape
from quartier.venues.models import (
    ApprovalPolicy,
    Booking,
    BookingException,
    BookingSource,
    BookingStatus,
    Occupancy,
    Room,
    RoomPhoto,
    Venue,
)
from quartier.venues.rules import manages_venue
from quartier.venues.slots import format_slot


@dataclass(frozen=True)
class Requester:
    """Contact of a public requester (personal data: see docs/privacy-venues.md)."""

    name: str
    email: str
    phone: str = ""
    group: str = ""


class BookingConflict(ValidationError):
    """The room is taken; `slot_start`/`slot_end` name the occurrence that holds it."""

    def __init__(
        self,
        *,
        room: Room,
        slot_start: dt.datetime,
        slot_end: dt.datetime,
        message: str | None = None,
    ):
        self.room = room
        self.slot_start = slot_start
        self.slot_end = slot_end
        super().__init__(
            message
            or _("%(room)s is already booked on %(slot)s.")
            % {"room": room.name, "slot": format_slot(slot_start, slot_end)},
            code="conflict",
        )


class DatesRefused(BookingConflict):
    """Dates of a booking that cannot be held, each with its real reason (`conflicts`, one per
    date in date order; booking_checks.describe words them); `total` is the number of dates
    the booking has. `taken` is True when another booking holds one of them (the API answers
    409 then, else 422). `slot_start`/`slot_end` name the first other booking in the way."""

    def __init__(self, *, room: Room, conflicts: list[DateConflict], total: int):
        self.conflicts = conflicts
        self.total = total
        first = conflicts[0]
        reason = booking_checks.describe(first, room=room)
        if total == 1:
            message = reason
        else:
            message = ngettext(
                "%(count)d of %(total)d dates cannot be booked; the first on %(slot)s: %(reason)s",
                "%(count)d of %(total)d dates cannot be booked; the first on %(slot)s: %(reason)s",
                len(conflicts),
            ) % {
                "count": len(conflicts),
                "total": total,
                "slot": format_slot(first.start, first.end),
                "reason": reason,
            }
        held = next((c for c in conflicts if c.other_start is not None), first)
        super().__init__(
            room=room,
            slot_start=held.other_start or held.start,
            slot_end=held.other_end or held.end,
            message=message,
        )

    @property
    def taken(self) -> bool:
        return any(c.other_booking_id is not None for c in self.conflicts)


class ConfirmationExpired(ValidationError):
    """The unconfirmed request waited longer than QUARTIER_VENUES_CONFIRM_HOURS."""


def address_proven(user, email: str) -> bool:
    """May a public request hold its slot at once? Only from a logged-in account whose e-mail
    address is verified, for that very address (as events.services.address_proven): anyone
    else confirms by the mailed link first (issue 19)."""
    return bool(
        user is not None
        and user.is_authenticated
        and getattr(user, "email_verified_at", None)
        and (user.email or "").strip().lower() == email.strip().lower()
    )


def _initial_status(room: Room, source: str, by) -> str:
    if source == BookingSource.PUBLIC:
        return BookingStatus.REQUESTED
    if by is not None and manages_venue(by, room):
        return BookingStatus.CONFIRMED
    if room.approval == ApprovalPolicy.PUBLIC:
        return BookingStatus.CONFIRMED
    return BookingStatus.REQUESTED


@transaction.atomic
def booking_create(
    *,
    room: Room,
    start: dt.datetime,
    end: dt.datetime,
    title: str,
    created_by=None,
    organisation=None,
    requester: Requester | None = None,
    consent: bool = False,
    consent_text: str = "",
    recurrence: str = "",
    recurrence_until: dt.date | None = None,
    source: str = BookingSource.BACKOFFICE,
    notes: str = "",
    attendees: int | None = None,
    enforce_rules: bool = True,
    skip: Iterable[dt.datetime] = (),
    now: dt.datetime | None = None,
) -> Booking:
    """Book `room` from `start` to `end` (aware datetimes), once or as a series.

    `recurrence` is an RRULE body in local wall time ("FREQ=WEEKLY;INTERVAL=2;BYDAY=TU");
    `recurrence_until` (a local date, inclusive) ends it, else it is held on a rolling horizon.
    `skip`: dates of the series not to book (the refused dates the user agreed to leave out);
    they become exceptions, and every other date must be free or nothing is written.
    The status follows the room's approval policy (venue managers' bookings are confirmed;
    public requests always need approval). With `enforce_rules=False` (callers that checked
    the user may override: venue managers, imports) lead time, window, maximum length,
    capacity, opening hours and closing days are not checked; double booking is refused
    regardless.

    A public request by anyone but an account with that verified address is stored
    UNCONFIRMED: it holds no slot until the mailed link confirms it (booking_confirm_request);
    a slot taken already is refused at once all the same.
    Mails go out after commit (tasks). Raises DatesRefused (a BookingConflict) or
    ValidationError.
    """
    now = now or timezone.now()
    if source == BookingSource.PUBLIC:
        if requester is None or not consent:
            raise ValidationError(_("A public request needs contact details and consent."))
        if not room.public_requests:
            raise ValidationError(_("This room cannot be requested publicly."))
    check_shape(room=room, start=start, end=end, title=title, until=recurrence_until)
    horizon = None if recurrence_until else now + dt.timedelta(days=slots.ROLLING_HORIZON_DAYS)
    try:
        dates = slots.occurrences(start, end, recurrence, recurrence_until, horizon)
    except ValueError as exc:
        raise ValidationError({"recurrence": _("The repetition rule is not valid.")}) from exc
    if not dates:
        raise ValidationError({"recurrence": _("The repetition has no dates.")})
    left_out = {moment.astimezone(slots.UTC) for moment in skip} if recurrence else set()
    left_out &= {occurrence.start for occurrence in dates}
    occurrences = [occurrence for occurrence in dates if occurrence.start not in left_out]
    if not occurrences:
        raise ValidationError({"recurrence": _("No date of the series is left to book.")})
    if enforce_rules:
        is_manager = created_by is not None and manages_venue(created_by, room)
        check_rules(
            room=room, occurrences=occurrences, now=now, is_manager=is_manager, attendees=attendees
        )
        refused = booking_checks.rule_conflicts(room=room, occurrences=occurrences)
        if refused:
            _refuse(room, occurrences, refused)
    unconfirmed = source == BookingSource.PUBLIC and not address_proven(
        created_by, requester.email if requester else ""
    )
    if unconfirmed:
        # Holds nothing yet, but a slot taken already is refused now, not after the mail.
        _refuse(room, occurrences, {})
    booking = Booking(
        room=room,
        title=title.strip(),
        notes=notes,
        attendees=attendees,
        status=BookingStatus.UNCONFIRMED
        if unconfirmed
        else _initial_status(room, source, created_by),
        source=source,
        start=start,
        end=end,
        recurrence=recurrence.strip().removeprefix("RRULE:"),
        recurrence_until=recurrence_until if recurrence else None,
        expanded_until=horizon if recurrence and not recurrence_until else None,
        organisation=organisation,
        created_by=created_by,
        consent_at=now if consent else None,
        email_confirmed_at=now if source == BookingSource.PUBLIC and not unconfirmed else None,
    )
    if requester is not None:
        booking.requester_name = requester.name
        booking.requester_email = requester.email
        booking.requester_phone = requester.phone
        booking.requester_group = requester.group
    booking.save()
    if consent and consent_text:
        record_consent(booking, purpose="venues.request", text=consent_text)
    if unconfirmed:
        _notify(booking, "confirm")
        return booking
    if left_out:
        BookingException.objects.bulk_create(
            BookingException(booking=booking, occurrence_start=moment, reason="conflict")
            for moment in sorted(left_out)
        )
    _hold(booking, occurrences)
    _notify(booking, "created")
    return booking


def _refuse(
    room: Room,
    occurrences: list[slots.Occurrence],
    refused: dict[dt.datetime, DateConflict],
) -> None:
    """Raise DatesRefused with every refused date (rules and other bookings), if any."""
    conflicts = booking_checks.merge(
        refused, booking_checks.occupancy_conflicts(room=room, occurrences=occurrences)
    )
    if conflicts:
        raise DatesRefused(room=room, conflicts=conflicts, total=len(occurrences))


@transaction.atomic
def booking_confirm_request(
    *, booking: Booking, now: dt.datetime | None = None
) -> tuple[Booking, bool]:
    """Confirm an anonymous request by its mailed link: only now does it hold its slot, through
    the same cells as any booking (the unique constraint decides who was first), and only now
    is the venue told.

    Returns (booking, changed): False for a link used before. ConfirmationExpired when the
    request waited longer than QUARTIER_VENUES_CONFIRM_HOURS; DatesRefused when the slot was
    taken (or closed) meanwhile; ValidationError when the time has passed or the room can no
    longer be requested. Nothing is written in any of those cases.
    """
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.UNCONFIRMED:
        return booking, False
    if booking.created_at <= now - tokens.confirm_max_age():
        raise ConfirmationExpired(_("This confirmation link has expired."))
    room = Room.objects.select_related("venue").get(pk=booking.room_id)
    if not room.is_active or not room.venue.is_active or not room.public_requests:
        raise ValidationError(_("This room cannot be requested at the moment."))
    if booking.start <= now:
        raise ValidationError(_("The requested time has passed."))
    occurrences = slots.occurrences(
        booking.start,
        booking.end,
        booking.recurrence,
        booking.recurrence_until,
        booking.expanded_until,
        booking.exceptions.values_list("occurrence_start", flat=True),
    )
    refused = booking_checks.rule_conflicts(room=room, occurrences=occurrences)
    if refused:
        _refuse(room, occurrences, refused)
    booking.room = room
    booking.status = BookingStatus.REQUESTED
    booking.email_confirmed_at = now
    booking.save(update_fields=["status", "email_confirmed_at"])
    _hold(booking, occurrences)
    _notify(booking, "created")
    return booking, True


def _hold(booking: Booking, occurrences: list[slots.Occurrence]) -> None:
    """Insert the cells; the unique constraint refuses any cell another booking holds."""
    rows = [
        Occupancy(
            room_id=booking.room_id,
            booking=booking,
            cell_start=cell,
            occurrence_start=occurrence.start,
            occurrence_end=occurrence.end,
            is_buffer=is_buffer,
        )
        for occurrence in occurrences
        for cell, is_buffer in slots.cells(
            occurrence.start, occurrence.end, booking.room.buffer_minutes
        )
    ]
    try:
        with transaction.atomic():
            Occupancy.objects.bulk_create(rows, batch_size=500)
    except IntegrityError:
        raise _conflict(booking.room, occurrences, [row.cell_start for row in rows]) from None


def _conflict(
    room: Room, occurrences: list[slots.Occurrence], wanted: list[dt.datetime]
) -> BookingConflict:
    conflicts = booking_checks.occupancy_conflicts(room=room, occurrences=occurrences)
    if conflicts:
        return DatesRefused(
            room=room, conflicts=booking_checks.merge(conflicts), total=len(occurrences)
        )
    # The other booking was rolled back in the meantime; still refuse rather than retry.
    return BookingConflict(room=room, slot_start=wanted[0], slot_end=wanted[-1] + slots.CELL)


def _release(booking: Booking, *, after: dt.datetime | None = None) -> None:
    held = Occupancy.objects.filter(booking=booking)
    if after is not None:
        held = held.filter(occurrence_start__gte=after)
    held.delete()


def _decide(booking: Booking, *, status: str, by, note: str, now: dt.datetime) -> None:
    booking.status = status
    booking.decided_by = by
    booking.decided_at = now
    booking.decision_note = note
    booking.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])


@transaction.atomic
def booking_approve(*, booking: Booking, by, note: str = "") -> Booking:
    """Confirm a requested booking (its cells are held already) and tell the requester."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("Only requested bookings can be approved."))
    _decide(booking, status=BookingStatus.CONFIRMED, by=by, note=note, now=timezone.now())
    _notify(booking, "approved")
    return booking


@transaction.atomic
def booking_reject(*, booking: Booking, by, reason: str = "") -> Booking:
    """Turn a request down, free its slots and tell the requester why."""
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if booking.status != BookingStatus.REQUESTED:
        raise ValidationError(_("Only requested bookings can be rejected."))
    _decide(booking, status=BookingStatus.REJECTED, by=by, note=reason, now=timezone.now())
    _release(booking)
    _notify(booking, "rejected")
    return booking


@transaction.atomic
def booking_cancel(*, booking: Booking, by=None, reason: str = "", notify: bool = True) -> Booking:
    """Cancel a booking (all its occurrences) and free its slots.

    `by` is the user who cancels, or None for the public requester (signed link) or the
    system. The other side is told: the requester when the venue cancels, the venue when the
    requester does. Cancelling a cancelled or rejected booking is a no-op.
    """
    booking = Booking.objects.select_for_update().get(pk=booking.pk)
    if not booking.is_active:
        return booking
    _decide(booking, status=BookingStatus.CANCELLED, by=by, note=reason, now=timezone.now())
    _release(booking)
    if notify:
        by_venue = by is not None and manages_venue(by, booking.room)
        _notify(booking, "cancelled_by_venue" if by_venue else "cancelled_by_requester")
    return booking


@transaction.atomic
def booking_skip_occurrence(*, booking: Booking, occurrence_start: dt.datetime, reason: str = ""):
    """Add an exception to a series: that occurrence does not take place; its slot is free."""
    if not booking.is_recurring:
        raise ValidationError(_("Only a series has occurrences to skip."))
    held = Occupancy.objects.filter(booking=booking, occurrence_start=occurrence_start)
    if not held.exists():
        raise ValidationError(_("The series has no occurrence at that time."))
    exception, _created = BookingException.objects.get_or_create(
        booking=booking, occurrence_start=occurrence_start, defaults={"reason": reason}
    )
    held.delete()
    return exception


@transaction.atomic
def booking_extend_series(*, booking: Booking, now: dt.datetime | None = None) -> list:
    """Hold the next occurrences of an open-ended series up to the rolling horizon.

    An occurrence whose slot another booking took in the meantime (only possible if this did
    not run for longer than the gap between horizon and booking window) is skipped with an
    exception rather than failing the series; the skipped starts are returned.
    """
    now = now or timezone.now()
    booking = Booking.objects.select_for_update().select_related("room").get(pk=booking.pk)
    if not booking.is_active or booking.recurrence_until or not booking.recurrence:
        return []
    horizon = now + dt.timedelta(days=slots.ROLLING_HORIZON_DAYS)
    done = booking.expanded_until or booking.start
    skip = list(booking.exceptions.values_list("occurrence_start", flat=True))
    fresh = [
        occurrence
        for occurrence in slots.occurrences(
            booking.start, booking.end, booking.recurrence, None, horizon, skip
        )
        if occurrence.start > done
    ]
    skipped = []
    for occurrence in fresh:
        try:
            _hold(booking, [occurrence])
        except BookingConflict:
            BookingException.objects.create(
                booking=booking, occurrence_start=occurrence.start, reason="conflict"
            )
            skipped.append(occurrence.start)
    booking.expanded_until = horizon
    booking.save(update_fields=["expanded_until"])
    if skipped:
        _notify(booking, "occurrences_skipped")
    return skipped


@transaction.atomic
def booking_erase_personal_data(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> int:
    """Blank the public requester's contact data `days` after the booking is over or decided.

    Over = the last held occurrence has ended (series without end: never while active).
    Returns the number of bookings erased (with `dry_run`, that would be erased).
    """
    now = now or timezone.now()
    days = days if days is not None else getattr(settings, "VENUES_REQUESTER_RETENTION_DAYS", 30)
    cutoff = now - dt.timedelta(days=days)
    candidates = Booking.objects.filter(personal_data_erased_at__isnull=True).exclude(
        requester_name="", requester_email="", requester_phone=""
    )
    finished = candidates.filter(status__in=[BookingStatus.REJECTED, BookingStatus.CANCELLED])
    finished = finished.filter(decided_at__lt=cutoff)
    past = candidates.filter(
        status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED], recurrence_until__isnull=True
    ).filter(recurrence="", end__lt=cutoff)
    series = candidates.filter(
        status__in=[BookingStatus.REQUESTED, BookingStatus.CONFIRMED],
        recurrence_until__lt=cutoff.date(),
    )
    ids = set(finished.values_list("pk", flat=True))
    ids |= set(past.values_list("pk", flat=True)) | set(series.values_list("pk", flat=True))
    if dry_run:
        return len(ids)
    blank = {
        "requester_name": "",
        "requester_email": "",
        "requester_phone": "",
        "requester_group": "",
    }
    erased = Booking.objects.filter(pk__in=ids).update(**blank, personal_data_erased_at=now)
    # The history keeps every saved state of a booking: blank the same data there (for every
    # erased booking), and drop the history of bookings deleted more than `days` ago.
    Booking.history.filter(
        id__in=Booking.objects.filter(personal_data_erased_at__isnull=False).values("pk")
    ).exclude(**blank).update(**blank)
    Booking.history.filter(history_date__lt=cutoff).exclude(
        id__in=Booking.objects.values("pk")
    ).delete()
    return erased


@transaction.atomic
def room_delete(*, room: Room, now: dt.datetime | None = None) -> None:
    """Delete a room unless it has future bookings (those must be cancelled first, which
    tells each requester). Past bookings go with the room."""
    now = now or timezone.now()
    upcoming = Occupancy.objects.filter(room=room, occurrence_end__gt=now, is_buffer=False)
    first = upcoming.order_by("cell_start").first()
    if first is not None:
        count = upcoming.values("booking").distinct().count()
        raise ValidationError(
            _(
                "The room still has %(count)d upcoming booking(s), the next on %(slot)s. "
                "Cancel them first (the requesters are told) or mark the room as not bookable."
            )
            % {"count": count, "slot": format_slot(first.occurrence_start, first.occurrence_end)}
        )
    room.bookings.all().delete()
    room.delete()


def _notify(booking: Booking, kind: str) -> None:
    enqueue_on_commit(mail.send_booking_mail, booking_id=booking.pk, kind=kind)


@transaction.atomic
def venue_update(*, form, opening_hours, closing_days) -> Venue:
    """Save the venue's data, opening hours and closing days together: all or nothing.
    Takes bound, valid forms (forms.VenueForm and the two inline formsets). Existing bookings
    are kept; the new hours and closing days apply to bookings made from now on."""
    venue = form.save()
    opening_hours.instance = venue
    closing_days.instance = venue
    opening_hours.save()
    closing_days.save()
    return venue


@transaction.atomic
def room_photos_update(*, photos) -> None:
    """Save uploaded, changed and removed photos of a room (a bound, valid RoomPhotoFormSet).
    Removed files are deleted from storage after the commit, so a rollback keeps them."""
    names = [form.instance.image.name for form in photos.deleted_forms if form.instance.pk]
    photos.save()
    storage = RoomPhoto._meta.get_field("image").storage
    for name in names:
        transaction.on_commit(lambda name=name: storage.delete(name))
