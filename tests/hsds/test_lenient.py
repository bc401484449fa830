"""What real directories publish: odd but valid values are kept and reported as warnings, and
--skip-invalid imports the valid rows of a package that has bad ones (issue 17)."""

from __future__ import annotations

import io
import json
import uuid

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from quartier.api.hsds.importer import validate
from quartier.api.hsds.services import catalogue_import
from quartier.api.hsds.validate import ImportFailed, repair_url
from quartier.offers.models import Offer, Schedule, Taxonomy, TaxonomyTerm

ORG = "0b6f4c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"


def _id(n: int, kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"lenient:{kind}:{n}"))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("http://https:/www.example.org/beratung", "https://www.example.org/beratung"),
        ("https//www.example.org", "https://www.example.org"),
        ("http:/example.org/a?b=1", "http://example.org/a?b=1"),
        ("www.example.org", "https://www.example.org"),
        ("www.example.org/angebote/", "https://www.example.org/angebote/"),
        ("ftp://example.org", ""),
        ("keine Website", ""),
        ("http://", ""),
        ("mailto:info@example.org", ""),
    ],
)
def test_repair_url_only_where_the_address_is_unambiguous(value, expected):
    assert repair_url(value) == expected


@pytest.mark.django_db
def test_a_malformed_website_is_a_warning_and_the_record_stays():
    tables = {
        "organizations": [
            {
                "id": ORG,
                "name": "Träger",
                "website": "http://https:/www.example.org/",
                "_at": ("organizations.csv", 2),
            }
        ],
        "services": [
            {
                "id": _id(n, "service"),
                "organization_id": ORG,
                "name": f"Angebot {n}",
                "status": "active",
                "url": url,
                "_at": ("services.csv", n + 2),
            }
            for n, url in enumerate(["www.example.org/a", "siehe Aushang", "https://example.org"])
        ],
    }
    with translation.override("en"):
        report = validate(tables)
    assert report.errors == []
    found = [(p.file, p.row, p.field, p.message) for p in report.warnings]
    assert found == [
        (
            "organizations.csv",
            "2",
            "website",
            "Not a valid web address: http://https:/www.example.org/; "
            "read as https://www.example.org/.",
        ),
        (
            "services.csv",
            "2",
            "url",
            "Not a valid web address: www.example.org/a; read as https://www.example.org/a.",
        ),
        (
            "services.csv",
            "3",
            "url",
            "Not a valid web address: siehe Aushang; the link was left out.",
        ),
    ]
    assert [r["url"] for r in tables["services"]] == [
        "https://www.example.org/a",
        "",
        "https://example.org",
    ]
    assert tables["organizations"][0]["website"] == "https://www.example.org/"


def _service(n: int, **fields) -> dict:
    return {
        "id": _id(n, "service"),
        "name": f"Sprechstunde {n}",
        "status": "active",
        "organization_id": ORG,
        "organization": {"id": ORG, "name": "Stadtteilbüro Trier-West"},
        "schedules": [
            {"id": _id(n, "schedule"), "freq": "WEEKLY", "byday": "MO", "opens_at": "09:00"}
        ],
        **fields,
    }


def _write(tmp_path, services: list[dict]):
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"services": services}), encoding="utf-8")
    return path


@pytest.mark.django_db
def test_terms_whose_parent_or_taxonomy_is_missing_are_kept_with_a_warning(tmp_path):
    """A JSON array of services carries each term without its ancestors or its taxonomy."""
    missing_parent, missing_taxonomy = _id(0, "parent"), _id(0, "taxonomy")
    term = {
        "id": _id(1, "term"),
        "name": "Schuldnerberatung",
        "code": "schuldner",
        "taxonomy_id": missing_taxonomy,
        "parent_id": missing_parent,
    }
    attribute = {
        "id": _id(1, "attribute"),
        "taxonomy_term_id": term["id"],
        "taxonomy_term": term,
        "link_entity": "service",
        "value": "ja",
    }
    path = _write(tmp_path, [_service(1, attributes=[attribute])])
    with translation.override("en"):
        report = catalogue_import(path=path, publish=True)
    assert report.errors == []
    messages = {(p.field, p.message) for p in report.warnings}
    assert (
        "parent_id",
        f"Refers to taxonomy_terms {missing_parent}, which is neither in the import nor in "
        "the database; kept without it.",
    ) in messages
    assert any(fld == "taxonomy_id" for fld, _m in messages)
    kept = TaxonomyTerm.objects.get(pk=term["id"])
    assert kept.parent_id is None
    assert str(kept.taxonomy_id) == missing_taxonomy
    assert Taxonomy.objects.filter(pk=missing_taxonomy).exists()


@pytest.mark.django_db
def test_all_or_nothing_by_default_and_skip_invalid_imports_the_rest(tmp_path):
    services = [_service(0), _service(1, status="manchmal"), _service(2)]
    path = _write(tmp_path, services)
    with pytest.raises(ImportFailed):
        catalogue_import(path=path, publish=True)
    assert not Offer.objects.exists()

    report = catalogue_import(path=path, publish=True, skip_invalid=True)
    assert set(Offer.objects.values_list("pk", flat=True)) == {
        uuid.UUID(_id(0, "service")),
        uuid.UUID(_id(2, "service")),
    }
    # The bad service's schedule referred to it: left out as well, and listed.
    assert not Schedule.objects.filter(pk=_id(1, "schedule")).exists()
    assert report.skipped == {"services": 1, "schedules": 1}
    assert report.counts["services"] == 2
    assert [p.field for p in report.errors] == ["status", "service_id"]


@pytest.mark.django_db
def test_command_skip_invalid_lists_the_rest_and_counts_every_table(tmp_path):
    path = _write(tmp_path, [_service(0), _service(1, status="manchmal")])
    with pytest.raises(CommandError):
        call_command("hsds_import", str(path), "--no-progress", stderr=io.StringIO())
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "hsds_import", str(path), "--no-progress", "--skip-invalid", stdout=out, stderr=err
    )
    assert "status" in err.getvalue()
    assert "1 services" in out.getvalue()
    assert "Left out: 1 services, 1 schedules" in out.getvalue()


@pytest.mark.django_db
def test_free_texts_longer_than_our_old_columns_are_imported_in_full(tmp_path):
    """HSDS sets no length for a schedule's description or a language's name."""
    from quartier.offers.models import Language, OfferLocation

    note = "Offene Sprechstunde ohne Anmeldung; " * 12  # about 430 characters
    sentence = "Gebärdensprache nach Absprache mit einer Woche Vorlauf über das Sekretariat"
    service = _service(
        5,
        languages=[{"id": _id(5, "language"), "code": "dgs", "name": sentence * 2}],
        service_at_locations=[
            {
                "id": _id(5, "sal"),
                "location_id": _id(5, "location"),
                "description": note,
                "location": {"id": _id(5, "location"), "name": "Haus", "transportation": note},
            }
        ],
    )
    service["schedules"][0]["description"] = note
    report = catalogue_import(path=_write(tmp_path, [service]), publish=True)
    assert report.errors == []
    assert Schedule.objects.get(pk=_id(5, "schedule")).description == note.strip()
    assert Language.objects.get(code="dgs").name == (sentence * 2).strip()
    link = OfferLocation.objects.select_related("location").get(pk=_id(5, "sal"))
    assert link.description == note.strip()
    assert link.location.transport == note.strip()
