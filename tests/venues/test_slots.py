"""Time arithmetic: cells, series in wall time, daylight saving, opening hours."""

import datetime as dt
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quartier.venues import slots
from tests.factories.venues import at

UTC = dt.UTC


def test_cells_cover_the_booking_and_the_buffer():
    cells = slots.cells(at(2030, 3, 5, 18), at(2030, 3, 5, 19), buffer_minutes=20)
    assert len(cells) == 6  # four busy, two buffer (20 minutes round up to 30)
    assert [is_buffer for _, is_buffer in cells] == [False] * 4 + [True] * 2
    assert cells[0][0] == dt.datetime(2030, 3, 5, 17, tzinfo=UTC)


def test_booking_across_midnight_holds_cells_on_both_days():
    cells = slots.cells(at(2030, 3, 5, 22), at(2030, 3, 6, 1))
    assert len(cells) == 12
    assert slots.local_days(at(2030, 3, 5, 22), at(2030, 3, 6, 1)) == [
        dt.date(2030, 3, 5),
        dt.date(2030, 3, 6),
    ]


def test_booking_across_the_spring_change_holds_real_time_only():
    # 31 March 2030: clocks jump from 02:00 to 03:00 in Berlin.
    start, end = at(2030, 3, 31, 1), at(2030, 3, 31, 4)
    assert end.astimezone(UTC) - start.astimezone(UTC) == dt.timedelta(hours=2)
    assert len(slots.cells(start, end)) == 8


def test_booking_across_the_autumn_change_holds_the_extra_hour():
    # 27 October 2030: clocks go back from 03:00 to 02:00.
    start, end = at(2030, 10, 27, 0), at(2030, 10, 27, 4)
    assert len(slots.cells(start, end)) == 20


def test_series_keeps_its_wall_time_across_daylight_saving():
    found = slots.occurrences(
        at(2030, 3, 19, 18), at(2030, 3, 19, 20), "FREQ=WEEKLY;INTERVAL=2", dt.date(2030, 4, 16)
    )
    hours_utc = [occurrence.start.hour for occurrence in found]
    assert hours_utc == [17, 16, 16]  # 18:00 CET, then 18:00 CEST
    assert all(o.end - o.start == dt.timedelta(hours=2) for o in found)


def test_series_occurrence_in_the_skipped_hour_moves_one_hour_later():
    found = slots.occurrences(
        at(2030, 3, 24, 2, 30), at(2030, 3, 24, 3, 30), "FREQ=WEEKLY", dt.date(2030, 3, 31)
    )
    assert len(found) == 2
    # 02:30 does not exist on 31 March: read as 02:30 CET = 01:30 UTC = 03:30 CEST.
    assert found[1].start == dt.datetime(2030, 3, 31, 1, 30, tzinfo=UTC)
    assert found[1].end == dt.datetime(2030, 3, 31, 2, 30, tzinfo=UTC)  # 04:30 CEST


def test_series_without_end_stops_at_the_horizon():
    horizon = at(2030, 6, 1)
    found = slots.occurrences(at(2030, 3, 5, 18), at(2030, 3, 5, 20), "FREQ=WEEKLY", None, horizon)
    assert found[-1].start < horizon
    assert len(found) == 13


def test_series_without_end_or_horizon_is_refused():
    with pytest.raises(ValueError):
        slots.occurrences(at(2030, 3, 5, 18), at(2030, 3, 5, 20), "FREQ=WEEKLY")


def test_skip_removes_an_occurrence():
    first = slots.occurrences(
        at(2030, 3, 5, 18), at(2030, 3, 5, 20), "FREQ=WEEKLY", dt.date(2030, 3, 26)
    )
    rest = slots.occurrences(
        at(2030, 3, 5, 18),
        at(2030, 3, 5, 20),
        "FREQ=WEEKLY",
        dt.date(2030, 3, 26),
        skip=[first[1].start],
    )
    assert [o.start for o in rest] == [first[0].start, first[2].start, first[3].start]


@pytest.mark.parametrize("rule", ["", "FREQ=NEVER", "DTSTART:20300101\nRRULE:FREQ=DAILY", "X"])
def test_invalid_rules_are_refused(rule):
    with pytest.raises(ValueError):
        slots.parse_rule(rule, at(2030, 3, 5, 18))


WINDOWS = [(1, dt.time(9), dt.time(22)), (4, dt.time(18), dt.time(2))]  # Tue; Fri until 2:00


def test_opening_hours_contain_a_booking_inside_them():
    assert slots.within_opening_hours(at(2030, 3, 5, 18), at(2030, 3, 5, 20), WINDOWS)


def test_opening_hours_refuse_a_booking_that_starts_too_early():
    assert not slots.within_opening_hours(at(2030, 3, 5, 8), at(2030, 3, 5, 10), WINDOWS)


def test_opening_window_past_midnight_contains_a_late_booking():
    assert slots.within_opening_hours(at(2030, 3, 8, 22), at(2030, 3, 9, 1), WINDOWS)
    assert not slots.within_opening_hours(at(2030, 3, 8, 22), at(2030, 3, 9, 3), WINDOWS)


def test_no_opening_hours_means_always_open():
    assert slots.within_opening_hours(at(2030, 3, 5, 3), at(2030, 3, 5, 4), [])


def test_closing_days_are_found_also_for_the_second_day_of_a_night_booking():
    closing = [(dt.date(2030, 3, 6), dt.date(2030, 3, 6))]
    assert slots.touches_closing_days(at(2030, 3, 5, 22), at(2030, 3, 6, 1), closing) == dt.date(
        2030, 3, 6
    )
    assert slots.touches_closing_days(at(2030, 3, 5, 22), at(2030, 3, 6, 0), closing) is None


moments = st.datetimes(min_value=dt.datetime(2029, 1, 1), max_value=dt.datetime(2032, 12, 31)).map(
    lambda d: d.replace(minute=d.minute - d.minute % 15, second=0, microsecond=0, tzinfo=UTC)
)


@settings(max_examples=200, deadline=None)
@given(start=moments, quarters=st.integers(1, 200), buffer=st.integers(0, 240))
def test_cells_are_aligned_contiguous_and_cover_exactly(start, quarters, buffer):
    end = start + quarters * slots.CELL
    cells = slots.cells(start, end, buffer)
    assert all(slots.is_aligned(cell) for cell, _ in cells)
    assert cells[0][0] == start
    assert all(b[0] - a[0] == slots.CELL for a, b in itertools.pairwise(cells))
    assert sum(1 for _, is_buffer in cells if not is_buffer) == quarters
    assert cells[-1][0] + slots.CELL >= end + dt.timedelta(minutes=buffer)


@settings(max_examples=100, deadline=None)
@given(
    start=moments,
    quarters=st.integers(1, 24),
    interval=st.integers(1, 4),
    weeks=st.integers(1, 30),
)
def test_weekly_series_keep_length_and_never_overlap_themselves(start, quarters, interval, weeks):
    end = start + quarters * slots.CELL
    until = start.date() + dt.timedelta(weeks=weeks)
    found = slots.occurrences(start, end, f"FREQ=WEEKLY;INTERVAL={interval}", until)
    assert found
    for a, b in itertools.pairwise(found):
        assert a.end <= b.start
    for occurrence in found:
        # Wall-clock length stays; real length differs by at most the one DST hour.
        assert abs((occurrence.end - occurrence.start) - (end - start)) <= dt.timedelta(hours=1)
