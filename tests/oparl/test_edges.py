"""Edge cases: page boundaries, empty lists, things that end, move or stop being public."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from quartier.directory.models import Position
from quartier.networks.models import Body, Meeting
from tests.factories.areas import AreaFactory
from tests.factories.directory import PersonFactory
from tests.oparl import builders as b
from tests.oparl.conftest import oparl_url

pytestmark = pytest.mark.django_db


def _absolute(name: str, **kwargs) -> str:
    return f"{settings.SITE_URL}{oparl_url(name, **kwargs)}"


def _ids(client, name: str, **query) -> list[str]:
    response = client.get(oparl_url(name, pk=query.pop("pk")), query)
    assert response.status_code == 200
    return [obj["id"] for obj in response.json()["data"]]


def test_a_list_that_fills_its_pages_exactly_has_no_extra_page(client, scene):
    url = oparl_url("body_meeting", pk=scene.area.pk)
    count = client.get(url).json()["pagination"]["totalElements"]
    for number in range(-count % 4):
        b.meeting(scene.gremium, title=f"Auffüllen {number}")
    total = client.get(url).json()["pagination"]["totalElements"]
    assert total % 4 == 0
    last_page = total // 4
    last = client.get(url, {"elementsPerPage": 4, "page": last_page}).json()
    assert len(last["data"]) == 4
    assert "next" not in last["links"]
    assert last["pagination"]["totalPages"] == last_page
    assert client.get(url, {"elementsPerPage": 4, "page": last_page + 1}).status_code == 404


def test_one_element_per_page_walks_the_whole_list(client, scene):
    url = oparl_url("body_meeting", pk=scene.area.pk)
    everything = [obj["id"] for obj in client.get(url).json()["data"]]
    walked, page = [], client.get(url, {"elementsPerPage": 1}).json()
    while True:
        assert len(page["data"]) == 1
        walked.append(page["data"][0]["id"])
        if "next" not in page["links"]:
            break
        page = client.get(page["links"]["next"][len(settings.SITE_URL) :]).json()
    assert walked == everything


def test_a_system_without_public_networks_has_an_empty_body_list(client, db):
    data = client.get(oparl_url("body_list")).json()
    assert data["data"] == []
    assert data["pagination"] == {
        "totalElements": 0,
        "elementsPerPage": 100,
        "currentPage": 1,
        "totalPages": 1,
    }
    assert set(data["links"]) == {"first", "self", "last"}


def test_a_network_in_two_areas_is_listed_by_both_bodies_with_one_id(client, scene):
    second = AreaFactory(name="Südviertel", slug="suedviertel")
    scene.gremium.areas.add(second)
    organization = _absolute("organization", pk=scene.gremium.pk)
    assert organization in _ids(client, "body_organization", pk=scene.area.pk)
    assert organization in _ids(client, "body_organization", pk=second.pk)
    assert "body" not in client.get(oparl_url("organization", pk=scene.gremium.pk)).json()


def test_a_meeting_made_members_only_disappears_even_for_syncing_clients(client, scene):
    since = (timezone.now() - datetime.timedelta(minutes=1)).isoformat()
    meeting_id = _absolute("meeting", pk=scene.meeting.pk)
    assert meeting_id in _ids(client, "body_meeting", pk=scene.area.pk)
    scene.meeting.is_public = False
    scene.meeting.save(update_fields=["is_public", "updated_at"])
    # Documented deviation (docs/adr/0003): no `deleted: true` stub, the object is gone.
    assert client.get(oparl_url("meeting", pk=scene.meeting.pk)).status_code == 404
    assert meeting_id not in _ids(client, "body_meeting", pk=scene.area.pk, modified_since=since)
    assert client.get(oparl_url("agenda_item", pk=scene.item.pk)).status_code == 404
    assert client.get(oparl_url("meeting_location", pk=scene.meeting.pk)).status_code == 404


def test_a_deleted_meeting_answers_404(client, scene):
    pk = scene.members_minutes_meeting.pk
    assert client.get(oparl_url("meeting", pk=pk)).status_code == 200
    Meeting.objects.filter(pk=pk).delete()
    assert client.get(oparl_url("meeting", pk=pk)).status_code == 404


def test_a_private_network_hides_everything_below_it(client, scene):
    Body.objects.filter(pk=scene.gremium.pk).update(is_public=False)
    organization = _absolute("organization", pk=scene.gremium.pk)
    assert organization not in _ids(client, "body_organization", pk=scene.area.pk)
    for name, obj in [
        ("organization", scene.gremium),
        ("meeting", scene.meeting),
        ("agenda_item", scene.item),
        ("paper", scene.statement),
        ("membership", scene.delegate),
        ("person", scene.contact),
    ]:
        assert client.get(oparl_url(name, pk=obj.pk)).status_code == 404, name


def test_a_delegate_is_shown_only_while_a_public_contact_of_their_organisation(
    client, scene, world
):
    person = PersonFactory(given_name="Dora", family_name="Delegiert")
    delegate = b.delegate(scene.delegate.membership, person, public_contact=True)
    assert client.get(oparl_url("person", pk=person.pk)).status_code == 200
    Position.objects.filter(person=person).update(end_date=timezone.localdate())
    assert client.get(oparl_url("person", pk=person.pk)).status_code == 404
    assert client.get(oparl_url("membership", pk=delegate.pk)).status_code == 404


def test_an_ended_delegation_is_no_longer_published(client, scene):
    scene.delegate.end_date = timezone.localdate() - datetime.timedelta(days=1)
    scene.delegate.save(update_fields=["end_date"])
    assert client.get(oparl_url("membership", pk=scene.delegate.pk)).status_code == 404
    organization = client.get(oparl_url("organization", pk=scene.gremium.pk)).json()
    assert "membership" not in organization


def test_hidden_items_leave_no_gap_in_the_order(client, scene):
    b.agenda_item(scene.meeting, "Verschiedenes", position=999)
    items = client.get(oparl_url("meeting", pk=scene.meeting.pk)).json()["agendaItem"]
    assert [(item["order"], item["number"]) for item in items] == [(0, "1"), (1, "2")]


def test_a_public_file_does_not_link_a_hidden_meeting(client, scene):
    doc = b.document(scene.gremium, "Offener Brief", meeting=scene.private_meeting)
    version = doc.versions.get()
    data = client.get(oparl_url("file", pk=version.pk)).json()
    assert "meeting" not in data
    assert data["paper"] == [_absolute("paper", pk=doc.pk)]


def test_a_new_version_becomes_the_main_file(client, scene):
    newer = b.add_version(scene.statement, b"%PDF-1.4 zweite Fassung")
    paper = client.get(oparl_url("paper", pk=scene.statement.pk)).json()
    assert paper["mainFile"]["id"] == _absolute("file", pk=newer.pk)
    assert [f["id"] for f in paper["auxiliaryFile"]] != [paper["mainFile"]["id"]]


def test_an_id_that_is_not_a_number_answers_json(client, scene):
    response = client.get("/api/oparl/v1/meeting/abc")
    assert response.status_code in (404, 422)
    assert response.json()["message"]
