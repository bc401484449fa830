"""The CSV catalogue of an area names the enclosing area an inherited offer is filed under
(column "Gilt für" / "Serves"), empty for the area's own offers (issue #17)."""

import pytest
from django.urls import reverse

from quartier.core import csvfiles
from tests.areas.nesting import build_nesting

pytestmark = pytest.mark.django_db


def _rows(client, slug, language):
    url = reverse("offers:area_csv", kwargs={"slug": slug})
    response = client.get(url, headers={"accept-language": language})
    assert response.status_code == 200
    return csvfiles.read_rows(response.content)


def test_the_csv_of_a_quarter_names_the_enclosing_area_of_inherited_offers(
    client, django_assert_max_num_queries
):
    nest = build_nesting()
    url = reverse("offers:area_csv", kwargs={"slug": nest.quarter.slug})
    with django_assert_max_num_queries(14):
        client.get(url)
    rows = {row["name"]: row["Gilt für"] for row in _rows(client, nest.quarter.slug, "de")}
    assert rows == {
        "Stadtteiltreff Nord": "",
        "Zzz Blocktreff Maximin": "",  # filed under the block inside the quarter: its own
        "Aaa Suchtberatung im Kreis": "Trier-Saarburg",
        "Erziehungsberatung Trier": "Trier",
    }


def test_the_serves_column_has_an_english_header():
    nest = build_nesting()
    from django.test import Client

    rows = _rows(Client(), nest.quarter.slug, "en")
    by_name = {row["name"]: row["Serves"] for row in rows}
    assert by_name["Erziehungsberatung Trier"] == "Trier"
    assert by_name["Stadtteiltreff Nord"] == ""


def test_the_csv_of_the_county_has_only_its_own_offers(client):
    nest = build_nesting()
    rows = _rows(client, nest.county.slug, "de")
    assert rows and all(row["Gilt für"] == "" for row in rows)
