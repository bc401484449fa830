"""Reads: indicator progress, the area dashboard, the public project list, continuation gaps.

Every function runs a fixed number of queries, whatever the amount of data (tests assert N
against 2N rows), so dashboards of a whole city stay cheap.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Count, F, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.utils import timezone

from quartier.areas.models import Area
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

# The area dashboard lists the indicators one by one up to this many, else only per area.
DASHBOARD_INDICATOR_ROWS = 60


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
    value = latest.value if latest is not None else None
    state = progress_state(
        indicator.direction, indicator.target, indicator.target_date, value, today
    )
    if latest is None:
        return Progress(indicator, None, None, state)
    span = indicator.target - indicator.baseline
    if state == "reached":
        percent = 100
    elif span == 0:
        percent = 0
    else:
        share = (latest.value - indicator.baseline) / span * 100
        percent = int(max(Decimal(0), min(Decimal(100), share)))
    return Progress(indicator, latest, percent, state)


def progress_state(
    direction: str,
    target: Decimal,
    target_date: datetime.date,
    latest: Decimal | None,
    today: datetime.date,
) -> str:
    """reached, open, overdue or no_data (see Progress), from the newest value."""
    if latest is None:
        return "overdue" if target_date < today else "no_data"
    higher = direction == Direction.HIGHER
    if latest >= target if higher else latest <= target:
        return "reached"
    return "overdue" if target_date < today else "open"


def latest_measurements(indicator_ids: list[int] | QuerySet) -> dict[int, Measurement]:
    """The newest measurement of each indicator, in one query: only those rows are read (the
    unique index on indicator and date finds each), not the whole series."""
    newest = Measurement.objects.filter(indicator_id=OuterRef("pk")).order_by("-date")
    pks = (
        Indicator.objects.filter(pk__in=indicator_ids)
        .order_by()
        .annotate(newest=Subquery(newest.values("pk")[:1]))
        .values("newest")
    )
    return {m.indicator_id: m for m in Measurement.objects.filter(pk__in=pks)}


def indicator_progress(indicators: QuerySet[Indicator] | list[Indicator]) -> list[Progress]:
    if isinstance(indicators, QuerySet):
        ids: list[int] | QuerySet = indicators.order_by().values("pk")
    else:
        ids = [ind.pk for ind in indicators]
    latest = latest_measurements(ids)
    today = timezone.localdate()
    return [progress_of(ind, latest.get(ind.pk), today) for ind in indicators]


@dataclass
class AreaProgress:
    """How the indicators of one area's current concepts stand, counted by state."""

    area: Area
    reached: int = 0
    open: int = 0
    overdue: int = 0
    no_data: int = 0

    @property
    def total(self) -> int:
        return self.reached + self.open + self.overdue + self.no_data


def progress_by_area(indicators: QuerySet[Indicator]) -> list[AreaProgress]:
    """The indicators counted by state per area of their concept, by area name, in two
    queries. The state is `progress_state` in SQL, counted by the database: a city has
    thousands of indicators, a row per area and state comes back."""
    today = timezone.localdate()
    newest = Measurement.objects.filter(indicator_id=OuterRef("pk")).order_by("-date")
    state = Case(
        When(latest__isnull=True, target_date__lt=today, then=Value("overdue")),
        When(latest__isnull=True, then=Value("no_data")),
        When(direction=Direction.HIGHER, latest__gte=F("target"), then=Value("reached")),
        When(~Q(direction=Direction.HIGHER) & Q(latest__lte=F("target")), then=Value("reached")),
        When(target_date__lt=today, then=Value("overdue")),
        default=Value("open"),
    )
    rows = (
        indicators.order_by()
        .annotate(latest=Subquery(newest.values("value")[:1]))
        .annotate(state=state)
        .values("concept__area_id", "state")
        .annotate(n=Count("pk"))
        .values_list("concept__area_id", "state", "n")
    )
    counts: dict[int, dict[str, int]] = {}
    for area_id, state_name, n in rows:
        counts.setdefault(area_id, {})[state_name] = n
    areas = Area.objects.only("name", "slug").in_bulk(list(counts))
    summary = [AreaProgress(areas[pk], **by_state) for pk, by_state in counts.items()]
    return sorted(summary, key=lambda row: (row.area.name, row.area.pk))


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
    indicators = Indicator.objects.filter(concept__area_id__in=ids, concept__is_current=True)
    by_area = progress_by_area(indicators)
    total = sum(row.total for row in by_area)
    progress = (
        indicator_progress(indicators.select_related("goal", "concept"))
        if total <= DASHBOARD_INDICATOR_ROWS
        else []
    )
    # The projects of these areas as a subquery on the link table (no DISTINCT join).
    project_ids = Project.areas.through.objects.filter(area_id__in=ids).values("project_id")
    by_status = dict(
        Project.objects.filter(pk__in=project_ids)
        .order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # One query: the totals and the overspent lines are summed from the rows per programme.
    by_programme = list(
        BudgetLine.objects.filter(project__in=project_ids)
        .values("programme__name")
        # First, while spent and approved still name the columns, not the sums below.
        .annotate(overspent_lines=Count("pk", filter=Q(spent__gt=F("approved"))))
        .annotate(
            planned=Sum("planned"),
            approved=Sum("approved"),
            spent=Sum("spent"),
            projects=Count("project", distinct=True),
        )
        .order_by("programme__name")
    )
    totals = {
        key: sum((row[key] for row in by_programme), Decimal(0)) if by_programme else None
        for key in ("planned", "approved", "spent")
    }
    programmes = list(
        Programme.objects.filter(areas__in=ids, ends_on__gte=today)
        .distinct()
        .order_by("ends_on")[:10]
    )
    return {
        "area": area,
        # A city's hundreds of indicators are summed per area (each area's own dashboard lists
        # its indicators); an area with few lists them here (DASHBOARD_INDICATOR_ROWS).
        "progress": progress,
        "progress_total": total,
        "progress_by_area": by_area if len(by_area) > 1 else [],
        "by_status": [(label, by_status.get(value, 0)) for value, label in Status.choices],
        "by_programme": by_programme,
        "totals": totals,
        "overspent": sum(row["overspent_lines"] for row in by_programme),
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


def funds_left(fund_ids: set[int]) -> dict[int, Decimal]:
    """What each fund has left (its budget less the granted amounts), in one query."""
    funds = Fund.objects.filter(pk__in=fund_ids).annotate(
        granted=Sum("applications__amount_granted", filter=Q(applications__status__in=GRANTING))
    )
    return {fund.pk: fund.budget - (fund.granted or Decimal(0)) for fund in funds}


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
