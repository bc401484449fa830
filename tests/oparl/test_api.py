"""The OParl API: what it shows, what it hides, its filters, pages and errors."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from quartier.networks.models import AgendaItem, Meeting
from tests.oparl import builders as b
from tests.oparl.conftest import oparl_url
from tests.oparl.crawler import Crawler

pytestmark = pytest.mark.django_db


def _ids(response) -> list[str]:
    return [obj["id"] for obj in response.json()["data"]]


def test_system_points_to_the_bodies_with_absolute_urls(client, scene):
    response = client.get(oparl_url("system"))
    assert response.status_code == 200
    system = response.json()
    assert system["id"] == f"{settings.SITE_URL}/api/oparl/v1/system"
    assert system["body"].startswith(settings.SITE_URL)
    bodies = client.get(oparl_url("body_list")).json()
    assert [body["name"] for body in bodies["data"]] == [scene.area.name]


def test_areas_without_public_networks_are_no_body(client, scene, world):
    b.gremium(areas=[world.other_city], is_public=False)
    assert client.get(oparl_url("body", pk=world.other_city.pk)).status_code == 404
    assert client.get(oparl_url("body", pk=world.city.pk)).status_code == 404


def test_nothing_members_only_is_anywhere_in_the_api(client, scene):
    crawler = Crawler(client).crawl(f"{settings.SITE_URL}{oparl_url('system')}")
    everything = "\n".join(crawler.bodies)
    assert "Quartalstreffen Herbst" in everything  # the crawl reached the meetings
    for secret in scene.secrets:
        assert secret not in everything, secret
    assert "internal" not in everything.lower()


@pytest.mark.parametrize(
    ("name", "attribute"),
    [
        ("meeting", "private_meeting"),
        ("organization", "private_gremium"),
        ("person", "hidden_person"),
        ("paper", "private_document"),
        ("agenda_item", "hidden_item"),
        ("meeting_minutes", "members_minutes_meeting"),
        ("meeting_minutes_text", "members_minutes_meeting"),
    ],
)
def test_hidden_objects_answer_404_json(client, scene, name, attribute):
    response = client.get(oparl_url(name, pk=getattr(scene, attribute).pk))
    assert response.status_code == 404
    assert response.json()["message"]


def test_unknown_ids_answer_404_json(client, scene):
    for name in ("body", "organization", "person", "membership", "meeting", "file", "paper"):
        response = client.get(oparl_url(name, pk=999_999))
        assert response.status_code == 404, name
        assert "message" in response.json()


def test_a_meeting_of_a_private_network_is_hidden_even_if_marked_public(client, scene):
    hidden = Meeting.objects.get(body=scene.private_gremium)
    assert hidden.is_public
    assert client.get(oparl_url("meeting", pk=hidden.pk)).status_code == 404


def test_person_shows_only_public_contact_fields(client, scene):
    person = client.get(oparl_url("person", pk=scene.contact.pk)).json()
    assert person["email"] == ["clara@example.org"]
    assert "phone" not in person


def test_files_of_members_only_documents_are_hidden(client, scene):
    version = scene.private_document.versions.get()
    assert client.get(oparl_url("file", pk=version.pk)).status_code == 404
    assert client.get(oparl_url("file_download", pk=version.pk)).status_code == 404


def test_public_file_downloads_as_attachment(client, scene):
    version = scene.statement.versions.get()
    response = client.get(oparl_url("file_download", pk=version.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment")
    assert response["Content-Security-Policy"] == "sandbox"


def test_public_minutes_come_as_text(client, scene):
    response = client.get(oparl_url("meeting_minutes_text", pk=scene.meeting.pk))
    assert response.status_code == 200
    assert "alle Punkte besprochen" in response.content.decode()


def test_agenda_items_appear_only_once_the_agenda_is_published(client, scene):
    draft = b.meeting(scene.gremium, title="Planung")
    item = b.agenda_item(draft, "Noch nicht veröffentlicht")
    assert client.get(oparl_url("agenda_item", pk=item.pk)).status_code == 404
    assert "agendaItem" not in client.get(oparl_url("meeting", pk=draft.pk)).json()
    b.publish_agenda(draft)
    assert client.get(oparl_url("agenda_item", pk=item.pk)).status_code == 200


def test_agenda_item_order_counts_public_items_from_zero(client, scene):
    meeting = client.get(oparl_url("meeting", pk=scene.meeting.pk)).json()
    assert [item["order"] for item in meeting["agendaItem"]] == [0]
    alone = client.get(oparl_url("agenda_item", pk=scene.item.pk)).json()
    assert alone == meeting["agendaItem"][0]


def test_cancelled_meetings_are_flagged(client, scene):
    cancelled = b.meeting(scene.gremium, title="Ausgefallen", status="cancelled")
    data = client.get(oparl_url("meeting", pk=cancelled.pk)).json()
    assert data["cancelled"] is True
    assert data["meetingState"] == "abgesagt"


def test_responses_are_json_utf8_and_open_to_other_origins(client, scene):
    response = client.get(oparl_url("meeting", pk=scene.meeting.pk))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Hauptstraße".encode() in response.content  # UTF-8, not \\u escapes


def test_vocabulary_stays_german_for_english_clients(client, scene):
    response = client.get(oparl_url("meeting", pk=scene.meeting.pk), HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["meetingState"] == "durchgeführt"


# --- filters -----------------------------------------------------------------------------


def _meeting_list(client, scene, **query):
    return client.get(oparl_url("body_meeting", pk=scene.area.pk), query)


def test_modified_since_returns_only_later_changes(client, scene):
    later = timezone.now() + datetime.timedelta(seconds=1)
    assert _ids(_meeting_list(client, scene, modified_since=later.isoformat())) == []
    everything = _ids(_meeting_list(client, scene))
    earlier = timezone.now() - datetime.timedelta(days=1)
    assert _ids(_meeting_list(client, scene, modified_since=earlier.isoformat())) == everything


def test_changing_an_agenda_item_counts_as_a_change_of_its_meeting(client, scene):
    cutoff = timezone.now() + datetime.timedelta(seconds=1)
    AgendaItem.objects.filter(pk=scene.item.pk).update(
        updated_at=cutoff + datetime.timedelta(seconds=5)
    )
    found = _ids(_meeting_list(client, scene, modified_since=cutoff.isoformat()))
    assert found == [f"{settings.SITE_URL}{oparl_url('meeting', pk=scene.meeting.pk)}"]


def test_created_until_and_modified_until_filter_too(client, scene):
    past = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert _ids(_meeting_list(client, scene, created_until=past)) == []
    assert _ids(_meeting_list(client, scene, modified_until=past)) == []
    assert _ids(_meeting_list(client, scene, created_since=past))


def test_an_unencoded_plus_in_the_offset_is_understood(client, scene):
    # "+01:00" sent without encoding arrives as " 01:00".
    url = oparl_url("body_meeting", pk=scene.area.pk) + "?modified_since=2000-01-01T00:00:00+01:00"
    response = client.get(url)
    assert response.status_code == 200
    assert response.json()["data"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"modified_since": "gestern"}, "modified_since"),
        ({"modified_since": "2024-01-01"}, "modified_since"),
        ({"created_until": "2024-13-01T00:00:00"}, "created_until"),
        ({"page": "0"}, "page"),
        ({"page": "zwei"}, "page"),
        ({"elementsPerPage": "-5"}, "elementsPerPage"),
    ],
)
def test_malformed_parameters_answer_422_with_the_field(client, scene, query, field):
    response = _meeting_list(client, scene, **query)
    assert response.status_code == 422
    body = response.json()
    assert body["message"]
    assert [error["field"] for error in body["errors"]] == [field]
    assert body["errors"][0]["message"]


# --- pages -------------------------------------------------------------------------------


def test_pages_link_to_each_other_and_keep_the_filters(client, scene):
    for number in range(4):
        b.meeting(scene.gremium, title=f"Weiteres Treffen {number}")
    since = "2000-01-01T00:00:00+01:00"
    first = _meeting_list(client, scene, elementsPerPage=2, modified_since=since).json()
    total = first["pagination"]["totalElements"]
    assert first["pagination"]["totalPages"] == (total + 1) // 2
    assert "prev" not in first["links"]
    seen, page = [], first
    while True:
        seen += [obj["id"] for obj in page["data"]]
        assert "modified_since=" in page["links"]["self"]
        assert "elementsPerPage=2" in page["links"]["self"]
        if "next" not in page["links"]:
            break
        page = client.get(page["links"]["next"][len(settings.SITE_URL) :]).json()
    assert len(seen) == len(set(seen)) == total
    assert page["links"]["self"] == first["links"]["last"]
    assert page["links"]["prev"]
    assert page["links"]["first"] == first["links"]["self"]


def test_a_page_past_the_end_is_404_and_an_empty_list_is_one_empty_page(client, scene, world):
    past_the_end = _meeting_list(client, scene, page=99)
    assert past_the_end.status_code == 404
    assert (
        "page" in past_the_end.json()["message"].lower()
        or "seite" in past_the_end.json()["message"].lower()
    )
    empty = client.get(
        oparl_url("body_paper", pk=scene.area.pk), {"created_until": "2000-01-01T00:00:00Z"}
    )
    assert empty.status_code == 200
    data = empty.json()
    assert data["data"] == []
    assert data["pagination"]["totalPages"] == 1
    assert "next" not in data["links"]


def test_page_size_is_capped_at_100(client, scene):
    response = _meeting_list(client, scene, elementsPerPage=5000)
    assert response.json()["pagination"]["elementsPerPage"] == 100


def test_openapi_describes_the_list_filters(client, db):
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/oparl/v1/body/{pk}/meeting"]["get"]
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert names >= {"pk", "modified_since", "created_since", "page", "elementsPerPage"}
