"""The public view: running projects of a district on a map and in a list, completed projects
with their results, and one page per project (goal and partners; never people's data); the
district funds with what is granted and left, the application form and the applicant's
tracking page (signed link)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from quartier.areas.models import Area
from quartier.core.registry import render_sections
from quartier.core.throttle import throttle_post
from quartier.projects import hooks, selectors, services, tokens
from quartier.projects.forms import FUND_CONSENT, FundApplicationForm
from quartier.projects.models import Fund, FundApplication, FundStatus, Project, Status


def project_list(request: HttpRequest) -> HttpResponse:
    area = None
    slug = request.GET.get("area", "")
    if slug:
        area = get_object_or_404(Area.objects.public(), slug=slug)
    running = list(selectors.public_projects(area, Status.RUNNING)[:200])
    completed = list(selectors.public_projects(area, Status.COMPLETED)[:200])
    points = [
        {"title": p.title, "lat": p.lat, "lon": p.lon, "url": p.get_absolute_url()}
        for p in running
        if p.lat is not None and p.lon is not None
    ]
    context = {"area": area, "running": running, "completed": completed, "points": points}
    return render(request, "projects/list.html", context)


def project_detail(request: HttpRequest, slug: str) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.public()
        .select_related("lead_organisation")
        .prefetch_related("partners", "areas", "goals__field__concept", "target_groups"),
        slug=slug,
    )
    sections = render_sections(hooks.project_sections, request, project)
    return render(request, "projects/detail.html", {"project": project, "sections": sections})


# --- District fund (Verfügungsfonds) -------------------------------------------------------


@require_GET
def fund_list(request: HttpRequest) -> HttpResponse:
    """Every public area's funds with budget, granted and left (no personal data)."""
    funds = list(selectors.public_funds()[:200])
    return render(request, "projects/fund_list.html", {"funds": funds})


@require_GET
def fund_detail(request: HttpRequest, pk: int) -> HttpResponse:
    funds = Fund.objects.filter(area__is_public=True).select_related("area")
    fund = get_object_or_404(funds, pk=pk)
    context = {"summary": selectors.fund_summary(fund), "fund": fund}
    return render(request, "projects/fund_detail.html", context)


@throttle_post("projects.fund_apply")
@require_http_methods(["GET", "POST"])
def fund_apply(request: HttpRequest) -> HttpResponse:
    initial = {"area": request.GET.get("area", "")} if request.method == "GET" else None
    form = FundApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            applied = services.fund_apply(
                area=data["area"],
                title=data["title"],
                initiative=data["initiative"],
                purpose=data["purpose"],
                amount=data["amount"],
                planned_on=data["planned_on"],
                applicant_name=data["applicant_name"],
                applicant_email=data["applicant_email"],
                consent_given=data["consent"],
                consent_text=FUND_CONSENT,
                language=get_language() or "de",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your application has the number %(number)s. Keep the address "
                    "of this page: it shows what becomes of your application."
                )
                % {"number": applied.application.number},
            )
            return redirect("projects:fund_track", token=applied.token)
    status = 400 if request.method == "POST" else 200
    return render(request, "projects/fund_apply.html", {"form": form}, status=status)


@throttle_post("projects.fund_track")
@require_http_methods(["GET", "POST"])
def fund_track(request: HttpRequest, token: str) -> HttpResponse:
    """The applicant's page (signed link): status and the public decision; POST withdraws a
    pending application."""
    pk = tokens.fund_application_id(token)
    application = (
        FundApplication.objects.select_related("fund__area", "decided_at_meeting__body")
        .filter(pk=pk)
        .first()
        if pk
        else None
    )
    if application is None:
        raise Http404
    if request.method == "POST":
        try:
            services.fund_application_set_status(
                application=application, status=FundStatus.WITHDRAWN
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return render(
                request, "projects/fund_track.html", {"application": application}, status=400
            )
        messages.success(request, _("Your application has been withdrawn."))
        return redirect("projects:fund_track", token=token)
    return render(request, "projects/fund_track.html", {"application": application})
