"""E-mail confirmation before an anonymous registration or helper sign-up holds a place (issue 19).

Today 40 fake registrations filled an event: a registration now holds nothing until the link
mailed to the address confirms it, and an unconfirmed one is deleted after
QUARTIER_EVENTS_CONFIRM_HOURS.
"""

from __future__ import annotations

import datetime as dt
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.core import tokens as core_tokens
from quartier.events import retention, services, tokens
from quartier.events.models import Registration, ShiftSignup
from tests.factories.accounts import UserFactory
from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    ShiftFactory,
    confirmed_registration,
)

pytestmark = pytest.mark.django_db


def _event(capacity: int = 2, **kwargs):
    return EventFactory(registration_required=True, capacity=capacity, **kwargs)


def _post(client, event, email: str, name: str = "Bot"):
    url = reverse("events:register", kwargs={"slug": event.slug})
    return client.post(url, {"name": name, "email": email, "consent": "on"})


def _confirm_url(registration) -> str:
    return tokens.registration_confirm_path(registration)


def _age(model, pk, hours: float) -> None:
    model.objects.filter(pk=pk).update(created_at=timezone.now() - dt.timedelta(hours=hours))


# --- Anonymous registrations hold nothing until confirmed --------------------------------------


def test_forty_fake_registrations_do_not_fill_the_event(client, settings):
    # The attack of issue 19 from many clients: the throttle is not what stops it here.
    settings.QUARTIER_THROTTLE_RATES = {"events.register": [[1000, 60]]}
    event = _event(capacity=10)
    for number in range(40):
        assert _post(client, event, f"fake{number}@example.org").status_code == 302
    rows = Registration.objects.filter(event=event)
    assert rows.count() == 40
    assert set(rows.values_list("status", flat=True)) == {"pending"}
    assert not rows.filter(seat__isnull=False).exists()
    page = client.get(event.get_absolute_url()).content.decode()
    assert "10 Plätze frei" in page
    # A real person still gets a place, and the first one.
    person = services.registration_create(event=event, name="Ada", email="ada@example.org")
    person, changed = services.registration_confirm(registration=person)
    assert changed and person.status == "confirmed" and person.seat == 1


def test_pending_registrations_are_not_on_the_waiting_list(django_capture_on_commit_callbacks):
    event = _event(capacity=1)
    pending = services.registration_create(event=event, name="Bo", email="bo@example.org")
    first = confirmed_registration(event=event, name="Ada", email="ada@example.org")
    second = confirmed_registration(event=event, name="Cem", email="cem@example.org")
    assert (first.status, second.status) == ("confirmed", "waitlisted")
    # Bo registered first but confirmed last: behind Cem on the waiting list.
    pending, _changed = services.registration_confirm(registration=pending)
    assert pending.status == "waitlisted"
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)
    assert [p.email for p in promoted] == ["cem@example.org"]


def test_the_confirmation_mail_is_sent_after_commit_and_holds_the_link(
    django_capture_on_commit_callbacks,
):
    event = _event()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        registration = services.registration_create(
            event=event, name="Ada", email="ada@example.org"
        )
    assert mail.outbox == [] and len(callbacks) == 1
    callbacks[0]()
    [message] = mail.outbox
    assert "bestätigen" in message.subject.lower()
    assert _confirm_url(registration) in message.body
    assert "24 Stunden" in message.body
    assert "abmelden" not in message.body  # nothing to cancel yet


def test_asking_again_while_pending_resends_the_link_and_answers_alike(
    client, world, django_capture_on_commit_callbacks
):
    event = world.event
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(client, event, "ada@example.org", name="Ada")
    with django_capture_on_commit_callbacks(execute=True):
        again = _post(client, event, "ada@example.org", name="Eve")
    with django_capture_on_commit_callbacks(execute=True):
        registered = _post(client, event, world.registration.email, name="Eve")
    assert first["Location"] == again["Location"] == registered["Location"]
    assert Registration.objects.filter(email="ada@example.org").count() == 1
    assert [m.to for m in mail.outbox] == [
        ["ada@example.org"],
        ["ada@example.org"],
        [world.registration.email],
    ]
    assert "Eve" not in mail.outbox[1].body
    assert "Bereits angemeldet" in mail.outbox[2].subject


# --- Who holds a place at once --------------------------------------------------------------


def test_a_verified_account_registering_its_own_address_holds_a_place_at_once(client):
    event = _event()
    user = UserFactory(email="nachbarin@example.org")
    client.force_login(user)
    response = _post(client, event, "Nachbarin@Example.org", name="Nachbarin")
    assert response.status_code == 302
    registration = Registration.objects.get(email="nachbarin@example.org")
    assert registration.status == "confirmed" and registration.seat == 1
    assert "Platz" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("verified", "email"),
    [(False, "nachbarin@example.org"), (True, "jemand-anderes@example.org")],
)
def test_an_unproven_address_confirms_by_mail_even_when_logged_in(client, verified, email):
    event = _event()
    user = UserFactory(
        email="nachbarin@example.org", email_verified_at=timezone.now() if verified else None
    )
    client.force_login(user)
    assert _post(client, event, email).status_code == 302
    assert Registration.objects.get(email=email).status == "pending"


def test_a_verified_account_takes_the_place_of_its_pending_registration():
    event = _event()
    pending = services.registration_create(event=event, name="Ada", email="ada@example.org")
    user = UserFactory(email="ada@example.org")
    again = services.registration_create(
        event=event, name="Ada", email="ada@example.org", user=user
    )
    assert again.pk == pending.pk and again.status == "confirmed"


# --- The confirmation link -------------------------------------------------------------------


def test_the_link_used_twice_says_so_and_changes_nothing(
    client, django_capture_on_commit_callbacks
):
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    url = _confirm_url(registration)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 200
    registration.refresh_from_db()
    seat = registration.seat
    mails = len(mail.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 200
    assert "bereits verwendet" in response.content.decode()
    registration.refresh_from_db()
    assert registration.seat == seat and len(mail.outbox) == mails


def test_an_expired_link_says_so(client, settings):
    settings.QUARTIER_EVENTS_CONFIRM_HOURS = 24
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    with mock.patch("time.time", return_value=time.time() - 25 * 3600):
        old = core_tokens.make(tokens.REGISTRATION_CONFIRM, registration.pk)
    url = reverse("events:registration_confirm", args=[old])
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 400
        assert "abgelaufen" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"


def test_a_pending_registration_too_old_is_refused_even_with_a_fresh_link(client):
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    _age(Registration, registration.pk, 25)
    response = client.post(_confirm_url(registration))
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "pending"


def test_the_link_of_a_deleted_registration_says_it_has_expired(client):
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    url = _confirm_url(registration)
    registration.delete()
    response = client.post(url)
    assert response.status_code == 400 and "abgelaufen" in response.content.decode()


@pytest.mark.parametrize("token", ["x", "1:forged", "a" * 300, "%00"])
def test_a_changed_link_is_a_clear_400_never_a_500(client, token):
    for name in ("registration_confirm", "signup_confirm"):
        response = client.post(reverse(f"events:{name}", args=[token]))
        assert response.status_code == 400
        assert "nicht gültig" in response.content.decode()


def test_a_cancel_link_is_no_confirmation_link(client):
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    token = tokens.registration_token(registration)  # other purpose
    assert client.post(reverse("events:registration_confirm", args=[token])).status_code == 400
    assert Registration.objects.get(pk=registration.pk).status == "pending"


def test_confirming_after_registration_closed_says_so(client):
    event = _event()
    registration = services.registration_create(event=event, name="Ada", email="ada@example.org")
    services.event_cancel(event=event)
    response = client.post(_confirm_url(registration))
    assert response.status_code == 409
    assert "geschlossen" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "pending"


def test_a_cancelled_event_mails_no_unconfirmed_address(django_capture_on_commit_callbacks):
    event = _event()
    confirmed_registration(event=event, name="Ada", email="ada@example.org")
    services.registration_create(event=event, name="Bo", email="bo@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event)
    assert [m.to for m in mail.outbox] == [["ada@example.org"]]


# --- Expiry: the purge deletes what was never confirmed ---------------------------------------


def test_the_purge_deletes_expired_pending_registrations_and_sign_ups(settings):
    settings.QUARTIER_EVENTS_CONFIRM_HOURS = 24
    event = _event(capacity=5)
    shift = ShiftFactory(event=event)
    old = services.registration_create(event=event, name="Alt", email="alt@example.org")
    fresh = services.registration_create(event=event, name="Neu", email="neu@example.org")
    kept = confirmed_registration(event=event, name="Da", email="da@example.org")
    old_signup = services.shift_signup_create(shift=shift, first_name="Alt", email="a@example.org")
    fresh_signup = services.shift_signup_create(
        shift=shift, first_name="Neu", email="n@example.org"
    )
    for model, pk in (
        (Registration, old.pk),
        (Registration, kept.pk),
        (ShiftSignup, old_signup.pk),
    ):
        _age(model, pk, 25)
    counts = retention.purge(dry_run=True)
    assert counts["unconfirmed event registrations"] == 1
    assert counts["unconfirmed helper sign-ups"] == 1
    assert counts["history of unconfirmed registrations"] >= 1
    assert Registration.objects.filter(pk=old.pk).exists()  # dry run
    call_command("purge_event_personal_data")
    assert set(Registration.objects.values_list("pk", flat=True)) == {fresh.pk, kept.pk}
    assert set(ShiftSignup.objects.values_list("pk", flat=True)) == {fresh_signup.pk}
    # Its name and address do not stay behind in the history either.
    assert not Registration.history.filter(id=old.pk).exists()
    assert Registration.history.filter(id=kept.pk).exists()


def test_an_expired_pending_registration_does_not_block_a_new_one():
    event = _event()
    old = services.registration_create(event=event, name="Ada", email="ada@example.org")
    _age(Registration, old.pk, 25)
    new = services.registration_create(event=event, name="Ada", email="ada@example.org")
    assert new.pk != old.pk and new.status == "pending"
    assert not Registration.objects.filter(pk=old.pk).exists()


# --- Helper shifts ------------------------------------------------------------------------------


def test_unconfirmed_sign_ups_take_no_place_in_a_shift(client, django_capture_on_commit_callbacks):
    shift = ShiftFactory(needed=1)
    bots = [
        services.shift_signup_create(shift=shift, first_name="Bot", email=f"b{n}@example.org")
        for n in range(5)
    ]
    signup = services.shift_signup_create(shift=shift, first_name="Jo", email="jo@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(tokens.signup_confirm_path(signup))
    assert response.status_code == 200
    signup.refresh_from_db()
    assert signup.confirmed_at is not None
    assert "/veranstaltungen/helfen/abmelden/" in mail.outbox[-1].body
    # The shift is full now: a late confirmation is refused with the reason, not a 500.
    response = client.post(tokens.signup_confirm_path(bots[0]))
    assert response.status_code == 409 and "genug" in response.content.decode()
    assert ShiftSignup.objects.filter(confirmed_at__isnull=False).count() == 1


def test_a_verified_account_is_signed_up_for_a_shift_at_once(client):
    shift = ShiftFactory()
    client.force_login(UserFactory(email="jo@example.org"))
    url = reverse("events:shift_signup", kwargs={"slug": shift.event.slug, "shift_id": shift.pk})
    data = {f"shift{shift.pk}-first_name": "Jo", f"shift{shift.pk}-email": "jo@example.org"}
    response = client.post(url, data, follow=True)
    assert "Sie sind für diese Schicht eingetragen" in response.content.decode()
    assert ShiftSignup.objects.get(email="jo@example.org").confirmed_at is not None


# --- Staff see pending apart; counters count confirmed only ---------------------------------


def test_staff_list_shows_pending_registrations_apart(world):
    event = world.event
    services.registration_create(event=event, name="Pia Pending", email="pia@example.org")
    shift = world.shift
    services.shift_signup_create(shift=shift, first_name="Paul", email="paul@example.org")
    client = world.client("editor")
    response = client.get(reverse("backoffice:events:people", kwargs={"pk": event.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    pending_part = html.split("Warten auf Bestätigung der E-Mail-Adresse")
    assert len(pending_part) == 3  # the registrations' heading and the shift's
    assert "Pia Pending" in pending_part[1] and "Pia Pending" not in pending_part[0]
    assert "paul@example.org" in pending_part[2]
    confirmed = event.registrations.filter(status="confirmed").count()
    assert f"{confirmed} von {event.capacity} Plätzen belegt" in html


def test_anonymous_cannot_see_the_pending_list(client, world):
    url = reverse("backoffice:events:people", kwargs={"pk": world.event.pk})
    response = client.get(url)
    assert response.status_code == 302 and "/konto/anmelden/" in response["Location"]


def test_factory_rows_are_confirmed():
    assert RegistrationFactory().confirmed_at is not None
