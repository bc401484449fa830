"""Ranking in the process (pipeline.match with `in_process`) orders a page exactly as the SQL
page does."""

import datetime as dt
from dataclasses import replace

import pytest
from django.utils import timezone

from quartier.search import analysis, facetindex, pipeline
from quartier.search.backends import get_backend
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


def _plan(text, filters, *, limit, offset, in_process):
    planned = pipeline.plan(
        analysis.parse_query(text, {}),
        filters,
        backend=get_backend(),
        index=facetindex.current(),
        limit=limit,
        offset=offset,
    )
    return replace(planned, in_process=in_process)


def test_one_pass_ranking_equals_the_sql_page(varied):
    now = timezone.localtime(dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC))
    for text in ("Beratung", "Familie Kinder", "Treff", "Hilfe Sprache"):
        for free in (False, True):
            filters = SearchFilters(free=free, now=now)
            for offset, limit in ((0, 20), (20, 20), (5, 3), (40, 20)):
                ranked = pipeline.count(
                    pipeline.match(
                        _plan(text, filters, limit=limit, offset=offset, in_process=True)
                    )
                )
                assert ranked.matched.ranked is not None
                rows = pipeline.page(ranked)
                sql_plan = _plan(text, filters, limit=limit, offset=offset, in_process=False)
                counted = pipeline.count(pipeline.match(sql_plan))
                assert counted.matched.ranked is None
                assert (ranked.total, ranked.facets) == (counted.total, counted.facets)
                expected = pipeline.page(counted)
                assert rows == expected


def test_nothing_found(varied):
    planned = _plan("Zahnarzt", SearchFilters(), limit=20, offset=0, in_process=True)
    counted = pipeline.count(pipeline.match(planned))
    assert (counted.total, counted.facets, pipeline.page(counted)) == (0, {"open_now": 0}, [])
