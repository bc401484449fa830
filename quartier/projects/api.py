"""JSON API: the public projects (running and completed) and the indicators of the current
concepts with their measurements. No personal data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.pagination import paginate

from quartier.core.pagination import Pagination
from quartier.projects.models import Indicator, Project

router = Router(tags=["projects"])


class NamedOut(Schema):
    slug: str
    name: str


class ProjectOut(Schema):
    slug: str
    title: str
    description: str
    status: str
    investive: bool
    lead_organisation: NamedOut
    partners: list[NamedOut]
    areas: list[NamedOut]
    goals: list[str]
    starts_on: dt.date | None
    ends_on: dt.date | None
    results: str
    lat: float | None
    lon: float | None

    @staticmethod
    def resolve_goals(obj: Project) -> list[str]:
        return [goal.title for goal in obj.goals.all()]


class MeasurementOut(Schema):
    date: dt.date
    value: Decimal


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    concept: str
    area: str
    baseline: Decimal
    baseline_date: dt.date
    target: Decimal
    target_date: dt.date
    direction: str
    source: str
    measurements: list[MeasurementOut]

    @staticmethod
    def resolve_concept(obj: Indicator) -> str:
        return obj.concept.title

    @staticmethod
    def resolve_area(obj: Indicator) -> str:
        return obj.concept.area.slug


def _projects():
    return (
        Project.objects.public()
        .select_related("lead_organisation")
        .prefetch_related("partners", "areas", "goals")
    )


@router.get("/", response=list[ProjectOut], url_name="project_list")
@paginate(Pagination)
def project_list(request: HttpRequest):
    """Running and completed projects."""
    return _projects()


@router.get("/indicators", response=list[IndicatorOut], url_name="indicator_list")
@paginate(Pagination)
def indicator_list(request: HttpRequest):
    """Indicators of the current concept versions, with every measurement."""
    return (
        Indicator.objects.filter(concept__is_current=True)
        .select_related("concept__area")
        .prefetch_related("measurements")
        .order_by("concept_id", "code")
    )


@router.get("/{slug}", response=ProjectOut, url_name="project_detail")
def project_detail(request: HttpRequest, slug: str):
    return get_object_or_404(_projects(), slug=slug)
