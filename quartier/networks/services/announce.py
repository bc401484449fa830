"""Telling calendar clients and invitees that a meeting changed (shared by the meeting and
agenda services)."""

from __future__ import annotations

from quartier.core.tasks import enqueue_on_commit
from quartier.networks import mail
from quartier.networks.models import Meeting


def announce_change(meeting: Meeting, changed: list[str]) -> None:
    """Save `changed` with a new SEQUENCE; once invitations went out, queue the updated
    invitation (after commit)."""
    meeting.sequence += 1
    meeting.save(update_fields=[*set(changed), "sequence", "updated_at"])
    if meeting.invitations_sent_at:
        enqueue_on_commit(mail.send_meeting_mail, meeting.pk, "REQUEST", None)
