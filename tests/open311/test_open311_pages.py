"""Open311 `requests.json` pages at size: a bounded number of queries whatever the page holds
(notes, agencies, forwarded requests), and the fields read from plain rows as before."""

from __future__ import annotations

import pytest
from django.urls import reverse

from quartier.concerns.models import Status
from tests.factories.concerns import ConcernFactory, UpdateFactory

pytestmark = pytest.mark.django_db


def _list(client, **query):
    return client.get(reverse("api:open311_requests", kwargs={"fmt": "json"}), query)


def test_a_page_of_requests_costs_the_same_queries_for_more_rows(
    world, django_assert_max_num_queries
):
    client = world.client("anonymous")
    for concern in ConcernFactory.create_batch(
        3, category=world.concern_category, area=world.district
    ):
        UpdateFactory(concern=concern, text="Weitergegeben.")
    with django_assert_max_num_queries(3) as few:
        assert _list(client, page_size=50).status_code == 200
    for concern in ConcernFactory.create_batch(
        40,
        category=world.concern_category,
        area=world.district,
        organisation=world.organisation,
        status=Status.FORWARDED,
        forwarded_to="Ordnungsamt",
    ):
        UpdateFactory(concern=concern, text="Ans Ordnungsamt.")
    with django_assert_max_num_queries(len(few.captured_queries)):
        rows = _list(client, page_size=50).json()
    assert len(rows) >= 43


def test_the_rows_carry_the_latest_public_note_agency_and_rounded_place(world):
    client = world.client("anonymous")
    forwarded = ConcernFactory(
        category=world.concern_category,
        area=world.district,
        organisation=world.organisation,
        status=Status.FORWARDED,
        forwarded_to="Ordnungsamt Trier",
        lat=49.7561234,
        lon=6.6412345,
    )
    UpdateFactory(concern=forwarded, text="Zuerst.")
    UpdateFactory(concern=forwarded, text="Intern.", is_public=False)
    UpdateFactory(concern=forwarded, text="Zuletzt öffentlich.")
    routed = ConcernFactory(
        category=world.concern_category, area=world.district, organisation=world.organisation
    )
    nowhere = ConcernFactory(category=world.concern_category, area=world.district)
    rows = {r["service_request_id"]: r for r in _list(client).json()}
    row = rows[str(forwarded.pk)]
    assert row["agency_responsible"] == "Ordnungsamt Trier"
    assert row["status_notes"] == "Zuletzt öffentlich."
    assert (row["lat"], row["long"]) == (49.756, 6.641)
    assert row["status"] == "open" and row["detailed_status"] == "forwarded"
    assert row["service_code"] == world.concern_category.slug
    assert row["address"] == world.district.name
    assert rows[str(routed.pk)]["agency_responsible"] == world.organisation.name
    assert rows[str(routed.pk)]["status_notes"] == ""
    assert rows[str(nowhere.pk)]["agency_responsible"] == ""
    assert rows[str(nowhere.pk)]["lat"] is None


def test_the_next_links_page_by_keyset_and_new_requests_shift_nothing(world):
    client = world.client("anonymous")
    ConcernFactory.create_batch(6, category=world.concern_category, area=world.district)
    expected = [r["service_request_id"] for r in _list(client, page_size=1000).json()]
    address = reverse("api:open311_requests", kwargs={"fmt": "json"}) + "?page_size=2"
    seen: list[str] = []
    while address:
        response = client.get(address)
        assert response.status_code == 200
        seen += [r["service_request_id"] for r in response.json()]
        link = response.get("Link")
        address = link[1 : link.index(">")] if link else None
        if address and len(seen) == 2:
            assert "after=" in address
            # A request posted while the client pages comes first in the list: with OFFSET
            # paging the next page would repeat the last row of this one.
            ConcernFactory(category=world.concern_category, area=world.district)
    assert seen == expected


def test_a_bad_after_is_a_spec_error(world):
    client = world.client("anonymous")
    for bad in ("x", "0", "-3"):
        response = _list(client, after=bad)
        assert response.status_code == 400
        [item] = response.json()
        assert item["code"] == 400 and "after" in item["description"]
