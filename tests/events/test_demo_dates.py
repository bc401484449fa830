"""The demo's events fall in their season, counted from any day the demo is loaded."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from quartier.events.demo import EVENTS, Season, demo_day

ADVENT = next(spec for spec in EVENTS if spec.slug == "adventsmarkt-mariahof")
SPRING = next(spec for spec in EVENTS if spec.slug == "fruehjahrsputz-neu-olvenstedt")


def test_advent_market_in_december_spring_clean_up_in_spring():
    today = dt.date(2026, 12, 7)
    advent = demo_day(ADVENT, today)
    assert advent == dt.date(2026, 12, 12)  # the Saturday of the second Advent weekend
    spring = demo_day(SPRING, today)
    assert spring.year == 2027 and spring.month in (3, 4) and spring.weekday() == 5


def test_after_the_window_the_next_year():
    assert demo_day(ADVENT, dt.date(2026, 12, 27)) == dt.date(2027, 11, 27)


@given(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2090, 12, 31)))
def test_every_season_day_is_ahead_in_window_on_its_weekday(today):
    for spec in EVENTS:
        if spec.season is None:
            continue
        day = demo_day(spec, today)
        season: Season = spec.season
        assert today <= day < today + dt.timedelta(days=366)
        assert day.weekday() == season.weekday
        assert dt.date(day.year, *season.first) <= day <= dt.date(day.year, *season.last)
