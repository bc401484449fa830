"""A third-party GeoReport v2 client against a live server: the `georeport` package from
PyPI lists the services, the concern is posted as an Open311 app posts it (form-encoded:
georeport 0.3 cannot create requests, see its README), and the client reads its status back.
"""

from __future__ import annotations

import pytest
import requests
from georeport import GeoReport

from quartier.concerns.models import Category, RoutingRule
from quartier.concerns.services import api_client_create, concern_set_status
from tests.factories.areas import AreaFactory, square
from tests.factories.directory import OrganisationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_georeport_client_lists_posts_and_reads_back(live_server):
    area = AreaFactory(name="Am Stern", slug="am-stern", boundary=square(13.0, 52.35, 0.05))
    Category.objects.create(slug="hausverwaltung", name="Hausverwaltung", group="Wohnen")
    RoutingRule.objects.create(area=area, organisation=OrganisationFactory(name="Stadtkontor"))
    _client, key = api_client_create(name="Testapp")
    root = f"{live_server.url}/api/open311/v2"

    for output_format in ("json", "xml"):
        client = GeoReport(root, api_key=key, output_format=output_format)
        services = client.get_service_list()
        services = services if isinstance(services, list) else [services]
        assert [s["service_code"] for s in services] == ["hausverwaltung"]
        assert "service_code" in client.get_service_definition("hausverwaltung")

    response = requests.post(
        f"{root}/requests.json",
        data={
            "api_key": key,
            "service_code": "hausverwaltung",
            "lat": "52.37",
            "long": "13.02",
            "description": "Der Aufzug in Haus 12 steht seit Montag still.",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    request_id = response.json()[0]["service_request_id"]

    client = GeoReport(root, output_format="json")
    assert client.get_service_request(request_id)["status"] == "open"
    from quartier.concerns.models import Concern

    concern_set_status(
        concern=Concern.objects.get(pk=request_id), status="solved", user=None, note="Repariert."
    )
    read = client.get_service_request(request_id)
    assert read["status"] == "closed" and read["status_notes"] == "Repariert."
    listed = client.get_service_requests(status="closed")
    assert [r["service_request_id"] for r in listed] == [request_id]
    xml = GeoReport(root, output_format="xml").get_service_request(request_id)
    assert xml["status"] == "closed"
