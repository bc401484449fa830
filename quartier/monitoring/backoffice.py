"""Back office of the monitoring (/verwaltung/monitoring/): indicators and the CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Count, Max, Min
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.core.permissions import permission_required
from quartier.monitoring import services
from quartier.monitoring.forms import ImportForm
from quartier.monitoring.models import Indicator
from quartier.monitoring.rules import importable_area_ids


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
