"""The search's area filter, the area page's offers block and Passgenaue Hilfe: an offer
filed under an enclosing area (a city-wide Erziehungsberatung) serves every area inside it,
after the area's own where the list is not ranked, and says so (issue #17)."""

import pytest
from django.urls import reverse

from quartier.search.services import SearchFilters, area_offers, search_offers
from tests.areas.nesting import build_nesting
from tests.factories.areas import AreaFactory, link

OWN = ["Stadtteiltreff Nord", "Zzz Blocktreff Maximin"]
ENCLOSING = ["Aaa Suchtberatung im Kreis", "Erziehungsberatung Trier"]


@pytest.fixture
def nest(db):
    return build_nesting()


def _names(result):
    return [hit.summary.name for hit in result.hits]


def test_a_quarter_finds_the_city_wide_offer_after_its_own(nest):
    result = search_offers(filters=SearchFilters(areas=[nest.quarter.pk]))
    assert _names(result) == OWN + ENCLOSING
    assert result.total == 4
    assert [hit.serves_all_of for hit in result.hits] == ["", "", "Trier-Saarburg", "Trier"]


def test_a_sibling_quarters_offer_is_not_found_for_the_quarter(nest):
    names = _names(search_offers(filters=SearchFilters(areas=[nest.quarter.pk])))
    assert "Mittagstisch Süd" not in names
    assert "Entwurf Stadt" not in names
    sibling = _names(search_offers(filters=SearchFilters(areas=[nest.sibling.pk])))
    assert sibling == ["Mittagstisch Süd", *ENCLOSING]


def test_the_deepest_area_finds_every_level_above_it(nest):
    result = search_offers(filters=SearchFilters(areas=[nest.block.pk]))
    assert _names(result) == [
        "Zzz Blocktreff Maximin",
        "Aaa Suchtberatung im Kreis",
        "Erziehungsberatung Trier",
        "Stadtteiltreff Nord",
    ]
    assert [hit.serves_all_of for hit in result.hits] == [
        "",
        "Trier-Saarburg",
        "Trier",
        "Trier-Nord",
    ]


def test_own_first_holds_across_pages(nest):
    pages = [
        _names(search_offers(filters=SearchFilters(areas=[nest.quarter.pk]), page=p, per_page=3))
        for p in (1, 2)
    ]
    assert pages == [OWN + ENCLOSING[:1], ENCLOSING[1:]]
    by_name = SearchFilters(areas=[nest.quarter.pk], sort="name")
    singles = [_names(search_offers(filters=by_name, page=p, per_page=1)) for p in range(1, 6)]
    assert singles == [[name] for name in OWN + ENCLOSING] + [[]]


def test_a_text_search_in_the_quarter_finds_the_city_wide_offer(nest):
    in_quarter = SearchFilters(areas=[nest.quarter.pk])
    result = search_offers(query="Erziehungsberatung", filters=in_quarter)
    assert _names(result) == ["Erziehungsberatung Trier"]
    assert result.hits[0].serves_all_of == "Trier"
    assert not _names(
        search_offers(query="Mittagstisch", filters=SearchFilters(areas=[nest.quarter.pk]))
    )


def test_the_area_facet_counts_what_ticking_it_finds(nest):
    result = search_offers(filters=SearchFilters())
    assert result.facets[f"area:{nest.quarter.pk}"] == 4
    assert result.facets[f"area:{nest.sibling.pk}"] == 3
    assert result.facets[f"area:{nest.city.pk}"] == 5
    assert result.facets[f"area:{nest.county.pk}"] == 5
    assert not [key for key in result.facets if key.startswith("at:")]  # internal keys
    ticked = search_offers(filters=SearchFilters(areas=[nest.block.pk]))
    assert ticked.facets[f"area:{nest.block.pk}"] == ticked.total == 4


def test_moving_a_quarter_to_another_city_changes_what_it_inherits(nest):
    other = AreaFactory(slug="konz", name="Konz", kind__level=2, kind__slug="stadt")
    from quartier.areas.models import AreaLink

    AreaLink.objects.filter(parent=nest.city, child=nest.quarter).delete()
    link(other, nest.quarter)
    names = _names(search_offers(filters=SearchFilters(areas=[nest.quarter.pk])))
    assert names == OWN


def test_query_count_of_an_area_search_does_not_grow_with_the_depth(
    nest, django_assert_max_num_queries
):
    search_offers(filters=SearchFilters(areas=[nest.county.pk]))  # the index built once
    counts = []
    for area in (nest.county, nest.city, nest.block):
        with django_assert_max_num_queries(16) as context:
            result = search_offers(filters=SearchFilters(areas=[area.pk]))
            [hit.summary.name for hit in result.hits]
        counts.append(len(context.captured_queries))
    assert counts[2] <= counts[0] + 1  # the enclosing areas' part is one name query more


def test_the_search_api_marks_the_city_wide_offer(client, nest):
    body = client.get(reverse("api:search_offers_api"), {"area": nest.quarter.pk}).json()
    assert [item["name"] for item in body["results"]] == OWN + ENCLOSING
    assert [item["serves_all_of"] for item in body["results"]] == [
        None,
        None,
        "Trier-Saarburg",
        "Trier",
    ]


def test_the_search_page_labels_offers_of_an_enclosing_area(client, nest):
    html = client.get(reverse("search:search"), {"area": nest.quarter.pk}).content.decode()
    assert "Gilt für ganz Trier</span>" in html
    assert "Mittagstisch Süd" not in html
    english = client.get(
        reverse("search:search"), {"area": nest.quarter.pk}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Serves all of Trier</span>" in english


def test_the_map_of_a_quarter_has_the_city_wide_offer(client, nest):
    from tests.factories.offers import LocationFactory, OfferLocationFactory

    for offer, lat in ((nest.offers["city"], 49.75), (nest.offers["sibling"], 49.74)):
        OfferLocationFactory(offer=offer, location=LocationFactory(lat=lat, lon=6.64))
    body = client.get(reverse("api:search_geojson"), {"area": nest.quarter.pk}).json()
    assert [f["properties"]["name"] for f in body["features"]] == ["Erziehungsberatung Trier"]


def test_the_area_page_counts_and_labels_the_city_wide_offer(client, nest):
    response = client.get(reverse("areas:detail", kwargs={"slug": nest.quarter.slug}))
    html = response.content.decode()
    assert "4 Angebote sind für dieses Gebiet da." in html
    assert html.index("Stadtteiltreff Nord") < html.index("Erziehungsberatung Trier")
    assert "Gilt für ganz Trier</span>" in html
    assert "Mittagstisch Süd" not in html


def test_area_offers_lists_own_first_and_counts_all(nest, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        found = area_offers(area_id=nest.quarter.pk, first=3)
    assert found.count == 4
    assert [offer.name for offer in found.offers] == OWN + ENCLOSING[:1]
    assert [offer.serves_all_of for offer in found.offers] == ["", "", "Trier-Saarburg"]


def test_passgenaue_hilfe_finds_the_city_wide_offer_with_the_reason(client, world, nest):
    client.force_login(world.users["coordinator"])
    response = client.post(reverse("search:guided"), {"area": nest.quarter.slug})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Erziehungsberatung Trier" in html
    assert "Gilt für ganz Trier<" in html
    assert "Mittagstisch Süd" not in html
    # Equal fit: the quarter's own offers first.
    assert html.index("Zzz Blocktreff Maximin") < html.index("Aaa Suchtberatung im Kreis")
