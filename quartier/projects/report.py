"""The progress report for a funding body or the city council: one period, one area (with the
areas below it) or one funding programme. Goals with progress towards their targets, projects by
status and programme, the budget (overspending flagged), programme ends and continuation gaps,
with charts and tables; as a web page and as a PDF (WeasyPrint, charts embedded as SVG).

`build` runs a fixed number of queries whatever the amount of data.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, F, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.core import charts
from quartier.projects.models import (
    BudgetLine,
    ContinuationTask,
    Indicator,
    Measurement,
    Programme,
    Project,
    Status,
    warning_horizon,
)
from quartier.projects.selectors import indicator_chart, progress_of

# Trend charts drawn per indicator; beyond that the tables carry every indicator.
MAX_TRENDS = 24
MAX_ROWS = 200


@dataclass(frozen=True)
class Scope:
    start: datetime.date
    end: datetime.date
    area: Area | None = None
    programme: Programme | None = None

    @property
    def title(self) -> str:
        if self.area is not None:
            return self.area.name
        assert self.programme is not None
        return self.programme.name


def _area_ids(scope: Scope) -> set[int]:
    if scope.area is not None:
        return descendant_ids({scope.area.pk})
    assert scope.programme is not None
    ids = set(scope.programme.areas.values_list("pk", flat=True))
    return descendant_ids(ids) if ids else set()


def build(scope: Scope, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    as_of = min(scope.end, today)
    ids = _area_ids(scope)
    years = range(scope.start.year, scope.end.year + 1)

    # Projects whose runtime overlaps the period.
    overlapping = (Q(starts_on__isnull=True) | Q(starts_on__lte=scope.end)) & (
        Q(ends_on__isnull=True) | Q(ends_on__gte=scope.start)
    )
    lines = BudgetLine.objects.filter(year__gte=scope.start.year, year__lte=scope.end.year)
    if scope.programme is not None:
        lines = lines.filter(programme=scope.programme)
        projects = Project.objects.filter(budget_lines__programme=scope.programme)
    else:
        projects = Project.objects.filter(areas__in=ids)
        lines = lines.filter(project__in=Project.objects.filter(areas__in=ids).values("pk"))
    project_ids = projects.filter(overlapping).values("pk")
    project_list = list(
        Project.objects.filter(pk__in=project_ids)
        .select_related("lead_organisation")
        .order_by("status", "title")[:MAX_ROWS]
    )
    by_status = dict(
        Project.objects.filter(pk__in=project_ids)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    status_rows = [(label, by_status.get(value, 0)) for value, label in Status.choices]
    project_count = sum(by_status.values())

    # Projects and money per programme, per year; overspent lines named.
    by_programme = list(
        lines.values("programme__name")
        # The count first: after it, "approved" would name the sum.
        .annotate(overspent_lines=Count("pk", filter=Q(spent__gt=F("approved"))))
        .annotate(
            planned=Sum("planned"),
            approved=Sum("approved"),
            spent=Sum("spent"),
            projects=Count("project", distinct=True),
        )
        .order_by("programme__name")
    )
    by_year: dict[int, Any] = {
        row["year"]: row
        for row in lines.values("year")
        .annotate(planned=Sum("planned"), approved=Sum("approved"), spent=Sum("spent"))
        .order_by("year")
    }
    totals = lines.aggregate(planned=Sum("planned"), approved=Sum("approved"), spent=Sum("spent"))
    overspent = list(
        lines.filter(spent__gt=F("approved"))
        .select_related("project", "programme")
        .order_by("year", "project__title")[:MAX_ROWS]
    )

    # Goals: indicators of the current concepts, their measurements up to the period's end.
    indicators = list(
        Indicator.objects.filter(concept__area_id__in=ids, concept__is_current=True)
        .select_related("goal__field", "concept__area")
        .order_by("concept__area__name", "goal__field__position", "goal__position", "name")
    )
    measured: dict[int, list[Measurement]] = {}
    for measurement in Measurement.objects.filter(
        indicator_id__in=[i.pk for i in indicators], date__lte=scope.end
    ).order_by("date"):
        measured.setdefault(measurement.indicator_id, []).append(measurement)
    progress: list[dict[str, Any]] = []
    for indicator in indicators:
        series = measured.get(indicator.pk, [])
        before = [m for m in series if m.date < scope.start]
        item = progress_of(indicator, series[-1] if series else None, as_of)
        progress.append(
            {
                "item": item,
                "start": before[-1] if before else None,
                "in_period": sum(1 for m in series if m.date >= scope.start),
            }
        )
    states = {"reached": 0, "open": 0, "overdue": 0, "no_data": 0}
    for row in progress:
        states[row["item"].state] += 1
    trends = [
        indicator_chart(
            row["item"].indicator,
            measured.get(row["item"].indicator.pk, []),
            title=f"{row['item'].indicator.name} – {row['item'].indicator.concept.area.name}",
        )
        for row in progress[:MAX_TRENDS]
    ]

    # Programme ends from the period's start on, and tasks nobody carries on yet.
    programmes = Programme.objects.filter(ends_on__gte=scope.start)
    if scope.programme is not None:
        programmes = programmes.filter(pk=scope.programme.pk)
    else:
        programmes = programmes.filter(areas__in=ids).distinct()
    programme_ends = list(programmes.order_by("ends_on", "name")[:MAX_ROWS])
    horizon = warning_horizon(max(scope.end, today))
    tasks = ContinuationTask.objects.filter(
        ends_on__gte=scope.start,
        ends_on__lte=horizon,
        successor_organisation__isnull=True,
        successor_body__isnull=True,
        successor_partnership="",
    ).select_related("area", "programme", "project")
    if scope.programme is not None:
        tasks = tasks.filter(
            Q(programme=scope.programme) | Q(project__in=projects.values("pk"))
        ).distinct()
    else:
        tasks = tasks.filter(area_id__in=ids)
    gaps = list(tasks.order_by("ends_on", "title")[:MAX_ROWS])

    zero = Decimal(0)
    year_labels = [str(year) for year in years]
    money = [
        charts.Series(_("Planned"), [by_year.get(y, {}).get("planned") or zero for y in years]),
        charts.Series(_("Approved"), [by_year.get(y, {}).get("approved") or zero for y in years]),
        charts.Series(_("Spent"), [by_year.get(y, {}).get("spent") or zero for y in years]),
    ]
    state_labels = [
        _("target reached"),
        _("on the way"),
        _("target date passed"),
        _("no measurement yet"),
    ]
    return {
        "scope": scope,
        "as_of": as_of,
        "today": today,
        "projects": project_list,
        "project_count": project_count,
        "status_rows": status_rows,
        "status_chart": charts.bars(
            _("Projects by status"),
            [str(label) for label, _n in status_rows],
            [charts.Series(_("Projects"), [n for _label, n in status_rows])],
            category_label=_("Status"),
        ),
        "by_programme": by_programme,
        "totals": totals,
        "overspent": overspent,
        "budget_chart": charts.bars(
            _("Budget per year"),
            year_labels,
            money,
            unit="€",
            category_label=_("Year"),
            places=2,
        )
        if len(year_labels) <= 30
        else None,
        "progress": progress,
        "states": states,
        "state_chart": charts.bars(
            _("Indicators by progress"),
            state_labels,
            [charts.Series(_("Indicators"), list(states.values()))],
            category_label=_("Progress"),
        )
        if progress
        else None,
        "trends": trends,
        "more_indicators": max(0, len(progress) - MAX_TRENDS),
        "programme_ends": programme_ends,
        "gaps": gaps,
    }


def render_html(context: dict) -> str:
    return render_to_string("projects/report/print.html", {"report": context})


# The report needs no file: its charts are inline SVG. Any URL it names is not fetched (no
# request to other servers or internal addresses while rendering).
BLANK_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489"
    "0000000d49444154789c6360606060000000050001a5f645400000000049454e44ae426082"
)


def _fetcher():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class NothingFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            return URLFetcherResponse(url, BLANK_PNG, {"Content-Type": "image/png"})

    return NothingFetcher()


def render_pdf(context: dict, base_url: str) -> bytes:
    from weasyprint import HTML  # imported late: loading pango costs time at start-up

    return HTML(string=render_html(context), base_url=base_url, url_fetcher=_fetcher()).write_pdf()
