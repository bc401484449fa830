"""The progress report: content for an area and a programme, who may see it, bad input, a
query count that does not grow with the data, the PDF."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from quartier.projects import report, services
from quartier.projects.models import Status
from tests.budget import assert_queries_do_not_grow
from tests.factories import projects as f

pytestmark = pytest.mark.django_db

YEAR = f.TODAY.year
PERIOD = {"start": f"{YEAR - 2}-01-01", "end": f"{YEAR}-12-31"}


def url(name="report", **params):
    from urllib.parse import urlencode

    return reverse(f"backoffice:projects:{name}") + ("?" + urlencode(params) if params else "")


def test_the_area_report_shows_goals_projects_budget_ends_and_gaps(world):
    f.line(world.project, world.programme, year=YEAR - 1, approved=100, spent=150)
    services.measurement_record(
        indicator=world.indicator, date=datetime.date(YEAR - 1, 12, 31), value=Decimal(45)
    )
    response = world.client("coordinator").get(url(area="nordviertel", **PERIOD))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Langzeitarbeitslose" in page and "Nachbarschaftsgarten" in page
    assert "Sozialer Zusammenhalt Nord" in page  # budget and programme ends
    assert "Bewohnercafé" in page  # the continuation gap
    assert "150,00" in page and 'class="error"' in page  # spent beyond approved is flagged
    assert page.count('role="img"') >= 3  # states, trend, status, budget charts
    assert "chart-table" in page and "Anderprojekt" not in page
    context = response.context["report"]
    assert context["states"]["reached"] == 1  # 45 ≤ target 50 (lower is better)
    assert 'href="/verwaltung/projects/bericht/pdf/?' in page.replace("&amp;", "&")


def test_the_programme_report_covers_the_programmes_projects(world):
    response = world.client("planner").get(url(programme=world.programme.slug, **PERIOD))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Nachbarschaftsgarten" in page and "Idee Spielplatz" not in page


def test_a_target_date_passed_and_missing_measurements(world):
    _c, _f, _g, late = f.concept_with_indicator(
        world.district,
        title="Altes Konzept",
        code="alt",
        target_date=datetime.date(YEAR - 1, 6, 30),
    )
    context = report.build(
        report.Scope(
            start=datetime.date(YEAR - 2, 1, 1),
            end=datetime.date(YEAR, 12, 31),
            area=world.district,
        )
    )
    states = {row["item"].indicator.code: row["item"].state for row in context["progress"]}
    assert states["alt"] == "overdue"
    # The only measurement (2023) lies before a period that starts later: shown as the start.
    row = next(r for r in context["progress"] if r["item"].indicator.pk == late.pk)
    assert row["in_period"] == 0


def test_an_empty_period_is_a_report_without_figures(world):
    response = world.client("admin").get(
        url(area="nordviertel", start="1990-01-01", end="1990-12-31")
    )
    assert response.status_code == 200
    context = response.context["report"]
    assert context["project_count"] == 0 and not context["by_programme"]


@pytest.mark.parametrize(
    "params",
    [
        {"area": "nordviertel", "start": "2025-01-01", "end": "2024-01-01"},  # from > to
        {"area": "gibt-es-nicht", **PERIOD},
        {"programme": "gibt-es-nicht", **PERIOD},
        {"area": "nordviertel"},  # no period
        {"area": "nordviertel", "start": "kein-datum", "end": "2024-01-01"},
        {**PERIOD},  # neither area nor programme
        {"area": "nordviertel", "programme": "sozialer-zusammenhalt-nord", **PERIOD},  # both
        {"area": "nordviertel", "start": "1900-01-01", "end": "2024-01-01"},  # too long
    ],
)
def test_bad_input_is_a_form_error_never_a_500(world, params):
    client = world.client("coordinator")
    for name in ("report", "report_pdf"):
        response = client.get(url(name, **params))
        assert response.status_code == 400
        assert response["Content-Type"].startswith("text/html")


def test_who_may_not_see_a_report(world):
    from tests.factories import accounts  # noqa: F401 - the world's users are enough

    query = {"area": "nordviertel", **PERIOD}
    assert world.client("anonymous").get(url(**query)).status_code == 302
    # An organisation member (the editor) and a resident: no reports at all.
    assert world.client("editor").get(url(**query)).status_code == 403
    assert world.client("resident").get(url(**query)).status_code == 403
    # The coordinator of the Sozialraum Nord may not see another city's area or programme.
    coordinator = world.client("coordinator")
    assert coordinator.get(url(area="anderstadt", **PERIOD)).status_code == 403
    other = f.programme([world.other_city], name="Programm Anderstadt")
    assert coordinator.get(url(programme=other.slug, **PERIOD)).status_code == 403
    assert coordinator.get(url("report_pdf", area="anderstadt", **PERIOD)).status_code == 403


def test_the_report_query_count_does_not_grow_with_the_data(world, django_assert_max_num_queries):
    client = world.client("coordinator")
    counter = iter(range(10_000))

    def add(n):
        for _i in range(n):
            i = next(counter)
            project = f.project([world.district], world.organisation, title=f"Projekt {i}")
            programme = f.programme([world.district], name=f"Programm {i}")
            f.line(project, programme, year=YEAR - 1)
            f.line(project, programme, year=YEAR, approved=1, spent=2)
            f.task(world.district, programme=programme)
            _c, _f, _g, indicator = f.concept_with_indicator(world.district, title=f"Konzept {i}")
            services.measurement_record(
                indicator=indicator, date=datetime.date(YEAR - 1, 6, 30), value=Decimal(i)
            )

    def fetch():
        response = client.get(url(area="sozialraum-nord", **PERIOD))
        assert response.status_code == 200

    count = assert_queries_do_not_grow(fetch, add, n=3)
    with django_assert_max_num_queries(count):
        fetch()


def test_the_pdf_embeds_the_charts(world):
    response = world.client("planner").get(url("report_pdf", area="nordviertel", **PERIOD))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "fortschrittsbericht-" in response["Content-Disposition"]


def test_the_print_html_holds_the_svg_charts(world):
    context = report.build(
        report.Scope(
            start=datetime.date(YEAR - 2, 1, 1),
            end=datetime.date(YEAR, 12, 31),
            area=world.district,
        )
    )
    html = report.render_html(context)
    assert "<svg" in html and "<table" in html and "Nachbarschaftsgarten" in html


def test_completed_and_idea_projects_count_by_status(world):
    f.project([world.district], world.organisation, title="Fertig", status=Status.COMPLETED)
    context = report.build(
        report.Scope(
            start=datetime.date(YEAR - 2, 1, 1),
            end=datetime.date(YEAR, 12, 31),
            area=world.district,
        )
    )
    counts = {str(label): n for label, n in context["status_rows"]}
    assert counts[str(Status.COMPLETED.label)] == 1
    assert counts[str(Status.RUNNING.label)] == 1 and counts[str(Status.IDEA.label)] == 1


def test_the_indicator_page_draws_measurements_against_baseline_and_target(world):
    services.measurement_record(
        indicator=world.indicator, date=datetime.date(2021, 12, 31), value=Decimal("92.5")
    )
    page = (
        world.client("planner")
        .get(reverse("backoffice:projects:indicator", kwargs={"pk": world.indicator.pk}))
        .content.decode()
    )
    assert 'class="chart-target"' in page and 'class="chart-baseline"' in page
    assert 'role="img"' in page and "chart-table" in page
    # 2022 has no measurement: a gap, and the table says so.
    assert 'scope="row">2022</th><td><span class="muted">' in page
    assert "92,5" in page
    concept = world.client("planner").get(world.indicator.concept.get_absolute_url())
    indicator_url = reverse("backoffice:projects:indicator", kwargs={"pk": world.indicator.pk})
    assert indicator_url in concept.content.decode()
