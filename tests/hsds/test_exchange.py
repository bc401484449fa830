"""HSDS import and export: round trip, idempotence, all-or-nothing, clear reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.management import call_command

from quartier.api.hsds import package
from quartier.api.hsds.export import build_tables
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.services import catalogue_export, catalogue_import
from quartier.api.hsds.validate import ImportFailed
from quartier.directory.models import Organisation, Person
from quartier.offers.models import (
    Language,
    Location,
    Offer,
    ReviewState,
    Schedule,
    TargetGroup,
    Taxonomy,
)
from tests.hsds.factories import build_catalogue

pytestmark = pytest.mark.django_db


def _empty_catalogue() -> None:
    """What an empty database holds of the catalogue: nothing (areas stay: they are not HSDS)."""
    for model in (Offer, Location, Taxonomy, TargetGroup, Language, Person, ExternalId):
        model.objects.all().delete()
    Organisation.objects.all().delete()


def _files(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir())}


def test_json_round_trip_is_identical(tmp_path):
    build_catalogue()
    first = tmp_path / "first.json"
    catalogue_export(path=first, fmt="json")
    _empty_catalogue()
    catalogue_import(path=first, publish=True)
    second = tmp_path / "second.json"
    catalogue_export(path=second, fmt="json")
    assert second.read_text() == first.read_text()
    assert json.loads(first.read_text())["services"]


def test_csv_round_trip_is_identical(tmp_path):
    build_catalogue()
    catalogue_export(path=tmp_path / "a", fmt="csv")
    _empty_catalogue()
    catalogue_import(path=tmp_path / "a", publish=True)
    catalogue_export(path=tmp_path / "b", fmt="csv")
    assert _files(tmp_path / "b") == _files(tmp_path / "a")


def test_round_trip_keeps_what_hsds_has_no_field_for(tmp_path):
    c = build_catalogue()
    catalogue_export(path=tmp_path / "a.json", fmt="json")
    _empty_catalogue()
    catalogue_import(path=tmp_path / "a.json", publish=True)
    offer = Offer.objects.get(pk=c.offer.pk)
    assert offer.access_walk_in and offer.access_appointment and not offer.access_referral
    assert offer.easy_language_description == "Hilfe für Eltern. Kostenlos."
    assert list(offer.target_groups.values_list("slug", flat=True)) == ["eltern"]
    assert list(offer.areas.all()) == [c.area]
    assert offer.locations.get().wheelchair_accessible
    assert sorted(offer.schedules.values_list("kind", flat=True)) == ["closed", "date", "weekly"]


def test_reimport_updates_and_never_duplicates(tmp_path):
    c = build_catalogue()
    path = tmp_path / "a.json"
    catalogue_export(path=path, fmt="json")
    counts = (Offer.objects.count(), Organisation.objects.count(), Schedule.objects.count())
    data = json.loads(path.read_text())
    data["services"][0]["name"] = "Neuer Name"
    path.write_text(json.dumps(data))
    catalogue_import(path=path, publish=True)
    catalogue_import(path=path, publish=True)
    assert (Offer.objects.count(), Organisation.objects.count(), Schedule.objects.count()) == (
        counts
    )
    renamed = Offer.objects.get(pk=data["services"][0]["id"])
    assert renamed.name == "Neuer Name"
    assert c.offer.contacts.count() == 1


def test_import_without_publishing_sends_offers_to_review(tmp_path):
    c = build_catalogue()
    path = tmp_path / "a.json"
    catalogue_export(path=path, fmt="json")
    catalogue_import(path=path, publish=False)
    c.offer.refresh_from_db()
    assert c.offer.review_state == ReviewState.IN_REVIEW
    assert not Offer.objects.public().filter(pk=c.offer.pk).exists()


def test_export_holds_only_public_offers_and_public_contact_data(tmp_path):
    build_catalogue()
    path = tmp_path / "a.json"
    catalogue_export(path=path, fmt="json")
    text = path.read_text()
    assert "Entwurf" not in text and "Beendet" not in text
    assert "INTERN" not in text  # organisation's internal notes
    assert "0651 999999" not in text  # the person's phone is not public
    assert "0170 111111" in text and "erika.muster@example.org" in text


def test_bad_row_rejects_the_whole_import(tmp_path):
    build_catalogue()
    catalogue_export(path=tmp_path / "a", fmt="csv")
    _empty_catalogue()
    services = tmp_path / "a" / "services.csv"
    lines = services.read_text().splitlines()
    number = next(i for i, line in enumerate(lines) if "temporarily closed" in line)
    lines[number] = lines[number].replace("temporarily closed", "sometimes")
    services.write_text("\n".join(lines) + "\n")
    with pytest.raises(ImportFailed) as info:
        catalogue_import(path=tmp_path / "a", publish=True)
    [problem] = info.value.report.errors
    assert (problem.file, problem.row, problem.field) == ("services.csv", str(number + 1), "status")
    assert Offer.objects.count() == 0 and Organisation.objects.count() == 0


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("bad.json", "{not json", "JSON"),
        ("list.json", '{"services": {"id": 1}}', "services"),
        ("empty.json", "{}", "HSDS"),
        ("ids.json", '{"services": [{"id": "x", "name": "A", "status": "active"}]}', "UUID"),
    ],
)
def test_malformed_files_give_a_clear_report(tmp_path, name, content, expected):
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(ImportFailed) as info:
        catalogue_import(path=path, publish=True)
    assert expected in " ".join(str(p) for p in info.value.report.problems)
    assert Offer.objects.count() == 0


def test_ragged_csv_is_reported(tmp_path):
    folder = tmp_path / "pkg"
    package.write_package(build_tables(Offer.objects.none()), folder)
    (folder / "services.csv").write_text("id,name\n1,2,3\n")
    with pytest.raises(ImportFailed, match="1 Fehler"):
        catalogue_import(path=folder, publish=True)


def test_commands_export_and_import(tmp_path, capsys):
    c = build_catalogue()
    call_command("hsds_export", "--format", "csv", str(tmp_path / "pkg"))
    assert (tmp_path / "pkg" / "datapackage.json").exists()
    call_command("hsds_import", str(tmp_path / "pkg"), "--no-progress")
    assert "Imported" in capsys.readouterr().out
    assert Offer.objects.filter(pk=c.offer.pk).count() == 1
