"""Writes on attendance, minutes, decisions and action items."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.networks.models import (
    ActionItem,
    Decision,
    Meeting,
    MeetingStatus,
    Membership,
    Minutes,
)
from quartier.networks.services.agenda import agenda_carry_over

REMINDER_DAYS_AHEAD = 7


@transaction.atomic
def attendance_record(*, meeting: Meeting, present_invitation_ids: set[int]) -> Meeting:
    """Record who came; the meeting counts as held from then on."""
    if meeting.is_cancelled:
        raise ValidationError(_("The meeting was cancelled; there is no attendance to record."))
    if meeting.start > timezone.now():
        raise ValidationError(_("Attendance can be recorded once the meeting has begun."))
    for invitation in meeting.invitations.all():
        attended = invitation.pk in present_invitation_ids
        if invitation.attended != attended:
            invitation.attended = attended
            invitation.save(update_fields=["attended", "updated_at"])
    if meeting.status != MeetingStatus.HELD:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return meeting


@transaction.atomic
def minutes_save(*, meeting: Meeting, text: str, visibility: str | None, user) -> Minutes:
    """Draft (or redraft) the minutes; approved minutes no longer change."""
    if meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting has no minutes."))
    if meeting.start > timezone.now():
        raise ValidationError(_("Minutes can be written once the meeting has begun."))
    minutes, _created = Minutes.objects.get_or_create(
        meeting=meeting,
        defaults={"visibility": visibility or meeting.body.minutes_visibility, "drafted_by": user},
    )
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("These minutes have been approved and can no longer be changed."))
    minutes.text = text
    if visibility:
        minutes.visibility = visibility
    minutes.drafted_by = minutes.drafted_by or user
    minutes.save(update_fields=["text", "visibility", "drafted_by", "updated_at"])
    if meeting.status == MeetingStatus.SCHEDULED:
        meeting.status = MeetingStatus.HELD
        meeting.save(update_fields=["status", "updated_at"])
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, at_meeting: Meeting, user) -> Minutes:
    """Record that a later meeting of the same body approved the minutes."""
    meeting = minutes.meeting
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("These minutes have already been approved."))
    if at_meeting.body_id != meeting.body_id or at_meeting.start <= meeting.start:
        raise ValidationError(_("Minutes are approved at a later meeting of the same body."))
    if at_meeting.is_cancelled:
        raise ValidationError(_("A cancelled meeting cannot approve minutes."))
    if at_meeting.start > timezone.now():
        raise ValidationError(
            _(
                "Minutes can only be approved at a meeting that has taken place; "
                "record the approval after that meeting."
            )
        )
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at_meeting = at_meeting
    minutes.approved_at = timezone.now()
    minutes.approved_by = user
    minutes.save(
        update_fields=["status", "approved_at_meeting", "approved_at", "approved_by", "updated_at"]
    )
    return minutes


@transaction.atomic
def decision_add(*, minutes: Minutes, text: str, agenda_item=None) -> Decision:
    if minutes.status == Minutes.Status.APPROVED:
        raise ValidationError(_("These minutes have been approved and can no longer be changed."))
    if not text.strip():
        raise ValidationError({"text": _("Write down the decision.")})
    position = minutes.decisions.count() + 1
    return Decision.objects.create(
        minutes=minutes, text=text.strip(), agenda_item=agenda_item, position=position
    )


@transaction.atomic
def action_item_add(
    *,
    meeting: Meeting,
    title: str,
    owner: Membership | None = None,
    owner_person=None,
    due_date: datetime.date | None = None,
    description: str = "",
    agenda_item=None,
) -> ActionItem:
    """Agree a task in a meeting; it goes onto the next meeting's agenda while open."""
    if owner is not None and owner.body_id != meeting.body_id:
        raise ValidationError({"owner": _("The responsible member must belong to this body.")})
    if not title.strip():
        raise ValidationError({"title": _("Say what is to be done.")})
    item = ActionItem.objects.create(
        body=meeting.body,
        meeting=meeting,
        agenda_item=agenda_item,
        title=title.strip(),
        description=description,
        owner=owner,
        owner_person=owner_person,
        due_date=due_date,
    )
    upcoming = (
        Meeting.objects.filter(
            body_id=meeting.body_id, status=MeetingStatus.SCHEDULED, start__gt=meeting.start
        )
        .order_by("start")
        .first()
    )
    if upcoming:
        agenda_carry_over(meeting=upcoming)
    return item


@transaction.atomic
def action_item_set_status(*, item: ActionItem, status: str) -> ActionItem:
    if status not in ActionItem.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    item.status = status
    item.completed_at = timezone.now() if status == ActionItem.Status.DONE else None
    item.save(update_fields=["status", "completed_at", "updated_at"])
    return item


def action_items_due(today: datetime.date | None = None):
    """Open items due within REMINDER_DAYS_AHEAD days or overdue, not reminded today."""
    today = today or timezone.localdate()
    return (
        ActionItem.objects.open()
        .filter(
            due_date__isnull=False,
            due_date__lte=today + datetime.timedelta(days=REMINDER_DAYS_AHEAD),
        )
        .exclude(reminded_on=today)
        .select_related("body", "owner__organisation", "owner_person")
    )
