import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from quartier.events import services, tokens
from quartier.events.models import Event, Registration, RegistrationStatus
from tests.factories.events import (
    EventFactory,
    ShiftFactory,
    ShiftSignupFactory,
    confirmed_registration,
    confirmed_signup,
    in_days,
)

pytestmark = pytest.mark.django_db


def _event(capacity: int = 2, **kwargs) -> Event:
    return EventFactory(registration_required=True, capacity=capacity, **kwargs)


def test_registration_confirms_while_places_are_free_then_waitlists(
    django_capture_on_commit_callbacks,
):
    event = _event(capacity=2)
    with django_capture_on_commit_callbacks(execute=True):
        first = confirmed_registration(event=event, name="Ada", email="ada@example.org")
        second = confirmed_registration(event=event, name="Bo", email="bo@example.org")
        third = confirmed_registration(event=event, name="Cem", email="cem@example.org")
    assert [first.status, second.status] == ["confirmed", "confirmed"]
    assert {first.seat, second.seat} == {1, 2}
    assert third.status == "waitlisted" and third.seat is None
    # The links were confirmed before the commit: their request mails are skipped (mail.py),
    # each person gets the place or the waiting list.
    assert len(mail.outbox) == 3
    assert "Warteliste" in mail.outbox[2].subject
    assert "/veranstaltungen/abmelden/" in mail.outbox[0].body


def test_cancelling_promotes_the_first_on_the_waitlist_and_tells_them(
    django_capture_on_commit_callbacks,
):
    event = _event(capacity=1)
    first = confirmed_registration(event=event, name="Ada", email="ada@example.org")
    waiting = confirmed_registration(event=event, name="Bo", email="bo@example.org")
    later = confirmed_registration(event=event, name="Cem", email="cem@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.registration_cancel(registration=first)
    assert promoted == [waiting]
    waiting.refresh_from_db()
    later.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.seat == 1
    assert later.status == "waitlisted"
    assert [m.to for m in mail.outbox] == [["bo@example.org"]]
    assert "frei" in mail.outbox[0].subject


def test_cancelling_twice_changes_nothing():
    event = _event(capacity=1)
    registration = confirmed_registration(event=event, name="Ada", email="a@example.org")
    services.registration_cancel(registration=registration)
    assert services.registration_cancel(registration=registration) == []


def test_the_same_email_cannot_register_twice_but_may_after_cancelling():
    event = _event()
    first = confirmed_registration(event=event, name="Ada", email="Ada@Example.org")
    # No second registration and no error that would tell who takes part: the existing one,
    # and a mail to the address saying so (test_views).
    second = confirmed_registration(event=event, name="Eve", email="ada@example.org ")
    assert second == first and event.registrations.count() == 1
    services.registration_cancel(registration=first)
    again = confirmed_registration(event=event, name="Ada", email="ada@example.org")
    assert again.status == "confirmed"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"registration_required": False, "capacity": None},
        {"starts_at": in_days(-1), "ends_at": in_days(-1) + dt.timedelta(hours=1)},
        {"registration_closes_at": in_days(-1)},
        {"status": "cancelled"},
    ],
)
def test_registration_is_refused_when_closed(kwargs):
    defaults = {"registration_required": True, "capacity": 5}
    event = EventFactory(**{**defaults, **kwargs})
    with pytest.raises(ValidationError):
        services.registration_create(event=event, name="Ada", email="ada@example.org")
    assert not Registration.objects.exists()


def test_token_roundtrip_and_forgery():
    event = _event()
    registration = confirmed_registration(event=event, name="Ada", email="a@example.org")
    token = tokens.registration_token(registration)
    assert tokens.registration_from_token(token) == registration
    assert tokens.registration_from_token(token + "x") is None
    assert tokens.registration_from_token("1:forged") is None


def test_cancelled_event_tells_everyone_registered_and_every_helper_once(
    django_capture_on_commit_callbacks,
):
    event = _event(capacity=1)
    confirmed_registration(event=event, name="Ada", email="ada@example.org")
    confirmed_registration(event=event, name="Bo", email="bo@example.org")  # waiting
    gone = confirmed_registration(event=event, name="Cy", email="cy@example.org")
    services.registration_cancel(registration=gone)
    shift = ShiftFactory(event=event)
    ShiftSignupFactory(shift=shift, first_name="Helga", email="helga@example.org")
    ShiftSignupFactory(shift=shift, first_name="Ada", email="ada@example.org")  # also registered
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event)
    event.refresh_from_db()
    assert event.status == "cancelled" and event.sequence == 1 and event.cancelled_at
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ada@example.org", "bo@example.org", "helga@example.org"]
    assert all("Abgesagt" in m.subject for m in mail.outbox)
    # Registrations stay (for the record until retention), the event takes no new ones.
    assert Registration.objects.filter(event=event).count() == 3
    with pytest.raises(ValidationError):
        confirmed_registration(event=event, name="Dee", email="dee@example.org")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.event_cancel(event=event)  # idempotent: no second round of mails
    assert mail.outbox == []


def test_cancelling_a_registration_of_a_cancelled_event_promotes_nobody():
    event = _event(capacity=1)
    first = confirmed_registration(event=event, name="Ada", email="ada@example.org")
    waiting = confirmed_registration(event=event, name="Bo", email="bo@example.org")
    services.event_cancel(event=event)
    assert services.registration_cancel(registration=first) == []
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED


def test_update_raises_sequence_only_for_changes_subscribers_see(world):
    event = EventFactory()
    services.event_update(event=event, fields={"title": event.title})
    event.refresh_from_db()
    assert event.sequence == 0
    services.event_update(event=event, fields={"title": "Neuer Titel", "is_free": False})
    event.refresh_from_db()
    assert event.sequence == 1 and event.title == "Neuer Titel"
    services.event_update(event=event, fields={"accessibility": "Rampe"})
    event.refresh_from_db()
    assert event.sequence == 1


def test_update_refuses_an_end_before_the_start():
    event = EventFactory()
    with pytest.raises(ValidationError):
        services.event_update(event=event, fields={"ends_at": event.starts_at - dt.timedelta(1)})


def test_create_gives_unique_slugs_and_stable_uids(world):
    start = in_days(5)
    fields = {"title": "Adventsmarkt", "starts_at": start, "ends_at": start}
    first = services.event_create(fields=dict(fields), organisations=[world.organisation])
    second = services.event_create(fields=dict(fields))
    assert first.slug != second.slug and first.slug.startswith("adventsmarkt-")
    assert first.uid != second.uid and first.uid.endswith("@quartier")
    assert list(first.organisations.all()) == [world.organisation]


def test_shift_signup_limits_and_duplicates():
    shift = ShiftFactory(needed=1)
    signup = confirmed_signup(shift=shift, first_name="Jo", email="jo@example.org")
    with pytest.raises(ValidationError, match="genug"):
        confirmed_signup(shift=shift, first_name="Kim", email="kim@example.org")
    services.shift_signup_cancel(signup=signup)
    confirmed_signup(shift=shift, first_name="Kim", email="kim@example.org")
    roomy = ShiftFactory(needed=5)
    confirmed_signup(shift=roomy, first_name="Kim", email="kim@example.org")
    # Twice: the existing sign-up, no error telling who helps.
    again = confirmed_signup(shift=roomy, first_name="Eve", email="KIM@example.org")
    assert again.first_name == "Kim" and roomy.signups.count() == 1


def test_shift_signup_refused_for_past_shift_or_cancelled_event():
    past = ShiftFactory(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        ends_at=timezone.now() - dt.timedelta(hours=1),
    )
    with pytest.raises(ValidationError):
        services.shift_signup_create(shift=past, first_name="Jo", email="jo@example.org")
    shift = ShiftFactory(event=EventFactory(status="cancelled"))
    with pytest.raises(ValidationError):
        services.shift_signup_create(shift=shift, first_name="Jo", email="jo@example.org")


def test_cancelling_after_the_event_started_promotes_nobody():
    """A seat freed once the event has begun is not offered to the waiting list: nobody can
    still come, and a "you have a place" mail would mislead (services.registration_cancel)."""
    event = _event(capacity=1)
    first = confirmed_registration(event=event, name="Ada", email="ada@example.org")
    waiting = confirmed_registration(event=event, name="Bo", email="bo@example.org")
    Event.objects.filter(pk=event.pk).update(
        starts_at=timezone.now() - dt.timedelta(minutes=5),
        ends_at=timezone.now() + dt.timedelta(hours=2),
    )
    mail.outbox.clear()
    assert services.registration_cancel(registration=first) == []
    waiting.refresh_from_db()
    assert waiting.status == RegistrationStatus.WAITLISTED and waiting.seat is None
    assert mail.outbox == []
