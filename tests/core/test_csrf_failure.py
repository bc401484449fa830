"""The page for a refused form (CSRF_FAILURE_VIEW): in the house layout, German by default and
English when asked, with advice that fits the cause, a fresh token for the next try, and JSON
for API clients. Nothing the form asked for happens."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

GERMAN_TITLE = "Das Formular konnte nicht gesendet werden"
ENGLISH_TITLE = "The form could not be sent"


def _client(**headers) -> Client:
    return Client(enforce_csrf_checks=True, headers=headers)


def _post_language(client: Client, **extra):
    return client.post(reverse("set_language"), {"language": "en", "next": "/"}, **extra)


def test_a_form_without_cookie_gets_the_german_page_in_the_house_layout():
    client = _client()
    response = _post_language(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{GERMAN_TITLE}</h1>" in page
    assert 'class="site-header"' in page  # base.html, with navigation and footer
    assert "Cookies" in page  # the advice for a browser that sends no cookie
    assert "Nichts wurde gespeichert." in page
    assert "CSRF cookie not set" not in page  # Django's reason stays in the log
    assert response["Content-Security-Policy"]
    assert "no-cache" in response["Cache-Control"]
    # The refused switch did nothing; the page handed out a token for the next try.
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    assert response.cookies[settings.CSRF_COOKIE_NAME].value


def test_after_the_refusal_the_reloaded_form_is_accepted():
    client = _client()
    _post_language(client)
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/", "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_an_old_form_gets_the_advice_to_reload():
    client = _client()
    client.get("/")  # the cookie, but the form sends no (or a stale) token
    assert client.cookies[settings.CSRF_COOKIE_NAME].value
    response = _post_language(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert "lange geöffnet" in page
    assert "Cookies" not in page


def test_a_form_sent_from_another_site_says_so():
    client = _client()
    client.get("/")
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    response = client.post(
        reverse("set_language"),
        {"language": "en", "csrfmiddlewaretoken": token},
        headers={"Origin": "https://angreifer.example"},
    )
    assert response.status_code == 403
    assert "nicht von einer Seite dieser Website" in response.content.decode()


def test_the_page_in_english():
    client = _client(**{"Accept-Language": "en"})
    response = _post_language(client)
    assert response.status_code == 403
    page = response.content.decode()
    assert f"<h1>{ENGLISH_TITLE}</h1>" in page
    assert '<html lang="en">' in page
    assert "Nothing was saved." in page


def test_api_clients_get_json():
    client = _client(Accept="application/json")
    response = _post_language(client)
    assert response.status_code == 403
    assert response.json() == {
        "message": "Das Formular konnte nicht gesendet werden, weil seine Sicherheitsprüfung "
        "fehlgeschlagen ist."
    }
