"""SQLite: the scores computed from the instance table and the rows' lengths (backends.sqlite
.bm25) are FTS5's own bm25 scores, bit for bit, and the lengths follow every change."""

from __future__ import annotations

import numpy
import pytest
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.search import analysis, facetindex
from quartier.search.analysis import ParsedQuery, QueryTerm
from quartier.search.backends import sqlite
from quartier.search.backends.base import IndexRow
from quartier.search.services import search_offers
from tests.factories.offers import OfferFactory

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the instance table and bm25 are SQLite's (FTS5)"
)

VOCABULARY = ["berat", "kita", "famili", "treff", "hilf", "sprach", "elt", "a1", "2026"]
ABSENT = "zzzabsent"  # in no document

tokens = st.lists(st.sampled_from(VOCABULARY), max_size=6).map(" ".join)
# Some bodies are long, so that row lengths need more than one byte in FTS5's docsize table.
bodies = st.one_of(
    tokens,
    st.lists(st.sampled_from(VOCABULARY), min_size=120, max_size=300).map(" ".join),
)
rows = st.lists(st.tuples(tokens, tokens, bodies), min_size=1, max_size=25)
terms = st.lists(
    st.lists(st.sampled_from([*VOCABULARY, ABSENT]), min_size=1, max_size=3, unique=True),
    min_size=1,
    max_size=3,
)
relaxed = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _query(term_tokens: list[list[str]]) -> ParsedQuery:
    return ParsedQuery(
        terms=tuple(
            QueryTerm(text=alternatives[0], alternatives=tuple((t,) for t in alternatives))
            for alternatives in term_tokens
        )
    )


def _fts5(query: ParsedQuery) -> tuple[numpy.ndarray, numpy.ndarray]:
    """(rowids, rank) of every match as FTS5 itself ranks them."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT rowid, rank FROM {sqlite.TABLE} WHERE {sqlite.TABLE} MATCH %s ORDER BY rowid",
            [sqlite.fts_expression(query)],
        )
        found = cursor.fetchall()
    return (
        numpy.array([row[0] for row in found], dtype=numpy.uint32),
        numpy.array([row[1] for row in found], dtype=numpy.float64),
    )


def _assert_same_as_fts5(query: ParsedQuery, lengths: sqlite.RowLengths) -> None:
    computed = sqlite.bm25(query, lengths)
    ids, scores = _fts5(query)
    assert computed is not None
    assert computed.ids.tolist() == ids.tolist()
    # Exactly equal: the same operations in the same order, so ties break alike.
    assert computed.scores.tolist() == scores.tolist()


@relaxed
@given(documents=rows, query_terms=terms)
def test_scores_are_fts5_bm25_to_the_last_bit(db, documents, query_terms):
    backend = sqlite.SqliteBackend()
    backend.clear()
    backend.write([IndexRow(100 + n, *texts) for n, texts in enumerate(documents)])
    _assert_same_as_fts5(_query(query_terms), sqlite.RowLengths().load())


def test_row_lengths_are_the_rows_tokens_in_every_column(db):
    backend = sqlite.SqliteBackend()
    backend.clear()
    long_body = " ".join(["hilf"] * 20_000)  # three bytes as a varint
    backend.write([IndexRow(7, "kita treff", "elt", long_body), IndexRow(3, "berat", "", "")])
    lengths = sqlite.RowLengths().load()
    assert lengths.tokens[7] == 20_003 and lengths.tokens[3] == 1
    assert lengths.tokens[5] == -1  # no row
    assert (lengths.rows, lengths.total) == (2, 20_004)
    backend.delete([7])
    lengths.update([7, 3])
    assert lengths.tokens[7] == -1 and (lengths.rows, lengths.total) == (1, 1)


def test_varints_of_the_docsize_blobs():
    assert sqlite._varint_sum(bytes([3, 0, 127])) == 130
    assert sqlite._varint_sum(bytes([0x81, 0x00, 5])) == 133  # 128 + 5
    assert sqlite._varint_sum(bytes([0x81, 0x9C, 0x20, 1])) == 20_000 + 1
    assert sqlite._varint_sum(b"") == 0


@pytest.fixture
def fresh_index():
    facetindex.reset()
    yield
    facetindex.reset()


@pytest.mark.django_db(transaction=True)
def test_the_shared_index_keeps_lengths_current_through_edits_and_deletions(fresh_index):
    offers = [
        OfferFactory(name=f"Beratung {n}", description="Familien " * (n + 1)) for n in range(4)
    ]
    query = analysis.parse_query("Beratung", {})
    loaded = facetindex.current()
    _assert_same_as_fts5(query, loaded.lengths)

    offers[0].description = "Beratung für Familien, Kinder und Eltern " * 40
    offers[0].save()
    offers[1].delete()
    OfferFactory(name="Neue Beratung", description="Kita")
    OfferFactory(name="Zweite neue Beratung", description="Treff")
    index = facetindex.current()
    assert index.seq > loaded.seq and index is facetindex._shared  # brought up to date
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {sqlite.TABLE}")
        assert index.lengths.rows == cursor.fetchone()[0]
    _assert_same_as_fts5(query, index.lengths)
    _assert_same_as_fts5(analysis.parse_query("Familien", {}), index.lengths)
    # The index it replaced is a snapshot: its lengths did not change under a reader.
    assert loaded.lengths.rows == 4


def test_phrases_and_other_scripts_rank_in_sql_and_are_still_found(db):
    OfferFactory(name="Allgemeiner Sozialer Dienst", description="Jugendamt")
    OfferFactory(name="Консультация для семей", description="Beratung auf Russisch")
    backend = sqlite.SqliteBackend()
    lengths = facetindex.current().lengths

    phrase = ParsedQuery(
        terms=(QueryTerm(text="asd", alternatives=(("asd",), ("allgemein", "sozial", "dien"))),)
    )
    assert sqlite.bm25(phrase, lengths) is None and not backend.one_pass(phrase)
    cyrillic = analysis.parse_query("Консультация", {})
    assert sqlite.bm25(cyrillic, lengths) is None and not backend.one_pass(cyrillic)
    assert [hit.summary.name for hit in search_offers(query="Консультация").hits] == [
        "Консультация для семей"
    ]

    two_terms = analysis.parse_query("Beratung Russisch", {})
    assert not backend.one_pass(two_terms)  # FTS5 intersects cheaper
    _assert_same_as_fts5(two_terms, lengths)  # though bm25 would score it right
    assert backend.one_pass(analysis.parse_query("Beratung", {}))


def test_nothing_matches(db):
    OfferFactory(name="Beratung")
    matches = sqlite.bm25(_query([[ABSENT]]), facetindex.current().lengths)
    assert matches is not None and len(matches.ids) == 0 and len(matches.scores) == 0
