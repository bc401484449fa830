"""Mail only for committed changes, and RSVP links mailed before quartier.core.tokens still
work (and still expire after 120 days)."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail, signing
from django.db import transaction

from quartier.networks.models import Invitation
from quartier.networks.services import RsvpError, meeting_send_invitations, rsvp_read
from tests.factories.networks import BodyFactory, DelegateFactory, MeetingFactory

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_rolled_back_invitations_send_nothing(django_capture_on_commit_callbacks):
    body = BodyFactory()
    DelegateFactory(membership__body=body)
    meeting = MeetingFactory(body=body)
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        meeting_send_invitations(meeting=meeting)
        raise Rollback
    assert queued == [] and mail.outbox == [] and not Invitation.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the control
        meeting_send_invitations(meeting=meeting)
    assert len(mail.outbox) == 1


def test_rsvp_links_mailed_before_core_tokens_still_work(monkeypatch):
    body = BodyFactory()
    delegate = DelegateFactory(membership__body=body)
    invitation = Invitation.objects.create(meeting=MeetingFactory(body=body), delegate=delegate)
    old = signing.TimestampSigner(salt="networks.rsvp").sign_object(
        {"i": invitation.pk, "a": "yes"}, compress=True
    )
    assert rsvp_read(old) == (invitation, "yes")
    real_time = signing.time.time
    later = datetime.timedelta(days=121).total_seconds()
    monkeypatch.setattr(signing.time, "time", lambda: real_time() + later)
    with pytest.raises(RsvpError) as info:
        rsvp_read(old)
    assert "abgelaufen" in info.value.message or "expired" in info.value.message
