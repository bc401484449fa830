"""Password reset: the same answer for every address, the link by mail after commit."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Zitronen-Fahrrad-Kompass"


def _request(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("accounts:password_reset"), {"email": email})


def _main(response) -> str:
    text = response.content.decode()
    return text[text.index("<main") : text.index("</main>")]


def test_reset_answers_alike_and_mails_only_the_account(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    known = _request(client, "Resident@example.org", django_capture_on_commit_callbacks)
    unknown = _request(client, "niemand@example.org", django_capture_on_commit_callbacks)
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert _main(client.get(known["Location"])) == _main(client.get(unknown["Location"]))
    [mail] = mailoutbox
    assert mail.to == ["resident@example.org"]


def test_reset_link_sets_a_new_password_once_and_lifts_a_lockout(
    world, client, mailoutbox, django_capture_on_commit_callbacks
):
    AccessAttempt.objects.create(
        username="resident", ip_address="192.0.2.1", user_agent="x", failures_since_start=99
    )
    _request(client, "resident@example.org", django_capture_on_commit_callbacks)
    link = re.search(r"http://\S+/konto/passwort/neu/\S+/", mailoutbox[0].body)[0]
    path = link.removeprefix(settings.SITE_URL)
    form_url = client.get(path)["Location"]
    refused = client.post(form_url, {"new_password1": "Sommer2024", "new_password2": "Sommer2024"})
    assert refused.status_code == 200
    assert "zu leicht zu erraten" in refused.content.decode()
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response["Location"] == reverse("accounts:password_reset_complete")
    world.users["resident"].refresh_from_db()
    assert world.users["resident"].check_password(NEW_PASSWORD)
    assert not AccessAttempt.objects.filter(username="resident").exists()
    # Used once: the same link no longer works.
    again = client.get(path, follow=True)
    assert "nicht (mehr) gültig" in again.content.decode()


def test_reset_queues_nothing_when_rolled_back(world, mailoutbox):
    from django.db import transaction

    from quartier.accounts.services import password_reset_request

    with pytest.raises(RuntimeError), transaction.atomic():
        password_reset_request(email="resident@example.org")
        raise RuntimeError
    assert mailoutbox == []


def test_reset_is_throttled_per_address(world, client, django_capture_on_commit_callbacks):
    for _ in range(3):
        assert (
            _request(client, "resident@example.org", django_capture_on_commit_callbacks).status_code
            == 302
        )
    response = _request(client, "resident@example.org", django_capture_on_commit_callbacks)
    assert response.status_code == 429


def test_reset_form_refuses_bad_input_and_the_honeypot(world, client, mailoutbox):
    response = client.post(reverse("accounts:password_reset"), {"email": "keine-mail"})
    assert response.status_code == 422
    response = client.post(
        reverse("accounts:password_reset"),
        {"email": "resident@example.org", "website_url": "http://spam.example"},
    )
    assert response.status_code == 422
    assert mailoutbox == []
