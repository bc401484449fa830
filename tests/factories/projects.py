"""Concepts, projects and programmes for tests, built through the services (so lineage,
indicator concept and slugs are set as in production)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from quartier.projects import services
from quartier.projects.models import ContinuationTask, Programme, Status

TODAY = datetime.date.today()


def concept_with_indicator(area, *, title="Quartiersvereinbarung", code="arbeitslose", **values):
    """A concept with one field of action, one goal and one indicator (baseline 100 in the
    past, target 50, lower is better) with one measurement."""
    concept = services.concept_create(area=area, kind="agreement", title=title)
    field = services.field_add(concept=concept, title="Arbeit und Beschäftigung")
    goal = services.goal_add(field=field, title="Weniger Langzeitarbeitslose")
    fields = {
        "code": code,
        "name": "Langzeitarbeitslose",
        "unit": "Personen",
        "baseline": Decimal(100),
        "baseline_date": datetime.date(2020, 12, 31),
        "target": Decimal(50),
        "target_date": TODAY.replace(year=TODAY.year + 3),
        "direction": "lower",
        "source": "Bundesagentur für Arbeit",
        **values,
    }
    indicator = services.indicator_create(goal=goal, fields=fields)
    services.measurement_record(
        indicator=indicator, date=datetime.date(2023, 12, 31), value=Decimal(80)
    )
    return concept, field, goal, indicator


def programme(areas, *, name="Sozialer Zusammenhalt Nord", coordinator=None, **fields):
    values = {
        "name": name,
        "kind": "urban",
        "starts_on": datetime.date(2019, 1, 1),
        "ends_on": TODAY.replace(year=TODAY.year + 2),
        "coordinator": coordinator,
        **fields,
    }
    return services.programme_create(fields=values, areas=areas)


def project(
    areas, lead, *, title="Nachbarschaftsgarten", status=Status.RUNNING, goals=(), **fields
):
    values = {
        "title": title,
        "lead_organisation": lead,
        "starts_on": datetime.date(2024, 3, 1),
        "ends_on": TODAY.replace(year=TODAY.year + 1),
        "status": status,
        **fields,
    }
    return services.project_create(fields=values, areas=areas, goals=goals)


def task(area, *, programme=None, project=None, days=60, **fields) -> ContinuationTask:
    values = {
        "area": area,
        "programme": programme,
        "project": project,
        "title": "Bewohnercafé",
        "ends_on": TODAY + datetime.timedelta(days=days),
        **fields,
    }
    return services.continuation_task_save(fields=values)


def line(project, programme, *, year=None, planned=1000, approved=800, spent=900):
    return services.budget_line_set(
        project=project,
        programme=programme,
        year=year or TODAY.year,
        planned=Decimal(planned),
        approved=Decimal(approved),
        spent=Decimal(spent),
    )


__all__ = ["Programme", "concept_with_indicator", "line", "programme", "project", "task"]


def fund(area, *, year=None, budget=1000, cap=None, **fields):
    from quartier.projects.models import Fund

    return Fund.objects.create(
        area=area,
        year=year or TODAY.year,
        title=fields.pop("title", "Verfügungsfonds Nord"),
        budget=Decimal(budget),
        cap=Decimal(cap) if cap is not None else None,
        **fields,
    )


def application(fund, *, amount=300, title="Nachbarschaftsfest", **fields):
    from quartier.projects.models import FundApplication

    values = {
        "purpose": "Getränke, Musik und Plakate für das Fest.",
        "applicant_name": "Rosa Antrag",
        "applicant_email": "rosa.antrag@example.org",
        **fields,
    }
    return FundApplication.objects.create(
        fund=fund, title=title, amount_requested=Decimal(amount), **values
    )
