"""Events carry the offers' topics (issue 18): on the form, the page, the calendar filters
and the iCal feed; a broader topic finds the events of the narrower ones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from quartier.events import services
from quartier.events.models import Event
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY
from tests.events.test_backoffice import _form
from tests.factories.events import EventFactory
from tests.factories.offers import TaxonomyFactory, TaxonomyTermFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def topics():
    taxonomy = TaxonomyFactory(slug=SOCIAL_SPACE_TAXONOMY, name="Sozialraum")
    family = TaxonomyTermFactory(taxonomy=taxonomy, code="familie", name="Familie")
    early = TaxonomyTermFactory(
        taxonomy=taxonomy, code="fruehe-hilfen", name="Frühe Hilfen", parent=family
    )
    senior = TaxonomyTermFactory(taxonomy=taxonomy, code="senioren", name="Senioren")
    return {"family": family, "early": early, "senior": senior}


def test_editor_files_an_event_under_topics(world, topics):
    client = world.client("editor")
    page = client.get(reverse("backoffice:events:create")).content.decode()
    assert "Familie › Frühe Hilfen" in page  # narrower topics named with their broader one
    assert "<legend>Topics" in page or "<legend>Themen" in page  # a named checkbox group
    data = _form(world, topics=[str(topics["early"].pk)])
    assert client.post(reverse("backoffice:events:create"), data).status_code == 302
    event = Event.objects.get(title="Frühjahrsputz")
    assert list(event.topics.all()) == [topics["early"]]
    assert event.first_published_at is not None


def test_an_unknown_topic_is_refused_on_the_form(world, topics):
    data = _form(world, topics=["nicht-da"])
    response = world.client("editor").post(reverse("backoffice:events:create"), data)
    assert response.status_code == 400
    assert not Event.objects.filter(title="Frühjahrsputz").exists()


def test_event_page_shows_topics_and_offers_the_alert(world, topics, django_assert_max_num_queries):
    event = EventFactory(title="Krabbelgruppe", areas=[world.district], topics=[topics["early"]])
    with django_assert_max_num_queries(16):
        response = world.client("anonymous").get(event.get_absolute_url())
    html = response.content.decode()
    assert "Frühe Hilfen" in html
    assert f"?topic={topics['early'].pk}" in html  # the topic leads to the filtered calendar
    assert f"source=events&amp;alert_area=nordviertel&amp;topic={topics['early'].pk}" in html
    assert world.client("anonymous").head(event.get_absolute_url()).status_code == 200


def test_calendar_month_and_feed_filter_by_topic_with_narrower_ones(world, topics):
    EventFactory(title="Krabbelgruppe", areas=[world.district], topics=[topics["early"]])
    EventFactory(title="Seniorencafé", areas=[world.district], topics=[topics["senior"]])
    anonymous = world.client("anonymous")
    query = {"topic": str(topics["family"].pk)}
    listed = anonymous.get(reverse("events:calendar"), query).content.decode()
    assert "Krabbelgruppe" in listed and "Seniorencafé" not in listed and "Nordfest" not in listed
    # The subscribe link carries the filter.
    assert f"source=events&amp;topic={topics['family'].pk}" in listed
    start = timezone.localtime(Event.objects.get(title="Krabbelgruppe").starts_at)
    month = anonymous.get(reverse("events:month", args=[start.year, start.month]), query)
    assert "Krabbelgruppe" in month.content.decode()
    assert "Seniorencafé" not in month.content.decode()
    feed = anonymous.get(reverse("events:feed"), query).content.decode()
    assert "Krabbelgruppe" in feed and "Seniorencafé" not in feed
    assert anonymous.head(reverse("events:calendar"), query).status_code == 200


def test_an_unknown_topic_is_refused_by_the_feed_and_ignored_by_the_page(world, topics):
    anonymous = world.client("anonymous")
    assert anonymous.get(reverse("events:feed"), {"topic": "nicht-da"}).status_code == 400
    assert anonymous.get(reverse("events:calendar"), {"topic": "nicht-da"}).status_code == 200


def test_first_publication_is_kept_when_unpublished_and_published_again(world):
    event = services.event_create(
        fields={
            "title": "Entwurf",
            "starts_at": timezone.now() + dt.timedelta(days=3),
            "ends_at": timezone.now() + dt.timedelta(days=3, hours=2),
            "is_published": False,
        },
        areas=[world.district],
    )
    assert event.first_published_at is None  # a draft is news for nobody yet
    services.event_update(event=event, fields={"is_published": True})
    event.refresh_from_db()
    first = event.first_published_at
    assert first is not None
    services.event_update(event=event, fields={"is_published": False})
    services.event_update(event=event, fields={"is_published": True})
    event.refresh_from_db()
    assert event.first_published_at == first


def test_api_filters_by_topic_and_refuses_an_unknown_one(client, world, topics):
    EventFactory(title="Krabbelgruppe", areas=[world.district], topics=[topics["early"]])
    url = reverse("api:event_list")
    data = client.get(url, {"topic": str(topics["family"].pk)}).json()
    assert [item["title"] for item in data["items"]] == ["Krabbelgruppe"]
    response = client.get(url, {"topic": "nicht-da"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "topic"
