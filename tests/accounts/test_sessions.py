"""Session lifetimes: staff idle timeout and absolute limits; __Host- cookie names on TLS."""

from __future__ import annotations

import importlib
import time
from unittest import mock

import pytest
from django.urls import reverse

from quartier.accounts.middleware import AUTH_AT_KEY, SEEN_AT_KEY

pytestmark = pytest.mark.django_db

ORGANISATIONS = "backoffice:directory:organisation_list"


def _age(client, key: str, seconds: int) -> None:
    session = client.session
    session[key] = int(time.time()) - seconds
    session.save()


def test_staff_are_logged_out_after_the_idle_limit(world, settings):
    settings.QUARTIER_STAFF_IDLE_MINUTES = 30
    client = world.client("editor")
    _age(client, SEEN_AT_KEY, 29 * 60)
    assert client.get(reverse(ORGANISATIONS)).status_code == 200
    _age(client, SEEN_AT_KEY, 31 * 60)
    response = client.get(reverse(ORGANISATIONS))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session
    page = client.get(response["Location"])
    assert "30 Minuten ohne Aktivität" in page.content.decode()


def test_activity_keeps_staff_logged_in(world, settings):
    client = world.client("editor")
    _age(client, SEEN_AT_KEY, 20 * 60)
    assert client.get(reverse(ORGANISATIONS)).status_code == 200
    assert int(time.time()) - client.session[SEEN_AT_KEY] < 5


def test_residents_have_no_idle_limit_but_an_absolute_one(world, settings):
    client = world.client("resident")
    _age(client, SEEN_AT_KEY, 24 * 3600)
    assert client.get(reverse("accounts:profile")).status_code == 200
    _age(client, AUTH_AT_KEY, settings.SESSION_COOKIE_AGE + 60)
    assert client.get(reverse("accounts:profile")).status_code == 302


def test_staff_sessions_end_after_the_absolute_limit(world, settings):
    settings.QUARTIER_STAFF_SESSION_HOURS = 12
    client = world.client("planner")
    _age(client, AUTH_AT_KEY, 13 * 3600)
    assert client.get(reverse(ORGANISATIONS)).status_code == 302


@pytest.mark.parametrize(("secure", "prefix"), [("1", "__Host-"), ("0", "")])
def test_cookie_names_carry_the_host_prefix_on_tls(secure, prefix):
    import quartier.settings as project_settings

    with mock.patch.dict("os.environ", {"QUARTIER_SECURE_COOKIES": secure}):
        fresh = importlib.reload(project_settings)
        assert f"{prefix}sessionid" == fresh.SESSION_COOKIE_NAME
        assert f"{prefix}csrftoken" == fresh.CSRF_COOKIE_NAME
        assert fresh.SESSION_COOKIE_SECURE is (secure == "1")
        assert getattr(fresh, "SESSION_COOKIE_DOMAIN", None) is None
    importlib.reload(project_settings)
