"""CSV exports for German spreadsheets: semicolon, decimal comma, UTF-8 with BOM."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal

from django.http import HttpResponse
from django.utils.translation import gettext as _

from quartier.projects.models import Indicator, Measurement


def number(value: Decimal | None) -> str:
    if value is None:
        return ""
    return format(value.normalize(), "f").replace(".", ",")


def _response(filename: str) -> tuple[HttpResponse, csv.writer]:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    return response, csv.writer(response, delimiter=";", lineterminator="\r\n")


def _date(value) -> str:
    return value.strftime("%d.%m.%Y") if value else ""


def projects_csv(projects: Iterable) -> HttpResponse:
    response, writer = _response("projekte.csv")
    writer.writerow(
        [_("Title"), _("Status"), _("Investive"), _("Lead organisation"), _("Partners"),
         _("Areas"), _("Starts on"), _("Ends on"), _("Planned"), _("Approved"), _("Spent")]
    )  # fmt: skip
    for project in projects:
        lines = list(project.budget_lines.all())
        writer.writerow(
            [
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
        )
    return response


def indicators_csv(concepts) -> HttpResponse:
    """One row per measurement (Kennzahl;Datum;Wert first, so the file imports again)."""
    response, writer = _response("kennzahlen.csv")
    writer.writerow(
        ["Kennzahl", "Datum", "Wert", _("Indicator"), _("Unit"), _("Concept"), _("Area"),
         _("Baseline"), _("Target"), _("Target date")]
    )  # fmt: skip
    indicators = {
        ind.pk: ind
        for ind in Indicator.objects.filter(concept__in=concepts).select_related("concept__area")
    }
    rows = Measurement.objects.filter(indicator_id__in=list(indicators)).order_by(
        "indicator_id", "date"
    )
    for measurement in rows:
        ind = indicators[measurement.indicator_id]
        writer.writerow(
            [
                ind.code, _date(measurement.date), number(measurement.value), ind.name, ind.unit,
                ind.concept.title, ind.concept.area.name, number(ind.baseline),
                number(ind.target), _date(ind.target_date),
            ]
        )  # fmt: skip
    return response
