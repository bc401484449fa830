import datetime

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from quartier.core.registry import Section
from quartier.offers import hooks
from quartier.offers.forms import LocationForm, ScheduleForm, point_bounds

times = st.builds(
    datetime.time, st.integers(min_value=0, max_value=23), st.integers(min_value=0, max_value=59)
)
# A loaded CI machine must not fail these for slowness: no deadline, no too_slow check.
relaxed = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


@relaxed
@given(opens=times, closes=times, weekday=st.integers(min_value=0, max_value=6))
def test_weekly_hours_are_valid_exactly_when_closing_differs_from_opening(opens, closes, weekday):
    """A closing time before the opening time is past midnight (22:00–06:00); the same time
    twice is refused."""
    form = ScheduleForm(
        {
            "kind": "weekly",
            "weekday": str(weekday),
            "opens_at": opens.strftime("%H:%M"),
            "closes_at": closes.strftime("%H:%M"),
        }
    )
    assert form.is_valid() == (closes.strftime("%H:%M") != opens.strftime("%H:%M"))


@relaxed
@given(
    start=st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2100, 1, 1)),
    days=st.integers(min_value=-400, max_value=400),
)
def test_closures_need_ordered_dates(start, days):
    end = start + datetime.timedelta(days=days)
    form = ScheduleForm(
        {"kind": "closed", "valid_from": start.isoformat(), "valid_to": end.isoformat()}
    )
    assert form.is_valid() == (days >= 0)


@relaxed
@given(lat=st.floats(allow_nan=False, allow_infinity=False), lon=st.floats(-180, 180))
def test_coordinates_outside_the_globe_or_the_platforms_bounds_are_refused(lat, lon):
    form = LocationForm({"name": "Ort", "lat": repr(lat), "lon": repr(lon)})
    south, west, north, east = point_bounds()  # Germany by default
    assert form.is_valid() == (-90 <= lat <= 90 and south <= lat <= north and west <= lon <= east)


@relaxed
@given(lat=st.floats(47.2, 55.1), lon=st.floats(5.8, 15.1))
def test_any_point_in_germany_is_accepted(lat, lon):
    assert LocationForm({"name": "Ort", "lat": repr(lat), "lon": repr(lon)}).is_valid()


def test_a_single_date_needs_its_date_and_hours():
    form = ScheduleForm({"kind": "date"})
    assert not form.is_valid()
    assert "valid_from" in form.errors
    assert "closes_at" in form.errors


@pytest.mark.django_db
def test_other_apps_add_blocks_to_the_offer_page(world, monkeypatch):
    """How networks shows the networks an offer's organisation belongs to, without offers
    importing networks (any template will do for the test: a dashboard block is reused)."""
    section = Section(
        "test-block",
        "offers/partials/dashboard_stale.html",
        lambda request, offer: {"offers": [offer], "more": False},
    )
    monkeypatch.setattr(hooks, "offer_sections", [])
    hooks.add_offer_section(section)
    hooks.add_offer_section(section)  # registering twice adds it once
    assert len(hooks.offer_sections) == 1
    response = world.client("anonymous").get(world.offer.get_absolute_url())
    assert reverse("backoffice:offers:edit", kwargs={"pk": world.offer.pk}) in (
        response.content.decode()
    )
