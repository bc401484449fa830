"""Round trip without loss: a data package of our own with every HSDS 3.0 table filled, in the
shapes real directories publish (overnight hours, long texts, a dangling parent term, several
taxonomies, monthly and yearly schedules, rows our records have no place for), is imported and
exported; every field of every row comes back, compared field by field.

The fixture (tests/hsds/fixtures/roundtrip/) is plain CSV as a directory would publish it.
Documented normalisations (quartier.api.hsds.kept): ids in lower case, times as HH:MM:SS,
numbers compared as numbers. A term's parent that is in neither the import nor the database is
kept, but not exported while it is missing (our exports have no dangling references).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from quartier.api.hsds import package
from quartier.api.hsds.export import build_tables
from quartier.api.hsds.models import Kept
from quartier.api.hsds.services import catalogue_export, catalogue_import
from quartier.directory.models import Person, Position
from quartier.offers.models import Offer, Schedule
from tests.factories.areas import AreaFactory
from tests.hsds.client import get_json

pytestmark = pytest.mark.django_db

FIXTURE = Path(__file__).parent / "fixtures" / "roundtrip"
STANDARDS = Path("/work/shared/standards/hsds-3.0")
# (table, field) whose value is not exported, and why (see the module's docstring).
NOT_EXPORTED = {("taxonomy_terms", "parent_id"): "a parent term that is not in the package"}


def _read(folder: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Every table of a data package: rows by id, with the non-empty fields as written."""
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    names = {name: table for table, (name, _path) in package.RESOURCES.items()}
    tables = {}
    for resource in descriptor["resources"]:
        with (folder / resource["path"]).open(encoding="utf-8-sig", newline="") as handle:
            rows = [{k: v for k, v in r.items() if v != ""} for r in csv.DictReader(handle)]
        tables[names[resource["name"]]] = {r["id"].lower(): r for r in rows}
    return tables


def _same(field: str, given: str, exported: str | None) -> bool:
    if exported is None:
        return False
    if given == exported or (given.lower() == exported.lower() and field.endswith("id")):
        return True
    if field in ("opens_at", "closes_at"):
        return (given if given.count(":") == 2 else f"{given}:00") == exported
    try:
        return float(given) == float(exported)
    except ValueError:
        return False


def _dangling(tables, table: str, fld: str, row: dict) -> bool:
    return (table, fld) in NOT_EXPORTED and row[fld].lower() not in tables[table]


@pytest.fixture
def imported(tmp_path):
    AreaFactory(slug="rt-musterstadt", name="Musterstadt", is_public=True)
    report = catalogue_import(path=FIXTURE, publish=True)
    assert not report.errors
    return report


def _differences(given, exported) -> list[str]:
    found = []
    for table, rows in given.items():
        for row_id, row in rows.items():
            out = exported.get(table, {}).get(row_id)
            if out is None:
                found.append(f"{table} {row_id}: missing")
                continue
            for fld, value in row.items():
                if _dangling(given, table, fld, row):
                    continue
                if not _same(fld, value, out.get(fld)):
                    found.append(f"{table} {row_id} {fld}: {value!r} → {out.get(fld)!r}")
    return found


def test_fixture_fills_every_table_of_hsds_3():
    standard = json.loads((STANDARDS / "datapackage.json").read_text())
    given = _read(FIXTURE)
    assert len(given) == len(standard["resources"]) == 21
    assert all(given.values()), [t for t, rows in given.items() if not rows]


def test_csv_round_trip_gives_back_every_field(imported, tmp_path):
    catalogue_export(path=tmp_path / "out", fmt="csv")
    given, exported = _read(FIXTURE), _read(tmp_path / "out")
    assert set(exported) == set(given)
    assert _differences(given, exported) == []


def test_round_trip_keeps_the_real_world_shapes(imported, tmp_path):
    """What the import made of the odd rows: stored as ours where we can, kept otherwise."""
    night = Offer.objects.get(name="Notübernachtung am Hafen")
    assert len(night.description) > 250
    overnight = Schedule.objects.get(offer=night, weekday=0)
    assert overnight.opens_at.hour == 22 and overnight.closes_at.hour == 6
    # TU,WE,TH,FR: four weekly records of ours, one row again in the export.
    assert Schedule.objects.filter(offer=night).count() == 5
    warnings = {(p.file, p.field) for p in imported.warnings}
    assert ("taxonomy_terms.csv", "parent_id") in warnings
    assert Kept.objects.filter(table="programs").count() == 2


def test_second_export_and_reimport_are_stable(imported, tmp_path):
    catalogue_export(path=tmp_path / "a", fmt="csv")
    catalogue_import(path=tmp_path / "a", publish=True)
    catalogue_export(path=tmp_path / "b", fmt="csv")
    for path in sorted((tmp_path / "a").iterdir()):
        assert path.read_text() == (tmp_path / "b" / path.name).read_text(), path.name


def test_an_edit_in_quartier_wins_over_the_imported_value(imported, tmp_path):
    offer = Offer.objects.get(name="Erziehungsberatung")
    Offer.objects.filter(pk=offer.pk).update(name="Familienberatung", phone="")
    catalogue_export(path=tmp_path / "out", fmt="csv")
    services = _read(tmp_path / "out")["services"]
    assert services[str(offer.pk)]["name"] == "Familienberatung"
    assert services[str(offer.pk)]["eligibility_description"] == "Familien aus Musterstadt"


def test_a_contact_made_private_takes_its_kept_data_along(imported, tmp_path):
    """Kept rows of a contact (its phones, its attributes) leave only with the contact."""
    Position.objects.filter(person__family_name="Müller").update(is_public=False)
    catalogue_export(path=tmp_path / "out", fmt="csv")
    text = "".join(p.read_text() for p in (tmp_path / "out").iterdir())
    assert "Müller" not in text and "0170 1234567" not in text and "Team Nord" not in text
    assert "Servicezentrale Soziales" in text  # an organisation's contact, not a person of ours


def test_a_phone_made_private_takes_the_kept_numbers_along(imported, tmp_path):
    """The import kept the person's second office number; it leaves only while the directory
    says the person's phone is public."""
    catalogue_export(path=tmp_path / "a", fmt="csv")
    assert "040 555 02" in (tmp_path / "a" / "phones.csv").read_text()
    Person.objects.filter(family_name="Müller").update(phone_public=False)
    catalogue_export(path=tmp_path / "b", fmt="csv")
    phones = (tmp_path / "b" / "phones.csv").read_text()
    assert "040 555 01" not in phones and "040 555 02" not in phones
    assert "0170 1234567" in phones  # the mobile number stays public


def test_a_deleted_person_takes_the_kept_data_along(imported):
    person = Person.objects.get(family_name="Müller")
    assert Kept.objects.filter(data__number="040 555 02").exists()
    person.delete()
    assert not Kept.objects.filter(data__number="040 555 02").exists()
    assert not Kept.objects.filter(data__department="Team Nord").exists()


def test_export_validates_against_the_official_schemas(imported, tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    from tests.conformance.test_hsds_api import _registry, _schema

    if not STANDARDS.exists():
        pytest.skip("the official schemas are not here")
    tables = build_tables(Offer.objects.public())
    registry = _registry(STANDARDS.parent)
    for table, rows in tables.items():
        name = package.RESOURCES[table][0]
        schema = _schema(STANDARDS.parent, name)
        validator = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER, registry=registry
        )
        for r in rows:
            errors = [e.message for e in validator.iter_errors(r)]
            assert not errors, (table, r["id"], errors[:3])


def _copy(tmp_path: Path, n: int) -> Path:
    """The fixture with every id changed (another directory of the same shape): the first
    part of every UUID, which is unique in the fixture without it."""
    folder = tmp_path / f"copy{n}"
    folder.mkdir()
    for path in FIXTURE.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".csv":
            text = re.sub(r"\b[0-9a-f]{8}-", f"0000000{n}-", text)
        (folder / path.name).write_text(text, encoding="utf-8")
    return folder


def test_export_queries_do_not_grow_with_the_offers(imported, tmp_path):
    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            tables = build_tables(Offer.objects.public())
        assert tables["programs"]
        return len(ctx.captured_queries)

    few = count()
    catalogue_import(path=_copy(tmp_path, 1), publish=True)
    catalogue_import(path=_copy(tmp_path, 2), publish=True)
    assert Offer.objects.public().count() == 12
    assert count() == few


JSON_FIXTURE = Path(__file__).parent / "fixtures" / "roundtrip_services.json"


def _flat(path: Path) -> dict[str, dict[str, dict[str, str]]]:
    """A JSON document or array, flattened as the import reads it; values as text."""
    return {
        table: {
            str(r["id"]).lower(): {
                k: str(v) for k, v in r.items() if not k.startswith("_") and v not in ("", None)
            }
            for r in rows
        }
        for table, rows in package.read_json(path).items()
    }


def test_json_fixture_is_valid_hsds():
    jsonschema = pytest.importorskip("jsonschema")
    from tests.conformance.test_hsds_api import _registry, _schema

    if not STANDARDS.exists():
        pytest.skip("the official schemas are not here")
    validator = jsonschema.Draft202012Validator(
        _schema(STANDARDS.parent, "service"),
        format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        registry=_registry(STANDARDS.parent),
    )
    for service in json.loads(JSON_FIXTURE.read_text(encoding="utf-8")):
        assert not [e.message for e in validator.iter_errors(service)][:3]


def test_json_array_round_trip_gives_back_every_field(tmp_path):
    AreaFactory(slug="rt-musterstadt", name="Musterstadt", is_public=True)
    report = catalogue_import(path=JSON_FIXTURE, publish=True)
    assert not report.errors
    catalogue_export(path=tmp_path / "out.json", fmt="json")
    given, exported = _flat(JSON_FIXTURE), _flat(tmp_path / "out.json")
    assert sum(map(len, given.values())) > 70
    assert _differences(given, exported) == []


def test_the_api_gives_the_kept_data_in_the_official_shape(imported):
    """The HSDS API nests what the import kept (programs, funding, identifiers, attributes of
    any entity, metadata), valid against the compiled schemas."""
    pytest.importorskip("jsonschema")
    from tests.conformance.test_hsds_api import _registry, _schema, _validate

    if not STANDARDS.exists():
        pytest.skip("the official schemas are not here")
    registry = _registry(STANDARDS.parent)
    night = Offer.objects.get(name="Notübernachtung am Hafen")
    service = get_json(f"/api/hsds/services/{night.pk}")
    _validate(service, _schema(STANDARDS.parent, "service"), registry)
    assert service["program"]["name"] == "Kältehilfe"
    assert service["alert"] == "Im Dezember wegen Renovierung nur 12 Plätze."
    assert service["metadata"][0]["field_name"] == "alert"
    assert {p["number"] for p in service["phones"]} == {"040 1234567", "040 1234568"}
    page = get_json("/api/hsds/organizations?full=true")
    for org in page["contents"]:
        _validate(org, _schema(STANDARDS.parent, "organization"), registry)
    identifiers = {
        i["identifier"] for o in page["contents"] for i in o.get("organization_identifiers", [])
    }
    assert identifiers == {"VR 4711", "05315000"}
