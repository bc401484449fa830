"""Reads: indicator progress, the area dashboard, the public project list, continuation gaps.

Every function runs a fixed number of queries, whatever the amount of data (tests assert N
against 2N rows), so dashboards of a whole city stay cheap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.utils import timezone

from quartier.areas.selectors import descendant_ids
from quartier.projects.models import (
    GRANTING,
    BudgetLine,
    Concept,
    ContinuationTask,
    Direction,
    Fund,
    FundApplication,
    Indicator,
    Measurement,
    Programme,
    Project,
    Status,
    warning_horizon,
)


@dataclass
class Progress:
    indicator: Indicator
    latest: Measurement | None
    # Share of the way from baseline to target, 0–100 (None without a measurement).
    percent: int | None
    state: str  # reached, open, overdue, no_data

    @property
    def label(self):
        from django.utils.translation import gettext_lazy as _

        return {
            "reached": _("target reached"),
            "open": _("on the way"),
            "overdue": _("target date passed"),
            "no_data": _("no measurement yet"),
        }[self.state]


def progress_of(
    indicator: Indicator, latest: Measurement | None, today: datetime.date | None = None
) -> Progress:
    today = today or timezone.localdate()
    if latest is None:
        state = "overdue" if indicator.target_date < today else "no_data"
        return Progress(indicator, None, None, state)
    higher = indicator.direction == Direction.HIGHER
    reached = latest.value >= indicator.target if higher else latest.value <= indicator.target
    span = indicator.target - indicator.baseline
    if reached:
        percent = 100
    elif span == 0:
        percent = 0
    else:
        share = (latest.value - indicator.baseline) / span * 100
        percent = int(max(Decimal(0), min(Decimal(100), share)))
    if reached:
        state = "reached"
    elif indicator.target_date < today:
        state = "overdue"
    else:
        state = "open"
    return Progress(indicator, latest, percent, state)


def latest_measurements(indicator_ids: list[int]) -> dict[int, Measurement]:
    """The newest measurement of each indicator, in one query."""
    latest: dict[int, Measurement] = {}
    rows = Measurement.objects.filter(indicator_id__in=indicator_ids).order_by("date")
    for measurement in rows:
        latest[measurement.indicator_id] = measurement
    return latest


def indicator_progress(indicators: QuerySet[Indicator] | list[Indicator]) -> list[Progress]:
    indicators = list(indicators)
    latest = latest_measurements([ind.pk for ind in indicators])
    return [progress_of(ind, latest.get(ind.pk)) for ind in indicators]


def concepts_for(area_ids: set[int]) -> QuerySet[Concept]:
    return Concept.objects.filter(area_id__in=area_ids).select_related("area")


def concept_tree(concept: Concept) -> list[dict]:
    """Fields of action → goals → indicators with progress, in three queries."""
    fields = list(concept.fields.prefetch_related("goals"))
    indicators = list(Indicator.objects.filter(concept=concept).order_by("name"))
    progress: dict[int, list[Progress]] = {}
    for item in indicator_progress(indicators):
        progress.setdefault(item.indicator.goal_id, []).append(item)
    return [
        {
            "field": field,
            "goals": [
                {"goal": goal, "progress": progress.get(goal.pk, [])} for goal in field.goals.all()
            ],
        }
        for field in fields
    ]


def compare(old: Concept, new: Concept) -> list[dict]:
    """Indicators of two versions side by side, matched by code."""
    rows: dict[str, dict] = {}
    for side, concept in (("old", old), ("new", new)):
        for item in indicator_progress(Indicator.objects.filter(concept=concept)):
            rows.setdefault(item.indicator.code, {"code": item.indicator.code})[side] = item
    return [rows[code] for code in sorted(rows)]


def continuation_gaps(
    area_ids: set[int] | None = None, today: datetime.date | None = None
) -> QuerySet[ContinuationTask]:
    """Tasks whose funding ends within six months and that nobody carries on yet."""
    today = today or timezone.localdate()
    tasks = ContinuationTask.objects.filter(
        ends_on__gte=today,
        ends_on__lte=warning_horizon(today),
        successor_organisation__isnull=True,
        successor_body__isnull=True,
        successor_partnership="",
    ).select_related("area", "programme", "project")
    if area_ids is not None:
        tasks = tasks.filter(area_id__in=area_ids)
    return tasks.order_by("ends_on")


def area_dashboard(area, today: datetime.date | None = None) -> dict:
    """Everything of the area and the areas below it; a fixed number of queries."""
    today = today or timezone.localdate()
    ids = descendant_ids({area.pk})
    indicators = Indicator.objects.filter(
        concept__area_id__in=ids, concept__is_current=True
    ).select_related("goal", "concept")
    projects = Project.objects.filter(areas__in=ids).distinct()
    by_status = dict(
        Project.objects.filter(pk__in=projects.values("pk"))
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    lines = BudgetLine.objects.filter(project__in=projects.values("pk"))
    by_programme = list(
        lines.values("programme__name")
        .annotate(
            planned=Sum("planned"),
            approved=Sum("approved"),
            spent=Sum("spent"),
            projects=Count("project", distinct=True),
        )
        .order_by("programme__name")
    )
    totals = lines.aggregate(planned=Sum("planned"), approved=Sum("approved"), spent=Sum("spent"))
    programmes = list(
        Programme.objects.filter(areas__in=ids, ends_on__gte=today)
        .distinct()
        .order_by("ends_on")[:10]
    )
    return {
        "area": area,
        "progress": indicator_progress(indicators),
        "by_status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "by_programme": by_programme,
        "totals": totals,
        "overspent": lines.filter(spent__gt=F("approved")).count(),
        "programme_ends": programmes,
        "gaps": list(continuation_gaps(ids, today)),
    }


def public_projects(area=None, status: str = Status.RUNNING) -> QuerySet[Project]:
    projects = Project.objects.public().filter(status=status)
    if area is not None:
        projects = projects.filter(areas__in=descendant_ids({area.pk})).distinct()
    return projects.select_related("lead_organisation").prefetch_related(
        "partners", "goals", "areas"
    )


def managed_projects(user, area_ids: set[int], organisation_ids: set[int]) -> QuerySet[Project]:
    projects = Project.objects.select_related("lead_organisation")
    if user.is_superuser:
        return projects
    return projects.filter(
        Q(areas__in=area_ids) | Q(lead_organisation_id__in=organisation_ids)
    ).distinct()


# --- District fund (Verfügungsfonds) -------------------------------------------------------


@dataclass
class FundSummary:
    fund: Fund
    granted: Decimal
    left: Decimal
    granted_applications: list[FundApplication]


def fund_summary(fund: Fund) -> FundSummary:
    """Budget, granted and left for the fund's year, and the granted projects (titles only)."""
    granted_applications = list(
        fund.applications.filter(status__in=GRANTING)
        .only("pk", "title", "initiative", "amount_granted", "status", "created_at", "fund_id")
        .order_by("created_at", "pk")
    )
    granted = sum((a.amount_granted or Decimal(0) for a in granted_applications), Decimal(0))
    return FundSummary(
        fund=fund,
        granted=granted,
        left=fund.budget - granted,
        granted_applications=granted_applications,
    )


def public_funds() -> QuerySet[Fund]:
    return (
        Fund.objects.filter(area__is_public=True)
        .select_related("area")
        .annotate(
            granted=Sum("applications__amount_granted", filter=Q(applications__status__in=GRANTING))
        )
        .order_by("-year", "area__name")
    )


def managed_applications(user, area_ids: set[int]) -> QuerySet[FundApplication]:
    applications = FundApplication.objects.select_related("fund__area")
    if not user.is_superuser:
        applications = applications.filter(fund__area_id__in=area_ids)
    return applications


def managed_funds(user, area_ids: set[int]) -> QuerySet[Fund]:
    funds = Fund.objects.select_related("area", "body")
    if not user.is_superuser:
        funds = funds.filter(area_id__in=area_ids)
    return funds


def indicator_chart(
    indicator: Indicator, measurements: list[Measurement] | None = None, title: str = ""
):
    """An indicator's measurements per year (the latest of each year) from the baseline's year
    to the last measurement or the target's year, against its baseline and target: a trend
    chart with its table. Years without a measurement are gaps."""
    from django.utils.translation import gettext as _

    from quartier.core import charts

    if measurements is None:
        measurements = list(indicator.measurements.order_by("date"))
    by_year = {m.date.year: m.value for m in sorted(measurements, key=lambda m: m.date)}
    categories, values = charts.year_axis(
        by_year, first=indicator.baseline_date.year, last=indicator.target_date.year
    )
    references = [
        charts.Reference(
            _("Target (%(date)s)") % {"date": indicator.target_date.strftime("%d.%m.%Y")},
            indicator.target,
            "target",
        ),
        charts.Reference(
            _("Baseline (%(year)s)") % {"year": indicator.baseline_date.year},
            indicator.baseline,
            "baseline",
        ),
    ]
    notes = [_("no measurement") if value is None else "" for value in values]
    return charts.trend(
        title or indicator.name,
        categories,
        [charts.Series(_("Measured"), values, notes)],
        references=references,
        unit=indicator.unit,
        category_label=_("Year"),
    )
