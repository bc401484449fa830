"""Hours past midnight (night shelters, hotlines): imported as such with a warning, shown as
"22:00–06:00 (bis zum nächsten Morgen)" and "16:00–24:00", open now on both days (issue 17)."""

from __future__ import annotations

import datetime as dt
import json
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.utils import translation

from quartier.api.hsds.services import catalogue_import
from quartier.offers.models import Schedule
from quartier.search.services import SearchFilters, search_offers
from tests.factories.offers import OfferFactory, ScheduleFactory

BERLIN = ZoneInfo("Europe/Berlin")
ORG = "0b6f4c1e-2d3a-4b5c-8d9e-0f1a2b3c4d5e"


def _id(kind: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"overnight:{kind}"))


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Monday 2 March 2026 is day 0."""
    return dt.datetime(2026, 3, 2 + day, hour, minute, tzinfo=BERLIN)


def open_names(now: dt.datetime) -> set[str]:
    result = search_offers(filters=SearchFilters(open_now=True, now=now))
    return {hit.offer.name for hit in result.hits}


def _service(name: str, schedules: list[dict]) -> dict:
    return {
        "id": _id(name),
        "name": name,
        "status": "active",
        "organization_id": ORG,
        "organization": {"id": ORG, "name": "Wohnungslosenhilfe Trier"},
        "schedules": schedules,
    }


@pytest.mark.django_db
def test_overnight_hours_are_imported_shown_and_open_on_both_days(tmp_path):
    services = [
        _service(
            "Notübernachtung",
            [
                {
                    "id": _id("night"),
                    "freq": "WEEKLY",
                    "byday": "MO",
                    "opens_at": "22:00",
                    "closes_at": "06:00",
                }
            ],
        ),
        _service(
            "Krisentelefon",
            [
                {
                    "id": _id("evening"),
                    "freq": "WEEKLY",
                    "byday": "TU",
                    "opens_at": "16:00",
                    "closes_at": "00:00",
                }
            ],
        ),
    ]
    path = tmp_path / "data.json"
    path.write_text(json.dumps({"services": services}), encoding="utf-8")
    with translation.override("en"):
        report = catalogue_import(path=path, publish=True)
    assert report.errors == []
    assert [(p.field, p.message) for p in report.warnings] == [
        ("closes_at", "Closes at or before it opens: read as open past midnight.")
    ]
    night = Schedule.objects.get(pk=_id("night"))
    evening = Schedule.objects.get(pk=_id("evening"))
    assert (night.opens_at, night.closes_at) == (dt.time(22), dt.time(6))
    assert night.overnight and not evening.overnight
    with translation.override("de"):
        assert night.hours_label == "22:00–06:00 (bis zum nächsten Morgen)"
        assert evening.hours_label == "16:00–24:00"
    with translation.override("en"):
        assert night.hours_label == "22:00–06:00 (until the next morning)"

    assert open_names(at(0, 21, 59)) == set()
    assert open_names(at(0, 23)) == {"Notübernachtung"}
    assert open_names(at(1, 5, 59)) == {"Notübernachtung"}
    assert open_names(at(1, 6)) == set()
    assert open_names(at(1, 17)) == {"Krisentelefon"}
    assert open_names(at(1, 23, 59)) == {"Krisentelefon"}
    assert open_names(at(2, 0, 30)) == set()


@pytest.mark.django_db
def test_sunday_night_runs_into_monday_and_a_single_date_into_the_next_day():
    ScheduleFactory(
        offer=OfferFactory(name="Sonntagsnacht"), weekday=6, opens_at="20:00", closes_at="02:00"
    )
    ScheduleFactory(
        offer=OfferFactory(name="Silvesternacht"),
        kind="date",
        weekday=None,
        valid_from=dt.date(2026, 3, 4),
        opens_at="21:00",
        closes_at="03:00",
    )
    assert open_names(at(0, 1)) == {"Sonntagsnacht"}  # Monday 01:00
    assert open_names(at(0, 3)) == set()
    assert open_names(at(2, 22)) == {"Silvesternacht"}  # Wednesday 4 March
    assert open_names(at(3, 2)) == {"Silvesternacht"}  # Thursday morning
    assert open_names(at(4, 2)) == set()


def test_hours_label_of_plain_and_open_ended_hours():
    assert Schedule(opens_at=dt.time(9), closes_at=dt.time(12)).hours_label == "09:00–12:00"
    assert Schedule(opens_at=dt.time(0), closes_at=dt.time(0)).hours_label == "00:00–24:00"
    assert Schedule(opens_at=dt.time(9)).hours_label == "09:00–"
