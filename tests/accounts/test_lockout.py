"""Login throttling (django-axes): per username and per client address, on both logins."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.urls import reverse

from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def limit(settings):
    settings.AXES_FAILURE_LIMIT = 3
    return 3


def _login(client, username: str, password: str, *, address: str = "203.0.113.5", url=None):
    return client.post(
        url or reverse("accounts:login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_wrong_passwords_lock_the_account_even_for_the_right_one(world, client, limit):
    for _ in range(limit - 1):
        assert _login(client, "resident", "falsch").status_code == 200
    response = _login(client, "resident", "falsch")
    assert response.status_code == 429
    body = response.content.decode()
    assert "Zu viele fehlgeschlagene Anmeldeversuche" in body
    assert "15 Minuten" in body
    assert int(response["Retry-After"]) == 15 * 60
    # The right password from another address: still locked (per account).
    response = _login(client, "resident", PASSWORD, address="198.51.100.7")
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_accounts_is_locked(world, client, limit):
    for name in ("a", "b"):
        _login(client, name, "falsch")
    assert _login(client, "c", "falsch").status_code == 429
    # That address cannot log in to an untouched account either; another address can.
    assert _login(client, "resident", PASSWORD).status_code == 429
    assert _login(client, "resident", PASSWORD, address="198.51.100.7").status_code == 302


def test_unknown_usernames_lock_alike(world, client, limit):
    for _ in range(limit):
        response = _login(client, "gibt-es-nicht", "falsch", address="192.0.2.1")
    assert response.status_code == 429


def test_admin_login_is_throttled_too(world, client, limit):
    url = reverse("admin:login")
    for _ in range(limit - 1):
        assert _login(client, "admin", "falsch", url=url).status_code == 200
    assert _login(client, "admin", "falsch", url=url).status_code == 429
    assert _login(client, "admin", PASSWORD, url=url).status_code == 429


def test_forwarded_for_counts_only_from_trusted_proxies(world, client, settings, limit):
    # From an untrusted peer, X-Forwarded-For cannot spread the attempts over many addresses.
    for i in range(limit):
        response = client.post(
            reverse("accounts:login"),
            {"username": f"user{i}", "password": "falsch"},
            REMOTE_ADDR="203.0.113.9",
            HTTP_X_FORWARDED_FOR=f"10.0.0.{i}",
        )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.9"}
    settings.QUARTIER_TRUSTED_PROXIES = ["127.0.0.1"]
    client.post(
        reverse("accounts:login"),
        {"username": "x", "password": "falsch"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert AccessAttempt.objects.filter(ip_address="198.51.100.20").exists()


def test_admin_unlocks_in_the_back_office(world, client, limit):
    for _ in range(limit):
        _login(client, "resident", "falsch")
    page = world.client("admin").get(reverse("backoffice:accounts:security"))
    assert page.status_code == 200
    assert page.context["usernames"][0]["username"] == "resident"
    assert page.context["addresses"][0]["ip_address"] == "203.0.113.5"
    response = world.client("admin").post(
        reverse("backoffice:accounts:unlock"), {"username": "resident"}
    )
    assert response.status_code == 302
    assert _login(client, "resident", PASSWORD, address="198.51.100.8").status_code == 302


def test_only_admins_unlock(world, client, limit):
    for _ in range(limit):
        _login(client, "resident", "falsch")
    response = world.client("planner").post(
        reverse("backoffice:accounts:unlock"), {"username": "resident"}
    )
    assert response.status_code == 403
    assert AccessAttempt.objects.filter(username="resident").exists()


def test_unlock_command(world, client, limit):
    for _ in range(limit):
        _login(client, "resident", "falsch")
    call_command("unlock_login", "--username", "resident", "--ip", "203.0.113.5")
    assert not AccessAttempt.objects.exists()
    assert _login(client, "resident", PASSWORD).status_code == 302


def test_security_page_within_budget(world, client, limit, django_assert_max_num_queries):
    for name in ("a", "b", "c"):
        _login(client, name, "falsch")
    admin = world.client("admin")
    with django_assert_max_num_queries(12):
        response = admin.get(reverse("backoffice:accounts:security"))
    assert response.status_code == 200
