import datetime
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from quartier.core.recurrence import check as validate_rrule
from quartier.core.recurrence import occurrences

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def test_quarterly_series_keeps_wall_time_across_dst():
    first = datetime.datetime(2026, 1, 15, 16, 0, tzinfo=BERLIN)
    starts = occurrences(
        "FREQ=MONTHLY;INTERVAL=3", first, before=datetime.datetime(2027, 1, 1, tzinfo=BERLIN)
    )
    assert [s.month for s in starts] == [1, 4, 7, 10]
    assert all((s.hour, s.minute) == (16, 0) for s in starts)
    # Winter is UTC+1, summer UTC+2: the UTC time moves, the local time does not.
    assert starts[0].utcoffset() == datetime.timedelta(hours=1)
    assert starts[1].utcoffset() == datetime.timedelta(hours=2)


def test_occurrence_in_the_spring_gap_moves_forward():
    first = datetime.datetime(2026, 3, 22, 2, 30, tzinfo=BERLIN)
    starts = occurrences("FREQ=WEEKLY", first, before=datetime.datetime(2026, 4, 6, tzinfo=BERLIN))
    gap = next(s for s in starts if s.date() == datetime.date(2026, 3, 29))
    assert (gap.hour, gap.minute) == (3, 30)


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ("", "Enter a recurrence rule"),
        ("FREQ=HOURLY", "FREQ=DAILY"),
        ("FREQ=MONTHLY;BYDAY=XX", "not valid"),
        ("DTSTART:20260101T100000\nRRULE:FREQ=DAILY", "without DTSTART"),
    ],
)
def test_bad_rules_are_refused_with_a_message(rule, message, settings):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"), pytest.raises(ValidationError) as info:
        validate_rrule(rule)
    assert message in " ".join(info.value.messages)


@settings(max_examples=60, deadline=None)
@given(
    freq=st.sampled_from(["DAILY", "WEEKLY", "MONTHLY"]),
    interval=st.integers(min_value=1, max_value=6),
    day=st.integers(min_value=1, max_value=28),
    month=st.integers(min_value=1, max_value=12),
    hour=st.integers(min_value=7, max_value=21),
    minute=st.sampled_from([0, 15, 30, 45]),
)
def test_every_occurrence_has_the_first_wall_time(freq, interval, day, month, hour, minute):
    first = datetime.datetime(2026, month, day, hour, minute, tzinfo=BERLIN)
    starts = occurrences(
        f"FREQ={freq};INTERVAL={interval}",
        first,
        before=first + datetime.timedelta(days=400),
        limit=60,
    )
    assert starts and starts[0] == first
    assert all((s.hour, s.minute) == (hour, minute) for s in starts)
    assert starts == sorted(starts)
