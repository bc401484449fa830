"""An area's catalogue (offers.selectors.area_offers, its PDF and CSV): offers filed under an
area enclosing it serve it too, after its own and marked as such (issue #17)."""

import pytest
from django.urls import reverse
from django.utils import translation

from quartier.offers.export import area_html
from quartier.offers.selectors import area_offers
from tests.areas.nesting import build_nesting

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:HarfBuzz-Subset:DeprecationWarning"),
]


def _listed(area):
    return [(offer.name, offer.own) for offer in area_offers(area)]


def test_a_quarter_lists_its_own_offers_then_those_of_the_city_and_county():
    nest = build_nesting()
    assert _listed(nest.quarter) == [
        ("Stadtteiltreff Nord", True),
        ("Zzz Blocktreff Maximin", True),  # from the block inside the quarter
        ("Aaa Suchtberatung im Kreis", False),
        ("Erziehungsberatung Trier", False),
    ]


def test_a_sibling_quarter_keeps_its_offers_and_the_draft_stays_out():
    nest = build_nesting()
    names = [name for name, _own in _listed(nest.sibling)]
    assert names == ["Mittagstisch Süd", "Aaa Suchtberatung im Kreis", "Erziehungsberatung Trier"]
    assert "Stadtteiltreff Nord" not in names
    assert "Entwurf Stadt" not in names


def test_the_deepest_area_inherits_from_every_level_above_it():
    nest = build_nesting()
    offers = list(area_offers(nest.block))
    assert [(offer.name, offer.own) for offer in offers] == [
        ("Zzz Blocktreff Maximin", True),
        ("Aaa Suchtberatung im Kreis", False),
        ("Erziehungsberatung Trier", False),
        ("Stadtteiltreff Nord", False),
    ]
    # Each names the enclosing area it is filed under.
    assert [[area.name for area in offer.enclosing_areas] for offer in offers] == [
        [],
        ["Trier-Saarburg"],
        ["Trier"],
        ["Trier-Nord"],
    ]


def test_the_city_lists_every_quarter_and_the_county_offer_last():
    nest = build_nesting()
    assert _listed(nest.city)[-1] == ("Aaa Suchtberatung im Kreis", False)
    assert {name for name, own in _listed(nest.city) if own} == {
        "Erziehungsberatung Trier",
        "Stadtteiltreff Nord",
        "Zzz Blocktreff Maximin",
        "Mittagstisch Süd",
    }


def test_the_county_has_nothing_above_it():
    nest = build_nesting()
    listed = _listed(nest.county)
    assert all(own for _name, own in listed)
    assert len(listed) == 5


def test_query_count_does_not_grow_with_the_depth(django_assert_max_num_queries):
    nest = build_nesting()
    # The walk (1), the offers (1) and their six prefetches, whatever the depth.
    with django_assert_max_num_queries(8):
        shallow = list(area_offers(nest.city))
    with django_assert_max_num_queries(8):
        deep = list(area_offers(nest.block))
    assert len(shallow) == 5 and len(deep) == 4


def test_the_printed_catalogue_marks_offers_of_an_enclosing_area():
    nest = build_nesting()
    with translation.override("de"):
        html = area_html(nest.quarter, list(area_offers(nest.quarter)))
    assert html.count("Gilt für ganz Trier</p>") == 1
    assert html.count("Gilt für ganz Trier-Saarburg</p>") == 1
    with translation.override("en"):
        html = area_html(nest.quarter, list(area_offers(nest.quarter)))
    assert "Serves all of Trier" in html


def test_the_csv_of_a_quarter_has_the_city_wide_offer(client):
    nest = build_nesting()
    response = client.get(reverse("offers:area_csv", kwargs={"slug": nest.quarter.slug}))
    assert response.status_code == 200
    text = response.content.decode("utf-8-sig")
    assert "Erziehungsberatung Trier" in text
    assert "Mittagstisch Süd" not in text
