"""Mail only for committed changes, and cancel links mailed before quartier.core.tokens still
work."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.db import transaction

from quartier.events import services, tokens
from quartier.events.models import EventStatus, Registration
from tests.factories.events import EventFactory, ShiftSignupFactory, confirmed_registration

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def test_a_rolled_back_registration_sends_nothing(django_capture_on_commit_callbacks):
    event = EventFactory(registration_required=True, capacity=2)
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        services.registration_create(event=event, name="Ada", email="ada@example.org")
        raise Rollback
    assert queued == [] and mail.outbox == [] and not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):  # the control
        services.registration_create(event=event, name="Ada", email="ada@example.org")
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


def test_a_rolled_back_cancellation_tells_nobody(django_capture_on_commit_callbacks):
    event = EventFactory(registration_required=True, capacity=2)
    confirmed_registration(event=event, name="Ada", email="ada@example.org")
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        services.event_cancel(event=event)
        raise Rollback
    event.refresh_from_db()
    assert queued == [] and mail.outbox == [] and event.status == EventStatus.SCHEDULED


def test_links_mailed_before_core_tokens_still_work():
    registration = EventFactory(registration_required=True, capacity=2).registrations.create(
        name="Ada", email="ada@example.org", status="confirmed", seat=1
    )
    signup = ShiftSignupFactory()
    old = signing.dumps(registration.pk, salt="quartier.events.registration")
    assert tokens.registration_from_token(old) == registration
    old = signing.dumps(signup.pk, salt="quartier.events.shiftsignup")
    assert tokens.signup_from_token(old) == signup
    # A token of one purpose is refused for the other.
    assert tokens.signup_from_token(tokens.registration_token(registration)) is None
