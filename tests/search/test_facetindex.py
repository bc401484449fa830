"""The facet bitmaps each process keeps (quartier/search/facetindex.py): correct, current,
never polluted by a transaction that rolls back, and cheap once warm."""

import datetime as dt
from zoneinfo import ZoneInfo

import numpy
import pytest
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.search import facetindex, pipeline, sql, triggers
from quartier.search.models import SearchDocument, SearchPoint
from quartier.search.services import SearchFilters, search_offers
from tests.factories.offers import (
    LocationFactory,
    OfferFactory,
    ScheduleFactory,
    TaxonomyTermFactory,
)

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)


@pytest.fixture
def fresh_index():
    """Start and end with an empty shared index, so counts don't depend on test order."""
    facetindex.reset()
    yield facetindex
    facetindex.reset()


def topic_count(result, term):
    return result.facets.get(f"topic:{term.pk}", 0)


@pytest.mark.django_db(transaction=True)
def test_shared_index_follows_changes_incrementally(fresh_index):
    term = TaxonomyTermFactory(name="Beratung")
    first = OfferFactory(name="Beratung Nord", topics=[term])
    assert topic_count(search_offers(query="Beratung"), term) == 1
    loaded_at = facetindex._shared.seq
    assert loaded_at is not None  # outside a transaction the process keeps its index

    second = OfferFactory(name="Beratung Süd", topics=[term])
    result = search_offers(query="Beratung")
    assert (result.total, topic_count(result, term)) == (2, 2)
    assert facetindex._shared.seq > loaded_at

    first.topics.clear()
    assert topic_count(search_offers(query="Beratung"), term) == 1
    second.delete()
    result = search_offers(query="Beratung")
    assert (result.total, topic_count(result, term)) == (1, 0)
    assert search_offers().total == 1  # the empty query counts all documents


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_change_never_reaches_the_shared_index(fresh_index):
    term = TaxonomyTermFactory(name="Beratung")
    OfferFactory(name="Beratung Nord", topics=[term])
    assert search_offers(query="Beratung").total == 1

    with pytest.raises(RuntimeError), transaction.atomic():
        OfferFactory(name="Beratung Süd", topics=[term])
        # Inside the transaction the search sees its own change ...
        assert topic_count(search_offers(query="Beratung"), term) == 2
        raise RuntimeError("roll back")
    # ... and afterwards nobody does, although SQLite hands out the same numbers again.
    assert topic_count(search_offers(query="Beratung"), term) == 1
    OfferFactory(name="Beratung West")
    assert search_offers(query="Beratung").total == 2


@pytest.mark.django_db(transaction=True)
def test_renamed_topic_reaches_the_search_form(client, fresh_index):
    term = TaxonomyTermFactory(name="Schuldnerhilfe")
    OfferFactory(name="Beratung", topics=[term])
    assert "Schuldnerhilfe" in client.get(reverse("search:search")).content.decode()
    term.name = "Schuldnerberatung"
    term.save()
    content = client.get(reverse("search:search")).content.decode()
    assert "Schuldnerberatung" in content
    assert "Schuldnerhilfe" not in content


@pytest.mark.django_db(transaction=True)
def test_search_page_query_budget_warm_and_cold(client, fresh_index, django_assert_max_num_queries):
    for number in range(30):
        OfferFactory(
            name=f"Beratungsstelle {number}",
            cost="free" if number % 2 else "fee",
            locations=[LocationFactory(lat=49.70 + number / 1000, lon=6.60)],
        )
    params = {"q": "Beratung", "free": "on"}
    with django_assert_max_num_queries(20):  # first request of a process: loads the index
        assert client.get(reverse("search:search"), params).status_code == 200
    # Warm: 2 probes of the change log (form, search), the ranked page, the page's summaries
    # with their topics, their places. Nothing loads Offer objects for a list.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("search:search"), params)
    assert "15 Angebote gefunden" in response.content.decode()
    with django_assert_max_num_queries(5):
        data = client.get(reverse("api:search_offers_api"), params).json()
    assert data["total"] == 15 and data["facets"]["free"] == 15
    # 2 probes of the change log (form, search), the places, the offers' names.
    with django_assert_max_num_queries(4):
        response = client.get(reverse("api:search_geojson"), {"bbox": "6,49,7,50"})
    assert len(response.json()["features"]) == 30


def test_index_in_a_transaction_is_private(db):
    OfferFactory(name="Beratung Nord")
    assert facetindex.current() is not facetindex._shared


@pytest.mark.django_db(transaction=True)
def test_a_transaction_that_changed_nothing_reads_the_shared_index(fresh_index, monkeypatch):
    """The alert digests search inside a transaction per subscription: no rebuild each time."""
    OfferFactory(name="Beratung Nord")
    assert search_offers(query="Beratung").total == 1
    loads = []
    monkeypatch.setattr(
        facetindex.FacetIndex, "load", lambda self, seq: loads.append(seq), raising=True
    )
    with transaction.atomic():
        assert facetindex.current() is facetindex._shared
        assert search_offers(query="Beratung").total == 1
    assert loads == []


@pytest.mark.django_db(transaction=True)
def test_a_held_index_is_a_snapshot_that_refreshing_does_not_change(fresh_index):
    """Threaded servers: one thread's refresh must not change the index another one reads."""
    term = TaxonomyTermFactory(name="Beratung")
    OfferFactory(name="Beratung Nord", topics=[term])
    held = facetindex.current()
    OfferFactory(name="Beratung Süd", topics=[term])
    newer = facetindex.current()
    assert newer is not held
    assert len(held.documents) == 1 and held.counts(held.documents)[f"topic:{term.pk}"] == 1
    assert newer.counts(newer.documents)[f"topic:{term.pk}"] == 2


@pytest.mark.django_db(transaction=True)
def test_deleting_a_topic_or_an_area_updates_the_offers_filed_under_it(fresh_index):
    from quartier.areas.models import AreaLink
    from tests.factories.areas import AreaFactory

    broad = TaxonomyTermFactory(name="Beratung")
    narrow = TaxonomyTermFactory(name="Schuldnerberatung", parent=broad)
    county = AreaFactory(name="Landkreis")
    town = AreaFactory(name="Hermeskeil")
    AreaLink.objects.create(parent=county, child=town)
    OfferFactory(name="Schuldnerberatung Hermeskeil", topics=[narrow], areas=[town])
    facets = search_offers().facets
    assert facets[f"topic:{broad.pk}"] == 1 and facets[f"area:{county.pk}"] == 1

    narrow.delete()
    town.delete()
    facets = search_offers().facets
    assert f"topic:{broad.pk}" not in facets and f"area:{county.pk}" not in facets
    assert search_offers(filters=SearchFilters(topics=[str(broad.pk)])).total == 0


@pytest.mark.django_db(transaction=True)
def test_indexing_trims_the_change_log(fresh_index, monkeypatch):
    monkeypatch.setattr(facetindex, "KEEP_CHANGES", 3)
    for number in range(6):
        OfferFactory(name=f"Beratung {number}")
    with connection.cursor() as cursor:
        cursor.execute("SELECT max(seq) - min(seq) FROM search_change")
        assert cursor.fetchone()[0] <= 3
    assert search_offers(query="Beratung").total == 6


@pytest.mark.django_db(transaction=True)
def test_a_truncated_or_trimmed_log_rebuilds_in_full(fresh_index):
    OfferFactory(name="Beratung Nord")
    assert search_offers(query="Beratung").total == 1
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_change")
    facetindex.trim_changes()
    OfferFactory(name="Beratung Süd")
    assert search_offers(query="Beratung").total == 2


@pytest.mark.django_db(transaction=True)
def test_trim_keeps_the_newest_changes(fresh_index, monkeypatch):
    monkeypatch.setattr(facetindex, "KEEP_CHANGES", 3)
    for number in range(6):
        OfferFactory(name=f"Beratung {number}")
    facetindex.trim_changes()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*), max(seq) - min(seq) FROM search_change")
        count, span = cursor.fetchone()
    assert count <= 4 and span <= 3


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite drops triggers on rebuilds")
def test_triggers_come_back_after_a_table_rebuild(db):
    offer = OfferFactory(name="Jugendtreff Nord")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_document_fts_delete")
        cursor.execute("DROP TRIGGER search_change_delete")
    SearchDocument.objects.filter(offer=offer).delete()  # leaves its FTS row behind
    triggers.ensure()
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM search_fts")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        names = {row[0] for row in cursor.fetchall()}
    assert {"search_document_fts_delete", "search_change_delete"} <= names


def test_a_deleted_document_is_not_counted_even_if_its_text_row_remains(db):
    """Belt and braces for the trigger above: hits are intersected with the documents."""
    offer = OfferFactory(name="Jugendtreff Nord")
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER search_document_fts_delete")
    SearchDocument.objects.filter(offer=offer).delete()
    assert search_offers(query="Jugendtreff").total == 0


hours = st.tuples(
    st.sampled_from(["weekly", "date", "closed"]),
    st.integers(0, 6),
    st.integers(0, 23),
    st.integers(1, 12),
    st.integers(-3, 3),
    st.integers(0, 5),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(rows=st.lists(hours, min_size=1, max_size=6), minute=st.integers(0, 24 * 60 - 1))
def test_open_now_bitmap_agrees_with_the_sql_filter(db, rows, minute):
    """The count (bitmap) and the filter (SQL EXISTS) must name the same offers."""
    day = dt.date(2026, 3, 2)
    with transaction.atomic():
        offers = [OfferFactory(name=f"Treff {n}") for n in range(3)]
        for number, (kind, weekday, opens, length, start, span) in enumerate(rows):
            valid_from = day + dt.timedelta(days=start)
            ScheduleFactory(
                offer=offers[number % 3],
                kind=kind,
                weekday=weekday if kind == "weekly" else None,
                opens_at=None if kind == "closed" else dt.time(opens),
                closes_at=None if kind == "closed" else dt.time(min(opens + length, 23), 59),
                valid_from=None if kind == "weekly" and start < 0 else valid_from,
                valid_to=valid_from + dt.timedelta(days=span) if kind != "date" else None,
            )
        at = dt.datetime.combine(day, dt.time(minute // 60, minute % 60), tzinfo=BERLIN)
        counted = search_offers(filters=SearchFilters(now=at)).facets[pipeline.OPEN_NOW_KEY]
        filtered = search_offers(filters=SearchFilters(open_now=True, now=at)).total
        listed = search_offers(filters=SearchFilters(open_now=True, now=at), per_page=10).hits
        assert counted == filtered == len(listed)
        transaction.set_rollback(True)


def test_open_now_sets_of_past_days_are_let_go(db):
    OfferFactory(name="Treff")
    index = facetindex.current()
    for days in range(10):
        index.open_at(MONDAY_10 + dt.timedelta(days=days))
    assert len(index._boundaries) <= 3
    assert {day for day, _stretch in index._open} <= set(index._boundaries)


def test_columns_read_ids_and_coordinates_in_row_order(db):
    """sql.columns: text on SQLite, binary on PostgreSQL; both give the same arrays."""
    for number in range(3):
        OfferFactory(locations=[LocationFactory(lat=49.7512345 + number, lon=-6.6054321)])
    expected = list(SearchPoint.objects.order_by("id").values_list("document_id", "lat", "lon"))
    docs, lats, lons = sql.columns(
        "(SELECT * FROM search_searchpoint ORDER BY id) p",
        [],
        [("p.document_id", numpy.uint32), ("p.lat", numpy.float64), ("p.lon", numpy.float64)],
    )
    assert (docs.dtype, lats.dtype) == (numpy.dtype(numpy.uint32), numpy.dtype(numpy.float64))
    assert list(zip(docs.tolist(), lats.tolist(), lons.tolist(), strict=True)) == expected
    [none] = sql.columns(
        "search_searchpoint p WHERE p.lat > %s", [90.0], [("p.lat", numpy.float64)]
    )
    assert none.dtype == numpy.dtype(numpy.float64) and len(none) == 0
