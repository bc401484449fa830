import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.conf import settings
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from quartier.core.ics import fold
from quartier.events import services
from quartier.events.ics import calendar_bytes
from quartier.events.models import Event
from tests.factories.events import CategoryFactory, EventFactory

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def _components(response) -> list:
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    return list(calendar.walk("VEVENT"))


def test_event_ics_has_stable_uid_and_raises_sequence_on_change(client):
    event = EventFactory(title="Frühjahrsputz")
    url = reverse("events:ics", kwargs={"slug": event.slug})
    (first,) = _components(client.get(url))
    assert str(first["uid"]) == event.uid
    assert int(first["sequence"]) == 0 and str(first["status"]) == "CONFIRMED"
    assert str(first["url"]) == settings.SITE_URL + event.get_absolute_url()
    services.event_update(
        event=event, fields={"starts_at": event.starts_at - dt.timedelta(hours=1)}
    )
    (second,) = _components(client.get(url))
    assert str(second["uid"]) == event.uid and int(second["sequence"]) == 1
    services.event_cancel(event=Event.objects.get(pk=event.pk))
    (third,) = _components(client.get(url))
    assert str(third["status"]) == "CANCELLED" and int(third["sequence"]) == 2


def test_event_crossing_midnight_and_dst_is_written_in_utc(client):
    # 25 Oct 2026: summer time ends at 03:00 (clocks go back to 02:00).
    start = dt.datetime(2026, 10, 24, 22, 0, tzinfo=BERLIN)
    end = dt.datetime(2026, 10, 25, 4, 0, tzinfo=BERLIN)
    event = EventFactory(starts_at=start, ends_at=end)
    response = client.get(reverse("events:ics", kwargs={"slug": event.slug}))
    assert b"DTSTART:20261024T200000Z" in response.content
    assert b"DTEND:20261025T030000Z" in response.content  # 7 real hours later
    (component,) = _components(response)
    assert component.decoded("dtend") - component.decoded("dtstart") == dt.timedelta(hours=7)


def test_all_day_event_uses_dates():
    event = EventFactory(
        all_day=True,
        starts_at=dt.datetime(2026, 12, 5, tzinfo=BERLIN),
        ends_at=dt.datetime(2026, 12, 6, tzinfo=BERLIN),
    )
    calendar = icalendar.Calendar.from_ical(calendar_bytes([event]))
    (component,) = calendar.walk("VEVENT")
    assert component.decoded("dtstart") == dt.date(2026, 12, 5)
    assert component.decoded("dtend") == dt.date(2026, 12, 7)  # exclusive end


def test_feed_follows_the_same_filters_as_the_calendar(client, world):
    fest = CategoryFactory(slug="fest", name="Fest")
    EventFactory(title="Fest im Norden", category=fest, areas=[world.district])
    EventFactory(title="Fest anderswo", category=fest, areas=[world.other_city])
    EventFactory(title="Kostet", is_free=False, areas=[world.district])
    everything = {str(c["summary"]) for c in _components(client.get(reverse("events:feed")))}
    assert {"Fest im Norden", "Fest anderswo", "Kostet", "Nordfest"} <= everything
    # The city includes the district below it.
    url = reverse("events:feed") + f"?area={world.city.slug}&category=fest"
    assert {str(c["summary"]) for c in _components(client.get(url))} == {"Fest im Norden"}
    url = reverse("events:feed") + f"?area={world.district.slug}&free=on"
    titles = {str(c["summary"]) for c in _components(client.get(url))}
    assert "Kostet" not in titles and "Fest im Norden" in titles


def test_unpublished_events_are_not_in_feeds(client):
    hidden = EventFactory(is_published=False)
    assert hidden.uid.encode() not in client.get(reverse("events:feed")).content
    assert client.get(reverse("events:ics", kwargs={"slug": hidden.slug})).status_code == 404


def test_feed_of_2000_events_is_one_query_and_one_pass(client, django_assert_max_num_queries):
    category = CategoryFactory(slug="markt")
    base = dt.datetime(2030, 3, 1, 10, tzinfo=BERLIN)
    Event.objects.bulk_create(
        Event(
            title=f"Termin {i}",
            slug=f"termin-{i}",
            uid=f"termin-{i}@quartier",
            category=category,
            starts_at=base + dt.timedelta(hours=i),
            ends_at=base + dt.timedelta(hours=i + 1),
        )
        for i in range(2000)
    )
    with django_assert_max_num_queries(3):
        response = client.get(reverse("events:feed"))
    assert response.content.count(b"BEGIN:VEVENT") == 2000


def test_text_is_escaped_and_long_lines_are_folded_between_characters():
    event = EventFactory(
        title="Fest; mit, Komma\\ und " + "Überlänge " * 12,
        description="Zeile 1\nZeile 2",
        lat=49.75,
        lon=6.64,
    )
    body = calendar_bytes([event])
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    body.decode("utf-8")  # folding never splits a character
    (component,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert str(component["summary"]) == event.title
    assert str(component["description"]) == "Zeile 1\nZeile 2"
    assert component["geo"].latitude == 49.75


@given(st.text(max_size=300))
def test_fold_keeps_the_text_and_the_line_limit(text):
    line = "SUMMARY:" + text.replace("\r", "").replace("\n", "")
    folded = fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))
