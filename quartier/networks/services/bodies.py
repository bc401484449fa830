"""Writes on bodies, memberships, delegates and requests to join."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from quartier.core import consent
from quartier.core.tasks import enqueue_on_commit
from quartier.directory.models import Organisation, Person
from quartier.networks import mail
from quartier.networks.models import (
    Body,
    ContactInvitation,
    Delegate,
    HostTurn,
    Invitation,
    JoinRequest,
    Meeting,
    MeetingStatus,
    Membership,
    MembershipRole,
    OrganisationRequest,
)
from quartier.networks.services.meetings import meeting_propose_host


@transaction.atomic
def membership_add(
    *,
    body: Body,
    organisation: Organisation,
    role: str = MembershipRole.MEMBER,
    start_date: datetime.date | None = None,
    room_capacity: int | None = None,
    room_name: str = "",
) -> Membership:
    """Make `organisation` a member; refuses a second open membership with a clear message."""
    if Membership.objects.filter(
        body=body, organisation=organisation, end_date__isnull=True
    ).exists():
        raise ValidationError(
            _("%(organisation)s is already a member of %(body)s.")
            % {"organisation": organisation, "body": body}
        )
    return Membership.objects.create(
        body=body,
        organisation=organisation,
        role=role,
        start_date=start_date or timezone.localdate(),
        room_capacity=room_capacity,
        room_name=room_name,
    )


@transaction.atomic
def membership_end(*, membership: Membership, end_date: datetime.date | None = None) -> list[int]:
    """End a membership and its delegations; the history stays.

    Consequences for coming meetings (after `end_date`): the member's invitations are withdrawn
    (a METHOD:CANCEL goes to the delegates, and to its general address if that was invited),
    and if the member was asked to host or had agreed to host, that turn is withdrawn and the
    rotation proposes the next host. Returns the ids of the meetings that need a new host.
    """
    end_date = end_date or timezone.localdate()
    if membership.end_date is not None:
        raise ValidationError(_("This membership has already ended."))
    if membership.start_date and end_date < membership.start_date:
        raise ValidationError(_("A membership cannot end before it started."))
    membership.end_date = end_date
    membership.save(update_fields=["end_date", "updated_at"])
    membership.delegates.filter(end_date__isnull=True).update(
        end_date=end_date, updated_at=timezone.now()
    )
    cutoff = timezone.make_aware(
        datetime.datetime.combine(end_date + datetime.timedelta(days=1), datetime.time.min)
    )
    coming = Meeting.objects.filter(
        body_id=membership.body_id, start__gte=cutoff, status=MeetingStatus.SCHEDULED
    )
    withdrawn = Invitation.objects.filter(meeting__in=coming, delegate__membership=membership)
    pairs = withdrawn.values_list("meeting_id", "delegate__person_id")
    for meeting_id, person_ids in _group(pairs).items():
        enqueue_on_commit(mail.send_meeting_mail, meeting_id, "CANCEL", person_ids)
    withdrawn.delete()
    contacted = ContactInvitation.objects.filter(meeting__in=coming, membership=membership)
    for meeting_id in contacted.values_list("meeting_id", flat=True):
        enqueue_on_commit(
            mail.send_meeting_mail, meeting_id, "CANCEL", [], contact_membership_ids=[membership.pk]
        )
    contacted.delete()
    rehost: list[int] = []
    turns = HostTurn.objects.filter(
        meeting__in=coming,
        membership=membership,
        status__in=(HostTurn.Status.PROPOSED, HostTurn.Status.ACCEPTED),
    ).select_related("meeting")
    for turn in turns:
        turn.status = HostTurn.Status.WITHDRAWN
        turn.note = _("The member left the body.")
        turn.answered_at = timezone.now()
        turn.save(update_fields=["status", "note", "answered_at", "updated_at"])
        meeting = turn.meeting
        if meeting.host_id == membership.pk:
            _clear_host(meeting)
        meeting_propose_host(meeting=meeting)
        rehost.append(meeting.pk)
    return rehost


@transaction.atomic
def membership_set_room(
    *, membership: Membership, room_capacity: int | None, room_name: str = ""
) -> Membership:
    """The room a member offers for the host rotation (None: it cannot host)."""
    if membership.end_date is not None:
        raise ValidationError(_("This membership has already ended."))
    if room_capacity is not None and room_capacity < 1:
        raise ValidationError(_("A room holds at least one person."))
    membership.room_capacity = room_capacity
    membership.room_name = room_name[:200]
    membership.save(update_fields=["room_capacity", "room_name", "updated_at"])
    return membership


def _clear_host(meeting: Meeting) -> None:
    meeting.host = None
    for field in ("name", "room", "street", "postcode", "city", "note"):
        setattr(meeting, f"location_{field}", "")
    meeting.location_lat = meeting.location_lon = None
    if meeting.invitations_sent_at:
        meeting.sequence += 1
    meeting.save()


def _group(pairs) -> dict[int, list[int]]:
    grouped: dict[int, list[int]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


@transaction.atomic
def delegate_add(
    *, membership: Membership, person: Person, is_deputy: bool = False, may_sign: bool = False
) -> Delegate:
    if membership.end_date is not None:
        raise ValidationError(_("The membership has ended; add the person to a current one."))
    if membership.delegates.filter(person=person, end_date__isnull=True).exists():
        raise ValidationError(_("%(person)s is already delegated.") % {"person": person})
    return Delegate.objects.create(
        membership=membership,
        person=person,
        is_deputy=is_deputy,
        may_sign=may_sign,
        start_date=timezone.localdate(),
    )


@transaction.atomic
def delegate_end(*, delegate: Delegate) -> None:
    if delegate.end_date is None:
        delegate.end_date = timezone.localdate()
        delegate.save(update_fields=["end_date", "updated_at"])


@transaction.atomic
def join_request_submit(
    *, body: Body, organisation: Organisation, reason: str, user
) -> JoinRequest:
    """An organisation asks to join; refuses members and duplicate open requests."""
    if not body.is_public or body.dissolved_on:
        raise ValidationError(_("This body does not take requests to join."))
    if Membership.objects.current().filter(body=body, organisation=organisation).exists():
        raise ValidationError(
            _("%(organisation)s is already a member.") % {"organisation": organisation}
        )
    if JoinRequest.objects.filter(
        body=body, organisation=organisation, status=JoinRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("%(organisation)s has already asked to join; the coordination will answer.")
            % {"organisation": organisation}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Please say in a few words why you want to join.")})
    request = JoinRequest.objects.create(
        body=body, organisation=organisation, reason=reason, requested_by=user
    )
    enqueue_on_commit(mail.notify_join_request, request.pk)
    return request


@transaction.atomic
def organisation_request_submit(
    *,
    body: Body,
    organisation_name: str,
    website: str = "",
    message: str,
    contact_name: str,
    contact_email: str,
    consent_text: str | Promise,
) -> OrganisationRequest:
    """An organisation not on the platform yet asks to be added to join the body; the
    coordination gets a mail after the commit (mail.notify_organisation_request)."""
    if not body.is_public or body.dissolved_on:
        raise ValidationError(_("This body does not take requests to join."))
    organisation_name = organisation_name.strip()
    if not organisation_name or not message.strip():
        raise ValidationError(_("Please give the organisation's name and a few words about it."))
    request = OrganisationRequest.objects.create(
        body=body,
        organisation_name=organisation_name[:250],
        website=website,
        message=message.strip()[:2000],
        contact_name=contact_name.strip()[:200],
        contact_email=contact_email,
    )
    consent.record(request, purpose="networks.organisation_request", text=consent_text)
    enqueue_on_commit(mail.notify_organisation_request, request.pk)
    return request


@transaction.atomic
def join_request_decide(
    *, join_request: JoinRequest, accept: bool, message: str, user
) -> JoinRequest:
    """Accept (the organisation becomes a member) or decline; the organisation is told by mail."""
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    join_request.status = JoinRequest.Status.ACCEPTED if accept else JoinRequest.Status.DECLINED
    join_request.decision_message = (message or "").strip()
    join_request.decided_by = user
    join_request.decided_at = timezone.now()
    join_request.save(
        update_fields=["status", "decision_message", "decided_by", "decided_at", "updated_at"]
    )
    if accept:
        membership_add(body=join_request.body, organisation=join_request.organisation)
    enqueue_on_commit(mail.send_join_decision, join_request.pk)
    return join_request


def contact_send(*, body: Body, name: str, email: str, message: str) -> None:
    """Forward a message from the public page; nothing about the sender is stored."""
    enqueue_on_commit(
        mail.send_contact_message, body.pk, name.strip()[:200], email.strip(), message.strip()
    )
