"""The calendar core: recurrence in wall time across daylight-saving changes, the iCalendar
writer (checked by parsing its output back with the icalendar package), rules in words and
the plain-terms form field."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils import translation
from hypothesis import example, given, settings
from hypothesis import strategies as st

from quartier.core import ics, recurrence
from quartier.core.recurrence import Plain
from quartier.core.recurrence_field import RecurrenceField, rule_for

BERLIN = ZoneInfo("Europe/Berlin")
UTC = dt.UTC

# --- recurrence ----------------------------------------------------------------------------

# Wall times around the changes: 02:00-03:00 is skipped on the last Sunday of March and
# repeated on the last Sunday of October.
wall_minutes = st.sampled_from([0, 15, 30, 45])
wall_hours = st.one_of(st.just(2), st.integers(min_value=0, max_value=23))


@settings(max_examples=80, deadline=None, derandomize=True)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    interval=st.integers(min_value=1, max_value=3),
    first_day=st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2027, 12, 31)),
    hour=wall_hours,
    minute=wall_minutes,
)
@example(freq="DAILY", interval=1, first_day=dt.date(2026, 3, 20), hour=2, minute=30)
@example(freq="WEEKLY", interval=1, first_day=dt.date(2026, 10, 18), hour=2, minute=30)
def test_expansion_keeps_the_wall_time_across_dst(freq, interval, first_day, hour, minute):
    first = recurrence.aware(dt.datetime.combine(first_day, dt.time(hour, minute)), BERLIN)
    starts = recurrence.occurrences(
        f"FREQ={freq};INTERVAL={interval}",
        first,
        before=first + dt.timedelta(days=200),
        limit=80,
    )
    assert starts == sorted(starts) and len(set(starts)) == len(starts)
    for start in starts:
        local = start.astimezone(UTC).astimezone(BERLIN)  # the wall time of the real instant
        if (local.hour, local.minute) != (hour, minute):
            # Only a wall time the spring change skips may move, and then one hour later.
            assert hour == 2 and (local.hour, local.minute) == (3, minute)
            assert local.month == 3 and local.weekday() == 6
        # Every occurrence is a real instant in Berlin: its wall time maps back to it.
        assert recurrence.aware(local.replace(tzinfo=None), BERLIN) == start


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    year=st.integers(min_value=2024, max_value=2035),
    minute=wall_minutes,
)
def test_an_occurrence_in_the_repeated_hour_is_the_first_one(year, minute):
    # A daily series at 02:xx passes the last Sunday of October, when 02:xx happens twice.
    first = dt.datetime(year, 10, 20, 2, minute, tzinfo=BERLIN)
    starts = recurrence.occurrences("FREQ=DAILY", first, before=first + dt.timedelta(days=14))
    october_change = max(
        d for d in (dt.date(year, 10, day) for day in range(25, 32)) if d.weekday() == 6
    )
    (on_change,) = [s for s in starts if s.astimezone(BERLIN).date() == october_change]
    assert on_change.utcoffset() == dt.timedelta(hours=2)  # summer time: the first 02:xx
    assert len(starts) == 14


def test_until_in_utc_is_read_in_wall_time():
    first = dt.datetime(2026, 3, 4, 19, 0, tzinfo=BERLIN)
    # 3 June 2026 19:00 Berlin is 17:00 UTC: the last occurrence is that evening.
    starts = list(recurrence.wall_times("FREQ=WEEKLY;UNTIL=20260603T170000Z", first, zone=BERLIN))
    assert starts[0] == dt.datetime(2026, 3, 4, 19) and starts[-1] == dt.datetime(2026, 6, 3, 19)


def test_rdates_and_exdates_are_added_and_removed():
    first = dt.datetime(2026, 3, 4, 19, 0, tzinfo=BERLIN)
    starts = list(
        recurrence.wall_times(
            "FREQ=WEEKLY;COUNT=3",
            first,
            zone=BERLIN,
            rdates=[dt.datetime(2026, 3, 5, 18, 0, tzinfo=UTC)],
            exdates=[dt.datetime(2026, 3, 11, 18, 0, tzinfo=UTC)],
        )
    )
    assert starts == [
        dt.datetime(2026, 3, 4, 19),
        dt.datetime(2026, 3, 5, 19),
        dt.datetime(2026, 3, 18, 19),
    ]


@pytest.mark.parametrize(
    ("plain", "start", "rule"),
    [
        (Plain(), None, ""),
        (Plain(kind="daily"), None, "FREQ=DAILY"),
        (Plain(kind="weekly", weekdays=("WE",)), None, "FREQ=WEEKLY;BYDAY=WE"),
        (Plain(kind="weekly"), dt.datetime(2026, 3, 4, 18, tzinfo=BERLIN), "FREQ=WEEKLY;BYDAY=WE"),
        (
            Plain(kind="weekly", interval=2, weekdays=("TH", "TU"), count=6),
            None,
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=6",
        ),
        (
            Plain(kind="monthly_nth"),
            dt.datetime(2026, 3, 10, 18, tzinfo=BERLIN),  # the second Tuesday
            "FREQ=MONTHLY;BYDAY=2TU",
        ),
        (
            Plain(kind="monthly_nth", nth=-1, until=dt.date(2027, 6, 3)),
            dt.datetime(2026, 3, 10, 18, tzinfo=BERLIN),
            "FREQ=MONTHLY;BYDAY=-1TU;UNTIL=20270603T235959",
        ),
        (Plain(kind="monthly", interval=3), None, "FREQ=MONTHLY;INTERVAL=3"),
    ],
)
def test_plain_choices_build_the_rule(plain, start, rule):
    assert recurrence.build(plain, start) == rule
    if rule:
        assert recurrence.check(rule) == rule
        assert recurrence.plain_from_rule(rule).kind == plain.kind


@pytest.mark.parametrize(
    ("rule", "until", "german", "english"),
    [
        (
            "FREQ=WEEKLY;BYDAY=WE;UNTIL=20270603T235959",
            None,
            "jede Woche am Mittwoch, bis 3. Juni 2027",
            "every week on Wednesday, until June 3, 2027",
        ),
        (
            "FREQ=WEEKLY;BYDAY=WE",
            dt.date(2027, 6, 3),
            "jede Woche am Mittwoch, bis 3. Juni 2027",
            None,
        ),
        ("FREQ=MONTHLY;INTERVAL=3", None, "alle 3 Monate", "every 3 months"),
        (
            "FREQ=MONTHLY;BYDAY=2TU;COUNT=10",
            None,
            "jeden Monat am zweiten Dienstag, 10-mal",
            "every month on the second Tuesday, 10 times",
        ),
        (
            "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH",
            None,
            "alle 2 Wochen am Dienstag und Donnerstag",
            "every 2 weeks on Tuesday and Thursday",
        ),
        ("FREQ=DAILY", None, "jeden Tag", "every day"),
        ("", None, "keine Wiederholung", "does not repeat"),
        ("FREQ=YEARLY;BYMONTH=3", None, "FREQ=YEARLY;BYMONTH=3", "FREQ=YEARLY;BYMONTH=3"),
    ],
)
def test_rules_read_as_words_in_german_and_english(rule, until, german, english):
    with translation.override("de"):
        assert recurrence.describe(rule, until) == german
    if english:
        with translation.override("en"):
            assert recurrence.describe(rule, until) == english


# --- the form field ------------------------------------------------------------------------


def _clean(data: dict, **kwargs):
    field = RecurrenceField(**kwargs)
    query = QueryDict(mutable=True)
    for key, value in data.items():
        query.setlist(key, value if isinstance(value, list) else [value])
    return field.clean(field.widget.value_from_datadict(query, {}, "repeat"))


def test_the_field_turns_plain_choices_into_a_rule():
    start = dt.datetime(2026, 3, 4, 18, tzinfo=BERLIN)
    value = _clean(
        {
            "repeat": "weekly",
            "repeat_interval": "2",
            "repeat_days": ["MO", "WE"],
            "repeat_ends": "until",
            "repeat_until": "2027-06-03",
        }
    )
    assert rule_for(value, start) == "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270603T235959"
    assert _clean({"repeat": "biweekly"}, ends=False) == Plain(kind="weekly", interval=2)
    assert _clean({"repeat": ""}, required=False) == ""


@pytest.mark.parametrize(
    "data",
    [
        {"repeat": "hourly"},
        {"repeat": "weekly", "repeat_interval": "0"},
        {"repeat": "weekly", "repeat_interval": "x"},
        {"repeat": "weekly", "repeat_ends": "until", "repeat_until": ""},
        {"repeat": "weekly", "repeat_ends": "count", "repeat_count": "9999"},
        {"repeat": "FREQ=SECONDLY"},
        {"repeat": ""},
    ],
)
def test_the_field_refuses_bad_choices_with_a_message(data):
    with translation.override("en"), pytest.raises(ValidationError) as info:
        _clean(data)
    assert info.value.messages and all(message for message in info.value.messages)


def test_the_widget_renders_labelled_controls_for_a_stored_rule():
    field = RecurrenceField(label="Wiederholung")
    html = field.widget.render("rrule", "FREQ=MONTHLY;INTERVAL=3", attrs={"id": "id_rrule"})
    assert '<option value="monthly" selected>' in html
    assert 'name="rrule_interval" id="id_rrule_interval" min="1" max="52" value="3"' in html
    for control in ("id_rrule_interval", "id_rrule_nth", "id_rrule_until", "id_rrule_count"):
        assert f'<label for="{control}">' in html
    assert "FREQ" not in html  # no rule jargon for people


# --- the writer ----------------------------------------------------------------------------

text_values = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"))
    | st.sampled_from(";,\\\n")
    | st.sampled_from("äß€\U0001d11e"),  # two, three and four octets
    max_size=200,
)


@settings(max_examples=80, deadline=None, derandomize=True)
@given(summary=text_values, description=text_values, location=text_values)
def test_written_text_reads_back_unchanged(summary, description, location):
    event = ics.Vevent(
        uid="x-1@quartier",
        start=dt.datetime(2026, 10, 24, 22, tzinfo=BERLIN),
        end=dt.datetime(2026, 10, 25, 4, tzinfo=BERLIN),
        stamp=dt.datetime(2026, 1, 1, tzinfo=UTC),
        summary=summary,
        description=description,
        location=location,
    )
    body = ics.calendar([event], prodid="-//Test//DE", name="Prüfung – Kalender")
    lines = body.split(b"\r\n")
    assert all(len(line) <= 75 for line in lines)  # octets, multi-byte characters included
    body.decode("utf-8")  # folding never cuts a character
    calendar = icalendar.Calendar.from_ical(body)
    (component,) = calendar.walk("VEVENT")
    assert str(component.get("summary", "")) == summary.replace("\r", "")
    if description:
        assert str(component["description"]) == description.replace("\r", "")
    if location:
        assert str(component["location"]) == location.replace("\r", "")
    assert str(calendar["x-wr-calname"]) == "Prüfung – Kalender"


@settings(max_examples=60, deadline=None, derandomize=True)
@given(st.text(alphabet=st.sampled_from("aä€\U0001d11e ;"), min_size=60, max_size=300))
def test_fold_keeps_the_text_and_the_octet_limit(text):
    line = "DESCRIPTION:" + text.replace("\r", "").replace("\n", "")
    folded = ics.fold(line)
    assert folded.replace("\r\n ", "") == line
    assert all(len(part.encode()) <= 75 for part in folded.split("\r\n"))


def test_fold_moves_a_multibyte_character_whole_to_the_next_line():
    line = "SUMMARY:" + "a" * 66 + "€"  # the euro sign takes octets 75 to 77
    first, second = ics.fold(line).split("\r\n")
    assert first.encode() == ("SUMMARY:" + "a" * 66).encode() and second == " €"


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    day=st.dates(min_value=dt.date(2025, 1, 1), max_value=dt.date(2030, 12, 31)),
    hour=wall_hours,
    minutes=st.integers(min_value=15, max_value=24 * 60),
)
def test_times_with_tzid_and_in_utc_read_back_as_the_same_instants(day, hour, minutes):
    start = recurrence.aware(dt.datetime.combine(day, dt.time(hour)), BERLIN)
    end = start + dt.timedelta(minutes=minutes)
    event = ics.Vevent(uid="u", start=start, end=end, stamp=start, summary="x")
    for tz in (BERLIN, None):
        body = ics.calendar([event], prodid="-//Test//DE", method="REQUEST", tz=tz)
        calendar = icalendar.Calendar.from_ical(body)
        (component,) = calendar.walk("VEVENT")
        assert component.decoded("dtstart") == start and component.decoded("dtend") == end
        if tz is not None:
            assert b"DTSTART;TZID=Europe/Berlin:" in body
            (zone,) = calendar.walk("VTIMEZONE")
            assert str(zone["tzid"]) == "Europe/Berlin"
        else:
            assert b"BEGIN:VTIMEZONE" not in body and b"DTSTART:" in body


def test_all_day_events_and_extra_lines():
    event = ics.Vevent(
        uid="u",
        start=dt.date(2026, 12, 5),
        end=dt.date(2026, 12, 7),
        stamp=dt.datetime(2026, 1, 1, tzinfo=UTC),
        summary="Markt",
        geo=(49.75, 6.64),
        extra=["ORGANIZER;CN=" + ics.param('Netzwerk "West"') + ":mailto:a@example.org"],
    )
    body = ics.calendar([event], prodid="-//Test//DE", tz=BERLIN)
    (component,) = icalendar.Calendar.from_ical(body).walk("VEVENT")
    assert component.decoded("dtstart") == dt.date(2026, 12, 5)
    assert component["geo"].latitude == 49.75
    assert str(component["organizer"]) == "mailto:a@example.org"
    assert b"BEGIN:VTIMEZONE" not in body  # no times, no zone needed
