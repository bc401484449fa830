"""OParl 1.1 conformance: crawl the API from its entry point and check every object it reaches
against the official JSON schemas, then check the links between objects by following them.
"""

from __future__ import annotations

from collections import Counter

import pytest
from django.urls import reverse

from quartier.api.oparl.links import absolute
from tests.oparl.conftest import scene  # noqa: F401 (the fixture)
from tests.oparl.crawler import TYPE_PREFIX, Crawler, load_schemas

pytestmark = pytest.mark.django_db

ALL_TYPES = {
    "System",
    "Body",
    "Organization",
    "Person",
    "Membership",
    "Meeting",
    "AgendaItem",
    "File",
    "Location",
    "Paper",
}


@pytest.fixture
def crawled(scene, standards_dir, client) -> Crawler:  # noqa: F811
    schemas = load_schemas(standards_dir)
    return Crawler(client, schemas).crawl(absolute(reverse("api:oparl_system")))


def _type(obj: dict) -> str:
    return obj["type"][len(TYPE_PREFIX) :]


def test_the_schemas_are_the_ones_the_crawler_reads(standards_dir):
    schemas = load_schemas(standards_dir)
    assert set(schemas) >= ALL_TYPES
    assert schemas["Body"]["properties"]["organization"]["references"] == "externalList"


def test_every_object_validates_and_every_link_resolves(crawled):
    seen = Counter(_type(obj) for obj in crawled.objects.values())
    assert set(seen) == ALL_TYPES, seen


def test_list_items_are_the_objects_in_full(crawled):
    for object_id, listed in crawled.listed.items():
        assert crawled.objects[object_id] == listed, object_id


def test_embedded_objects_agree_with_their_own_url(crawled):
    for object_id, embedded in crawled.embedded.items():
        alone = crawled.objects[object_id]
        for key, value in embedded.items():
            assert alone[key] == value, f"{object_id}.{key}"


def test_back_references_hold(crawled):
    objects = crawled.objects
    for obj in objects.values():
        kind = _type(obj)
        if kind == "Meeting":
            for org in obj["organization"]:
                assert obj["id"] in crawled.lists[objects[org]["meeting"]]
            for item in obj.get("agendaItem", []):
                assert objects[item["id"]]["meeting"] == obj["id"]
        elif kind == "Organization":
            for membership in obj.get("membership", []):
                assert objects[membership]["organization"] == obj["id"]
        elif kind == "Membership":
            person = objects[obj["person"]]
            assert obj["id"] in [m["id"] for m in person.get("membership", [])]
        elif kind == "File":
            for paper_id in obj.get("paper", []):
                paper = objects[paper_id]
                files = [paper.get("mainFile", {}), *paper.get("auxiliaryFile", [])]
                assert obj["id"] in [f.get("id") for f in files]
        elif kind == "Location":
            for meeting_id in obj.get("meetings", []):
                assert objects[meeting_id]["location"]["id"] == obj["id"]


def test_every_body_list_holds_only_its_type(crawled):
    body = next(obj for obj in crawled.objects.values() if _type(obj) == "Body")
    expected = {
        "organization": "Organization",
        "person": "Person",
        "meeting": "Meeting",
        "paper": "Paper",
        "membership": "Membership",
        "agendaItem": "AgendaItem",
        "file": "File",
        "locationList": "Location",
    }
    for prop, kind in expected.items():
        ids = crawled.lists[body[prop]]
        assert ids, f"{prop} is empty in the test scene"
        assert {_type(crawled.objects[i]) for i in ids} == {kind}
