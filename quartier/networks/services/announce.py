"""Telling calendar clients and invitees that a meeting changed (shared by the meeting and
agenda services)."""

from __future__ import annotations

from quartier.core.tasks import enqueue_on_commit
from quartier.networks import mail
from quartier.networks.models import Meeting


def announce_change(meeting: Meeting, changed: list[str]) -> None:
    """Save `changed`; once invitations went out, with a new SEQUENCE and the updated
    invitation queued (after commit). Before that nobody holds the entry: the first
    invitation stays a plain one (SEQUENCE 0)."""
    if meeting.invitations_sent_at:
        meeting.sequence += 1
    meeting.save(update_fields=[*set(changed), "sequence", "updated_at"])
    if meeting.invitations_sent_at:
        enqueue_on_commit(mail.send_meeting_mail, meeting.pk, "REQUEST", None)
