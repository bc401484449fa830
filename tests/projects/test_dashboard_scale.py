"""The area dashboard of a city holds a fixed number of queries whether 4 or 40 areas lie
below it (issue #14 "Speed"; the throughput is measured in bench/dashboard/), and sums the
indicators of many areas per area in the database the way progress_of does one by one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from quartier.areas.models import Area, AreaKind, AreaLink
from quartier.projects import selectors, services
from quartier.projects.models import Indicator, Measurement
from tests.factories import projects as f

pytestmark = pytest.mark.django_db

# Everything a planner's request holds: session, user, second factor, roles, the area and
# its permission, the dashboard's own queries (the indicator rows only while few).
BUDGET = 20


def add_areas(world, count: int, start: int = 0) -> None:
    """`count` quarters below the world's city, each with a concept of three indicators
    (reached, on the way, no measurement), two projects and a budget line."""
    kind, _ = AreaKind.objects.get_or_create(slug="skala", defaults={"name": "Skala", "level": 3})
    programme = f.programme([world.city], name=f"Programm Skala {start}")
    target_date = f.TODAY.replace(year=f.TODAY.year + 2)
    for i in range(start, start + count):
        area = Area.objects.create(kind=kind, name=f"Skala {i:02d}", slug=f"skala-{i}")
        AreaLink.objects.create(parent=world.city, child=area)
        _concept, _field, goal, _indicator = f.concept_with_indicator(area, title=f"Konzept {i}")
        for code, target in (("b", 90), ("c", 10)):
            other = services.indicator_create(
                goal=goal,
                fields={
                    "code": code, "name": f"Kennzahl {code}", "unit": "%",
                    "baseline": Decimal(50), "baseline_date": dt.date(2020, 12, 31),
                    "target": Decimal(target), "target_date": target_date,
                    "direction": "lower",
                },
            )  # fmt: skip
            if code == "b":
                Measurement.objects.create(indicator=other, date=dt.date(2024, 12, 31), value=80)
        for n in range(2):
            project = f.project([area], world.organisation, title=f"Skala {i}-{n}")
            f.line(project, programme)


def fetch_counting(client, url, django_assert_max_num_queries) -> tuple[str, int]:
    with django_assert_max_num_queries(BUDGET) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_city_dashboard_holds_its_query_budget_for_4_and_for_40_areas(
    world, django_assert_max_num_queries
):
    client = world.client("planner")
    url = reverse("backoffice:projects:dashboard", kwargs={"slug": world.city.slug})
    add_areas(world, 4)
    client.get(url)  # warm per-process caches
    page, with_4 = fetch_counting(client, url, django_assert_max_num_queries)
    assert "Skala 03" in page and "Kennzahl b" in page  # 13 indicators: listed one by one
    add_areas(world, 36, start=4)
    page, with_40 = fetch_counting(client, url, django_assert_max_num_queries)
    assert with_40 <= with_4 + 1  # + the area names of the summary, nothing per area
    assert "Skala 39" in page and "Kennzahl b" not in page  # 121 indicators: per area only
    assert reverse("backoffice:projects:dashboard", kwargs={"slug": "skala-39"}) in page


def test_the_summary_counts_as_progress_of_does(world):
    add_areas(world, 3)
    areas = Area.objects.filter(slug__startswith="skala-")
    indicators = Indicator.objects.filter(concept__area__in=areas, concept__is_current=True)
    summary = {row.area.slug: row for row in selectors.progress_by_area(indicators)}
    by_python: dict[str, dict[str, int]] = {}
    for item in selectors.indicator_progress(indicators.select_related("concept__area")):
        counts = by_python.setdefault(item.indicator.concept.area.slug, {})
        counts[item.state] = counts.get(item.state, 0) + 1
    assert set(summary) == set(by_python) == {"skala-0", "skala-1", "skala-2"}
    for slug, counts in by_python.items():
        row = summary[slug]
        assert counts == {
            state: n
            for state, n in (
                ("reached", row.reached), ("open", row.open),
                ("overdue", row.overdue), ("no_data", row.no_data),
            )
            if n
        }  # fmt: skip
        assert row.total == 3


def test_a_city_dashboard_with_few_indicators_lists_them(world):
    page = (
        world.client("planner")
        .get(reverse("backoffice:projects:dashboard", kwargs={"slug": world.city.slug}))
        .content.decode()
    )
    assert "Langzeitarbeitslose" in page
