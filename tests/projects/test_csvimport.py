"""The CSV import of measurements: German notation, encodings, bad rows, all or nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from quartier.projects import csvimport, services
from quartier.projects.models import Measurement
from tests.factories import projects as f

pytestmark = pytest.mark.django_db

CODES = {"arbeitslose"}


def test_a_bom_and_decimal_commas_and_thousands_points_are_read():
    data = "\ufeffKennzahl;Datum;Wert\r\narbeitslose;31.12.2024;1.234,5\r\n".encode()
    rows, problems = csvimport.parse(data, CODES)
    assert problems == []
    assert rows[0].value == Decimal("1234.5") and rows[0].date == datetime.date(2024, 12, 31)


def test_windows_1252_is_read():
    data = "Kennzahl;Jahr;Wert;Bemerkung\narbeitslose;2023;80;Schätzung\n".encode("cp1252")
    rows, problems = csvimport.parse(data, CODES)
    assert problems == [] and rows[0].date == datetime.date(2023, 12, 31)


def test_an_english_decimal_point_is_refused_not_misread():
    rows, problems = csvimport.parse(b"Kennzahl;Datum;Wert\narbeitslose;2023;12.5\n", CODES)
    assert rows == [] and "Zeile 2" in str(problems[0])


def test_every_bad_row_is_reported_with_its_line():
    data = (
        b"Kennzahl;Datum;Wert\n"
        b"arbeitslose;2022;80\n"
        b"unbekannt;2022;80\n"
        b"arbeitslose;32.13.2022;80\n"
        b"arbeitslose;2022;81\n"
    )
    _rows, problems = csvimport.parse(data, CODES)
    messages = [str(p) for p in problems]
    assert [m.split(":")[0] for m in messages] == ["Zeile 3", "Zeile 4", "Zeile 5"]
    assert "steht schon in Zeile 2" in messages[2]


def test_a_file_without_the_header_is_refused():
    _rows, problems = csvimport.parse(b"arbeitslose;2022;80\n", CODES)
    assert "Kennzahl;Datum;Wert" in str(problems[0])


def test_binary_data_is_refused():
    _rows, problems = csvimport.parse(b"\x00\x01\x02\xff\xfe", CODES)
    assert problems


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=3, allow_nan=False))
def test_german_numbers_read_back(value):
    text = format(value, ",.3f").replace(",", "X").replace(".", ",").replace("X", ".")
    assert csvimport.parse_number(text) == value


def test_import_writes_all_or_nothing(world):
    indicator = world.indicator
    before = Measurement.objects.count()
    bad = b"Kennzahl;Datum;Wert\narbeitslose;2024;70\narbeitslose;2025;siebzig\n"
    with pytest.raises(ValidationError) as error:
        services.measurements_import(concept=world.concept, data=bad)
    assert "Zeile 3" in error.value.messages[0]
    assert Measurement.objects.count() == before
    good = b"Kennzahl;Datum;Wert\narbeitslose;2024;70\narbeitslose;31.12.2023;79\n"
    counts = services.measurements_import(concept=world.concept, data=good)
    assert counts == {"created": 1, "replaced": 1, "unchanged": 0}
    assert indicator.measurements.get(date=datetime.date(2023, 12, 31)).value == 79


def test_an_earlier_version_takes_no_import(world):
    with pytest.raises(ValidationError, match="frühere Fassung"):
        services.measurements_import(
            concept=world.first_concept, data=b"Kennzahl;Datum;Wert\narbeitslose;2024;70\n"
        )


def test_the_import_page_lists_bad_rows(world):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client = world.client("coordinator")
    upload = SimpleUploadedFile("k.csv", "Kennzahl;Datum;Wert\nxx;2024;1\n".encode("cp1252"))
    response = client.post(
        reverse("backoffice:projects:import", kwargs={"pk": world.concept.pk}), {"file": upload}
    )
    assert response.status_code == 400
    assert "Zeile 2: Unbekannte Kennzahl" in response.content.decode()


def test_an_empty_file_is_a_clear_message(world):
    with pytest.raises(ValidationError, match="keine Messwerte"):
        services.measurements_import(concept=world.concept, data=b"Kennzahl;Datum;Wert\n")


def test_indicators_export_imports_again(world):
    from django.urls import reverse

    response = world.client("coordinator").get(reverse("backoffice:projects:export_indicators"))
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf") and b";" in body
    concept, *_ = f.concept_with_indicator(world.district, title="Kopie")
    rows = [line for line in body.decode("utf-8-sig").splitlines() if "arbeitslose" in line]
    data = ("Kennzahl;Datum;Wert\n" + "\n".join(rows[:1])).encode()
    assert services.measurements_import(concept=concept, data=data)["unchanged"] == 1
