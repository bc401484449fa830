"""Back-office pages (/verwaltung/projects/): concepts with goals and indicators, projects,
programmes, continuation tasks, the area dashboard and the CSV exports; the district funds
and their applications (agenda, vote, payment)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.areas.models import Area
from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader, permission_required
from quartier.networks.models import Meeting, MeetingStatus
from quartier.networks.rules import coordinated_body_ids
from quartier.projects import exports, report, sections, selectors, services
from quartier.projects.forms import (
    BudgetForm,
    ConceptForm,
    ContinuationTaskForm,
    FieldForm,
    FileForm,
    FundAgendaForm,
    FundDecisionForm,
    FundForm,
    FundStatusForm,
    GoalForm,
    ImportForm,
    IndicatorForm,
    MeasurementForm,
    MilestoneForm,
    ProgrammeForm,
    ProjectForm,
    ReportForm,
    StatusForm,
    UpdateForm,
)
from quartier.projects.models import (
    PENDING,
    Concept,
    Fund,
    FundApplication,
    Indicator,
    Programme,
    Project,
    ProjectFile,
)
from quartier.projects.rules import organisation_ids, seen_area_ids

PROJECT_M2M = ("areas", "partners", "goals", "target_groups")


@loader
def load_concept(request: HttpRequest, pk: int) -> Concept:
    return get_object_or_404(Concept.objects.select_related("area"), pk=pk)


@loader
def load_indicator(request: HttpRequest, pk: int) -> Indicator:
    return get_object_or_404(Indicator.objects.select_related("concept__area", "goal"), pk=pk)


@loader
def load_indicator_concept(request: HttpRequest, pk: int) -> Concept:
    return load_indicator(request, pk=pk).concept


@loader
def load_project(request: HttpRequest, pk: int) -> Project:
    return get_object_or_404(
        Project.objects.select_related("lead_organisation").prefetch_related("areas"), pk=pk
    )


@loader
def load_programme(request: HttpRequest, pk: int) -> Programme:
    return get_object_or_404(Programme.objects.prefetch_related("areas"), pk=pk)


@loader
def load_area(request: HttpRequest, slug: str) -> Area:
    return get_object_or_404(Area, slug=slug)


def _scope(request: HttpRequest) -> tuple[set[int], set[int]]:
    return seen_area_ids(request.user), organisation_ids(request.user)


@permission_required("projects.access_backoffice")
def index(request: HttpRequest) -> HttpResponse:
    areas, orgs = _scope(request)
    concepts = (
        selectors.concepts_for(areas)
        if not request.user.is_superuser
        else (Concept.objects.select_related("area"))
    )
    projects = selectors.managed_projects(request.user, areas, orgs)
    programmes = Programme.objects.order_by("ends_on")
    if not request.user.is_superuser:
        programmes = programmes.filter(areas__in=areas).distinct()
    context = {
        "concepts": list(concepts.filter(is_current=True)[:100]),
        "projects": list(projects[:200]),
        "programmes": list(programmes[:100]),
        "gaps": list(selectors.continuation_gaps(None if request.user.is_superuser else areas)),
        "dashboard_areas": list(
            Area.objects.filter(pk__in=areas).order_by("name")[:50]
            if not request.user.is_superuser
            else Area.objects.filter(concepts__isnull=False).distinct().order_by("name")[:50]
        ),
    }
    return render(request, "projects/backoffice/index.html", context)


def _render_concept(request, concept, *, status=200, **forms):
    context = {
        "concept": concept,
        "tree": selectors.concept_tree(concept),
        "versions": Concept.objects.filter(lineage=concept.lineage).order_by("-version"),
        "can_change": request.user.has_perm("projects.change_concept", concept),
        "field_form": forms.get("field_form") or FieldForm(),
        "goal_form": forms.get("goal_form") or GoalForm(concept=concept),
        "indicator_form": forms.get("indicator_form") or IndicatorForm(concept=concept),
        "measurement_form": forms.get("measurement_form") or MeasurementForm(concept=concept),
        "update_form": forms.get("update_form") or UpdateForm(),
    }
    return render(request, "projects/backoffice/concept.html", context, status=status)


@permission_required("projects.add_concept")
@require_http_methods(["GET", "POST"])
def concept_create(request: HttpRequest) -> HttpResponse:
    form = ConceptForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        concept = services.concept_create(**form.cleaned_data)
        messages.success(request, _("The concept has been created."))
        return redirect(concept)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/backoffice/form.html",
        {"form": form, "title": _("New concept")},
        status=status,
    )


@permission_required("projects.view_concept", fn=load_concept)
def concept_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_concept(request, load_concept(request, pk=pk))


@permission_required("projects.view_concept", fn=load_indicator_concept)
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = load_indicator(request, pk=pk)
    measurements = list(indicator.measurements.order_by("-date"))
    context = {
        "indicator": indicator,
        "concept": indicator.concept,
        "progress": selectors.progress_of(indicator, measurements[0] if measurements else None),
        "measurements": measurements,
        "chart": selectors.indicator_chart(indicator, measurements),
    }
    return render(request, "projects/backoffice/indicator.html", context)


def _concept_post(request, pk, form_class, key, write, done):
    concept = load_concept(request, pk=pk)
    kwargs = {} if form_class in (FieldForm, UpdateForm) else {"concept": concept}
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            result = write(concept, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect(result if isinstance(result, Concept) else concept)
    return _render_concept(request, concept, status=400, **{key: form})


@permission_required("projects.change_concept", fn=load_concept)
@require_POST
def field_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _concept_post(
        request, pk, FieldForm, "field_form",
        lambda c, d: services.field_add(concept=c, title=d["title"]),
        _("The field of action has been added."),
    )  # fmt: skip


@permission_required("projects.change_concept", fn=load_concept)
@require_POST
def goal_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _concept_post(
        request, pk, GoalForm, "goal_form",
        lambda c, d: services.goal_add(
            field=d["field"], title=d["title"], description=d["description"]
        ),
        _("The goal has been added."),
    )  # fmt: skip


@permission_required("projects.change_concept", fn=load_concept)
@require_POST
def indicator_add(request: HttpRequest, pk: int) -> HttpResponse:
    def write(concept, data):
        data = dict(data)
        return services.indicator_create(goal=data.pop("goal"), fields=data)

    return _concept_post(
        request, pk, IndicatorForm, "indicator_form", write, _("The indicator has been added.")
    )


@permission_required("projects.change_concept", fn=load_concept)
@require_POST
def measurement_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _concept_post(
        request, pk, MeasurementForm, "measurement_form",
        lambda c, d: services.measurement_record(**d),
        _("The measurement has been saved."),
    )  # fmt: skip


@permission_required("projects.change_concept", fn=load_concept)
@require_POST
def concept_update(request: HttpRequest, pk: int) -> HttpResponse:
    return _concept_post(
        request, pk, UpdateForm, "update_form",
        lambda c, d: services.concept_update(concept=c, **d),
        _("The new version has been created; the earlier one is kept."),
    )  # fmt: skip


@permission_required("projects.change_concept", fn=load_concept)
@require_http_methods(["GET", "POST"])
def measurement_import(request: HttpRequest, pk: int) -> HttpResponse:
    concept = load_concept(request, pk=pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                counts = services.measurements_import(
                    concept=concept, data=form.cleaned_data["file"].read()
                )
            except ValidationError as exc:
                form.add_error(None, exc.messages)
            else:
                messages.success(
                    request,
                    _("Imported: %(created)s new, %(replaced)s replaced, %(unchanged)s unchanged.")
                    % counts,
                )
                return redirect(concept)
    return render(
        request,
        "projects/backoffice/import.html",
        {"concept": concept, "form": form},
        status=status,
    )


@loader
def load_compared(request: HttpRequest, pk: int, other: int) -> Concept:
    return load_concept(request, pk=pk)


@permission_required("projects.view_concept", fn=load_compared)
def concept_compare(request: HttpRequest, pk: int, other: int) -> HttpResponse:
    concept = load_compared(request, pk=pk, other=other)
    earlier = get_object_or_404(Concept, pk=other, lineage=concept.lineage)
    return render(
        request,
        "projects/backoffice/compare.html",
        {"concept": concept, "earlier": earlier, "rows": selectors.compare(earlier, concept)},
    )


def _split(form) -> tuple[dict, dict]:
    data = dict(form.cleaned_data)
    relations = {name: data.pop(name) for name in PROJECT_M2M if name in data}
    return data, relations


@permission_required("projects.add_project")
@require_http_methods(["GET", "POST"])
def project_create(request: HttpRequest) -> HttpResponse:
    form = ProjectForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields, relations = _split(form)
        try:
            project = services.project_create(fields=fields, user=request.user, **relations)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("backoffice:projects:project", pk=project.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/backoffice/form.html",
        {"form": form, "title": _("New project")},
        status=status,
    )


def _render_project(request, project, *, status=200, **forms):
    context = {
        "project": project,
        "can_change": request.user.has_perm("projects.change_project", project),
        "form": forms.get("form") or ProjectForm(instance=project, user=request.user),
        "status_form": forms.get("status_form") or StatusForm(initial={"status": project.status}),
        "milestone_form": forms.get("milestone_form") or MilestoneForm(),
        "budget_form": forms.get("budget_form") or BudgetForm(),
        "history": project.history.select_related("history_user").order_by("-history_date")[:30],
        "lines": project.budget_lines.select_related("programme"),
        "milestones": project.milestones.all(),
        "files": project.files.all(),
        "file_form": forms.get("file_form") or FileForm(),
    }
    return render(request, "projects/backoffice/project.html", context, status=status)


@permission_required("projects.view_project", fn=load_project)
@require_http_methods(["GET", "POST"])
def project_detail(request: HttpRequest, pk: int) -> HttpResponse:
    project = load_project(request, pk=pk)
    if request.method == "GET":
        return _render_project(request, project)
    if not request.user.has_perm("projects.change_project", project):
        raise PermissionDenied
    form = ProjectForm(request.POST, instance=project, user=request.user)
    if form.is_valid():
        fields, relations = _split(form)
        try:
            services.project_update(project=project, fields=fields, user=request.user, **relations)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The project has been saved."))
            return redirect("backoffice:projects:project", pk=project.pk)
    return _render_project(request, project, status=400, form=form)


def _project_post(request, pk, form_class, key, write, done):
    project = load_project(request, pk=pk)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            write(project, form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("backoffice:projects:project", pk=project.pk)
    return _render_project(request, project, status=400, **{key: form})


@permission_required("projects.change_project", fn=load_project)
@require_POST
def project_status(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request, pk, StatusForm, "status_form",
        lambda p, d: services.project_set_status(project=p, status=d["status"], user=request.user),
        _("The status has been changed."),
    )  # fmt: skip


@permission_required("projects.change_project", fn=load_project)
@require_POST
def milestone_add(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request, pk, MilestoneForm, "milestone_form",
        lambda p, d: services.milestone_add(project=p, **d),
        _("The milestone has been added."),
    )  # fmt: skip


@permission_required("projects.change_project", fn=load_project)
@require_POST
def budget_set(request: HttpRequest, pk: int) -> HttpResponse:
    return _project_post(
        request, pk, BudgetForm, "budget_form",
        lambda p, d: services.budget_line_set(project=p, **d),
        _("The budget line has been saved."),
    )  # fmt: skip


@permission_required("projects.change_project", fn=load_project)
@require_POST
def file_add(request: HttpRequest, pk: int) -> HttpResponse:
    project = load_project(request, pk=pk)
    form = FileForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.project_file_add(project=project, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The file has been stored."))
            return redirect("backoffice:projects:project", pk=project.pk)
    return _render_project(request, project, status=400, file_form=form)


@loader
def load_file(request: HttpRequest, pk: int, file_id: int) -> Project:
    return load_project(request, pk=pk)


@permission_required("projects.view_project", fn=load_file)
def file_download(request: HttpRequest, pk: int, file_id: int) -> HttpResponse:
    stored = get_object_or_404(ProjectFile, pk=file_id, project_id=pk)
    # Read whole (files are capped) so no file handle outlives the response.
    with stored.file.open("rb") as handle:
        content = handle.read()
    response = HttpResponse(content, content_type=stored.mime_type)
    response["Content-Disposition"] = content_disposition_header(True, stored.file_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@permission_required("projects.add_programme")
@require_http_methods(["GET", "POST"])
def programme_create(request: HttpRequest) -> HttpResponse:
    form = ProgrammeForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = data.pop("areas")
        try:
            services.programme_create(fields=data, areas=areas, user=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme has been saved."))
            return redirect("backoffice:projects:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/backoffice/form.html",
        {"form": form, "title": _("New funding programme")},
        status=status,
    )


@permission_required("projects.change_programme", fn=load_programme)
@require_http_methods(["GET", "POST"])
def programme_edit(request: HttpRequest, pk: int) -> HttpResponse:
    programme = load_programme(request, pk=pk)
    form = ProgrammeForm(request.POST or None, instance=programme, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        areas = data.pop("areas")
        try:
            services.programme_update(
                programme=programme, fields=data, areas=areas, user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The programme has been saved."))
            return redirect("backoffice:projects:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/backoffice/form.html",
        {"form": form, "title": programme.name},
        status=status,
    )


@permission_required("projects.add_programme")
@require_http_methods(["GET", "POST"])
def task_create(request: HttpRequest) -> HttpResponse:
    form = ContinuationTaskForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.continuation_task_save(fields=form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The task has been saved."))
            return redirect("backoffice:projects:index")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "projects/backoffice/form.html",
        {"form": form, "title": _("New continuation task")},
        status=status,
    )


@permission_required("projects.view_area_dashboard", fn=load_area)
def area_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    area = load_area(request, slug=slug)
    return render(request, "projects/backoffice/dashboard.html", selectors.area_dashboard(area))


@permission_required("projects.access_backoffice")
def export_projects(request: HttpRequest) -> HttpResponse:
    areas, orgs = _scope(request)
    projects = selectors.managed_projects(request.user, areas, orgs).prefetch_related(
        "areas", "partners", "budget_lines"
    )
    return exports.projects_csv(request, projects)


@permission_required("projects.access_backoffice")
def export_indicators(request: HttpRequest) -> HttpResponse:
    areas, _orgs = _scope(request)
    concepts = Concept.objects.filter(is_current=True)
    if not request.user.is_superuser:
        concepts = concepts.filter(area_id__in=areas)
    return exports.indicators_csv(request, concepts)


# --- District fund (Verfügungsfonds) -------------------------------------------------------


@loader
def load_fund(request: HttpRequest, pk: int) -> Fund:
    return get_object_or_404(Fund.objects.select_related("area", "body"), pk=pk)


@loader
def load_application(request: HttpRequest, pk: int) -> FundApplication:
    return get_object_or_404(
        FundApplication.objects.select_related(
            "fund__area", "fund__body", "agenda_item__meeting__body", "decided_at_meeting"
        ),
        pk=pk,
    )


@permission_required("projects.access_backoffice")
@require_GET
def fund_index(request: HttpRequest) -> HttpResponse:
    """The funds and applications of the user's areas (coordinators and planners)."""
    areas = seen_area_ids(request.user)
    show = request.GET.get("show", "pending")
    applications = selectors.managed_applications(request.user, areas)
    if show == "pending":
        applications = applications.filter(status__in=PENDING)
    context = {
        "funds": list(selectors.managed_funds(request.user, areas)[:100]),
        "applications": list(applications[:200]),
        "show": show,
    }
    return render(request, "projects/backoffice/fund_index.html", context)


def _fund_form(request: HttpRequest, fund: Fund | None) -> HttpResponse:
    form = FundForm(request.POST or None, instance=fund, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.fund_save(fields=dict(form.cleaned_data), fund=fund)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The fund has been saved."))
            return redirect("backoffice:projects:fund_edit", pk=saved.pk)
    status = 400 if request.method == "POST" else 200
    title = str(fund) if fund else _("New district fund")
    context = {"form": form, "title": title, "fund": fund}
    return render(request, "projects/backoffice/fund_form.html", context, status=status)


@permission_required("projects.add_fund")
@require_http_methods(["GET", "POST"])
def fund_create(request: HttpRequest) -> HttpResponse:
    return _fund_form(request, None)


@permission_required("projects.change_fund", fn=load_fund)
@require_http_methods(["GET", "POST"])
def fund_edit(request: HttpRequest, pk: int) -> HttpResponse:
    return _fund_form(request, load_fund(request, pk=pk))


def _agenda_meetings(request: HttpRequest, application: FundApplication):
    """Coming meetings of the fund's deciding body, of the bodies of its area, or of the
    bodies the user coordinates."""
    fund = application.fund
    bodies = Q(body__areas=fund.area_id) | Q(body_id__in=coordinated_body_ids(request.user))
    if fund.body_id:
        bodies |= Q(body_id=fund.body_id)
    meetings = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, start__gte=timezone.now())
    ids = meetings.filter(bodies).values_list("pk", flat=True).distinct()[:50]
    return Meeting.objects.filter(pk__in=list(ids)).select_related("body").order_by("start")


def _application(
    request: HttpRequest, application: FundApplication, *, status: int = 200, **forms
) -> HttpResponse:
    meetings = _agenda_meetings(request, application)
    granted = application.amount_granted if application.is_granted else None
    context = {
        "application": application,
        "summary": selectors.fund_summary(application.fund),
        "history": application.history.select_related("history_user")[:50],
        "agenda_form": forms.get("agenda_form") or FundAgendaForm(meetings=meetings),
        "decision_form": forms.get("decision_form")
        or FundDecisionForm(initial={"amount_granted": application.amount_requested}),
        "status_form": forms.get("status_form") or FundStatusForm(),
        "can_change": request.user.has_perm("projects.change_fund_application", application),
        "granted": granted,
    }
    return render(request, "projects/backoffice/application.html", context, status=status)


@permission_required("projects.view_fund_application", fn=load_application)
@require_GET
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _application(request, load_application(request, pk=pk))


@permission_required("projects.change_fund_application", fn=load_application)
@require_POST
def application_agenda(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk=pk)
    form = FundAgendaForm(request.POST, meetings=_agenda_meetings(request, application))
    if form.is_valid():
        try:
            services.fund_application_put_on_agenda(
                application=application, meeting=form.cleaned_data["meeting"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The application is on the agenda."))
            return redirect("backoffice:projects:application", pk=application.pk)
    return _application(request, application, status=400, agenda_form=form)


def _record_vote(application: FundApplication, form: FundDecisionForm) -> None:
    """The vote of a valid decision form, through the one service both entry points use (the
    application's page and the minutes editor of its meeting); raises its ValidationError."""
    data = form.cleaned_data
    services.fund_application_decide(
        application=application,
        outcome=data["outcome"],
        amount_granted=data["amount_granted"],
        votes_for=data["votes_for"],
        votes_against=data["votes_against"],
        abstentions=data["abstentions"],
        note=data["note"],
    )


@permission_required("projects.change_fund_application", fn=load_application)
@require_POST
def application_decide(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk=pk)
    form = FundDecisionForm(request.POST)
    if form.is_valid():
        try:
            _record_vote(application, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The decision has been recorded in the minutes."))
            return redirect("backoffice:projects:application", pk=application.pk)
    return _application(request, application, status=400, decision_form=form)


@permission_required("projects.change_fund_application", fn=load_application)
@require_POST
def application_vote(request: HttpRequest, pk: int) -> HttpResponse:
    """The vote recorded in the minutes editor of the application's meeting (the form of
    projects/partials/minutes_section.html): back to that page, errors as messages, the way
    the editor's own forms answer."""
    application = load_application(request, pk=pk)
    if application.agenda_item is None:
        messages.error(request, _("Put the application on a meeting's agenda first."))
        return redirect("backoffice:projects:application", pk=application.pk)
    form = FundDecisionForm(request.POST, prefix=sections.vote_prefix(application))
    if form.is_valid():
        try:
            _record_vote(application, form)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The decision has been recorded in the minutes."))
    else:
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else None
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else str(error))
    url = reverse("backoffice:networks:meeting", kwargs={"pk": application.agenda_item.meeting_id})
    return redirect(f"{url}#fund-{application.pk}")


@permission_required("projects.change_fund_application", fn=load_application)
@require_POST
def application_status(request: HttpRequest, pk: int) -> HttpResponse:
    application = load_application(request, pk=pk)
    form = FundStatusForm(request.POST)
    if form.is_valid():
        try:
            services.fund_application_set_status(
                application=application, status=form.cleaned_data["status"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("backoffice:projects:application", pk=application.pk)
    return _application(request, application, status=400, status_form=form)


def _report(request: HttpRequest):
    """(form, context, status) of the progress report asked for in the query string."""
    asked = any(key in request.GET for key in ("area", "programme", "start", "end"))
    form = ReportForm(request.GET if asked else None, user=request.user)
    if not asked:
        return form, None, 200
    if not form.is_valid():
        return form, None, 400
    area, programme = form.cleaned_data["area"], form.cleaned_data["programme"]
    if area is not None and not request.user.has_perm("projects.view_area_dashboard", area):
        raise PermissionDenied
    if programme is not None and not request.user.has_perm(
        "projects.view_programme_report", programme
    ):
        raise PermissionDenied
    scope = report.Scope(
        start=form.cleaned_data["start"],
        end=form.cleaned_data["end"],
        area=area,
        programme=programme,
    )
    return form, report.build(scope), 200


@permission_required("projects.view_report")
def progress_report(request: HttpRequest) -> HttpResponse:
    form, context, status = _report(request)
    pdf_query = request.GET.urlencode() if context else ""
    return render(
        request,
        "projects/report/page.html",
        {"form": form, "report": context, "pdf_query": pdf_query},
        status=status,
    )


@permission_required("projects.view_report")
def progress_report_pdf(request: HttpRequest) -> HttpResponse:
    form, context, _status = _report(request)
    if context is None:
        return render(
            request,
            "projects/report/page.html",
            {"form": form, "report": None, "pdf_query": ""},
            status=400,
        )
    data = report.render_pdf(context, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(data, content_type="application/pdf")
    name = f"fortschrittsbericht-{context['scope'].start:%Y%m%d}-{context['scope'].end:%Y%m%d}.pdf"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response
