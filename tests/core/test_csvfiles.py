"""core.csvfiles: CSV that German Excel opens as columns, read back whatever its separator."""

import pytest
from django.test import RequestFactory

from quartier.core.csvfiles import (
    FORMULA_STARTS,
    csv_response,
    read_rows,
    safe_cell,
    separator_for,
)


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_every_formula_start_is_neutralised(start):
    assert safe_cell(f"{start}1+1") == f"'{start}1+1"


def test_plain_values_stay_alone():
    assert safe_cell("Familiencafé Nord") == "Familiencafé Nord"
    assert safe_cell("") == ""
    assert safe_cell("A=B") == "A=B"
    assert safe_cell(42) == 42


def test_semicolon_unless_commas_are_asked_for():
    factory = RequestFactory()
    assert separator_for(factory.get("/")) == ";"
    assert separator_for(factory.get("/", {"trennzeichen": "komma"})) == ","
    assert separator_for(factory.get("/", {"sep": "comma"})) == ","
    assert separator_for(factory.get("/", {"sep": "pipe"})) == ";"


def test_round_trip_with_semicolons_quotes_and_umlauts():
    rows = [["Straße; Ecke", 'Sagt "ja"', "=1+1"], ["Zeile\nzwei", "", "3,5"]]
    response = csv_response("x.csv", ["a", "b", "c"], rows)
    assert response["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert response.content.startswith("\ufeffa;b;c\r\n".encode())
    assert read_rows(response.content) == [
        {"a": "Straße; Ecke", "b": 'Sagt "ja"', "c": "'=1+1"},
        {"a": "Zeile\nzwei", "b": "", "c": "3,5"},
    ]


def test_windows_1252_and_comma_files_read_too():
    data = "Gebiet,Wert\r\nSüd,12\r\n".encode("cp1252")
    assert read_rows(data) == [{"Gebiet": "Süd", "Wert": "12"}]
    assert read_rows("\ufeffGebiet;Wert\nNord;3\n") == [{"Gebiet": "Nord", "Wert": "3"}]
