"""Rules of the catalogue the search must follow: broader topics find narrower ones, paused
offers are never open, and the typo fallback corrects real words only."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from quartier.search.services import SearchFilters, search_offers
from tests.factories.offers import OfferFactory, ScheduleFactory, TaxonomyTermFactory

MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))


@pytest.fixture
def topics(db):
    hze = TaxonomyTermFactory(code="hze", name="Hilfen zur Erziehung")
    beratung = TaxonomyTermFactory(code="eb", name="Erziehungsberatung", parent=hze)
    spfh = TaxonomyTermFactory(code="spfh", name="Familienhilfe", parent=hze)
    online = TaxonomyTermFactory(code="eb-online", name="Onlineberatung", parent=beratung)
    other = TaxonomyTermFactory(code="kita", name="Kita")
    return {"hze": hze, "beratung": beratung, "spfh": spfh, "online": online, "other": other}


def names(result):
    return sorted(hit.offer.name for hit in result.hits)


def test_a_broader_topic_finds_offers_filed_below_it(topics):
    OfferFactory(name="Beratungsstelle", topics=[topics["beratung"]])
    OfferFactory(name="Chat", topics=[topics["online"]])
    OfferFactory(name="SPFH Trier", topics=[topics["spfh"]])
    OfferFactory(name="Kita Sonnenschein", topics=[topics["other"]])
    broad = search_offers(filters=SearchFilters(topics=[str(topics["hze"].pk)]))
    assert names(broad) == ["Beratungsstelle", "Chat", "SPFH Trier"]
    middle = search_offers(filters=SearchFilters(topics=[str(topics["beratung"].pk)]))
    assert names(middle) == ["Beratungsstelle", "Chat"]
    counts = search_offers().facets
    assert counts[f"topic:{topics['hze'].pk}"] == 3
    assert counts[f"topic:{topics['beratung'].pk}"] == 2
    assert counts[f"topic:{topics['online'].pk}"] == 1


def test_moving_a_topic_moves_its_offers(topics):
    OfferFactory(name="Chat", topics=[topics["online"]])
    topics["online"].parent = topics["other"]
    topics["online"].save()
    found = search_offers(filters=SearchFilters(topics=[str(topics["other"].pk)]))
    assert names(found) == ["Chat"]
    assert search_offers(filters=SearchFilters(topics=[str(topics["hze"].pk)])).total == 0


def test_parent_topic_through_the_api(client, topics):
    OfferFactory(name="Chat", topics=[topics["online"]])
    data = client.get(reverse("api:search_offers_api"), {"topic": str(topics["hze"].pk)}).json()
    assert [hit["name"] for hit in data["results"]] == ["Chat"]


def test_a_paused_offer_is_listed_but_never_open(db):
    paused = OfferFactory(name="Treff (Pause)", status="paused")
    ScheduleFactory(offer=paused, weekday=0)
    active = OfferFactory(name="Treff")
    ScheduleFactory(offer=active, weekday=0)
    assert search_offers(query="Treff").total == 2
    result = search_offers(filters=SearchFilters(now=MONDAY_10))
    assert result.facets["open_now"] == 1
    assert result.facets["weekday:0"] == 1
    open_now = search_offers(filters=SearchFilters(open_now=True, now=MONDAY_10))
    assert names(open_now) == ["Treff"]
    assert names(search_offers(filters=SearchFilters(weekday=0))) == ["Treff"]


def test_resuming_a_paused_offer_opens_it_again(db):
    offer = OfferFactory(name="Treff", status="paused")
    ScheduleFactory(offer=offer, weekday=0)
    offer.status = "active"
    offer.save()
    assert search_offers(filters=SearchFilters(now=MONDAY_10)).facets["open_now"] == 1


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("Beratng", "beratung"),
        ("Berattung", "beratung"),
        ("Erziehungsbratung", "erziehungsberatung"),
    ],
)
def test_a_typo_is_corrected_to_the_word_as_the_catalogue_writes_it(db, typed, shown):
    OfferFactory(name="Erziehungsberatung und Beratung für Eltern")
    result = search_offers(query=typed)
    assert result.total == 1
    assert result.corrected_query == shown


@pytest.mark.parametrize("typed", ["Beratung 2", "a AND *", "Kit", "xyz"])
def test_digits_short_words_and_nonsense_are_not_corrected(db, typed):
    OfferFactory(name="Beratung für Eltern", description="Kita da e")
    result = search_offers(query=typed)
    assert result.corrected_query is None


def test_a_correction_is_shown_on_the_page(client, db):
    OfferFactory(name="Schuldnerberatung")
    content = client.get(reverse("search:search"), {"q": "Schuldnerberatnug"}).content.decode()
    assert "schuldnerberatung" in content
