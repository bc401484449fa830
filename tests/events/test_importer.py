"""Feed import from local fixtures (no network: `importer.fetch_feed` is patched)."""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.events import importer, services
from quartier.events.importer import FeedError, feed_import, parse_feed
from quartier.events.models import Event
from tests.factories.events import IcalFeedFactory

FIXTURES = Path(__file__).parent / "fixtures"
BERLIN = ZoneInfo("Europe/Berlin")
NOW = dt.datetime(2030, 1, 1, 12, tzinfo=dt.UTC)
VEREIN = (FIXTURES / "verein.ics").read_bytes()


def _serve(monkeypatch, data: bytes | Exception) -> None:
    def fake(url: str) -> bytes:
        if isinstance(data, Exception):
            raise data
        return data

    monkeypatch.setattr(importer, "fetch_feed", fake)


def _local(event: Event) -> tuple[dt.datetime, dt.datetime]:
    return event.starts_at.astimezone(BERLIN), event.ends_at.astimezone(BERLIN)


@pytest.mark.django_db
def test_import_creates_events_with_time_zones_and_all_day(monkeypatch, settings):
    settings.QUARTIER_EVENTS_IMPORT_HORIZON_DAYS = 365
    feed = IcalFeedFactory()
    _serve(monkeypatch, VEREIN)
    result = feed_import(feed=feed, now=NOW)
    assert result.error == ""
    fest = Event.objects.get(source_uid="fest-2030@verein.example.org")
    assert _local(fest) == (
        dt.datetime(2030, 6, 15, 14, tzinfo=BERLIN),
        dt.datetime(2030, 6, 15, 20, tzinfo=BERLIN),
    )
    assert fest.place_name == "Hof der Kita Sonnenschein"
    assert (fest.lat, fest.lon) == (49.75, 6.63)
    assert list(fest.organisations.all()) == [feed.organisation]
    # Crossing midnight and the end of summer time (27 Oct 2030, 03:00 -> 02:00): 7 real hours.
    night = Event.objects.get(source_uid="nacht-2030@verein.example.org")
    assert night.ends_at - night.starts_at == dt.timedelta(hours=7)
    assert _local(night)[1].hour == 4
    market = Event.objects.get(source_uid="markt-2030@verein.example.org")
    assert market.all_day
    assert [d.date() for d in _local(market)] == [dt.date(2030, 12, 7), dt.date(2030, 12, 8)]
    feed.refresh_from_db()
    assert feed.last_success_at == NOW and feed.last_count == result.total


@pytest.mark.django_db
def test_recurrence_without_end_is_expanded_within_the_horizon(monkeypatch, settings):
    settings.QUARTIER_EVENTS_IMPORT_HORIZON_DAYS = 120
    _serve(monkeypatch, VEREIN)
    feed_import(feed=IcalFeedFactory(), now=NOW)
    treffs = list(Event.objects.filter(source_uid="treff@verein.example.org").order_by("starts_at"))
    horizon = NOW + dt.timedelta(days=120)
    assert treffs and all(t.starts_at <= horizon for t in treffs)
    assert 15 <= len(treffs) <= 18  # about 17 Mondays, minus the excluded one
    starts = [_local(t)[0] for t in treffs]
    assert dt.datetime(2030, 1, 14, 19, tzinfo=BERLIN) not in starts  # EXDATE
    assert dt.datetime(2030, 1, 21, 18, tzinfo=BERLIN) in starts  # RECURRENCE-ID override
    # 19:00 local before and after the change to summer time (31 March 2030).
    assert dt.datetime(2030, 3, 25, 19, tzinfo=BERLIN) in starts
    assert dt.datetime(2030, 4, 1, 19, tzinfo=BERLIN) in starts


@pytest.mark.django_db
def test_reimport_is_idempotent_updates_changes_and_cancels_removed(monkeypatch):
    feed = IcalFeedFactory()
    _serve(monkeypatch, VEREIN)
    first = feed_import(feed=feed, now=NOW)
    count = Event.objects.count()
    again = feed_import(feed=feed, now=NOW)
    assert (again.created, again.updated, again.cancelled) == (0, 0, 0)
    assert again.unchanged == first.created == count
    assert Event.objects.count() == count
    changed = VEREIN.replace(b"SUMMARY:Sommerfest im Hof", b"SUMMARY:Sommerfest im Park")
    changed = re.sub(rb"BEGIN:VEVENT\nUID:markt-2030.*?END:VEVENT\n", b"", changed, flags=re.S)
    _serve(monkeypatch, changed)
    result = feed_import(feed=feed, now=NOW)
    fest = Event.objects.get(source_uid="fest-2030@verein.example.org")
    assert fest.title == "Sommerfest im Park" and fest.sequence == 1
    market = Event.objects.get(source_uid="markt-2030@verein.example.org")
    assert market.is_cancelled and market.sequence == 1
    assert (result.updated, result.cancelled) == (1, 1)
    assert Event.objects.count() == count


@pytest.mark.django_db
def test_reimport_keeps_what_the_back_office_added(monkeypatch, world):
    feed = IcalFeedFactory()
    _serve(monkeypatch, VEREIN)
    feed_import(feed=feed, now=NOW)
    fest = Event.objects.get(source_uid="fest-2030@verein.example.org")
    services.event_update(
        event=fest,
        fields={"accessibility": "Rampe am Hoftor", "is_published": False, "cost": "2 €"},
        areas=[world.district],
    )
    _serve(monkeypatch, VEREIN.replace(b"SUMMARY:Sommerfest im Hof", b"SUMMARY:Hoffest"))
    assert feed_import(feed=feed, now=NOW).updated == 1
    fest.refresh_from_db()
    assert fest.title == "Hoffest"
    assert (fest.accessibility, fest.is_published, fest.cost) == ("Rampe am Hoftor", False, "2 €")
    assert list(fest.areas.all()) == [world.district]


def test_the_import_writes_exactly_the_fields_the_back_office_locks():
    occurrence = parse_feed(VEREIN, now=NOW)[0]
    assert set(importer._fields(occurrence)) == importer.IMPORTED_FIELDS
    assert importer.IMPORTED_FIELDS < services.FEED_OWNED_FIELDS


@pytest.mark.django_db
@pytest.mark.parametrize(
    "data",
    [
        b"this is not a calendar",
        b"BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20300101T100000Z\nEND:VEVENT\nEND:VCALENDAR\n",
        VEREIN.replace(b"DTEND;TZID=Europe/Berlin:20300615T200000", b"DTEND:20290101T000000Z"),
        VEREIN.replace(b"RRULE:FREQ=WEEKLY;BYDAY=MO", b"RRULE:FREQ=SOMETIMES"),
    ],
    ids=["garbage", "no-uid", "ends-before-start", "bad-rule"],
)
def test_a_bad_feed_records_its_error_and_imports_nothing(monkeypatch, data):
    feed = IcalFeedFactory()
    _serve(monkeypatch, VEREIN)
    feed_import(feed=feed, now=NOW)
    before = list(Event.objects.values_list("pk", "title", "status", "sequence"))
    _serve(monkeypatch, data)
    result = feed_import(feed=feed, now=NOW)
    assert result.error
    feed.refresh_from_db()
    assert feed.last_error == result.error and feed.last_run_at == NOW
    assert list(Event.objects.values_list("pk", "title", "status", "sequence")) == before


@pytest.mark.django_db
def test_an_unexpected_parser_failure_is_recorded_not_raised(monkeypatch):
    feed = IcalFeedFactory()
    _serve(monkeypatch, VEREIN)

    def broken(data, now=None):
        raise RuntimeError("kaputt")

    monkeypatch.setattr(importer, "parse_feed", broken)
    result = feed_import(feed=feed, now=NOW)
    assert "kaputt" in result.error
    feed.refresh_from_db()
    assert "kaputt" in feed.last_error


@pytest.mark.django_db
def test_fetch_errors_are_recorded(monkeypatch):
    feed = IcalFeedFactory()
    _serve(monkeypatch, FeedError("Der Feed ist größer als 10 Bytes."))
    result = feed_import(feed=feed, now=NOW)
    assert "größer" in result.error
    assert not Event.objects.exists()


def test_fetch_feed_reports_refused_addresses_as_feed_errors():
    # The rules themselves are tested in test_fetch.py.
    with pytest.raises(FeedError, match="http"):
        importer.fetch_feed("file:///etc/passwd")
    with pytest.raises(FeedError, match=r"127\.0\.0\.1"):
        importer.fetch_feed("http://127.0.0.1:9/k.ics")


@pytest.mark.django_db
def test_command_imports_active_feeds(monkeypatch, capsys):
    IcalFeedFactory()
    IcalFeedFactory(is_active=False)
    soon = (dt.date.today() + dt.timedelta(days=7)).strftime("%Y%m%d")
    _serve(
        monkeypatch,
        (
            "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:bald@x\n"
            f"DTSTART;VALUE=DATE:{soon}\nSUMMARY:Bald\nEND:VEVENT\nEND:VCALENDAR\n"
        ).encode(),
    )
    call_command("import_ical_feeds")
    out = capsys.readouterr().out
    assert out.count("new") == 1
    assert Event.objects.filter(source_feed__is_active=True).exists()
    assert not Event.objects.filter(source_feed__is_active=False).exists()


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400) | st.text(max_size=400).map(str.encode))
def test_parser_only_ever_raises_feed_error(data):
    with contextlib.suppress(FeedError):
        parse_feed(data, now=NOW)


@settings(max_examples=40, deadline=None)
@given(
    interval=st.integers(min_value=1, max_value=5),
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    hour=st.integers(min_value=0, max_value=23),
)
def test_expansion_stays_in_the_window_and_keeps_wall_clock_time(interval, freq, hour):
    data = (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:x\nBEGIN:VEVENT\nUID:r@x\n"
        f"DTSTART;TZID=Europe/Berlin:20291201T{hour:02d}3000\n"
        f"DTEND;TZID=Europe/Berlin:20291201T{hour:02d}4500\n"
        f"RRULE:FREQ={freq};INTERVAL={interval}\nSUMMARY:R\nEND:VEVENT\nEND:VCALENDAR\n"
    ).encode()
    occurrences = parse_feed(data, now=NOW)
    assert 0 < len(occurrences) <= importer.MAX_OCCURRENCES_PER_SERIES
    for occurrence in occurrences:
        assert occurrence.ends_at >= NOW - dt.timedelta(days=importer.PAST_DAYS)
        assert occurrence.starts_at <= NOW + dt.timedelta(days=importer.horizon_days())
        local = occurrence.starts_at.astimezone(BERLIN)
        # Wall-clock time is kept, except for a start inside the spring-forward gap.
        assert local.minute == 30 and (local.hour == hour or hour == 2)
    assert len({o.key for o in occurrences}) == len(occurrences)
