"""The date-time parser of the list filters: every ISO 8601 date-time in, nothing else."""

from __future__ import annotations

import datetime

import pytest
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.api.oparl.params import parse_datetime, parse_list_params

offsets = st.integers(min_value=-14 * 60, max_value=14 * 60).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
# The parser is pure and fast; on a loaded shared CI machine drawing datetimes alone can exceed
# hypothesis' time limits, which says nothing about the code under test.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
moments = st.datetimes(
    min_value=datetime.datetime(1900, 1, 1), max_value=datetime.datetime(2999, 12, 31)
)


@relaxed
@given(moment=moments, offset=offsets)
def test_aware_iso_date_times_round_trip(moment, offset):
    value = moment.replace(tzinfo=offset)
    assert parse_datetime(value.isoformat()) == value


@relaxed
@given(moment=moments, offset=offsets)
def test_a_plus_decoded_as_space_is_repaired(moment, offset):
    text = moment.replace(tzinfo=offset, microsecond=0).isoformat()
    if "+" in text:
        assert parse_datetime(text.replace("+", " ")) == parse_datetime(text)


@relaxed
@given(text=st.text(max_size=40))
def test_any_text_parses_or_raises_value_error(text):
    try:
        parsed = parse_datetime(text)
    except ValueError as exc:
        assert str(exc)
    else:
        assert parsed.tzinfo is not None


def test_naive_date_times_are_read_in_the_site_time_zone():
    parsed = parse_datetime("2024-07-01T12:00:00")
    assert parsed.utcoffset() == datetime.timedelta(hours=2)


@pytest.mark.parametrize("value", ["2024-01-01", "gestern", "", "2024-02-30T10:00:00"])
def test_what_is_not_a_full_date_time_is_refused(value):
    with pytest.raises(ValueError):
        parse_datetime(value)


def test_links_repeat_the_parameters_in_one_canonical_order():
    params = parse_list_params(
        QueryDict("page=2&modified_since=2024-01-01T00:00:00%2B01:00&elementsPerPage=10")
    )
    assert params.query(3) == (
        "?modified_since=2024-01-01T00%3A00%3A00%2B01%3A00&elementsPerPage=10&page=3"
    )
    assert params.query(1) == "?modified_since=2024-01-01T00%3A00%3A00%2B01%3A00&elementsPerPage=10"
