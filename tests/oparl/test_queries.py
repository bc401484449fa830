"""Query budgets: every OParl list costs a fixed number of queries, however long it is."""

from __future__ import annotations

import datetime
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from quartier.networks.models import AgendaItem, Meeting
from tests.factories.areas import AreaFactory
from tests.oparl import builders as b
from tests.oparl.conftest import oparl_url

pytestmark = pytest.mark.django_db


def _queries(client, url: str, **query) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    assert response.status_code == 200, response.content
    return len(captured)


def test_body_list_is_bounded_whatever_the_number_of_areas(client, scene):
    small = _queries(client, oparl_url("body_list"))
    for number in range(30):
        area = AreaFactory(name=f"Quartier {number}", slug=f"quartier-{number}")
        b.gremium(areas=[area])
    assert _queries(client, oparl_url("body_list")) == small <= 3


def _bulk_meetings(gremium, count: int) -> None:
    start = timezone.now().replace(microsecond=0)
    Meeting.objects.bulk_create(
        Meeting(
            body=gremium,
            title=f"Treffen {number}",
            start=start + datetime.timedelta(days=number),
            end=start + datetime.timedelta(days=number, hours=2),
            uid=f"{uuid.uuid4()}@quartier",
            agenda_published_at=start,
            location_name="Nachbarschaftshaus",
        )
        for number in range(count)
    )
    AgendaItem.objects.bulk_create(
        AgendaItem(meeting=meeting, title="Bericht", status="accepted", position=1)
        for meeting in Meeting.objects.filter(body=gremium)[:500]
    )


def test_a_body_with_5000_meetings_lists_them_in_a_fixed_number_of_queries(
    client, scene, django_assert_max_num_queries
):
    url = oparl_url("body_meeting", pk=scene.area.pk)
    few = _queries(client, url)
    _bulk_meetings(scene.gremium, 5000)
    with django_assert_max_num_queries(few):
        first = client.get(url).json()
    assert first["pagination"]["totalElements"] > 5000
    with django_assert_max_num_queries(few):
        last = client.get(first["links"]["last"].split("8000", 1)[-1])
    assert last.status_code == 200
    assert few <= 12


def test_organization_meeting_list_is_bounded_too(client, scene, django_assert_max_num_queries):
    url = oparl_url("organization_meeting", pk=scene.gremium.pk)
    few = _queries(client, url)
    _bulk_meetings(scene.gremium, 300)
    with django_assert_max_num_queries(few):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "body_organization",
        "body_person",
        "body_membership",
        "body_agenda_item",
        "body_paper",
        "body_file",
        "body_location",
    ],
)
def test_other_body_lists_do_not_grow_with_their_length(client, scene, world, name):
    url = oparl_url(name, pk=scene.area.pk)
    few = _queries(client, url)
    for number in range(15):
        gremium = b.gremium(areas=[scene.area])
        membership = b.member(gremium, world.organisation)
        b.delegate(membership, world.person)
        gremium.contact_persons.add(scene.contact)
        meeting = b.meeting(gremium, location_name="Saal")
        b.agenda_item(meeting, "Punkt")
        b.publish_agenda(meeting)
        b.document(gremium, f"Stellungnahme {number}", meeting=meeting, store=False)
    assert _queries(client, url) <= few
    assert few <= 12
