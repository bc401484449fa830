"""Open311 GeoReport v2: formats, filters, paging, POST with its bad input, the error format.

There is no official JSON schema of GeoReport v2 in ../shared/standards; the shapes checked
here follow the specification's field lists (http://wiki.open311.org/GeoReport_v2).
"""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

import pytest
from django.urls import reverse
from django.utils import timezone

from quartier.concerns.models import Concern, Source, Status
from tests.factories.concerns import ConcernFactory

pytestmark = pytest.mark.django_db

REQUEST_FIELDS = {
    "service_request_id", "status", "status_notes", "service_name", "service_code",
    "description", "agency_responsible", "service_notice", "requested_datetime",
    "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat", "long",
    "media_url",
}  # fmt: skip


def url(name, **kwargs):
    return reverse(f"api:open311_{name}", kwargs=kwargs)


def is_spec_error(response, code):
    assert response.status_code == code
    if response["Content-Type"].startswith("text/xml"):
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        [item] = root.findall("error")
        assert item.findtext("code") == str(code) and item.findtext("description")
    else:
        [item] = response.json()
        assert item["code"] == code and item["description"]
    return True


def post(client, world, **changes):
    data = {
        "api_key": world.open311_key,
        "service_code": world.concern_category.slug,
        "lat": "49.75",
        "long": "6.64",
        "description": "Schlagloch vor der Schule, sehr tief.",
        "email": "app-nutzer@example.org",
        "first_name": "Alex",
    }
    data.update(changes)
    return client.post(
        url("requests", fmt="json"), {k: v for k, v in data.items() if v is not None}
    )


@pytest.fixture
def mapped(world):
    from tests.factories.areas import AreaFactory, link, square

    area = AreaFactory(
        name="Drewitz", slug="drewitz", kind__slug="quartier", kind__level=4,
        boundary=square(6.60, 49.70, 0.1),
    )  # fmt: skip
    link(world.district, area)
    return area


def test_discovery_and_services(world):
    client = world.client("anonymous")
    discovery = client.get(url("discovery", fmt="json")).json()
    assert discovery["endpoints"][0]["url"].endswith("/api/open311/v2")
    services = client.get(url("services", fmt="json")).json()
    by_code = {s["service_code"]: s for s in services}
    assert by_code["wohnen"]["metadata"] is True and by_code["beleuchtung"]["metadata"] is False
    assert set(by_code["wohnen"]) == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }  # fmt: skip
    xml = ET.fromstring(client.get(url("services", fmt="xml")).content)
    assert xml.tag == "services" and {s.findtext("service_code") for s in xml} == set(by_code)
    definition = client.get(url("service", code="wohnen", fmt="json")).json()
    [attribute] = definition["attributes"]
    assert attribute["code"] == "hausnummer" and attribute["required"] is True
    xml = ET.fromstring(client.get(url("service", code="wohnen", fmt="xml")).content)
    assert xml.tag == "service_definition"
    assert xml.find("attributes/attribute/code").text == "hausnummer"


def test_requests_show_public_data_only(world):
    [row] = [
        r
        for r in world.client("anonymous").get(url("requests", fmt="json")).json()
        if r["service_request_id"] == str(world.concern.pk)
    ]
    assert set(row) >= REQUEST_FIELDS
    assert row["status"] == "open" and row["lat"] == 49.756 and row["long"] == 6.641
    assert row["address"] == world.district.name
    assert row["agency_responsible"] == world.organisation.name
    text = str(row)
    assert world.concern.reporter_email not in text and world.concern.address not in text
    xml = ET.fromstring(
        world.client("anonymous").get(url("request", pk=world.concern.pk, fmt="xml")).content
    )
    assert xml.tag == "service_requests" and xml.find("request/status").text == "open"


def test_request_filters(world):
    client = world.client("anonymous")
    solved = ConcernFactory(
        category=world.concern_category, area=world.district, status=Status.SOLVED
    )

    def ids(**q):
        return {r["service_request_id"] for r in client.get(url("requests", fmt="json"), q).json()}

    assert str(solved.pk) in ids(status="closed") and str(world.concern.pk) not in ids(
        status="closed"
    )
    assert str(world.concern.pk) in ids(status="open,closed")
    assert ids(service_code="wohnen") == {str(world.other_concern.pk)}
    assert ids(service_request_id=f"{solved.pk},{world.concern.pk}") == {
        str(solved.pk),
        str(world.concern.pk),
    }
    tomorrow = (timezone.now() + dt.timedelta(days=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert ids(start_date=tomorrow) == set()
    assert str(solved.pk) in ids(end_date=tomorrow)
    assert is_spec_error(client.get(url("requests", fmt="json"), {"start_date": "gestern"}), 400)
    assert is_spec_error(client.get(url("requests", fmt="xml"), {"service_request_id": "a"}), 400)


def test_paging_reaches_every_request(world):
    client = world.client("anonymous")
    ConcernFactory.create_batch(5, category=world.concern_category, area=world.district)
    total = Concern.objects.public().count()
    seen = []
    address = url("requests", fmt="json") + "?page_size=2"
    while address:
        response = client.get(address)
        assert response["X-Total-Count"] == str(total)
        seen += [r["service_request_id"] for r in response.json()]
        link = response.get("Link")
        address = link[1 : link.index(">")] if link else None
    assert len(seen) == len(set(seen)) == total
    assert is_spec_error(client.get(url("requests", fmt="json"), {"page_size": "5000"}), 400)


def test_post_with_a_key_and_read_back(world, mapped):
    client = world.client("anonymous")
    response = post(client, world)
    assert response.status_code == 200
    [answer] = response.json()
    concern = Concern.objects.get(pk=answer["service_request_id"])
    assert concern.area == mapped and concern.source == Source.OPEN311
    assert concern.api_client == world.open311_client
    assert concern.reporter_email == "app-nutzer@example.org" and concern.contact_consent
    token = client.get(url("token", token=answer["token"], fmt="json")).json()
    assert token == [{"service_request_id": answer["service_request_id"], "token": answer["token"]}]
    [row] = client.get(url("request", pk=concern.pk, fmt="json")).json()
    assert row["status"] == "open" and "app-nutzer" not in str(row)


def test_post_needs_a_valid_key(world, mapped, settings):
    client = world.client("anonymous")
    before = Concern.objects.count()
    assert is_spec_error(post(client, world, api_key="falsch"), 403)
    assert is_spec_error(post(client, world, api_key=None), 403)
    world.open311_client.is_active = False
    world.open311_client.save()
    assert is_spec_error(post(client, world), 403)
    assert Concern.objects.count() == before
    settings.QUARTIER_OPEN311_ANONYMOUS_POST = True
    response = post(client, world, api_key=None)
    assert response.status_code == 200
    # Without a key there is no operator who collected a consent: no contact data is kept.
    assert Concern.objects.latest("pk").reporter_email == ""


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"service_code": None}, "service_code"),
        ({"service_code": "gibt-es-nicht"}, "gibt-es-nicht"),
        ({"lat": None}, "lat"),
        ({"lat": "nord"}, "lat"),
        ({"lat": "52.5", "long": "13.4"}, "place"),
        ({"description": "x" * 100_000}, "description"),
        ({"service_code": "wohnen"}, "attribute[hausnummer]"),
        ({"email": "kein-mail"}, "email"),
    ],
)
def test_bad_posts_answer_in_the_spec_error_format(world, mapped, changes, words):
    before = Concern.objects.count()
    response = post(world.client("anonymous"), world, **changes)
    assert is_spec_error(response, 400)
    assert words in response.json()[0]["description"]
    assert Concern.objects.count() == before


def test_a_required_attribute_given(world, mapped):
    response = post(
        world.client("anonymous"), world, service_code="wohnen", **{"attribute[hausnummer]": "12"}
    )
    assert response.status_code == 200
    assert Concern.objects.latest("pk").attributes == {"hausnummer": "12"}


def test_repeated_posts_are_refused(world, mapped, settings):
    settings.QUARTIER_THROTTLE_RATES = {"open311.post": [[2, 60]]}
    client = world.client("anonymous")
    assert [post(client, world).status_code for _ in range(2)] == [200, 200]
    assert is_spec_error(post(client, world), 429)


def test_unknown_ids_and_tokens(world):
    client = world.client("anonymous")
    assert is_spec_error(client.get(url("request", pk="abc", fmt="json")), 400)
    assert is_spec_error(client.get(url("request", pk="999999", fmt="xml")), 404)
    assert is_spec_error(client.get(url("token", token="falsch", fmt="xml")), 404)
    assert is_spec_error(client.get(url("service", code="nix", fmt="json")), 404)


def test_control_characters_leave_valid_xml(world):
    ConcernFactory(
        category=world.concern_category, area=world.district, description="Tür\x1b\x07 kaputt"
    )
    ET.fromstring(world.client("anonymous").get(url("requests", fmt="xml")).content)


def test_listing_costs_the_same_queries_for_more_rows(world, django_assert_max_num_queries):
    client = world.client("anonymous")
    ConcernFactory.create_batch(5, category=world.concern_category, area=world.district)
    with django_assert_max_num_queries(4):
        client.get(url("requests", fmt="json"))
    ConcernFactory.create_batch(10, category=world.concern_category, area=world.district)
    with django_assert_max_num_queries(4):
        client.get(url("requests", fmt="json"))


def test_a_nul_character_is_refused_in_the_spec_error_format(world, mapped):
    """The project-wide NUL guard (core.middleware) answers before the view, in Open311's
    error format: a list of code and description."""
    before = Concern.objects.count()
    response = post(world.client("anonymous"), world, description="Tür\x00 klemmt seit Tagen.")
    assert response.status_code == 400
    assert response.json()[0]["code"] == 400 and response.json()[0]["description"]
    assert Concern.objects.count() == before


@pytest.mark.parametrize("day", ["2026-13-01", "2026-02-30T10:00:00Z", "2026-01-01T25:00:00"])
def test_a_date_of_the_right_shape_but_no_such_day_is_a_spec_error_not_a_500(world, day):
    client = world.client("anonymous")
    response = client.get(url("requests", fmt="xml"), {"start_date": day})
    assert is_spec_error(response, 400)


@pytest.mark.parametrize("day", ["0001-01-01T00:00:00+23:59", "9999-12-31T23:59:59-23:59"])
def test_dates_at_the_ends_of_the_calendar_select_like_the_bounds(world, day):
    client = world.client("anonymous")
    response = client.get(url("requests", fmt="json"), {"start_date": day, "end_date": day})
    assert response.status_code == 200 and response.json() == []
    response = client.get(url("requests", fmt="json"), {"start_date": day})
    ids = {r["service_request_id"] for r in response.json()}
    assert (str(world.concern.pk) in ids) == day.startswith("0001")


def test_the_openapi_document_states_the_spec_error_format_in_json_and_xml():
    """Issue 15: schemathesis can check the Open311 operations against the document
    (tests/core/test_openapi_schemathesis.py)."""
    from quartier.api.base import api

    schema = api.get_openapi_schema()
    errors = schema["components"]["schemas"]["Open311Errors"]
    assert errors["type"] == "array"
    assert errors["items"]["required"] == ["code", "description"]
    post_op = schema["paths"]["/api/open311/v2/requests.{fmt}"]["post"]
    for code in ("400", "403", "404", "429"):
        content = post_op["responses"][code]["content"]
        assert set(content) == {"application/json", "text/xml"}
        assert content["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Open311Errors"
        }
    get_op = schema["paths"]["/api/open311/v2/requests.{fmt}"]["get"]
    names = {p["name"] for p in get_op["parameters"]}
    assert {"service_request_id", "status", "start_date", "page_size"} <= names
    [fmt] = [p for p in get_op["parameters"] if p["name"] == "fmt"]
    assert fmt["schema"]["enum"] == ["json", "xml"]
