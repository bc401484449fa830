"""bm25 computed in the process (quartier/search/bm25.py, ADR 0008): the scores are those of
the textbook formula, equal to the last bit to what the backend's SQL reports (FTS5's own
`rank` on SQLite, the posting table's SQL on PostgreSQL), and the row lengths each process
keeps follow every change."""

from __future__ import annotations

import io
import math
from collections import Counter

import numpy
import pytest
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.search import analysis, bm25, facetindex
from quartier.search.analysis import ParsedQuery, QueryTerm
from quartier.search.backends import get_backend, postgres, sqlite
from quartier.search.backends.base import IndexRow
from quartier.search.models import SearchDocument
from quartier.search.services import search_offers
from tests.factories.offers import OfferFactory

SQLITE_ONLY = pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 is SQLite's")
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the posting table is PostgreSQL's"
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
    max_examples=50,
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


def _computed(query: ParsedQuery, lengths):
    """The process's scores, the way each backend computes them for a search."""
    if connection.vendor == "sqlite":
        return sqlite.scores(query, lengths)
    tokens = [token for term in bm25.plain_terms(query) for token in term]
    found = postgres._occurrences(list(dict.fromkeys(tokens)))
    return bm25.scores(bm25.plain_terms(query), found, lengths)


def _sql(query: ParsedQuery) -> tuple[list[int], list[float]]:
    """(ids, scores) of every match as the backend's SQL reports them, by id."""
    sql, params = (
        (
            f"SELECT rowid, rank FROM {sqlite.TABLE} WHERE {sqlite.TABLE} MATCH %s",
            [sqlite.fts_expression(query)],
        )
        if connection.vendor == "sqlite"
        else postgres._bm25_sql(bm25.plain_terms(query)[0])
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM ({sql}) x ORDER BY 1", params)
        found = cursor.fetchall()
    return [row[0] for row in found], [row[1] for row in found]


def _textbook(documents: list[tuple[int, tuple[str, str, str]]], query: ParsedQuery) -> dict:
    """{id: score} of bm25 written plainly from the documents (k1 1.2, b 0.75, weights
    10/4/1, idf floored at 1e-6, negated)."""
    lengths = {doc: sum(len(text.split()) for text in texts) for doc, texts in documents}
    avgdl = sum(lengths.values()) / len(lengths)
    frequency = {}
    for doc, texts in documents:
        counts: Counter[str] = Counter()
        for weight, text in zip((10, 4, 1), texts, strict=True):
            for token in text.split():
                counts[token] += weight
        frequency[doc] = counts
    phrases = [alt[0] for term in query.terms for alt in term.alternatives]
    found = {}
    for doc, _texts in documents:
        if all(any(frequency[doc][alt[0]] for alt in term.alternatives) for term in query.terms):
            score = 0.0
            for token in phrases:
                hits = sum(1 for counts in frequency.values() if counts[token])
                idf = max(math.log((len(documents) - hits + 0.5) / (hits + 0.5)), 0) or 1e-6
                f = frequency[doc][token]
                score += idf * f * 2.2 / (f + 1.2 * (0.25 + 0.75 * lengths[doc] / avgdl))
            found[doc] = -score
    return found


@relaxed
@given(documents=rows, query_terms=terms)
def test_scores_are_the_textbook_formula_and_the_sql_to_the_last_bit(db, documents, query_terms):
    backend = get_backend()
    backend.clear()
    numbered = [(100 + n, texts) for n, texts in enumerate(documents)]
    backend.write([IndexRow(doc, *texts) for doc, texts in numbered])
    query = _query(query_terms)
    computed = _computed(query, backend.row_lengths())
    expected = _textbook(numbered, query)
    assert computed.ids.tolist() == sorted(expected)
    assert computed.scores.tolist() == pytest.approx([expected[d] for d in sorted(expected)])
    if connection.vendor == "sqlite" or len(query_terms) == 1:
        # Exactly the SQL's scores: the same operations in the same order, so ties break alike.
        ids, scores = _sql(query)
        assert computed.ids.tolist() == ids
        assert computed.scores.tolist() == scores


@SQLITE_ONLY
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


def _assert_same_as_sql(query: ParsedQuery, lengths) -> None:
    computed = _computed(query, lengths)
    ids, scores = _sql(query)
    assert computed.ids.tolist() == ids and computed.scores.tolist() == scores


@pytest.mark.django_db(transaction=True)
def test_the_shared_index_keeps_lengths_current_through_edits_and_deletions(fresh_index):
    offers = [
        OfferFactory(name=f"Beratung {n}", description="Familien " * (n + 1)) for n in range(4)
    ]
    query = analysis.parse_query("Beratung", {})
    loaded = facetindex.current()
    _assert_same_as_sql(query, loaded.lengths)

    offers[0].description = "Beratung für Familien, Kinder und Eltern " * 40
    offers[0].save()
    offers[1].delete()
    OfferFactory(name="Neue Beratung", description="Kita")
    OfferFactory(name="Zweite neue Beratung", description="Treff")
    index = facetindex.current()
    assert index.seq > loaded.seq and index is facetindex._shared  # brought up to date
    assert index.lengths.rows == SearchDocument.objects.count() == 5
    _assert_same_as_sql(query, index.lengths)
    _assert_same_as_sql(analysis.parse_query("Familien", {}), index.lengths)
    # The index it replaced is a snapshot: its lengths did not change under a reader.
    assert loaded.lengths.rows == 4


def test_phrases_and_other_scripts_keep_the_sql_ranking_and_are_still_found(db):
    OfferFactory(name="Allgemeiner Sozialer Dienst", description="Jugendamt")
    OfferFactory(name="Консультация для семей", description="Beratung auf Russisch")
    backend = get_backend()
    lengths = facetindex.current().lengths

    phrase = ParsedQuery(
        terms=(QueryTerm(text="asd", alternatives=(("asd",), ("allgemein", "sozial", "dien"))),)
    )
    cyrillic = analysis.parse_query("Консультация", {})
    for query in (phrase, cyrillic):
        assert backend.matches(query, lengths) is None
    assert [hit.summary.name for hit in search_offers(query="Консультация").hits] == [
        "Консультация для семей"
    ]
    assert backend.matches(analysis.parse_query("Beratung Russisch", {}), lengths) is None
    assert backend.matches(analysis.parse_query("Beratung", {}), lengths) is not None


def test_nothing_matches(db):
    OfferFactory(name="Beratung")
    matches = _computed(_query([[ABSENT]]), facetindex.current().lengths)
    assert len(matches.ids) == 0 and len(matches.scores) == 0


@POSTGRES_ONLY
def test_postings_go_with_their_document(db):
    offer = OfferFactory(name="Beratung für Familien")
    document = SearchDocument.objects.get(offer=offer)

    def postings() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {postgres.POSTINGS} WHERE document_id = %s", [document.pk]
            )
            return cursor.fetchone()[0]

    assert postings() > 0
    document.delete()
    assert postings() == 0


@POSTGRES_ONLY
def test_the_migration_fills_postings_and_lengths_from_the_tsvectors(db):
    backend = postgres.PostgresBackend()
    backend.clear()
    backend.write(
        [IndexRow(1, "berat kita", "elt berat", "hilf " * 30), IndexRow(2, "treff", "", "a1")]
    )

    def state():
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT * FROM {postgres.POSTINGS} ORDER BY 1, 2")
            postings = cursor.fetchall()
            cursor.execute(f"SELECT document_id, tokens FROM {postgres.TABLE} ORDER BY 1")
            return postings, cursor.fetchall()

    written = state()
    assert written[1] == [(1, 34), (2, 2)]
    assert ("berat", 1, 14.0) in written[0]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {postgres.POSTINGS}")
        cursor.execute(f"UPDATE {postgres.TABLE} SET tokens = 0")
        insert, update = postgres.BACKFILL_SQL
        cursor.execute(insert, list(bm25.WEIGHTS))
        cursor.execute(update)
    assert state() == written


def test_row_lengths_grow_and_forget(db):
    lengths = bm25.RowLengths()
    lengths._set(numpy.array([3, 40]), numpy.array([5, 7]))
    assert (lengths.rows, lengths.total, lengths.tokens[40], lengths.tokens[10]) == (2, 12, 7, -1)


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
def test_the_reindex_command_vacuums_the_postings_so_scans_stay_in_the_index(fresh_index):
    def vacuums() -> int:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT vacuum_count FROM pg_stat_user_tables WHERE relname = %s",
                [postgres.POSTINGS],
            )
            return cursor.fetchone()[0]

    OfferFactory(name="Beratung Nord")
    before = vacuums()
    call_command("search_reindex", stdout=io.StringIO())
    assert vacuums() == before + 1
    assert [hit.summary.name for hit in search_offers(query="Beratung").hits] == ["Beratung Nord"]


@POSTGRES_ONLY
def test_no_vacuum_inside_a_transaction(db):
    postgres.PostgresBackend().after_rebuild()  # would raise inside the test's transaction
