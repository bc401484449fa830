"""Residents subscribe to new events of an area (the alerts app's source hook, issue 18)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from quartier.alerts.models import Subscription
from quartier.alerts.services import digests_send
from quartier.alerts.tokens import confirm_url, unsubscribe_url
from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db

CREATE = "alerts:create"


def tomorrow():  # the daily digest's next run
    return timezone.now() + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def _fresh_mail_limits():
    """The alerts' confirmation-mail counters live in the process's cache (tests/alerts)."""
    cache.clear()
    yield
    cache.clear()


def _subscribe(world, captured, email="anwohner@example.org", **extra):
    data = {"email": email, "alert_area": "nordviertel", "source": "events", "frequency": "daily"}
    data.update(extra)
    with captured(execute=True):
        return world.client("anonymous").post(reverse(CREATE), data)


def _confirmed(email="anwohner@example.org") -> Subscription:
    subscription = Subscription.objects.get(email=email)
    subscription.confirmed_at = timezone.now() - dt.timedelta(days=2)
    # The world's events are older than the last digest; only the test's own events are new.
    subscription.last_sent_at = timezone.now()
    subscription.save(update_fields=["confirmed_at", "last_sent_at"])
    mail.outbox.clear()
    return subscription


def test_calendar_offers_the_alert_for_its_area(world):
    html = world.client("anonymous").get(reverse("events:calendar"), {"area": "nordviertel"})
    assert "source=events&amp;alert_area=nordviertel" in html.content.decode()
    form = world.client("anonymous").get(
        reverse(CREATE), {"source": "events", "alert_area": "nordviertel"}
    )
    assert form.status_code == 200


def test_subscription_is_double_opt_in_and_mails_matching_events(
    world, django_capture_on_commit_callbacks
):
    response = _subscribe(world, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    subscription = Subscription.objects.get(email="anwohner@example.org")
    assert subscription.source == "events" and subscription.confirmed_at is None
    assert "Nordviertel" in subscription.label
    assert confirm_url(subscription) in mail.outbox[-1].body  # double opt-in
    # Unconfirmed: nothing is sent.
    EventFactory(title="Frühlingsputz im Park", areas=[world.district])
    assert digests_send(frequency="daily", now=tomorrow()) == 0
    subscription = _confirmed()
    EventFactory(title="Laternenumzug Nord", areas=[world.district])
    assert digests_send(frequency="daily", now=tomorrow()) == 1
    [digest] = [m for m in mail.outbox if m.to == ["anwohner@example.org"]]
    assert "Laternenumzug Nord" in digest.body and "Nordviertel" in digest.subject
    assert unsubscribe_url(subscription) in digest.body


def test_nothing_for_events_elsewhere_unpublished_or_past(
    world, django_capture_on_commit_callbacks
):
    _subscribe(world, django_capture_on_commit_callbacks)
    _confirmed()
    EventFactory(title="Fest anderswo", areas=[world.other_city])
    EventFactory(title="Entwurf", areas=[world.district], is_published=False)
    past = timezone.now() - dt.timedelta(days=1)
    EventFactory(title="Vorbei", areas=[world.district], starts_at=past, ends_at=past)
    assert digests_send(frequency="daily", now=tomorrow()) == 0
    assert not [m for m in mail.outbox if m.to == ["anwohner@example.org"]]


def test_an_events_alert_needs_an_area_and_a_valid_address(
    world, django_capture_on_commit_callbacks
):
    response = world.client("anonymous").post(
        reverse(CREATE), {"email": "x@example.org", "source": "events", "frequency": "daily"}
    )
    assert response.status_code == 400
    response = _subscribe(world, django_capture_on_commit_callbacks, email="kein-mail")
    assert response.status_code == 400
    response = _subscribe(world, django_capture_on_commit_callbacks, alert_area="gibt-es-nicht")
    assert response.status_code == 400
    assert not Subscription.objects.filter(source="events").exists()
