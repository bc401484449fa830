"""The official HSDS examples: the package's dangling ids and bad values are reported row by row;
the nested service imports once its own data errors are mended."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.services import catalogue_export, catalogue_import
from quartier.api.hsds.validate import ImportFailed
from quartier.directory.models import Organisation, Person
from quartier.offers.models import Location, Offer, Taxonomy
from tests.conformance.conftest import load_json

pytestmark = pytest.mark.django_db


def test_official_example_package_is_rejected_with_every_dangling_id(standards_dir):
    with pytest.raises(ImportFailed) as info:
        catalogue_import(path=standards_dir / "hsds-3.0" / "examples" / "csv", publish=True)
    errors = {(p.file, p.row, p.field) for p in info.value.report.errors}
    assert ("organizations.csv", "2", "parent_organization_id") in errors
    assert ("locations.csv", "2", "organization_id") in errors
    assert ("locations.csv", "2", "latitude") in errors  # 100 is no latitude
    # A term whose taxonomy is missing is kept with a warning (tests/hsds/test_lenient.py).
    warnings = {(p.file, p.row, p.field) for p in info.value.report.warnings}
    assert ("taxonomy_terms.csv", "2", "taxonomy_id") in warnings
    assert ("attributes.csv", "2", "link_id") in errors
    messages = " ".join(p.message for p in info.value.report.errors)
    assert "cd09a387-91f4-4555-94ec-e799c35344cd" in messages
    assert Offer.objects.count() == 0 and Organisation.objects.count() == 0


def test_import_command_lists_bad_rows(standards_dir, capsys):
    with pytest.raises(CommandError):
        call_command(
            "hsds_import", str(standards_dir / "hsds-3.0" / "examples" / "csv"), "--no-progress"
        )
    assert "organizations.csv" in capsys.readouterr().err


def _official_service(standards_dir, tmp_path):
    """The official nested service example with its genuine data errors mended: a latitude of
    100 and two parent ids that point nowhere. Mended in a temporary copy, never kept here."""
    data = load_json(standards_dir / "hsds-3.0" / "examples" / "service_full.json")
    for location in (
        data["service_at_locations"][0]["location"],
        data["organization"]["locations"][0],
    ):
        location["latitude"], location["longitude"] = 49.7519, 6.6178
    del data["organization"]["parent_organization_id"]
    del data["attributes"][0]["taxonomy_term"]["parent_id"]
    path = tmp_path / "service_full.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return data, path


def test_official_nested_service_imports(standards_dir, tmp_path, capsys):
    data, path = _official_service(standards_dir, tmp_path)
    call_command("hsds_import", str(path), "--no-progress")
    assert "Imported" in capsys.readouterr().out
    offer = Offer.objects.get(pk=data["id"])
    # The foreign keys came from the nested objects: the example gives none of them flat.
    assert "organization_id" not in data and "location_id" not in data["service_at_locations"][0]
    assert offer.organisation.name == data["organization"]["name"]
    assert [str(pk) for pk in offer.locations.values_list("pk", flat=True)] == [
        data["service_at_locations"][0]["location"]["id"]
    ]
    assert [str(t.pk) for t in offer.topics.all()] == [data["attributes"][0]["taxonomy_term"]["id"]]
    term = offer.topics.get()
    assert str(term.taxonomy_id) == data["attributes"][0]["taxonomy_term"]["taxonomy_detail"]["id"]


def test_official_nested_service_is_rejected_without_the_mending(standards_dir):
    with pytest.raises(ImportFailed) as info:
        catalogue_import(
            path=standards_dir / "hsds-3.0" / "examples" / "service_full.json", publish=True
        )
    fields = {p.field for p in info.value.report.errors}
    assert fields == {"latitude", "parent_organization_id"}
    # The term's missing parent is a warning: the term is kept without it.
    assert "parent_id" in {p.field for p in info.value.report.warnings}
    assert Offer.objects.count() == 0


def test_official_nested_service_round_trips(standards_dir, tmp_path):
    _data, path = _official_service(standards_dir, tmp_path)
    catalogue_import(path=path, publish=True)
    first = tmp_path / "first.json"
    catalogue_export(path=first, fmt="json")
    for model in (Offer, Location, Taxonomy, Person, ExternalId):
        model.objects.all().delete()
    Organisation.objects.all().delete()
    catalogue_import(path=first, publish=True)
    second = tmp_path / "second.json"
    catalogue_export(path=second, fmt="json")
    assert second.read_text() == first.read_text()
    assert json.loads(first.read_text())["services"][0]["service_at_locations"]
