import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from quartier.events import tasks
from quartier.events.models import Registration, ShiftSignup
from tests.factories.events import (
    EventFactory,
    RegistrationFactory,
    ShiftFactory,
    ShiftSignupFactory,
    in_days,
)

pytestmark = pytest.mark.django_db


def _shift_on(day_offset: int, **event_kwargs):
    event = EventFactory(starts_at=in_days(day_offset, 14), **event_kwargs)
    event.ends_at = event.starts_at + dt.timedelta(hours=4)
    event.save()
    return ShiftFactory(
        event=event,
        starts_at=in_days(day_offset, 10),
        ends_at=in_days(day_offset, 13),
    )


def test_reminders_go_to_tomorrows_helpers_once():
    tomorrow = ShiftSignupFactory(shift=_shift_on(1), first_name="Jo", email="jo@example.org")
    ShiftSignupFactory(shift=_shift_on(2), email="later@example.org")
    ShiftSignupFactory(shift=_shift_on(1, status="cancelled"), email="gone@example.org")
    # Never confirmed by its mailed link: no place in the shift, no reminder.
    ShiftSignupFactory(shift=_shift_on(1), email="pending@example.org", confirmed_at=None)
    assert tasks.send_shift_reminders.call() == 1
    assert [m.to for m in mail.outbox] == [["jo@example.org"]]
    assert "Erinnerung" in mail.outbox[0].subject and "Guten Tag Jo" in mail.outbox[0].body
    assert "/veranstaltungen/helfen/abmelden/" in mail.outbox[0].body
    tomorrow.refresh_from_db()
    assert tomorrow.reminded_at is not None
    call_command("send_shift_reminders")  # the cron-able twin; nothing left to send
    assert len(mail.outbox) == 1


def test_retention_deletes_personal_data_after_the_period(settings):
    settings.QUARTIER_EVENTS_RETENTION_DAYS = 30
    old = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=39),
    )
    recent = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=9),
    )
    RegistrationFactory(event=old, seat=1)
    kept = RegistrationFactory(event=recent, seat=1)
    ShiftSignupFactory(shift=ShiftFactory(event=old))
    kept_signup = ShiftSignupFactory(shift=ShiftFactory(event=recent))
    call_command("purge_event_personal_data")
    assert list(Registration.objects.all()) == [kept]
    assert list(ShiftSignup.objects.all()) == [kept_signup]


def test_mail_for_a_registration_cancelled_meanwhile_is_skipped():
    registration = RegistrationFactory(status="cancelled", seat=None)
    tasks.send_registration_mail.call(registration.pk, "confirmed")
    assert mail.outbox == []


def test_area_section_lists_upcoming_events(client, world):
    html = client.get(reverse("areas:detail", kwargs={"slug": world.city.slug})).content.decode()
    assert "Nächste Veranstaltungen" in html and "Nordfest" in html
    html = client.get(reverse("areas:detail", kwargs={"slug": world.land.slug})).content.decode()
    assert "Nordfest" in html and "Anderfest" in html


def test_calendar_is_in_the_main_navigation(client, world):
    html = client.get(reverse("events:calendar")).content.decode()
    assert 'href="/veranstaltungen/">Kalender</a>' in html


def test_event_in_past_is_not_upcoming(client):
    EventFactory(title="Vorbei", starts_at=in_days(-3), ends_at=in_days(-3) + dt.timedelta(hours=1))
    assert "Vorbei" not in client.get(reverse("events:calendar")).content.decode()


def test_retention_purges_the_registrations_history_too(settings):
    settings.QUARTIER_EVENTS_RETENTION_DAYS = 30
    old = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=40),
        ends_at=timezone.now() - dt.timedelta(days=39),
    )
    recent = EventFactory(
        starts_at=timezone.now() - dt.timedelta(days=10),
        ends_at=timezone.now() - dt.timedelta(days=9),
    )
    gone = RegistrationFactory(event=old, seat=1, name="Alt Ada", email="alt@example.org")
    gone.status = "cancelled"
    gone.seat = None
    gone.save()  # a second history row
    kept = RegistrationFactory(event=recent, seat=1, name="Neu Nora")
    deleted_event = EventFactory()
    RegistrationFactory(event=deleted_event, seat=1, name="Weg Wanda")
    deleted_event.delete()  # leaves "deleted" history rows of its registration
    assert Registration.history.filter(name="Alt Ada").count() == 2
    assert Registration.history.filter(name="Weg Wanda").exists()
    call_command("purge_event_personal_data")
    assert not Registration.history.filter(name__in=["Alt Ada", "Weg Wanda"]).exists()
    assert not Registration.history.filter(email="alt@example.org").exists()
    assert Registration.history.filter(id=kept.pk).exists()
