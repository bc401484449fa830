"""The one-pass ranking (engine.ranked) orders a page exactly as the SQL page does."""

import datetime as dt

import pytest
from django.utils import timezone

from quartier.search import analysis, engine, facetindex
from quartier.search.services import SearchFilters
from tests.factories.offers import OfferFactory, TaxonomyTermFactory

WORDS = ["Beratung", "Familie", "Kinder", "Treff", "Hilfe", "Sprache"]


@pytest.fixture
def varied(db):
    topic = TaxonomyTermFactory(name="Thema")
    for number in range(45):
        words = [WORDS[(number * k) % len(WORDS)] for k in (1, 2, 3)]
        OfferFactory(
            name=f"{words[0]} {number}",
            description=" ".join(words * (1 + number % 3)),
            cost="free" if number % 3 else "fee",
            topics=[topic] if number % 2 else [],
        )
    return topic


def test_one_pass_ranking_equals_the_sql_page(varied):
    now = timezone.localtime(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
    index = facetindex.current()
    for text in ("Beratung", "Familie Kinder", "Treff", "Hilfe Sprache"):
        parsed = analysis.parse_query(text, {})
        for free in (False, True):
            plan = SearchFilters(free=free).plan(now)
            for offset, limit in ((0, 20), (20, 20), (5, 3), (40, 20)):
                total, counts, rows = engine.ranked(
                    parsed, plan, now, index, limit=limit, offset=offset
                )
                assert (total, counts) == engine.facet_counts(parsed, plan, now, index)
                expected = engine.page(parsed, plan, sort="relevance", limit=limit, offset=offset)
                assert rows == [doc for doc, _offer in expected]


def test_nothing_found(varied):
    now = timezone.localtime()
    parsed = analysis.parse_query("Zahnarzt", {})
    ranked = engine.ranked(
        parsed, SearchFilters().plan(now), now, facetindex.current(), limit=20, offset=0
    )
    assert ranked == (0, {"open_now": 0}, [])
