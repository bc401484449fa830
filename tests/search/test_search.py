import pytest

from quartier.offers.models import Offer
from quartier.search.services import SearchFilters, search_offers
from tests.factories.offers import OfferFactory, TaxonomyTermFactory


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


def test_a_typo_in_a_compound_is_forgiven_too(catalogue):
    # "Schuldnrberatung" splits at "beratung" like any compound; its parts written apart
    # find nothing, and the typo is corrected as for a plain word.
    result = search_offers(query="Schuldnrberatung")
    assert names(result) == ["Schuldnerberatung der Caritas"]
    assert result.corrected_query


def test_compounds_find_their_parts_written_apart_and_the_other_way(catalogue):
    apart = OfferFactory(name="Beratung für Schuldner", description="Im Stadtteil.")
    assert set(names(search_offers(query="Schuldnerberatung"))) == {
        "Schuldnerberatung der Caritas",
        apart.name,
    }
    assert "Schuldnerberatung der Caritas" in names(search_offers(query="Schuldner Beratung"))


def test_a_phrase_in_quotes_finds_only_its_words_in_order(catalogue):
    right = OfferFactory(name="Ambulante Hilfe zur Erziehung")
    OfferFactory(name="Erziehung zur Hilfe", description="Ein Schulprojekt.")
    OfferFactory(name="Hilfe für Eltern", description="Fragen der Erziehung.")
    assert names(search_offers(query='"Hilfe zur Erziehung"')) == [right.name]
    assert len(names(search_offers(query="Erziehung Hilfe"))) == 3  # without quotes: all


def test_name_matches_rank_above_description_matches(catalogue):
    # Two matches, the description match first by name and by age: only ranking orders them.
    treff = OfferFactory(name="Allgemeiner Treff", description="Offen für Familien.")
    result = search_offers(query="Familie")
    assert names(result) == ["Familienbüro Trier-West", treff.name]


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
    public = {offer.name for key, offer in catalogue["offers"].items() if key != "draft"}
    assert result.total == len(result.hits) <= len(public)
    assert set(names(result)) <= public
    assert Offer.objects.count() == len(catalogue["offers"])  # nothing dropped


def test_a_hit_summarises_what_a_list_shows(catalogue):
    offer = catalogue["offers"]["familie"]
    extra = TaxonomyTermFactory(code="aaa", name="Alleinerziehende")
    offer.topics.add(extra)
    (hit,) = search_offers(query="Familienbüro").hits
    summary = hit.summary
    assert summary.id == offer.pk
    assert (summary.name, summary.organisation) == (offer.name, offer.organisation.name)
    assert (summary.description, summary.cost, summary.status) == (
        offer.description,
        "fee",
        "active",
    )
    assert [term.name for term in summary.topics] == ["Alleinerziehende", "Beratung"]
    assert summary.get_absolute_url() == offer.get_absolute_url()
    assert (hit.lat, hit.lon) == (49.75, 6.64)


def test_a_paused_offer_is_labelled_in_its_summary(catalogue):
    offer = catalogue["offers"]["asd"]
    offer.status = "paused"
    offer.save()
    (hit,) = search_offers(query="Sozialer Dienst").hits
    assert hit.summary.status == "paused"
    assert hit.summary.status_label == "pausiert"


@pytest.mark.parametrize("change", [{"review_state": "draft"}, {"status": "ended"}])
def test_offers_made_non_public_behind_the_index_are_not_listed(catalogue, change):
    offer = catalogue["offers"]["familie"]
    Offer.objects.filter(pk=offer.pk).update(**change)  # no signal: the index still has it
    assert "Familienbüro Trier-West" not in names(search_offers(query="Beratung"))


def test_hit_offers_load_together_on_first_use(catalogue, django_assert_num_queries):
    result = search_offers(query="Beratung")
    assert len(result.hits) == 3
    with django_assert_num_queries(1):  # the offers with organisations, together
        offers = [hit.offer for hit in result.hits]
        assert [offer.organisation.name for offer in offers]
        summary_topics = [list(hit.summary.topics) for hit in result.hits]  # read with the hits
    assert summary_topics == [sorted(offer.topics.all(), key=lambda t: t.name) for offer in offers]
    assert all(summary_topics)
    assert [offer.pk for offer in offers] == [hit.summary.id for hit in result.hits]


def test_a_summary_without_topics(catalogue):
    catalogue["offers"]["asd"].topics.clear()
    (hit,) = search_offers(query="Sozialer Dienst").hits
    assert hit.summary.topics == ()
    assert list(hit.offer.topics.all()) == []


def test_hit_offer_topics_can_be_filtered_further(catalogue):
    (hit,) = search_offers(query="Familienbüro").hits
    assert list(hit.offer.topics.filter(code="beratung")) == [catalogue["beratung"]]


def test_hit_offer_made_non_public_after_the_search_is_none(catalogue):
    result = search_offers(query="Familienbüro")
    Offer.objects.filter(pk=result.hits[0].summary.id).update(review_state="draft")
    assert result.hits[0].offer is None
    assert result.offers == []


def test_hit_offer_deleted_after_the_search_is_none(catalogue):
    result = search_offers(query="Beratung")
    gone = result.hits[0].summary.id
    Offer.objects.filter(pk=gone).delete()
    assert result.hits[0].offer is None
    assert gone not in [offer.pk for offer in result.offers]
    assert len(result.offers) == 2
