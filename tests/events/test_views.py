import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartier.events.models import Event, Registration, ShiftSignup
from quartier.events.tokens import registration_token, signup_token
from tests.factories.events import CategoryFactory, EventFactory, ShiftFactory, ShiftSignupFactory
from tests.factories.offers import TargetGroupFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def test_calendar_lists_upcoming_events_and_advertises_its_feeds(client, world):
    response = client.get(reverse("events:calendar") + "?area=nordviertel")
    html = response.content.decode()
    assert "Nordfest" in html and "Anderfest" not in html
    assert 'type="text/calendar" href="/veranstaltungen/kalender.ics?area=nordviertel"' in html
    assert 'type="application/json" href="/api/events/?area=nordviertel"' in html
    assert html.count("<h1>") == 1


def test_calendar_filters_by_target_group_and_free(client, world):
    seniors = TargetGroupFactory(slug="senioren", name="Senioren")
    event = EventFactory(title="Seniorencafé", is_free=False, cost="2 €")
    event.target_groups.add(seniors)
    html = client.get(reverse("events:calendar") + "?target_group=senioren").content.decode()
    assert "Seniorencafé" in html and "Nordfest" not in html
    html = client.get(reverse("events:calendar") + "?free=on").content.decode()
    assert "Seniorencafé" not in html and "Nordfest" in html


def test_unknown_filter_value_is_shown_not_a_500(client, world):
    response = client.get(reverse("events:calendar") + "?category=gibts-nicht")
    assert response.status_code == 200
    assert "gültige Auswahl" in response.content.decode()


def test_htmx_filter_gets_the_partial(client, world):
    response = client.get(reverse("events:calendar"), HTTP_HX_REQUEST="true")
    assert b"<html" not in response.content and b"Nordfest" in response.content


def test_calendar_list_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(30):
        EventFactory(organisations=[world.organisation], areas=[world.district])
    with django_assert_max_num_queries(8):
        assert client.get(reverse("events:calendar")).status_code == 200


def test_month_view_shows_events_on_every_day_they_touch(client):
    EventFactory(
        title="Lange Nacht",
        starts_at=dt.datetime(2026, 10, 24, 22, tzinfo=BERLIN),
        ends_at=dt.datetime(2026, 10, 25, 4, tzinfo=BERLIN),
    )
    EventFactory(
        title="Bis Mitternacht",
        starts_at=dt.datetime(2026, 10, 10, 20, tzinfo=BERLIN),
        ends_at=dt.datetime(2026, 10, 11, 0, tzinfo=BERLIN),
    )
    html = client.get(reverse("events:month", args=[2026, 10])).content.decode()
    assert html.count("Lange Nacht") == 2
    assert html.count("Bis Mitternacht") == 1
    assert "<caption>" in html and 'scope="col"' in html


def test_month_view_of_2000_events_has_a_bounded_query_count(client, django_assert_max_num_queries):
    category = CategoryFactory(slug="markt")
    base = dt.datetime(2030, 3, 1, 8, tzinfo=BERLIN)
    Event.objects.bulk_create(
        Event(
            title=f"Termin {i}",
            slug=f"termin-{i}",
            uid=f"termin-{i}@quartier",
            category=category,
            starts_at=base + dt.timedelta(minutes=21 * i),
            ends_at=base + dt.timedelta(minutes=21 * i + 60),
        )
        for i in range(2000)
    )
    with django_assert_max_num_queries(6):
        response = client.get(reverse("events:month", args=[2030, 3]) + "?category=markt")
    assert response.content.decode().count("Termin ") >= 2000


def test_detail_has_json_ld_and_never_shows_registrants(client, world):
    html = client.get(reverse("events:detail", kwargs={"slug": "nordfest"})).content.decode()
    start = html.index('<script type="application/ld+json">') + len(
        '<script type="application/ld+json">'
    )
    data = json.loads(html[start : html.index("</script>", start)])
    assert data["@type"] == "Event" and data["name"] == "Nordfest"
    assert data["organizer"][0]["name"] == world.organisation.name
    assert data["eventStatus"].endswith("EventScheduled")
    assert world.registration.email not in html and world.registration.name not in html
    # Helpers: first names only with consent (show_name), never last names or e-mails.
    assert world.shift_signup.first_name not in html
    assert world.shift_signup.last_name not in html and world.shift_signup.email not in html


def test_detail_map_names_the_marker_icons(client, world):
    # Leaflet's own guess of the icon path fails with hashed static file names.
    world.event.lat, world.event.lon = 49.7596, 6.6439
    world.event.save()
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert 'id="event-map"' in html
    assert 'data-icon-url="/static/vendor/leaflet/images/marker-icon.png"' in html
    assert 'data-shadow-url="/static/vendor/leaflet/images/marker-shadow.png"' in html


def test_detail_query_budget(client, world, django_assert_max_num_queries):
    for _ in range(5):
        ShiftSignupFactory(shift=ShiftFactory(event=world.event))
    with django_assert_max_num_queries(10):
        assert client.get(world.event.get_absolute_url()).status_code == 200


def _link(message, name: str) -> str:
    """The path of the link `name` (events:<name>) in a mail."""
    prefix = reverse(f"events:{name}", args=["TOKEN"]).split("TOKEN")[0]
    return prefix + message.body.split(prefix)[1].split()[0]


def test_registration_through_the_page_confirm_and_cancel_link(
    client, world, django_capture_on_commit_callbacks
):
    url = reverse("events:register", kwargs={"slug": "nordfest"})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"name": "Ada", "email": "ada@example.org", "consent": "on"}, follow=True
        )
    assert "Bestätigungslink" in response.content.decode()
    registration = Registration.objects.get(email="ada@example.org")
    assert registration.status == "pending" and registration.seat is None
    assert mail.outbox[-1].to == ["ada@example.org"]
    confirm = _link(mail.outbox[-1], "registration_confirm")
    # GET only asks (mail scanners follow links); POST confirms.
    assert "Bestätigen" in client.get(confirm).content.decode()
    registration.refresh_from_db()
    assert registration.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(confirm)
    assert response.status_code == 200
    registration.refresh_from_db()
    assert registration.status == "confirmed" and registration.seat is not None
    cancel = reverse("events:registration_cancel", args=[registration_token(registration)])
    assert cancel in mail.outbox[-1].body
    assert "zurückziehen" in client.get(cancel).content.decode()
    client.post(cancel)
    registration.refresh_from_db()
    assert registration.status == "cancelled"


def test_registration_without_consent_is_refused_with_a_message(client, world):
    url = reverse("events:register", kwargs={"slug": "nordfest"})
    response = client.post(url, {"name": "Ada", "email": "ada@example.org"})
    assert response.status_code == 400 and "zwingend erforderlich" in response.content.decode()


def test_registration_answers_alike_whether_the_address_is_registered(
    client, world, django_capture_on_commit_callbacks
):
    """Issue 19: the page must not tell whether a named person takes part; the mail to the
    address says which case it is."""
    url = reverse("events:register", kwargs={"slug": "nordfest"})
    answers = []
    for email in ("neu@example.org", world.registration.email):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(url, {"name": "Eve", "email": email, "consent": "on"})
        answers.append((response.status_code, response["Location"]))
        page = client.get(response["Location"]).content.decode()
        assert "Wir haben Ihnen eine E-Mail" in page
    assert answers[0] == answers[1]
    assert Registration.objects.filter(email=world.registration.email).count() == 1
    already = mail.outbox[-1]
    assert already.to == [world.registration.email]
    assert "Bereits angemeldet" in already.subject
    assert "Eve" not in already.body  # the stranger's name is not passed on


def test_registration_honeypot_and_throttle(client, world, settings):
    from quartier.events.models import Registration as R

    url = reverse("events:register", kwargs={"slug": "nordfest"})
    data = {"name": "Bot", "email": "bot@example.org", "consent": "on", "website_url": "x"}
    assert client.post(url, data).status_code == 400
    assert not R.objects.filter(email="bot@example.org").exists()
    settings.QUARTIER_THROTTLE_RATES = {"events.register": [[1, 60]]}
    data.pop("website_url")
    assert client.post(url, data).status_code == 302
    data["email"] = "bot2@example.org"
    assert client.post(url, data).status_code == 429
    assert not R.objects.filter(email="bot2@example.org").exists()


def test_shift_signup_through_the_page(client, world):
    shift = world.shift
    url = reverse("events:shift_signup", kwargs={"slug": "nordfest", "shift_id": shift.pk})
    data = {f"shift{shift.pk}-first_name": "Jo", f"shift{shift.pk}-email": "jo@example.org"}
    response = client.post(url, data, follow=True)
    assert "Bestätigungslink" in response.content.decode()
    signup = ShiftSignup.objects.get(email="jo@example.org")
    assert signup.confirmed_at is None
    cancel = reverse("events:signup_cancel", args=[signup_token(signup)])
    client.post(cancel)
    assert not ShiftSignup.objects.filter(pk=signup.pk).exists()


def test_shift_signup_refuses_bad_input_with_status_400(client, world):
    shift = world.shift
    url = reverse("events:shift_signup", kwargs={"slug": "nordfest", "shift_id": shift.pk})
    response = client.post(url, {f"shift{shift.pk}-first_name": "Jo"})
    assert response.status_code == 400


def test_cancelled_event_page_says_so_and_closes_registration(client, world):
    Event.objects.filter(pk=world.event.pk).update(status="cancelled", cancelled_at=timezone.now())
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert "abgesagt" in html and "Die Anmeldung ist geschlossen" in html


# --- Helpers' consent to be named (issue 18) -------------------------------------------------


def test_shift_signup_asks_for_consent_and_mails_a_confirmation(
    client, world, django_capture_on_commit_callbacks
):
    shift = world.shift
    page = client.get(world.event.get_absolute_url()).content.decode()
    assert "Meinen Vornamen auf der Veranstaltungsseite zeigen" in page
    assert (
        f'name="shift{shift.pk}-show_name"' in page
        and "checked" not in page.split(f'name="shift{shift.pk}-show_name"')[1].split(">")[0]
    )
    url = reverse("events:shift_signup", kwargs={"slug": "nordfest", "shift_id": shift.pk})
    data = {f"shift{shift.pk}-first_name": "Jolanda", f"shift{shift.pk}-email": "jo@example.org"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data)
    signup = ShiftSignup.objects.get(email="jo@example.org")
    assert signup.show_name is False  # default off
    [request] = [m for m in mail.outbox if m.to == ["jo@example.org"]]
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert "2 von 3" in html  # not counted before the address is confirmed
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_link(request, "signup_confirm"))
    [confirmation] = [m for m in mail.outbox if m.to == ["jo@example.org"]]
    assert reverse("events:signup_cancel", args=[signup_token(signup)]) in confirmation.body
    assert "nicht" in confirmation.body  # says the name is not shown
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert "Jolanda" not in html
    assert "3 von 3" in html and "und 2 weitere" in html


def test_consenting_helper_is_named_on_the_event_page(client, world):
    shift = world.shift
    ShiftSignup.objects.filter(pk=world.shift_signup.pk).delete()
    url = reverse("events:shift_signup", kwargs={"slug": "nordfest", "shift_id": shift.pk})
    data = {
        f"shift{shift.pk}-first_name": "Jolanda",
        f"shift{shift.pk}-email": "jo@example.org",
        f"shift{shift.pk}-show_name": "on",
    }
    client.post(url, data)
    assert ShiftSignup.objects.get(email="jo@example.org").show_name is True
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert "Jolanda" not in html  # not before the address is confirmed
    ShiftSignup.objects.filter(email="jo@example.org").update(confirmed_at=timezone.now())
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert "Jolanda" in html and "weitere" not in html


def test_unconsenting_helper_is_only_counted(client, world):
    html = client.get(world.event.get_absolute_url()).content.decode()
    assert world.shift_signup.first_name not in html
    assert "2 von 3" in html and "und 1 weitere" in html
