"""Saved searches and area alerts: double opt-in, digests, unsubscribe, privacy."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client, TestCase
from django.utils import timezone

from quartier.alerts import services, tokens
from quartier.alerts.models import Frequency, Kind, Subscription
from quartier.core import tokens as core_tokens
from tests.factories.accounts import UserFactory
from tests.factories.areas import AreaFactory, link
from tests.factories.offers import OfferFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


def _link(text: str, name: str) -> str:
    return re.search(rf"http\S+/benachrichtigungen/{name}/\S+/", text).group(0)


def _path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


def _ask(data: dict):
    """POST the alert form and run what it queued after the commit (the confirmation mail)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return Client().post("/benachrichtigungen/neu/", data)


def test_double_opt_in_by_email():
    area = AreaFactory(name="Trier-West", slug="trier-west")
    response = _ask(
        {"email": "Nachbarin@Example.org", "alert_area": "trier-west", "frequency": "daily"},
    )
    assert response.status_code == 200
    assert "E-Mail" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.confirmed_at is None and subscription.email == "nachbarin@example.org"
    assert subscription.area == area and subscription.kind == Kind.AREA
    [message] = mail.outbox
    assert message.to == ["nachbarin@example.org"]
    confirm = _path(_link(message.body, "bestaetigen"))
    assert Client().get(confirm).status_code == 200  # a page with a button, nothing changes
    assert Subscription.objects.get().confirmed_at is None
    assert Client().post(confirm).status_code == 200
    assert Subscription.objects.get().confirmed_at is not None


def test_asking_twice_resends_instead_of_duplicating(monkeypatch):
    data = {"email": "a@example.org", "q": "Beratung", "frequency": "weekly"}
    _ask(data)
    later = timezone.now() + dt.timedelta(minutes=11)  # past the per-address gap
    monkeypatch.setattr(timezone, "now", lambda: later)
    _ask(data)
    assert Subscription.objects.count() == 1 and len(mail.outbox) == 2


def _answer(response) -> str:
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


def test_asking_again_for_a_confirmed_alert_changes_nothing_and_tells_only_the_address():
    data = {"email": "a@example.org", "q": "Beratung", "frequency": "weekly"}
    fresh = _ask({**data, "email": "b@example.org"})
    subscription = services.subscription_create(
        user=None,
        email="a@example.org",
        kind=Kind.SEARCH,
        frequency=Frequency.WEEKLY,
        language="de",
        query="Beratung",
    ).subscription
    subscription.confirmed_at = timezone.now()
    subscription.save()
    mail.outbox.clear()
    cache.clear()  # past the per-address and per-client limits

    again = _ask({**data, "frequency": "daily"})

    assert again.status_code == 200
    # The page does not tell a stranger that this address already had the alert.
    assert _answer(again) == _answer(fresh)
    subscription.refresh_from_db()
    assert subscription.frequency == Frequency.WEEKLY and subscription.confirmed_at
    assert Subscription.objects.filter(email="a@example.org").count() == 1
    [message] = mail.outbox
    assert message.to == ["a@example.org"]
    assert "bereits" in message.subject and "bestaetigen" not in message.body
    assert _link(message.body, "abmelden")


def test_account_subscription_is_active_at_once_and_keeps_search_filters():
    user = UserFactory()
    topic = TaxonomyTermFactory().pk
    client = Client()
    client.force_login(user)
    page = client.get(f"/benachrichtigungen/neu/?q=Kita&topic={topic}&free=on&page=3")
    assert f'value="topic={topic}&amp;free=on"' in page.content.decode()
    response = client.post(
        "/benachrichtigungen/neu/",
        {"q": "Kita", "params": f"free=on&topic={topic}", "frequency": "daily"},
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get()
    assert subscription.user == user and subscription.confirmed_at and not mail.outbox
    assert subscription.params == f"topic={topic}&free=on"  # in the search page's order


def test_account_with_an_unproven_address_confirms_by_mail():
    """Issue 19: only an address a mailed link proved skips the double opt-in."""
    user = UserFactory(email_verified_at=None)
    client = Client()
    client.force_login(user)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post("/benachrichtigungen/neu/", {"q": "Kita", "frequency": "daily"})
    assert response.status_code == 200
    assert "E-Mail" in response.content.decode()
    subscription = Subscription.objects.get()
    assert subscription.user == user and subscription.confirmed_at is None
    [message] = mail.outbox
    assert message.to == [user.email]
    client.post(_path(_link(message.body, "bestaetigen")))
    subscription.refresh_from_db()
    user.refresh_from_db()
    assert subscription.confirmed_at is not None
    assert user.email_verified_at is not None  # the link proved the address


def test_a_changed_account_address_is_unproven_again():
    from quartier.accounts.services import user_update_profile

    user = UserFactory()
    user_update_profile(user=user, email=user.email, display_name="Neu")
    assert user.email_verified_at is not None
    user_update_profile(user=user, email="anders@example.org", display_name="Neu")
    user.refresh_from_db()
    assert user.email_verified_at is None


@pytest.mark.parametrize(
    "data",
    [
        {"email": "a@example.org", "frequency": "daily"},  # neither search nor area
        {"email": "kein-mail", "q": "Kita", "frequency": "daily"},
        {"email": "a@example.org", "q": "Kita", "frequency": "hourly"},
        {"email": "a@example.org", "q": "Kita", "alert_area": "nowhere", "frequency": "daily"},
    ],
)
def test_bad_input_is_explained(data):
    response = Client().post("/benachrichtigungen/neu/", data)
    assert response.status_code == 400
    assert 'class="error"' in response.content.decode() or "form-errors" in (
        response.content.decode()
    )
    assert not Subscription.objects.exists()


@pytest.mark.parametrize("salt", [tokens.CONFIRM, tokens.UNSUBSCRIBE])
def test_tampered_links_give_a_clear_message(salt):
    subscription = Subscription.objects.create(
        email="a@example.org", kind=Kind.SEARCH, query="x", label="x"
    )
    token = core_tokens.make(salt, subscription.pk)
    tampered = token[:-2] + ("aa" if not token.endswith("aa") else "bb")
    name = "bestaetigen" if salt == tokens.CONFIRM else "abmelden"
    response = Client().post(f"/benachrichtigungen/{name}/{tampered}/")
    assert response.status_code == 400
    assert "Link" in response.content.decode()
    assert Subscription.objects.count() == 1


def test_expired_confirmation_link(settings):
    subscription = Subscription.objects.create(
        email="a@example.org", kind=Kind.SEARCH, query="x", label="x"
    )
    token = tokens.confirm_token(subscription)
    later = timezone.now() + dt.timedelta(days=8)
    from unittest import mock

    with mock.patch("django.core.signing.time.time", return_value=later.timestamp()):
        response = Client().post(f"/benachrichtigungen/bestaetigen/{token}/")
    assert response.status_code == 400 and "7" in response.content.decode()


def _area_alert(frequency: str = Frequency.DAILY, *, days_ago: int = 2):
    city = AreaFactory(name="Trier", slug="trier")
    district = AreaFactory(name="Trier-West", slug="trier-west")
    link(city, district)
    subscription = Subscription.objects.create(
        email="nachbarin@example.org",
        kind=Kind.AREA,
        area=city,
        label="Neu in Trier",
        frequency=frequency,
        confirmed_at=timezone.now() - dt.timedelta(days=days_ago),
    )
    return subscription, district


def test_daily_digest_lists_new_offers_below_the_area_with_one_click_unsubscribe():
    subscription, district = _area_alert()
    OfferFactory(name="Elterncafé West", areas=[district])
    OfferFactory(name="Anderswo")
    OfferFactory(name="Entwurf", areas=[district], review_state="draft")
    call_command("send_alert_digests", "--frequency", "daily")
    [message] = mail.outbox
    assert "Elterncafé West" in message.body
    assert "Anderswo" not in message.body and "Entwurf" not in message.body
    unsubscribe = message.extra_headers["List-Unsubscribe"].strip("<>")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    # The mail program's one-click POST: no login, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(_path(unsubscribe), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Subscription.objects.filter(pk=subscription.pk).exists()


def test_digest_is_not_sent_twice_nor_when_nothing_is_new():
    _subscription, district = _area_alert()
    OfferFactory(name="Elterncafé West", areas=[district])
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now())
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now() + dt.timedelta(days=1))
    assert len(mail.outbox) == 1


def test_weekly_digest_reports_changed_offers():
    subscription, district = _area_alert(Frequency.WEEKLY, days_ago=8)
    offer = OfferFactory(name="Hausaufgabenhilfe", areas=[district])
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=timezone.now())
    offer.description = "Jetzt auch freitags."
    offer.save()
    services.digests_send(frequency=Frequency.WEEKLY, now=timezone.now() + dt.timedelta(days=7))
    [message] = mail.outbox
    assert "Geänderte Angebote" in message.body and "Hausaufgabenhilfe" in message.body


def test_saved_search_digest_uses_the_search_layer():
    term = TaxonomyTermFactory(name="Schuldnerberatung")
    OfferFactory(name="Schuldnerberatung der Caritas", topics=[term])
    OfferFactory(name="Jugendtreff")
    Subscription.objects.create(
        email="a@example.org",
        kind=Kind.SEARCH,
        query="Schuldnerberatung",
        label="Schulden",
        frequency=Frequency.DAILY,
        confirmed_at=timezone.now() - dt.timedelta(days=1),
        created_at=timezone.now() - dt.timedelta(days=1),
    )
    Subscription.objects.update(confirmed_at=timezone.now() - dt.timedelta(days=1))
    services.digests_send(frequency=Frequency.DAILY, now=timezone.now())
    [message] = mail.outbox
    assert "Schuldnerberatung der Caritas" in message.body and "Jugendtreff" not in message.body


def test_unconfirmed_subscriptions_are_deleted_after_seven_days():
    old = Subscription.objects.create(email="a@example.org", kind=Kind.SEARCH, query="x", label="x")
    Subscription.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    fresh = Subscription.objects.create(
        email="b@example.org", kind=Kind.SEARCH, query="x", label="x"
    )
    call_command("send_alert_digests", "--frequency", "weekly")
    assert list(Subscription.objects.all()) == [fresh]


def test_subscriber_addresses_never_appear_publicly(world):
    for url in ("/benachrichtigungen/", "/api/openapi.json"):
        response = world.client("editor").get(url)
        assert "nachbarin@example.org" not in response.content.decode()
    own = world.client("resident").get("/benachrichtigungen/").content.decode()
    assert world.alert.label in own and world.mail_alert.label not in own


def test_owner_deletes_own_alert_only(world):
    assert (
        world.client("editor").post(f"/benachrichtigungen/{world.alert.pk}/loeschen/").status_code
        == 404
    )
    response = world.client("resident").post(f"/benachrichtigungen/{world.alert.pk}/loeschen/")
    assert response.status_code == 302
    assert not Subscription.objects.filter(pk=world.alert.pk).exists()


def test_list_query_budget(world, django_assert_max_num_queries):
    from tests.budget import assert_queries_do_not_grow

    client = world.client("resident")

    def add(count: int) -> None:
        for n in range(count):
            Subscription.objects.create(
                user=world.users["resident"],
                kind=Kind.SEARCH,
                query=f"q{n}",
                label=f"Suche {n}",
                area=world.district,
            )

    assert_queries_do_not_grow(lambda: client.get("/benachrichtigungen/"), add)
    with django_assert_max_num_queries(12):
        assert client.get("/benachrichtigungen/").status_code == 200
