import pytest

from quartier.search.services import SearchFilters, search_offers


def names(result):
    return [hit.offer.name for hit in result.hits]


def test_stemming_finds_the_plural(catalogue):
    assert "Familienbüro Trier-West" in names(search_offers(query="Beratung"))
    assert "Familienbüro Trier-West" in names(search_offers(query="Beratungen"))


def test_folding_finds_umlauts_written_as_digraphs(catalogue):
    assert names(search_offers(query="Familienbuero")) == ["Familienbüro Trier-West"]


def test_compound_part_finds_the_compound(catalogue):
    assert "Schuldnerberatung der Caritas" in names(search_offers(query="Beratung"))


def test_synonyms_are_data(catalogue):
    assert names(search_offers(query="Kita")) == ["Kindertagesstätte St. Martin"]
    assert names(search_offers(query="ASD")) == ["Allgemeiner Sozialer Dienst"]


def test_one_typo_is_forgiven_and_said(catalogue):
    result = search_offers(query="Schuldnerbreatung")
    assert names(result) == ["Schuldnerberatung der Caritas"]
    assert result.corrected_query


def test_name_matches_rank_above_description_matches(catalogue):
    result = search_offers(query="Familie")
    assert names(result)[0] == "Familienbüro Trier-West"


def test_only_public_offers_are_found(catalogue):
    assert "Geheime Beratung (Entwurf)" not in names(search_offers(query="Beratung"))


def test_unpublishing_removes_the_offer_from_the_index(catalogue):
    offer = catalogue["offers"]["familie"]
    offer.review_state = "draft"
    offer.save()
    assert "Familienbüro Trier-West" not in names(search_offers(query="Familienbüro"))


def test_deleting_an_offer_removes_it(catalogue):
    catalogue["offers"]["kita"].delete()
    assert search_offers(query="Kita").total == 0


def test_facet_counts_cover_the_whole_result(catalogue):
    result = search_offers(query="Beratung", per_page=1)
    assert result.total == 3
    assert len(result.hits) == 1
    assert result.facets[f"topic:{catalogue['beratung'].pk}"] == 3
    assert result.facets["lang:ar"] == 2
    assert result.facets["free"] == 2
    assert result.facets["barrier_free"] == 2
    assert result.facets["group:eltern"] == 1


def test_facet_filters_and_within_or_across(catalogue):
    result = search_offers(query="", filters=SearchFilters(languages=["ar"], free=True))
    assert names(result) == ["Schuldnerberatung der Caritas"]
    both = SearchFilters(languages=["ar", "de"])
    assert search_offers(filters=both).total == 3


def test_near_me_sorts_by_distance_and_limits_radius(catalogue):
    filters = SearchFilters(near=(49.7561, 6.6151), radius_m=3000, sort="distance")
    result = search_offers(filters=filters)
    assert names(result)[0] == "Schuldnerberatung der Caritas"
    assert "Kindertagesstätte St. Martin" not in names(result)
    distances = [hit.distance_m for hit in result.hits]
    assert distances == sorted(distances)
    assert distances[0] < 50


def test_per_page_is_clamped_and_said(catalogue):
    result = search_offers(query="Beratung", per_page=1_000_000)
    assert result.per_page == 100
    assert result.notices


@pytest.mark.parametrize(
    "query",
    ['"', "AND", "*", "NEAR(", "'; DROP TABLE offers_offer; --", "a" * 10_000, "OR OR", "(("],
)
def test_syntax_breaking_queries_do_not_fail(catalogue, query):
    result = search_offers(query=query)
    assert result.total >= 0
