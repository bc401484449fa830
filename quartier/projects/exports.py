"""CSV exports for German spreadsheets through core/csvfiles.py (semicolon, UTF-8 with BOM,
cells that would start a formula neutralised); numbers with a decimal comma."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from decimal import Decimal

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from quartier.core.csvfiles import csv_response, separator_for
from quartier.projects.models import Indicator, Measurement


def number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def projects_csv(request: HttpRequest, projects: Iterable) -> HttpResponse:
    header = [
        _("Title"), _("Status"), _("Investive"), _("Lead organisation"), _("Partners"),
        _("Areas"), _("Starts on"), _("Ends on"), _("Planned"), _("Approved"), _("Spent"),
    ]  # fmt: skip

    def rows() -> Iterator[list[str]]:
        for project in projects:
            lines = list(project.budget_lines.all())
            yield [
                project.title,
                project.get_status_display(),
                _("yes") if project.investive else _("no"),
                project.lead_organisation.name,
                ", ".join(org.name for org in project.partners.all()),
                ", ".join(area.name for area in project.areas.all()),
                _date(project.starts_on),
                _date(project.ends_on),
                number(sum((line.planned for line in lines), Decimal(0))),
                number(sum((line.approved for line in lines), Decimal(0))),
                number(sum((line.spent for line in lines), Decimal(0))),
            ]

    return csv_response("projekte.csv", header, rows(), separator=separator_for(request))


def indicators_csv(request: HttpRequest, concepts) -> HttpResponse:
    """One row per measurement (Kennzahl;Datum;Wert first, so the file imports again)."""
    header = [
        "Kennzahl", "Datum", "Wert", _("Indicator"), _("Unit"), _("Concept"), _("Area"),
        _("Baseline"), _("Target"), _("Target date"),
    ]  # fmt: skip
    indicators = {
        ind.pk: ind
        for ind in Indicator.objects.filter(concept__in=concepts).select_related("concept__area")
    }
    measurements = Measurement.objects.filter(indicator_id__in=list(indicators)).order_by(
        "indicator_id", "date"
    )

    def rows() -> Iterator[list[str]]:
        for measurement in measurements:
            ind = indicators[measurement.indicator_id]
            yield [
                ind.code, _date(measurement.date), number(measurement.value), ind.name,
                ind.unit, ind.concept.title, ind.concept.area.name, number(ind.baseline),
                number(ind.target), _date(ind.target_date),
            ]  # fmt: skip

    return csv_response("kennzahlen.csv", header, rows(), separator=separator_for(request))
