"""A saved search's filters: refused when they do not work, paused when they stop working."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from quartier.alerts import filters, services
from quartier.alerts.models import Frequency, Kind, Subscription
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaFactory
from tests.factories.offers import OfferFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db

URL = "/benachrichtigungen/neu/"


def _post(params: str, **headers):
    data = {"email": "a@example.org", "q": "Beratung", "params": params, "frequency": "daily"}
    return Client(**headers).post(URL, data)


def test_broken_filters_are_refused_and_named_in_german():
    topic = TaxonomyTermFactory(name="Schuldnerberatung").pk
    response = _post(f"topic=garbage&lat=999&lon=6.6&free=on&topic={topic}")
    page = response.content.decode()
    assert response.status_code == 400
    assert "Einige Filter dieser Suche funktionieren nicht" in page
    assert "Thema:" in page and "garbage" in page  # which filter, which value
    assert "Breitengrad:" in page and "90" in page
    # Back to the search with what still works: the text, the good topic, "free".
    assert f"/angebote/?topic={topic}&amp;free=on&amp;q=Beratung" in page
    assert not Subscription.objects.exists() and not mail.outbox


def test_broken_filters_are_named_in_english():
    page = _post("topic=garbage", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Some filters of this search do not work" in page
    assert "Topic: Select a valid choice. garbage is not one of the available choices." in page


@pytest.mark.parametrize(
    ("params", "named"),
    [
        ("lat=50.1", "Breiten- und Längengrad"),  # a lone latitude
        ("page=2", "Unbekannter Filter: page"),  # the search page has it, a saved search not
        ("radius=7", "Umkreis:"),
        ("weekday=9", "Geöffnet am:"),
        ("area=999999", "Gebiet:"),
        ("group=nobody", "Zielgruppe:"),
        ("topic=<b>x</b>", "&lt;b&gt;x&lt;/b&gt;"),  # shown, but escaped
    ],
)
def test_each_kind_of_broken_filter_is_explained(params, named):
    response = _post(params)
    assert response.status_code == 400
    assert named in response.content.decode()
    assert not Subscription.objects.exists()


def test_account_alerts_are_checked_too():
    client = Client()
    client.force_login(UserFactory())
    response = client.post(URL, {"q": "Kita", "params": "lon=500", "frequency": "weekly"})
    assert response.status_code == 400 and "Längengrad:" in response.content.decode()
    assert not Subscription.objects.exists()


def test_empty_filter_values_count_as_no_filters():
    response = _post("topic=&free=")
    assert response.status_code == 200
    assert Subscription.objects.get().params == ""


def test_check_keeps_the_working_filters_for_a_link():
    topic = TaxonomyTermFactory().pk
    check = filters.check(f"topic=garbage&topic={topic}&free=on&lat=1&sort=name")
    assert not check.valid and len(check.problems) == 3  # topic, lone latitude, sort
    assert check.usable_params == f"topic={topic}&free=on"
    assert filters.check("lat=91&lon=6.6").usable_params == ""  # never a lone longitude
    assert filters.check("free=on&weekday=2").valid


def _saved_search(params: str, **fields) -> Subscription:
    values = {
        "email": "nachbarin@example.org",
        "kind": Kind.SEARCH,
        "query": "Beratung",
        "params": params,
        "label": "Suche: „Beratung“ mit Filtern",
        "frequency": Frequency.DAILY,
        "confirmed_at": timezone.now() - dt.timedelta(days=2),
        **fields,
    }
    return Subscription.objects.create(**values)


def test_a_deleted_topic_pauses_the_search_and_tells_the_subscriber_once(caplog):
    term = TaxonomyTermFactory(name="Schuldnerberatung")
    OfferFactory(name="Schuldnerberatung der Caritas", topics=[term])
    topic = str(term.pk)
    subscription = _saved_search(f"topic={topic}&free=on")
    term.delete()
    now = timezone.now()
    assert services.digests_send(frequency=Frequency.DAILY, now=now) == 0
    [message] = mail.outbox
    assert message.to == ["nachbarin@example.org"]
    assert "pausiert" in message.subject
    assert "Thema:" in message.body and topic in message.body
    assert "/angebote/?free=on&q=Beratung" in message.body  # the search without the topic
    assert "/benachrichtigungen/abmelden/" in message.extra_headers["List-Unsubscribe"]
    subscription.refresh_from_db()
    assert subscription.filters_invalid_since == now and subscription.last_sent_at is None
    [warning] = [r for r in caplog.records if r.name == "quartier.alerts.services"]
    assert warning.levelno == logging.WARNING and "topic" in warning.getMessage()
    assert "nachbarin" not in warning.getMessage()
    services.digests_send(frequency=Frequency.DAILY, now=now + dt.timedelta(days=1))
    assert len(mail.outbox) == 1  # told once, not every day


def test_the_pause_mail_is_in_the_subscribers_language():
    _saved_search("area=999999", language="en")
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now())
    [message] = mail.outbox
    assert "paused" in message.subject and "Area: Select a valid choice." in message.body


def test_a_paused_search_carries_on_when_its_filters_work_again():
    area = AreaFactory(name="Trier-West", is_public=False)
    subscription = _saved_search(f"area={area.pk}")
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now())
    assert Subscription.objects.get().filters_invalid_since is not None
    area.is_public = True
    area.save()
    OfferFactory(name="Beratung für Familien", areas=[area])
    later = timezone.now() + dt.timedelta(days=1)
    assert services.digests_send(frequency=Frequency.DAILY, now=later) == 1
    assert "Beratung für Familien" in mail.outbox[-1].body
    subscription.refresh_from_db()
    assert subscription.filters_invalid_since is None and subscription.last_sent_at == later


def test_an_area_alert_pauses_while_its_area_is_not_published():
    area = AreaFactory(name="Trier-West")
    user = UserFactory()
    subscription = Subscription.objects.create(
        email="nachbarin@example.org",
        kind=Kind.AREA,
        area=area,
        label="Neu in Trier-West",
        frequency=Frequency.DAILY,
        language="de",
        confirmed_at=timezone.now(),
    )
    Subscription.objects.create(
        user=user,
        kind=Kind.AREA,
        area=area,
        label="Neu in Trier-West",
        frequency=Frequency.WEEKLY,
        language="de",
        confirmed_at=timezone.now(),
    )
    area.is_public = False
    area.save()
    OfferFactory(name="Elterncafé West", areas=[area])
    now = timezone.now()
    assert services.digests_send(frequency=Frequency.DAILY, now=now) == 0
    [message] = mail.outbox
    assert "pausiert" in message.subject and "Elterncafé" not in message.body
    assert "„Trier-West“ wird nicht mehr veröffentlicht" in message.body
    assert f"area={area.pk}" not in message.body  # the link leads to a search that works
    subscription.refresh_from_db()
    assert subscription.filters_invalid_since == now
    client = Client()
    client.force_login(user)
    services.digests_send(frequency=Frequency.WEEKLY, now=now)
    assert (
        "Gebiet wird nicht mehr veröffentlicht"
        in client.get("/benachrichtigungen/").content.decode()
    )

    area.is_public = True
    area.save()
    later = now + dt.timedelta(days=1)
    assert services.digests_send(frequency=Frequency.DAILY, now=later) == 1
    assert "Elterncafé West" in mail.outbox[-1].body


def test_paused_searches_are_deleted_after_thirty_days(capsys):
    old = _saved_search("topic=1", filters_invalid_since=timezone.now() - dt.timedelta(days=31))
    recent = _saved_search("topic=2", filters_invalid_since=timezone.now() - dt.timedelta(days=29))
    call_command("purge_personal_data", dry_run=True)
    assert "Would delete 1 alert subscriptions with invalid filters." in capsys.readouterr().out
    assert Subscription.objects.count() == 2
    call_command("purge_personal_data")
    assert list(Subscription.objects.all()) == [recent]
    assert old.pk is not None


def test_the_owner_sees_that_an_alert_is_paused():
    user = UserFactory()
    _saved_search("topic=1", user=user, email="", filters_invalid_since=timezone.now())
    client = Client()
    client.force_login(user)
    assert "Pausiert" in client.get("/benachrichtigungen/").content.decode()


@pytest.mark.allow_error_log
def test_one_failing_digest_does_not_hold_back_the_others(monkeypatch, caplog):
    from quartier.alerts import mail as alert_mail

    area = AreaFactory(name="Trier-West")
    OfferFactory(name="Elterncafé West", areas=[area])
    for address in ("kaputt@example.org", "heil@example.org"):
        Subscription.objects.create(
            email=address,
            kind=Kind.AREA,
            area=area,
            label="Neu in Trier-West",
            frequency=Frequency.DAILY,
            confirmed_at=timezone.now() - dt.timedelta(days=2),
        )
    send = alert_mail.send_digest

    def flaky(subscription, digest):
        if subscription.email.startswith("kaputt"):
            raise ConnectionRefusedError("mail server gone")
        send(subscription, digest)

    monkeypatch.setattr(alert_mail, "send_digest", flaky)
    assert services.digests_send(frequency=Frequency.DAILY, now=timezone.now()) == 1
    assert [m.to for m in mail.outbox] == [["heil@example.org"]]
    assert Subscription.objects.get(email="kaputt@example.org").last_sent_at is None
    assert any(r.levelno == logging.ERROR for r in caplog.records)
    monkeypatch.setattr(alert_mail, "send_digest", send)
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now())
    assert [m.to for m in mail.outbox][-1] == ["kaputt@example.org"]  # tried again
