"""Mail only for committed changes, and links mailed before quartier.core.tokens still work."""

from __future__ import annotations

import pytest
from django.core import mail, signing
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from quartier.alerts import services, tokens
from quartier.alerts.models import Frequency, Kind, Subscription

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def _subscribe() -> Subscription:
    return services.subscription_create(
        user=None,
        email="a@example.org",
        kind=Kind.SEARCH,
        frequency=Frequency.WEEKLY,
        language="de",
        query="Beratung",
    ).subscription


def test_a_rolled_back_subscription_sends_no_confirmation(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as queued,
        pytest.raises(Rollback),
        transaction.atomic(),
    ):
        _subscribe()
        raise Rollback
    assert queued == [] and mail.outbox == [] and not Subscription.objects.exists()
    # The control: the same call, committed, mails once (the throttle counted the first try).
    cache.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _subscribe()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]


def test_links_mailed_before_core_tokens_still_work():
    subscription = Subscription.objects.create(
        email="a@example.org", kind=Kind.SEARCH, query="x", label="x"
    )
    old_confirm = signing.dumps(subscription.pk, salt="quartier.alerts.confirm")
    old_unsubscribe = signing.dumps(subscription.pk, salt="quartier.alerts.unsubscribe")
    assert tokens.read_confirm(old_confirm) == subscription.pk
    assert Client().post(f"/benachrichtigungen/bestaetigen/{old_confirm}/").status_code == 200
    assert Client().post(f"/benachrichtigungen/abmelden/{old_unsubscribe}/").status_code == 200
    assert not Subscription.objects.exists()
