import datetime as dt
from zoneinfo import ZoneInfo

from quartier.search.services import SearchFilters, search_offers
from tests.factories.offers import OfferFactory, ScheduleFactory

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY_10 = dt.datetime(2026, 3, 2, 10, 0, tzinfo=BERLIN)  # a Monday
MONDAY_13 = dt.datetime(2026, 3, 2, 13, 0, tzinfo=BERLIN)


def open_names(now):
    result = search_offers(filters=SearchFilters(open_now=True, now=now))
    return {hit.offer.name for hit in result.hits}


def test_weekly_hours_make_an_offer_open(db):
    offer = OfferFactory(name="Sprechstunde")
    ScheduleFactory(offer=offer, weekday=0, opens_at="09:00", closes_at="12:00")
    assert open_names(MONDAY_10) == {"Sprechstunde"}
    assert open_names(MONDAY_13) == set()


def test_term_time_hours_apply_only_in_term(db):
    offer = OfferFactory(name="Hausaufgabenhilfe")
    ScheduleFactory(
        offer=offer, weekday=0, valid_from=dt.date(2026, 4, 1), valid_to=dt.date(2026, 7, 1)
    )
    assert open_names(MONDAY_10) == set()


def test_single_date_opens_and_closure_overrides(db):
    special = OfferFactory(name="Aktionstag")
    ScheduleFactory(offer=special, kind="date", weekday=None, valid_from=dt.date(2026, 3, 2))
    closed = OfferFactory(name="Treff in den Ferien")
    ScheduleFactory(offer=closed, weekday=0)
    ScheduleFactory(
        offer=closed,
        kind="closed",
        weekday=None,
        opens_at=None,
        closes_at=None,
        valid_from=dt.date(2026, 2, 28),
        valid_to=dt.date(2026, 3, 8),
    )
    assert open_names(MONDAY_10) == {"Aktionstag"}


def test_open_now_is_counted_as_a_facet(db):
    ScheduleFactory(offer=OfferFactory(name="Offen"), weekday=0)
    OfferFactory(name="Ohne Zeiten")
    result = search_offers(filters=SearchFilters(now=MONDAY_10))
    assert result.total == 2
    assert result.facets["open_now"] == 1
    assert result.facets["weekday:0"] == 1
