"""Every HSDS endpoint's response validates against the official compiled schemas."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from quartier.api.hsds import ids
from tests.conformance.conftest import load_json
from tests.hsds.factories import add_exchange, build_catalogue

PAGE_FIELDS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _schema(standards_dir: Path, name: str) -> dict:
    folder = standards_dir / "hsds-3.0"
    path = folder / "compiled" / f"{name}.json"
    return load_json(path if path.exists() else folder / f"{name}.json")


def _registry(standards_dir: Path) -> Registry:
    """The HSDS schema files by file name, so that relative $refs ("taxonomy.json") resolve."""
    folder = standards_dir / "hsds-3.0"

    def retrieve(uri: str) -> Resource:
        return DRAFT202012.create_resource(load_json(folder / uri.rsplit("/", 1)[-1]))

    return Registry(retrieve=retrieve)


def _validate(instance: dict, schema: dict, registry: Registry | None = None) -> None:
    validator = jsonschema.Draft202012Validator(
        schema,
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        registry=Registry() if registry is None else registry,
    )
    errors = sorted(validator.iter_errors(instance), key=lambda e: list(e.path))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture
def catalogue(db):
    return build_catalogue()


def _get(url: str) -> dict:
    response = Client().get(url)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.mark.parametrize(
    ("url", "item_schema"),
    [
        ("/api/hsds/services", "service_list"),
        ("/api/hsds/services?full=true", "service"),
        ("/api/hsds/services?minimal=true", "service_list"),
        ("/api/hsds/services?search=Beratung", "service_list"),
        ("/api/hsds/organizations", "organization_list"),
        ("/api/hsds/organizations?full=true", "organization"),
        ("/api/hsds/organizations?full_service=true", "organization"),
        ("/api/hsds/service_at_locations", "service_at_location_list"),
        ("/api/hsds/service_at_locations?full=true", "service_at_location"),
        ("/api/hsds/taxonomies", "taxonomy"),
        ("/api/hsds/taxonomy_terms", "taxonomy_term"),
    ],
)
def test_list_pages_validate(standards_dir, catalogue, url, item_schema):
    page = _get(url)
    assert set(page) >= PAGE_FIELDS
    assert page["contents"], url
    schema = _schema(standards_dir, item_schema)
    for item in page["contents"]:
        _validate(item, schema, _registry(standards_dir))


def test_detail_objects_validate(standards_dir, catalogue):
    c = catalogue
    org_page = _get("/api/hsds/organizations?search=Stadtteilb")
    org_id = org_page["contents"][0]["id"]
    cases = [
        (f"/api/hsds/services/{c.offer.pk}", "service"),
        (f"/api/hsds/organizations/{org_id}", "organization"),
        (f"/api/hsds/organizations/{org_id}?full_service=true", "organization"),
        # The official openapi.json names service.json here; the object is this one.
        (f"/api/hsds/service_at_locations/{c.link.pk}", "service_at_location"),
        (f"/api/hsds/taxonomies/{c.taxonomy.pk}", "taxonomy"),
        (f"/api/hsds/taxonomy_terms/{c.child_term.pk}", "taxonomy_term"),
    ]
    for url, name in cases:
        _validate(_get(url), _schema(standards_dir, name), _registry(standards_dir))


def test_index_matches_the_openapi_description(standards_dir, db):
    spec = load_json(standards_dir / "hsds-3.0" / "openapi.json")
    schema = spec["paths"]["/"]["get"]["responses"]["200"]["content"]["application/json"]
    _validate(_get("/api/hsds/"), schema["schema"])


def test_page_matches_the_page_schema(standards_dir, catalogue):
    spec = load_json(standards_dir / "hsds-3.0" / "openapi.json")
    _validate(_get("/api/hsds/services?per_page=1"), spec["components"]["schemas"]["Page"])


@pytest.mark.parametrize(
    ("url", "item_schema"),
    [
        ("/api/hsds/services?format=ndjson&full=true", "service"),
        ("/api/hsds/services?format=ndjson&minimal=true", "service_list"),
        ("/api/hsds/service_at_locations?format=ndjson", "service_at_location_list"),
        ("/api/hsds/organizations?format=ndjson&full_service=true", "organization"),
        ("/api/hsds/taxonomy_terms?format=ndjson", "taxonomy_term"),
    ],
)
def test_ndjson_lines_validate(standards_dir, catalogue, url, item_schema):
    response = Client().get(url)
    assert response.status_code == 200
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines
    schema = _schema(standards_dir, item_schema)
    for line in lines:
        _validate(json.loads(line), schema, _registry(standards_dir))


def test_services_with_exchange_terms_validate(standards_dir, catalogue):
    add_exchange(catalogue)
    schema = _schema(standards_dir, "service")
    _validate(_get(f"/api/hsds/services/{catalogue.offer.pk}"), schema, _registry(standards_dir))
    for item in _get("/api/hsds/services?full=true")["contents"]:
        _validate(item, schema, _registry(standards_dir))


def test_extension_vocabulary_validates(standards_dir, catalogue):
    registry = _registry(standards_dir)
    term = _get(f"/api/hsds/taxonomy_terms/{ids.extension_term_id('target_group:eltern')}")
    _validate(term, _schema(standards_dir, "taxonomy_term"), registry)
    taxonomy = _get(f"/api/hsds/taxonomies/{ids.EXTENSION_TAXONOMY_ID}")
    _validate(taxonomy, _schema(standards_dir, "taxonomy"), registry)
