"""The relevance set (quartier/search/relevance.py, tests/search/relevance/): at least 150
queries of the kinds people type, over a catalogue of at least 150 offers written for it; the
search must satisfy at least 95 % of them, on whichever database the tests run on."""

import pytest

from quartier.search import relevance
from quartier.search.services import index_rebuild
from quartier.search.signals import indexing_paused

MIN_SCORE = 0.95

pytestmark = pytest.mark.xdist_group("search-relevance")


def test_the_set_is_large_and_consistent():
    offers, queries = relevance.read_offers(), relevance.read_queries()
    assert len(offers) >= 150
    assert len(queries) >= 150
    assert relevance.check_set(offers, queries) == []
    kinds = {judgement.kind for judgement in queries}
    assert {"compound", "compound-split", "plural", "phrase", "synonym", "language"} <= kinds


def test_the_scorer_counts_misses_and_unwanted_hits():
    wanted = relevance.Judgement("a", "plain", must=("x",), must_not=("y",))
    report = relevance.Report(
        [
            relevance.Outcome(wanted, ["x", "z"]),
            relevance.Outcome(wanted, ["z"]),
            relevance.Outcome(wanted, ["x", "y"]),
        ]
    )
    assert [outcome.passed for outcome in report.outcomes] == [True, False, False]
    assert report.score == pytest.approx(1 / 3)
    assert report.by_kind() == {"plain": (1, 3)}
    assert "MISS 'a': missing ['x']" in report.text()


@pytest.mark.django_db
def test_relevance_score_on_this_database(capsys):
    offers, queries = relevance.read_offers(), relevance.read_queries()
    with indexing_paused():
        ids = relevance.load_catalogue(offers)
    index_rebuild()
    report = relevance.score(queries, ids)
    with capsys.disabled():
        print("\n" + report.text())
    assert report.score >= MIN_SCORE, report.text()
