"""Every purge command has --dry-run (counts, deletes nothing); the processing register is
generated from the privacy and retention modules."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from quartier.core import privacy
from quartier.events.models import Registration, ShiftSignup
from quartier.networks.models import CalendarToken
from quartier.venues.models import Booking
from quartier.venues.services import Requester
from tests.factories.events import EventFactory, RegistrationFactory, ShiftSignupFactory, in_days
from tests.factories.venues import RoomFactory, at, book

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def _expired_data(world):
    old = EventFactory(starts_at=in_days(-90), registration_required=True, capacity=5)
    RegistrationFactory(event=old, seat=1)
    ShiftSignupFactory(shift__event=old)
    booking = book(
        RoomFactory(),
        at(2030, 3, 4, 10),
        at(2030, 3, 4, 12),
        requester=Requester(name="Rosa", email="rosa@example.org"),
        consent=True,
        source="public",
        enforce_rules=False,
    )
    Booking.objects.filter(pk=booking.pk).update(
        start=timezone.now() - dt.timedelta(days=100), end=timezone.now() - dt.timedelta(days=99)
    )
    return booking


def test_each_purge_command_has_a_dry_run(world):
    registrations, signups = Registration.objects.count(), ShiftSignup.objects.count()
    booking = _expired_data(world)
    # The registration, the helper's sign-up and the registration's history row.
    assert "3 record(s)" in _run("purge_event_personal_data", "--dry-run")
    assert "1 requests would be erased" in _run("venues_maintenance", "--dry-run")
    assert "would delete" in _run("purge_networks_data", "--dry-run")
    summary = _run("purge_personal_data", "--dry-run")
    assert "Would delete 1 event registrations." in summary
    assert "Would delete 1 room requesters' contact data." in summary
    assert "no dry run available" not in summary
    assert Registration.objects.count() == registrations + 1
    assert ShiftSignup.objects.count() == signups + 1
    booking.refresh_from_db()
    assert booking.requester_email == "rosa@example.org"
    _run("purge_personal_data")
    assert Registration.objects.count() == registrations
    assert ShiftSignup.objects.count() == signups
    assert not Registration.history.filter(event__ends_at__lt=in_days(-60)).exists()
    booking.refresh_from_db()
    assert booking.requester_email == "" and booking.personal_data_erased_at is not None


def test_dry_run_of_networks_keeps_revoked_tokens(world):
    token = CalendarToken.objects.create(
        person=world.person, revoked_at=timezone.now() - dt.timedelta(days=60)
    )
    _run("purge_networks_data", "--dry-run")
    assert CalendarToken.objects.filter(pk=token.pk).exists()
    _run("purge_networks_data")
    assert not CalendarToken.objects.filter(pk=token.pk).exists()


def test_processing_register_command_lists_every_category():
    keys = {c.key for _label, c in privacy.categories()}
    text = _run("privacy_register")
    assert text.startswith("# Verzeichnis von Verarbeitungstätigkeiten")
    for key in keys:
        assert f"`{key}`" in text
    assert "Anmeldungen zu Veranstaltungen" in text  # German by default
    entries = json.loads(_run("privacy_register", "--format", "json", "--language", "en"))
    assert {e["key"] for e in entries} == keys
    events = next(e for e in entries if e["key"] == "events.registration")
    assert events["name"] == "Event registrations"
    assert events["applied_by"] == "quartier purge_personal_data (quartier.events.retention)"


def test_admins_see_the_register_in_the_back_office(world):
    from django.urls import reverse

    page = world.client("admin").get(reverse("backoffice:accounts:processing_register"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Verzeichnis von Verarbeitungstätigkeiten" in text
    assert "Raumanfragen und Buchungen" in text
