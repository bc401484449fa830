import pytest
from django.urls import reverse

from tests.factories.events import EventFactory

pytestmark = pytest.mark.django_db


def test_event_list_filters_like_the_calendar(client, world, django_assert_max_num_queries):
    EventFactory(title="Kostet", is_free=False, areas=[world.district])
    # area lookup, one query per hierarchy level below it, count, page, organisers
    with django_assert_max_num_queries(8):
        data = client.get(reverse("api:event_list") + "?area=teststadt").json()
    titles = {item["title"] for item in data["items"]}
    assert titles == {"Nordfest", "Kostet"}
    data = client.get(reverse("api:event_list") + "?area=teststadt&free=true").json()
    assert {item["title"] for item in data["items"]} == {"Nordfest"}


def test_event_detail_has_links_and_no_personal_data(client, world):
    data = client.get(reverse("api:event_detail", kwargs={"slug": "nordfest"})).json()
    assert data["uid"] == world.event.uid
    assert data["ics_url"].endswith("/veranstaltungen/nordfest/termin.ics")
    assert data["organisers"] == [
        {"slug": world.organisation.slug, "name": world.organisation.name}
    ]
    text = str(data)
    assert world.registration.email not in text and world.shift_signup.email not in text


def test_unknown_filter_gives_json_error(client, world):
    response = client.get(reverse("api:event_list") + "?category=gibts-nicht")
    assert response.status_code == 422
    body = response.json()
    assert body["message"] and body["errors"][0]["field"] == "category"


def test_unpublished_event_is_not_found(client):
    EventFactory(slug="geheim", is_published=False)
    response = client.get(reverse("api:event_detail", kwargs={"slug": "geheim"}))
    assert response.status_code == 404 and response.json()["message"]
