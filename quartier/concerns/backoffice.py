"""Back office of concerns (/verwaltung/concerns/): the inbox, a concern with its actions
(status, forward, answer, merge, agenda), routing rules, Open311 clients, notifications."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.accounts.rules import is_platform_admin
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids
from quartier.concerns import selectors, services
from quartier.concerns.forms import (
    AgendaForm,
    AnswerForm,
    ClientForm,
    MergeForm,
    RuleForm,
    SettingForm,
    StatusForm,
)
from quartier.concerns.models import (
    ApiClient,
    Concern,
    CoordinatorSetting,
    NotifyChoice,
    Photo,
    RoutingRule,
)
from quartier.concerns.rules import handled_filter
from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader, permission_required
from quartier.networks.models import Meeting, MeetingStatus
from quartier.networks.rules import coordinated_body_ids

PAGE_SIZE = 50


def handled(user):
    concerns = Concern.objects.all()
    return concerns if user.is_superuser else concerns.filter(handled_filter(user))


@loader
def load_concern(request: HttpRequest, pk: int) -> Concern:
    return get_object_or_404(
        Concern.objects.select_related(
            "category", "area", "body", "organisation", "person", "merged_into", "api_client"
        ),
        pk=pk,
    )


@permission_required("concerns.view_inbox")
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    concerns = handled(request.user).select_related("category", "area")
    show = request.GET.get("show", "open")
    if show == "open":
        concerns = concerns.open()
    elif show == "flagged":
        concerns = concerns.filter(flagged=True).open()
    page = Paginator(concerns.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "concerns/backoffice/inbox.html", {"page": page, "show": show})


def _meetings(request: HttpRequest, concern: Concern):
    bodies = coordinated_body_ids(request.user)
    meetings = Meeting.objects.filter(status=MeetingStatus.SCHEDULED, start__gte=timezone.now())
    if not request.user.is_superuser:
        meetings = meetings.filter(body_id__in=bodies)
    return meetings.select_related("body").order_by("start")[:50]


def _detail(request: HttpRequest, concern: Concern, *, status: int = 200, **forms) -> HttpResponse:
    meetings = _meetings(request, concern)
    context = {
        "concern": concern,
        "updates": concern.updates.select_related("author"),
        "photos": concern.photos.all(),
        "history": concern.history.select_related("history_user")[:50],
        "nearby": (
            selectors.nearby(lat=concern.lat, lon=concern.lon, exclude=concern.pk)
            if concern.lat is not None
            else []
        ),
        "decisions": selectors.agenda_decisions(concern),
        "status_form": forms.get("status_form")
        or StatusForm(initial={"status": concern.status, "note_public": True}),
        "answer_form": forms.get("answer_form") or AnswerForm(),
        "merge_form": forms.get("merge_form") or MergeForm(),
        "agenda_form": forms.get("agenda_form")
        or AgendaForm(meetings=Meeting.objects.filter(pk__in=[m.pk for m in meetings])),
        "has_meetings": bool(meetings),
    }
    return render(request, "concerns/backoffice/detail.html", context, status=status)


@permission_required("concerns.change_concern", fn=load_concern)
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, load_concern(request, pk=pk))


@permission_required("concerns.change_concern", fn=load_concern)
@require_POST
def set_status(request: HttpRequest, pk: int) -> HttpResponse:
    concern = load_concern(request, pk=pk)
    form = StatusForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.concern_set_status(
                concern=concern,
                status=data["status"],
                user=request.user,
                note=data["note"],
                note_public=data["note_public"],
                forwarded_to=data["forwarded_to"],
                forwarded_on=data["forwarded_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The status has been changed."))
            return redirect("backoffice:concerns:detail", pk=concern.pk)
    return _detail(request, concern, status=400, status_form=form)


@permission_required("concerns.change_concern", fn=load_concern)
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    concern = load_concern(request, pk=pk)
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            services.concern_answer(
                concern=concern,
                text=form.cleaned_data["text"],
                is_public=form.cleaned_data["is_public"],
                user=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The answer has been saved."))
            return redirect("backoffice:concerns:detail", pk=concern.pk)
    return _detail(request, concern, status=400, answer_form=form)


@permission_required("concerns.change_concern", fn=load_concern)
@require_POST
def merge(request: HttpRequest, pk: int) -> HttpResponse:
    """Merge this concern into another one the user also handles."""
    concern = load_concern(request, pk=pk)
    form = MergeForm(request.POST)
    if form.is_valid():
        into = Concern.objects.filter(pk=form.cleaned_data["into"]).first()
        if into is None or not request.user.has_perm("concerns.change_concern", into):
            form.add_error("into", _("There is no concern with this number that you handle."))
        else:
            try:
                services.concern_merge(duplicate=concern, into=into, user=request.user)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The concerns have been merged."))
                return redirect("backoffice:concerns:detail", pk=into.pk)
    return _detail(request, concern, status=400, merge_form=form)


@permission_required("concerns.change_concern", fn=load_concern)
@require_POST
def agenda(request: HttpRequest, pk: int) -> HttpResponse:
    concern = load_concern(request, pk=pk)
    meetings = Meeting.objects.filter(pk__in=[m.pk for m in _meetings(request, concern)])
    form = AgendaForm(request.POST, meetings=meetings)
    if form.is_valid():
        try:
            services.concern_put_on_agenda(
                concern=concern, meeting=form.cleaned_data["meeting"], user=request.user
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The concern is on the agenda."))
            return redirect("backoffice:concerns:detail", pk=concern.pk)
    return _detail(request, concern, status=400, agenda_form=form)


@loader
def load_photo(request: HttpRequest, pk: int) -> Photo:
    return get_object_or_404(Photo.objects.select_related("concern__person"), pk=pk)


def _photo_concern(request: HttpRequest, pk: int) -> Concern:
    return load_photo(request, pk=pk).concern


@permission_required("concerns.change_concern", fn=_photo_concern)
@require_GET
def photo(request: HttpRequest, pk: int) -> HttpResponse:
    item = load_photo(request, pk=pk)
    # Read whole (photos are small after re-encoding), so no file handle outlives the request.
    try:
        with item.image.open("rb") as handle:
            content = handle.read()
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    response = HttpResponse(content, content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


def _rule_form(request: HttpRequest, data=None) -> RuleForm:
    form = RuleForm(data)
    if not is_platform_admin(request.user):
        form.fields["area"].queryset = Area.objects.filter(pk__in=managed_area_ids(request.user))
        form.fields["area"].required = True
    return form


def _rules_of(user):
    rules = RoutingRule.objects.select_related("area", "category", "body", "organisation", "person")
    if not is_platform_admin(user):
        rules = rules.filter(area_id__in=managed_area_ids(user))
    return rules


@permission_required("concerns.manage_rules")
@require_http_methods(["GET", "POST"])
def rules(request: HttpRequest) -> HttpResponse:
    form = _rule_form(request, request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            duplicate = RoutingRule.objects.filter(area=data["area"], category=data["category"])
            if duplicate.exists():
                form.add_error(None, _("There is a rule for this area and category already."))
            else:
                form.save()
                messages.success(request, _("The rule has been saved."))
                return redirect("backoffice:concerns:rules")
        return render(
            request,
            "concerns/backoffice/rules.html",
            {"form": form, "rules": _rules_of(request.user)},
            status=400,
        )
    return render(
        request, "concerns/backoffice/rules.html", {"form": form, "rules": _rules_of(request.user)}
    )


@permission_required("concerns.manage_rules")
@require_POST
def rule_delete(request: HttpRequest, pk: int) -> HttpResponse:
    rule = get_object_or_404(_rules_of(request.user), pk=pk)
    rule.delete()
    messages.success(request, _("The rule has been deleted."))
    return redirect("backoffice:concerns:rules")


@permission_required("concerns.manage_clients")
@require_http_methods(["GET", "POST"])
def clients(request: HttpRequest) -> HttpResponse:
    form = ClientForm(request.POST or None)
    key = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            client, key = services.api_client_create(
                name=form.cleaned_data["name"], contact=form.cleaned_data["contact"]
            )
            messages.success(
                request, _("The key of %(name)s is shown once below.") % {"name": client.name}
            )
            form = ClientForm()
        else:
            status = 400
    return render(
        request,
        "concerns/backoffice/clients.html",
        {"form": form, "clients": ApiClient.objects.all(), "new_key": key},
        status=status,
    )


@permission_required("concerns.manage_clients")
@require_POST
def client_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    client = get_object_or_404(ApiClient, pk=pk)
    services.api_client_set_active(client=client, active=not client.is_active)
    return redirect("backoffice:concerns:clients")


@permission_required("concerns.view_inbox")
@require_http_methods(["GET", "POST"])
def settings_view(request: HttpRequest) -> HttpResponse:
    current = CoordinatorSetting.objects.filter(user=request.user).first()
    form = SettingForm(
        request.POST or None,
        initial={"notify": current.notify if current else NotifyChoice.AT_ONCE},
    )
    if request.method == "POST":
        if form.is_valid():
            services.setting_update(user=request.user, notify=form.cleaned_data["notify"])
            messages.success(request, _("Your choice has been saved."))
            return redirect("backoffice:concerns:settings")
        return render(request, "concerns/backoffice/settings.html", {"form": form}, status=400)
    return render(request, "concerns/backoffice/settings.html", {"form": form})
