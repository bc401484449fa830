import json

import pytest
from django.urls import reverse

from quartier.offers.models import Offer, ReviewState

pytestmark = pytest.mark.django_db


def _send(client, method, url, data):
    return getattr(client, method)(url, data=json.dumps(data), content_type="application/json")


def _payload(world, **changes):
    data = {
        "organisation": world.organisation.pk,
        "name": "Spielkreis Nord",
        "min_age": 1,
        "max_age": 3,
        "locations": [{"name": "Spielraum", "street": "Nordstraße 9", "city": "Trier"}],
        "schedules": [{"kind": "weekly", "weekday": 2, "opens_at": "10:00", "closes_at": "11:30"}],
    }
    data.update(changes)
    return data


def test_create_submit_publish_through_the_api(world):
    editor = world.client("editor")
    response = _send(editor, "post", reverse("api:offer_create"), _payload(world))
    assert response.status_code == 201, response.json()
    offer_id = response.json()["id"]
    assert response.json()["review_state"] == "draft"
    offer = Offer.objects.get(pk=offer_id)
    assert offer.schedules.get().weekday == 2
    assert offer.locations.get().street == "Nordstraße 9"
    url = reverse("api:offer_submit", kwargs={"offer_id": offer_id})
    assert _send(editor, "post", url, {}).json()["review_state"] == "in_review"
    url = reverse("api:offer_publish", kwargs={"offer_id": offer_id})
    assert _send(editor, "post", url, {}).status_code == 403
    response = _send(world.client("planner"), "post", url, {})
    assert response.json()["review_state"] == "published"
    assert response.json()["last_verified"]


def test_editors_api_update_of_a_published_offer_waits_for_review(world):
    url = reverse("api:offer_update", kwargs={"offer_id": world.offer.pk})
    response = _send(world.client("editor"), "put", url, _payload(world, name="Neu"))
    assert response.json()["outcome"] == "pending_review"
    world.offer.refresh_from_db()
    assert world.offer.name == "Familiencafé Nord"
    assert world.offer.revisions.pending().get().data["name"] == "Neu"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"min_age": 9, "max_age": 2}, "max_age"),
        ({"status": "vielleicht"}, "status"),
        ({"locations": [{"name": "X", "lat": 91, "lon": 6.6}]}, "locations.0.lat"),
        ({"locations": [{"name": "X", "lat": 49.7}]}, "locations.0"),
        (
            {
                "schedules": [
                    # 18:00–08:00 is past midnight; the same time twice is refused.
                    {"kind": "weekly", "weekday": 1, "opens_at": "18:00", "closes_at": "18:00"}
                ]
            },
            "schedules.0.closes_at",
        ),
        ({"schedules": [{"kind": "weekly", "opens_at": "nachts"}]}, "schedules.0.opens_at"),
        ({"topics": ["keine-uuid"]}, "topics"),
    ],
)
def test_bad_input_gives_422_with_fields_and_saves_nothing(world, changes, field):
    response = _send(
        world.client("editor"), "post", reverse("api:offer_create"), _payload(world, **changes)
    )
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert field in {error["field"] for error in body["errors"]}, body
    assert not Offer.objects.filter(name="Spielkreis Nord").exists()


def test_wrong_types_give_422(world):
    response = _send(
        world.client("editor"), "post", reverse("api:offer_create"), {"name": ["kaputt"]}
    )
    assert response.status_code == 422
    assert response.json()["errors"]


def test_editor_cannot_create_for_another_organisation(world):
    payload = _payload(world, organisation=world.other_organisation.pk)
    response = _send(world.client("editor"), "post", reverse("api:offer_create"), payload)
    assert response.status_code == 403
    url = reverse("api:offer_update", kwargs={"offer_id": world.other_offer.pk})
    assert _send(world.client("editor"), "put", url, _payload(world)).status_code == 403
    assert not Offer.objects.filter(name="Spielkreis Nord").exists()


def test_publishing_twice_is_a_clear_error(world):
    url = reverse("api:offer_publish", kwargs={"offer_id": world.offer.pk})
    response = _send(world.client("admin"), "post", url, {})
    assert response.status_code == 422
    assert "bereits veröffentlicht" in response.json()["errors"][0]["message"]
    assert Offer.objects.get(pk=world.offer.pk).review_state == ReviewState.PUBLISHED
