"""Writes on meetings: scheduling, series, host rotation, invitations and answers (RSVP)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from quartier.core import recurrence
from quartier.core.tasks import enqueue_on_commit
from quartier.core.tokens import BadToken
from quartier.networks import mail, rotation, tokens
from quartier.networks.models import (
    Body,
    ContactInvitation,
    Delegate,
    HostTurn,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Membership,
)
from quartier.networks.services.agenda import agenda_carry_over
from quartier.networks.services.announce import announce_change

SERIES_HORIZON = datetime.timedelta(days=400)
# Fields whose change calendar clients must learn about (a new SEQUENCE, an update mail).
CALENDAR_FIELDS = {"title", "start", "end", "description"}


def _check_times(body: Body, start, end, *, exclude_pk=None) -> None:
    """Overlapping meetings of one body are refused: one body cannot sit twice at once."""
    if timezone.is_naive(start) or timezone.is_naive(end):
        raise ValidationError(_("Times must carry a time zone."))
    if end <= start:
        raise ValidationError({"end": _("The meeting must end after it starts.")})
    clash = Meeting.objects.overlapping(body.pk, start, end, exclude_pk=exclude_pk).first()
    if clash:
        when = formats.date_format(timezone.localtime(clash.start), "DATETIME_FORMAT")
        raise ValidationError(
            _("%(body)s already meets at that time (%(title)s, %(when)s). Choose another time.")
            % {"body": body, "title": clash.title, "when": when}
        )


@transaction.atomic
def meeting_create(
    *,
    body: Body,
    title: str,
    start: datetime.datetime,
    end: datetime.datetime,
    is_public: bool = True,
    kind: str = MeetingKind.MEETING,
    description: str = "",
    series: MeetingSeries | None = None,
) -> Meeting:
    _check_times(body, start, end)
    meeting = Meeting.objects.create(
        body=body,
        series=series,
        title=title,
        kind=kind,
        description=description,
        start=start,
        end=end,
        is_public=is_public,
        agenda_deadline=start - datetime.timedelta(days=body.agenda_deadline_days),
    )
    return meeting


@transaction.atomic
def series_create(
    *,
    body: Body,
    title: str,
    first_start: datetime.datetime,
    rrule: str,
    duration_minutes: int,
    is_public: bool = True,
    horizon: datetime.timedelta = SERIES_HORIZON,
) -> tuple[MeetingSeries, list[Meeting], list[datetime.datetime]]:
    """Create a series and its meetings for the coming year.

    Occurrences that would overlap an existing meeting of the body are skipped and returned,
    so the page can say which dates were left out.
    """
    rule = recurrence.check(rrule)
    series = MeetingSeries.objects.create(
        body=body,
        title=title,
        rrule=rule,
        first_start=first_start,
        duration_minutes=duration_minutes,
        is_public=is_public,
    )
    created, skipped = series_extend(series=series, until=first_start + horizon)
    return series, created, skipped


@transaction.atomic
def series_extend(
    *, series: MeetingSeries, until: datetime.datetime
) -> tuple[list[Meeting], list[datetime.datetime]]:
    """Create the series' meetings up to `until` that do not exist yet."""
    existing = set(series.meetings.values_list("start", flat=True))
    created: list[Meeting] = []
    skipped: list[datetime.datetime] = []
    duration = datetime.timedelta(minutes=series.duration_minutes)
    for start in recurrence.occurrences(series.rrule, series.first_start, before=until):
        if start in existing:
            continue
        try:
            created.append(
                meeting_create(
                    body=series.body,
                    title=series.title,
                    start=start,
                    end=start + duration,
                    is_public=series.is_public,
                    series=series,
                )
            )
        except ValidationError:
            skipped.append(start)
    return created, skipped


@transaction.atomic
def meeting_update(*, meeting: Meeting, **changes) -> Meeting:
    """Change a meeting; a change of time or text raises SEQUENCE and updates the invitations."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot be changed."))
    start = changes.get("start", meeting.start)
    end = changes.get("end", meeting.end)
    if "start" in changes or "end" in changes:
        _check_times(meeting.body, start, end, exclude_pk=meeting.pk)
    changed = [name for name, value in changes.items() if getattr(meeting, name) != value]
    if not changed:
        return meeting
    for name in changed:
        setattr(meeting, name, changes[name])
    if "start" in changed:
        meeting.agenda_deadline = start - datetime.timedelta(days=meeting.body.agenda_deadline_days)
        changed.append("agenda_deadline")
    if CALENDAR_FIELDS & set(changed) or "is_public" in changed:
        announce_change(meeting, changed)
    else:
        meeting.save(update_fields=[*changed, "updated_at"])
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting, reason: str = "") -> Meeting:
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has already been cancelled."))
    if meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("A meeting that has taken place cannot be cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason[:300]
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
    meeting.host_turns.filter(status=HostTurn.Status.PROPOSED).update(
        status=HostTurn.Status.WITHDRAWN, answered_at=timezone.now()
    )
    if meeting.invitations_sent_at:
        enqueue_on_commit(mail.send_meeting_mail, meeting.pk, "CANCEL", None)
    return meeting


# --- Host rotation ---------------------------------------------------------------------------


def needed_capacity(meeting: Meeting) -> int:
    """People to expect: the current delegates (at least one per member organisation)."""
    on = timezone.localdate(meeting.start)
    memberships = Membership.objects.current(on).filter(body_id=meeting.body_id)
    delegates = Delegate.objects.current(on).filter(membership__in=memberships).count()
    return max(delegates, memberships.count(), 1)


def rotation_candidates(meeting: Meeting) -> list[rotation.Candidate]:
    """Current members with the start of the latest meeting they host or were asked to host.

    A turn still open on another meeting counts as hosting, so that proposing hosts for several
    meetings of a series at once spreads them over the members.
    """
    on = timezone.localdate(meeting.start)
    counted = (
        Q(host_turns__status__in=(HostTurn.Status.ACCEPTED, HostTurn.Status.PROPOSED))
        & ~Q(host_turns__meeting__status=MeetingStatus.CANCELLED)
        & ~Q(host_turns__meeting_id=meeting.pk)
    )
    memberships = (
        Membership.objects.current(on)
        .filter(body_id=meeting.body_id)
        .select_related("organisation")
        .annotate(last_hosted=Max("host_turns__meeting__start", filter=counted))
    )
    return [
        rotation.Candidate(
            membership_id=m.pk,
            name=m.organisation.name,
            room_capacity=m.room_capacity,
            last_hosted=m.last_hosted,
            member_since=m.start_date,
        )
        for m in memberships
    ]


def rotation_plan(meeting: Meeting) -> tuple[int, list[rotation.Step]]:
    """The people to expect and every current member in rotation order, each with why it is
    skipped: its turn for this meeting (`HostTurn.Status`: asked, accepted, passed, withdrawn),
    no room capacity set, or a room too small. A read; the meeting page shows it."""
    needed = needed_capacity(meeting)
    turns = dict(meeting.host_turns.values_list("membership_id", "status"))
    return needed, rotation.plan(
        rotation_candidates(meeting), needed_capacity=needed, excluded=turns
    )


@transaction.atomic
def meeting_propose_host(*, meeting: Meeting) -> HostTurn | None:
    """Ask the next member in the rotation to host; None when nobody with a room is left.

    Members who passed, or whose turn was withdrawn, for this meeting are skipped; a member
    already asked and still to answer keeps the turn.
    """
    if meeting.is_cancelled or meeting.host_id:
        return None
    pending = meeting.host_turns.filter(status=HostTurn.Status.PROPOSED).first()
    if pending:
        return pending
    excluded = set(meeting.host_turns.values_list("membership_id", flat=True))
    choice = rotation.choose_host(
        rotation_candidates(meeting), needed_capacity=needed_capacity(meeting), excluded=excluded
    )
    if choice is None:
        return None
    return HostTurn.objects.create(meeting=meeting, membership_id=choice.membership_id)


@transaction.atomic
def host_turn_answer(*, turn: HostTurn, accept: bool, note: str = "") -> HostTurn:
    """The asked member accepts (their place becomes the location) or passes (next one asked)."""
    if turn.status != HostTurn.Status.PROPOSED:
        raise ValidationError(_("This request to host has already been answered."))
    meeting = turn.meeting
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting has been cancelled."))
    turn.status = HostTurn.Status.ACCEPTED if accept else HostTurn.Status.PASSED
    turn.answered_at = timezone.now()
    turn.note = note[:300]
    turn.save(update_fields=["status", "answered_at", "note", "updated_at"])
    if accept:
        _set_location(meeting, turn.membership)
    else:
        meeting_propose_host(meeting=meeting)
    return turn


def _set_location(meeting: Meeting, membership: Membership) -> None:
    organisation = membership.organisation
    meeting.host = membership
    meeting.location_name = organisation.name
    meeting.location_room = membership.room_name
    meeting.location_street = organisation.street
    meeting.location_postcode = organisation.postcode
    meeting.location_city = organisation.city
    meeting.location_note = membership.room_note
    meeting.location_lat, meeting.location_lon = organisation.lat, organisation.lon
    announce_change(
        meeting,
        [
            "host",
            "location_name",
            "location_room",
            "location_street",
            "location_postcode",
            "location_city",
            "location_note",
            "location_lat",
            "location_lon",
        ],
    )


# --- Invitations and RSVP --------------------------------------------------------------------


@transaction.atomic
def meeting_send_invitations(*, meeting: Meeting) -> int:
    """Invite every current delegate (deputies included) and queue the mails; returns how many.

    Delegates of members who left before the meeting are not invited; earlier invitations stay.
    """
    if meeting.is_cancelled or meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("Invitations go out only for coming meetings."))
    on = timezone.localdate(meeting.start)
    delegates = Delegate.objects.current(on).filter(
        membership__in=Membership.objects.current(on).filter(body_id=meeting.body_id)
    )
    existing = set(meeting.invitations.values_list("delegate_id", flat=True))
    Invitation.objects.bulk_create(
        [Invitation(meeting=meeting, delegate=d) for d in delegates if d.pk not in existing]
    )
    agenda_carry_over(meeting=meeting)
    meeting.invitations_sent_at = timezone.now()
    meeting.save(update_fields=["invitations_sent_at", "updated_at"])
    enqueue_on_commit(mail.send_meeting_mail, meeting.pk, "REQUEST", None)
    return meeting.invitations.count()


@transaction.atomic
def meeting_invite_contact(*, meeting: Meeting, membership: Membership) -> ContactInvitation:
    """Invite a member's general address (its public e-mail) when no delegate of it is reached.

    Later changes and a cancellation of the meeting go there too (mail.send_meeting_mail).
    """
    if meeting.is_cancelled or meeting.status == MeetingStatus.HELD:
        raise ValidationError(_("Invitations go out only for coming meetings."))
    on = timezone.localdate(meeting.start)
    if (
        membership.body_id != meeting.body_id
        or not Membership.objects.current(on).filter(pk=membership.pk).exists()
    ):
        raise ValidationError(_("This organisation is not a member of the body on that day."))
    organisation = membership.organisation
    reachable = Delegate.objects.current(on).filter(membership=membership).exclude(person__email="")
    if reachable.exists():
        raise ValidationError(
            _("%(org)s has a delegated person with an e-mail address; they are invited.")
            % {"org": organisation}
        )
    if not organisation.email:
        raise ValidationError(
            _(
                "%(org)s has no general e-mail address. Add one in the directory, "
                "or delegate a person."
            )
            % {"org": organisation}
        )
    contact, created = ContactInvitation.objects.get_or_create(
        meeting=meeting, membership=membership
    )
    if not created:
        raise ValidationError(
            _("The general address of %(org)s has already been invited.") % {"org": organisation}
        )
    enqueue_on_commit(
        mail.send_meeting_mail, meeting.pk, "REQUEST", [], contact_membership_ids=[membership.pk]
    )
    return contact


class RsvpError(Exception):
    """A link that cannot be used; `message` says why, for the person who clicked it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def rsvp_read(token: str) -> tuple[Invitation, str]:
    """The invitation and answer a link stands for (tokens.read_rsvp), or RsvpError."""
    try:
        pk, answer = tokens.read_rsvp(token)
    except BadToken as exc:
        if exc.reason == "expired":
            raise RsvpError(
                _("This link has expired. Please answer the coordination directly.")
            ) from exc
        raise RsvpError(
            _(
                "This link is not valid: it may have been cut off or changed. "
                "Please open it from the e-mail again."
            )
        ) from exc
    invitation = (
        Invitation.objects.select_related("meeting__body", "delegate__person").filter(pk=pk).first()
    )
    if invitation is None:
        raise RsvpError(_("This invitation has been withdrawn."))
    return invitation, answer


@transaction.atomic
def invitation_answer(*, invitation: Invitation, answer: str) -> bool:
    """Record the answer; returns False when it was already recorded (a link used twice)."""
    if invitation.meeting.is_cancelled:
        raise RsvpError(_("The meeting has been cancelled; no answer is needed."))
    if invitation.meeting.end < timezone.now():
        raise RsvpError(_("The meeting is over; answers are closed."))
    if invitation.answer == answer:
        return False
    invitation.answer = answer
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["answer", "answered_at", "updated_at"])
    return True
