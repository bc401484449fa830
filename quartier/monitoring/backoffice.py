"""Back office of the monitoring (/verwaltung/monitoring/): indicators, the CSV import, the
map of any indicator without suppression and the coverage of offers."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.core import choropleth
from quartier.core.charts import format_number
from quartier.core.permissions import permission_required
from quartier.monitoring import coverage, maps, services
from quartier.monitoring.forms import BackofficeMapForm, CoverageForm, ImportForm
from quartier.monitoring.models import Indicator
from quartier.monitoring.rules import analysable_area_ids, importable_area_ids
from quartier.monitoring.views import offer_map_choices


@permission_required("monitoring.import_values")
@require_GET
def indicators(request: HttpRequest) -> HttpResponse:
    rows = Indicator.objects.select_related("denominator").annotate(
        value_count=Count("values"), first_year=Min("values__year"), last_year=Max("values__year")
    )
    return render(request, "monitoring/backoffice/indicators.html", {"indicators": rows})


@permission_required("monitoring.import_values")
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    report = None
    status = 200
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST":
        if form.is_valid():
            upload_file = form.cleaned_data["file"]
            if upload_file.size > services.MAX_BYTES:
                form.add_error("file", _("The file is larger than 5 MB."))
            else:
                report = services.values_import(
                    data=upload_file.read(),
                    allowed_area_ids=importable_area_ids(request.user),
                    dry_run=form.cleaned_data["dry_run"],
                )
                if report.written:
                    messages.success(
                        request,
                        _("Imported: %(created)d new, %(updated)d replaced figures.")
                        % {"created": report.created, "updated": report.updated},
                    )
                    return redirect("backoffice:monitoring:indicators")
        if report is None or not report.ok:
            status = 400
    return render(
        request,
        "monitoring/backoffice/upload.html",
        {"form": form, "report": report},
        status=status,
    )


def _regions(form: BackofficeMapForm | CoverageForm, context: dict) -> maps.Regions | None:
    """The areas of the chosen kind below the chosen area (None, with the form's error, when
    the kind does not occur there); the kinds to choose from go into `context`."""
    scope = form.cleaned_data["area"]
    try:
        regions = maps.regions_below(scope, kind_slug=form.cleaned_data["kind"], public=False)
    except maps.MapInputError as error:
        form.add_error(error.field, error.message)
        context["kinds"] = maps.regions_below(scope, public=False).kinds
        return None
    context["kinds"] = regions.kinds
    return regions


@permission_required("monitoring.view_unsuppressed")
@require_GET
def indicator_map(request: HttpRequest) -> HttpResponse:
    """Any indicator over the areas below an area, every figure shown (no suppression)."""
    form = BackofficeMapForm(request.GET or None, area_ids=analysable_area_ids(request.user))
    context: dict[str, Any] = {"form": form, "chart": None, "indicator": None, "scope": None}
    if form.is_valid() and (regions := _regions(form, context)) is not None:
        try:
            context.update(
                maps.indicator_map(
                    form.cleaned_data["indicator"],
                    regions,
                    suppressed=False,
                    **form.options(),
                )
            )
        except maps.MapInputError as error:
            form.add_error(error.field, error.message)
    status = 400 if form.errors else 200
    offer_map_choices(form, context)
    return render(request, "monitoring/backoffice/map.html", context, status=status)


@permission_required("monitoring.view_coverage")
@require_GET
def coverage_view(request: HttpRequest) -> HttpResponse:
    """Offers of a topic or target group per area against the people they are for."""
    form = CoverageForm(request.GET or None, area_ids=analysable_area_ids(request.user))
    context: dict[str, Any] = {"form": form, "result": None, "chart": None}
    if form.is_valid() and (regions := _regions(form, context)) is not None:
        data = form.cleaned_data
        context["years"] = maps.years_with_figures(data["indicator"], regions.areas)
        if data["year"] is not None and data["year"] not in context["years"]:
            form.add_error("year", _("There are no figures of this indicator for %(year)d.")
                           % {"year": data["year"]})  # fmt: skip
        else:
            result = coverage.coverage(
                regions.areas,
                indicator=data["indicator"],
                topic=data["topic"],
                target_group=data["target_group"],
                weight=data["weight"],
                per=data["per"],
                year=data["year"],
                suppressed=not request.user.has_perm("monitoring.view_unsuppressed"),
            )
            context.update(result=result, scope=regions.scope, kind=regions.kind)
            context["chart"] = coverage_map(result, **form.options())
    status = 400 if form.errors else 200
    offer_map_choices(form, context)
    return render(request, "monitoring/backoffice/coverage.html", context, status=status)


def coverage_map(result: coverage.Result, *, method: str, classes: int, year: Any) -> Any:
    """The ratios as a choropleth (areas without a ratio hatched, with the reason)."""
    per = format_number(result.per)
    what = _("offers") if result.weight == coverage.OFFERS else _("opening hours a week")
    title = _("%(what)s per %(per)s people they are for") % {"what": what, "per": per}
    regions = [
        choropleth.Region(row.area.name, row.area.boundary, row.ratio, row.note)
        for row in result.rows
    ]
    return choropleth.choropleth(
        title, regions, classes=classes, method=method, value_label=title, places=2
    )
