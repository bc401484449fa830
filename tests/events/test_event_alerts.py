"""Event alerts by area and/or topic (issue 18): the alerts app's news alerts with the events
source. Each new public event is mailed once; drafts, cancelled events and unconfirmed alerts
get nothing; the form, the links and the throttle refuse what they must."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from quartier.alerts import services as alert_services
from quartier.alerts import tokens
from quartier.alerts.models import Kind, Subscription
from quartier.alerts.privacy import erase, export
from quartier.alerts.services import digests_send
from quartier.core.privacy import Subject
from quartier.events import services
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY
from tests.factories.events import in_days
from tests.factories.offers import TaxonomyFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

CREATE = "alerts:create"
ADDRESS = "nachbar@example.org"


@pytest.fixture(autouse=True)
def _fresh_limits(settings):
    """The confirmation-mail counters live in the process's cache; the form's own throttle
    (core/throttle.py) gets room, as in tests/alerts."""
    settings.QUARTIER_THROTTLE_RATES = {"alerts.create": [[1000, 60]]}
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def topics():
    taxonomy = TaxonomyFactory(slug=SOCIAL_SPACE_TAXONOMY, name="Sozialraum")
    family = TaxonomyTermFactory(taxonomy=taxonomy, code="familie", name="Familie")
    early = TaxonomyTermFactory(
        taxonomy=taxonomy, code="fruehe-hilfen", name="Frühe Hilfen", parent=family
    )
    senior = TaxonomyTermFactory(taxonomy=taxonomy, code="senioren", name="Senioren")
    return {"family": family, "early": early, "senior": senior}


def _post(world, captured, **data):
    payload = {"email": ADDRESS, "source": "events", "frequency": "daily", **data}
    with captured(execute=True):
        return world.client("anonymous").post(reverse(CREATE), payload)


def _link(body: str, word: str) -> str:
    url = re.search(rf"https?://\S*{word}\S*", body).group(0)
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _publish(world, title: str, **relations):
    start = in_days(5)
    return services.event_create(
        fields={"title": title, "starts_at": start, "ends_at": start + dt.timedelta(hours=2)},
        **{"areas": [world.district], **relations},
    )


def _run() -> int:
    return digests_send(frequency="daily", now=timezone.now() + dt.timedelta(days=1))


def _mails_to(address=ADDRESS):
    return [message for message in mail.outbox if message.to == [address]]


def test_subscribe_by_topic_confirm_and_get_each_new_event_once(
    world, topics, django_capture_on_commit_callbacks
):
    form = world.client("anonymous").get(
        reverse(CREATE), {"source": "events", "topic": str(topics["family"].pk)}
    )
    assert form.status_code == 200
    assert re.search(rf'value="{topics["family"].pk}"[^>]*checked', form.content.decode())
    # The confirmation mail leaves only when the subscription is committed.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        world.client("anonymous").post(
            reverse(CREATE),
            {"email": ADDRESS, "source": "events", "frequency": "daily",
             "topics": [str(topics["family"].pk)]},
        )  # fmt: skip
    assert not mail.outbox and len(callbacks) == 1
    callbacks[0]()
    [confirmation] = mail.outbox
    subscription = Subscription.objects.get(email=ADDRESS)
    assert subscription.kind == Kind.NEWS and subscription.source == "events"
    assert list(subscription.topics.all()) == [topics["family"]]
    assert "Familie" in subscription.label
    assert (
        world.client("anonymous").post(_link(confirmation.body, "bestaetigen")).status_code == 200
    )
    subscription.refresh_from_db()
    assert subscription.confirmed_at is not None and subscription.consents.exists()
    subscription.last_sent_at = timezone.now()  # the world's events are older than this
    subscription.save(update_fields=["last_sent_at"])
    mail.outbox.clear()

    event = _publish(world, "Krabbelgruppe", topics=[topics["early"]])  # a narrower topic
    _publish(world, "Seniorencafé", topics=[topics["senior"]])
    with django_capture_on_commit_callbacks(execute=True):
        assert _run() == 1
    [digest] = _mails_to()
    assert "Krabbelgruppe" in digest.body and "Seniorencafé" not in digest.body
    assert digest.body.count(event.get_absolute_url()) == 1
    assert digest.extra_headers["List-Unsubscribe"] == f"<{tokens.unsubscribe_url(subscription)}>"
    # Changed, unpublished and published again: still not news a second time.
    services.event_update(event=event, fields={"title": "Krabbelgruppe (neu)"})
    services.event_update(event=event, fields={"is_published": False})
    services.event_update(event=event, fields={"is_published": True})
    # The next run starts where the last one ended (its `now`, stored as last_sent_at).
    digests_send(frequency="daily", now=timezone.now() + dt.timedelta(days=2))
    assert len(_mails_to()) == 1


def test_area_alert_covers_the_areas_around_and_not_elsewhere(world):
    result = alert_services.subscription_create(
        user=None, email=ADDRESS, kind=Kind.NEWS, frequency="daily", language="de",
        area=world.district, source="events",
    )  # fmt: skip
    Subscription.objects.filter(pk=result.subscription.pk).update(
        confirmed_at=timezone.now(), last_sent_at=timezone.now()
    )
    _publish(world, "Stadtfest", areas=[world.city])  # encloses the Nordviertel
    _publish(world, "Anderes Fest", areas=[world.other_city])
    assert _run() == 1
    [digest] = _mails_to()
    assert "Stadtfest" in digest.body and "Anderes Fest" not in digest.body
    assert "Nordviertel" in digest.subject


def test_drafts_cancelled_events_and_unconfirmed_alerts_get_nothing(world, topics):
    confirmed = alert_services.subscription_create(
        user=None, email=ADDRESS, kind=Kind.NEWS, frequency="daily", language="de",
        source="events", topics=[topics["family"]],
    ).subscription  # fmt: skip
    Subscription.objects.filter(pk=confirmed.pk).update(
        confirmed_at=timezone.now(), last_sent_at=timezone.now()
    )
    alert_services.subscription_create(
        user=None, email="offen@example.org", kind=Kind.NEWS, frequency="daily",
        language="de", source="events", topics=[topics["family"]],
    )  # fmt: skip
    start = in_days(5)
    services.event_create(
        fields={
            "title": "Entwurf",
            "starts_at": start,
            "ends_at": start + dt.timedelta(hours=1),
            "is_published": False,
        },
        topics=[topics["family"]],
    )
    cancelled = _publish(world, "Abgesagt", topics=[topics["family"]])
    services.event_cancel(event=cancelled)
    mail.outbox.clear()
    assert _run() == 0
    assert not _mails_to() and not _mails_to("offen@example.org")


def test_unsubscribe_link_works_only_for_its_own_subscription(world, topics):
    mine, other = (
        alert_services.subscription_create(
            user=None, email=address, kind=Kind.NEWS, frequency="daily", language="de",
            source="events", topics=[topics["family"]], client=address,
        ).subscription
        for address in (ADDRESS, "andere@example.org")
    )  # fmt: skip
    anonymous = world.client("anonymous")
    # Another purpose's token (the confirmation link) and a changed one do not unsubscribe.
    confirm = tokens.confirm_token(other)
    assert anonymous.post(reverse("alerts:unsubscribe", args=[confirm])).status_code == 400
    # The other subscription's id with this one's signature.
    value = tokens.unsubscribe_token(other).split(":", 1)[0]
    forged = f"{value}:{tokens.unsubscribe_token(mine).split(':', 1)[1]}"
    assert anonymous.post(reverse("alerts:unsubscribe", args=[forged])).status_code == 400
    assert anonymous.get(reverse("alerts:confirm", args=["kaputt"])).status_code == 400
    assert Subscription.objects.filter(pk=other.pk).exists()
    own = tokens.unsubscribe_token(mine)
    assert anonymous.post(reverse("alerts:unsubscribe", args=[own])).status_code == 200
    assert not Subscription.objects.filter(pk=mine.pk).exists()
    assert Subscription.objects.filter(pk=other.pk).exists()


def test_bad_input_is_refused_and_nothing_is_stored(
    world, topics, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    response = _post(world, captured, topics=["nicht-da"])
    assert response.status_code == 400
    response = _post(world, captured)  # neither an area nor a topic
    assert response.status_code == 400 and 'class="form-errors"' in response.content.decode()
    response = _post(world, captured, source="gibt-es-nicht", alert_area="nordviertel")
    assert response.status_code == 400
    response = _post(world, captured, topics=[str(topics["family"].pk)], website_url="spam")
    assert response.status_code == 400  # the honeypot
    assert not Subscription.objects.filter(source="events").exists() and not mail.outbox


def test_a_second_alert_within_minutes_is_throttled(
    world, topics, django_capture_on_commit_callbacks
):
    captured = django_capture_on_commit_callbacks
    assert _post(world, captured, topics=[str(topics["family"].pk)]).status_code == 200
    response = _post(world, captured, topics=[str(topics["senior"].pk)])
    assert response.status_code == 429 and response["Retry-After"]
    assert Subscription.objects.filter(email=ADDRESS).count() == 1 and len(mail.outbox) == 1


def test_digest_run_has_a_query_budget(world, topics, django_assert_max_num_queries):
    for n in range(6):
        result = alert_services.subscription_create(
            user=None, email=f"leser{n}@example.org", kind=Kind.NEWS, frequency="daily",
            language="de", source="events", client=f"10.0.0.{n}",
            area=world.district if n % 2 else None,
            topics=[topics["family"]] if n % 3 or not n % 2 else [],
        )  # fmt: skip
        Subscription.objects.filter(pk=result.subscription.pk).update(
            confirmed_at=timezone.now(), last_sent_at=timezone.now()
        )
    for n in range(5):
        _publish(world, f"Fest {n}", topics=[topics["early"]])
    mail.outbox.clear()
    # The search index once; per alert a savepoint, the area walk, the topic levels, the
    # events and the saved time (no search form: tests/alerts count the saved searches).
    with django_assert_max_num_queries(50):
        assert _run() == 6
    assert all(message.body.count("Fest 0") == 1 for message in mail.outbox)


def test_account_page_lists_event_alerts_with_unsubscribe(world, topics):
    resident = world.users["resident"]
    alert_services.subscription_create(
        user=resident, email="", kind=Kind.NEWS, frequency="weekly", language="de",
        source="events", topics=[topics["senior"]],
    )  # fmt: skip
    client = world.client("resident")
    page = client.get(reverse("accounts:profile")).content.decode()
    subscription = Subscription.objects.get(user=resident, source="events")
    assert subscription.label in page
    assert reverse("alerts:delete", args=[subscription.pk]) in page
    assert client.post(reverse("alerts:delete", args=[subscription.pk])).status_code == 302
    assert not Subscription.objects.filter(user=resident, source="events").exists()


def test_privacy_export_and_erase_cover_event_alerts(world, topics):
    alert_services.subscription_create(
        user=None, email=ADDRESS, kind=Kind.NEWS, frequency="daily", language="de",
        source="events", area=world.district, topics=[topics["senior"]],
    )  # fmt: skip
    subject = Subject(email=ADDRESS, user=None)
    [row] = export(subject)["alerts.subscription"]
    assert row["source"] == "events" and row["topics"] == "Senioren"
    assert row["email"] == ADDRESS
    assert erase(subject) == {"alerts.subscription": 1}
    assert not Subscription.objects.filter(email=ADDRESS).exists()
