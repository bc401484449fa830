"""Confirmation mails are limited per address and per client, so nobody can flood an address.

Time is moved by replacing django.utils.timezone.now (throttle.py reads the clock there); the
counters' cache entries outlive every step taken here, so the windows are what expire.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client, RequestFactory, TestCase
from django.utils import timezone

from quartier.alerts import throttle
from quartier.alerts.models import Subscription
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

URL = "/benachrichtigungen/neu/"


class Clock:
    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.now = timezone.now()
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def advance(self, **delta: float) -> None:
        self.now += dt.timedelta(**delta)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def _ask(email: str = "a@example.org", q: str = "Beratung", ip: str = "203.0.113.7", **extra):
    data = {"email": email, "q": q, "frequency": "weekly"}
    with TestCase.captureOnCommitCallbacks(execute=True):  # mail is queued after the commit
        return Client(REMOTE_ADDR=ip, **extra).post(URL, data)


def test_asking_again_for_a_pending_alert_points_to_the_inbox(clock):
    assert _ask().status_code == 200
    clock.advance(minutes=9)
    response = _ask()
    assert response.status_code == 200
    assert "Bitte sehen Sie in Ihrem Posteingang nach" in response.content.decode()
    assert len(mail.outbox) == 1 and Subscription.objects.count() == 1
    clock.advance(minutes=2)  # the ten minutes are over
    response = _ask()
    assert "Bitte bestätigen Sie Ihre E-Mail-Adresse" in response.content.decode()
    assert len(mail.outbox) == 2 and Subscription.objects.count() == 1


def test_a_second_alert_for_the_same_address_waits_for_the_gap(clock):
    _ask(q="Beratung")
    clock.advance(minutes=3)
    response = _ask(q="Kita")
    page = response.content.decode()
    assert response.status_code == 429 and response["Content-Type"].startswith("text/html")
    assert "<h1>Bitte warten Sie etwas</h1>" in page and "in 7 Minuten" in page
    assert response["Retry-After"] == "420"
    assert len(mail.outbox) == 1
    assert list(Subscription.objects.values_list("query", flat=True)) == ["Beratung"]
    assert _ask(email="b@example.org", q="Kita").status_code == 200  # another address
    assert [m.to for m in mail.outbox] == [["a@example.org"], ["b@example.org"]]


def test_the_refusal_is_explained_in_english(clock):
    _ask(q="Beratung")
    response = _ask(q="Kita", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 429
    assert "at most one confirmation e-mail to an address every 10 minutes" in (
        response.content.decode()
    )


def test_the_address_is_counted_however_it_is_typed(clock):
    _ask(email="Nachbarin@Example.org", q="Beratung")
    assert _ask(email=" nachbarin@example.ORG ", q="Kita").status_code == 429


def test_an_address_gets_at_most_five_confirmation_mails_a_day(clock):
    for n in range(throttle.ADDRESS_PER_DAY):
        assert _ask(q=f"Suche {n}").status_code == 200
        clock.advance(minutes=11)
    response = _ask(q="noch eine")
    assert response.status_code == 429 and "morgen" in response.content.decode()
    assert len(mail.outbox) == throttle.ADDRESS_PER_DAY
    clock.advance(hours=23, minutes=10)  # the first mail is a day old
    assert _ask(q="noch eine").status_code == 200
    assert len(mail.outbox) == throttle.ADDRESS_PER_DAY + 1


def test_one_client_cannot_mail_many_addresses(clock):
    for n in range(throttle.CLIENT_PER_HOUR):
        assert _ask(email=f"person{n}@example.org").status_code == 200
    response = _ask(email="opfer@example.org")
    assert response.status_code == 429 and "Netzwerk" in response.content.decode()
    assert not Subscription.objects.filter(email="opfer@example.org").exists()
    assert _ask(email="opfer@example.org", ip="198.51.100.4").status_code == 200
    clock.advance(minutes=61)
    assert _ask(email="noch@example.org").status_code == 200
    assert len(mail.outbox) == throttle.CLIENT_PER_HOUR + 2


def test_an_ipv6_client_counts_by_its_prefix(clock):
    for n in range(throttle.CLIENT_PER_HOUR):
        _ask(email=f"person{n}@example.org", ip=f"2001:db8:1:2::{n + 1:x}")
    assert _ask(email="x@example.org", ip="2001:db8:1:2:ffff::1").status_code == 429
    assert _ask(email="x@example.org", ip="2001:db8:1:3::1").status_code == 200


def test_accounts_get_no_confirmation_mail_and_no_limit(clock):
    client = Client()
    client.force_login(UserFactory())
    for n in range(throttle.CLIENT_PER_HOUR + 1):
        data = {"q": f"Suche {n}", "frequency": "daily"}
        assert client.post(URL, data).status_code == 302
    assert not mail.outbox


def test_the_counters_hold_neither_address_nor_ip_in_clear(clock):
    _ask(email="nachbarin@example.org", ip="203.0.113.7")
    stored = repr(list(cache._cache.items()))  # the local-memory cache of the test settings
    assert "alerts:throttle:address:" in stored and "alerts:throttle:client:" in stored
    assert "nachbarin" not in stored and "203.0.113.7" not in stored


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.7", "", "203.0.113.7"),
        ("127.0.0.1", "198.51.100.1, 203.0.113.9", "203.0.113.9"),  # the proxy's entry
        ("::1", "2001:db8::5", "2001:db8::5"),
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),  # forged: not from the proxy
        ("127.0.0.1", "nonsense", "127.0.0.1"),
    ],
)
def test_client_address_trusts_forwarding_only_from_the_local_proxy(
    peer, forwarded, client, settings
):
    settings.QUARTIER_TRUSTED_PROXIES = ["127.0.0.1", "::1"]
    headers = {"REMOTE_ADDR": peer}
    if forwarded:
        headers["HTTP_X_FORWARDED_FOR"] = forwarded
    assert throttle.client_address(RequestFactory().post(URL, **headers)) == client
