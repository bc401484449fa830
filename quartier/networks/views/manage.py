"""Back office: bodies, members, requests to join, documents, planner overview, report, feed."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from quartier.areas.rules import managed_area_ids
from quartier.core.permissions import permission_required
from quartier.networks import selectors, services
from quartier.networks.forms import (
    BodyForm,
    DecideForm,
    DelegateForm,
    DocumentForm,
    MembershipForm,
    MembershipRoomForm,
)
from quartier.networks.models import (
    ActionItem,
    CalendarToken,
    Document,
    JoinRequest,
    Meeting,
    Membership,
)
from quartier.networks.rules import planned_body_ids
from quartier.networks.views.common import body_by_slug, report_error, report_form_errors

MEETINGS_PER_PAGE = 50


@require_GET
@permission_required("networks.use_backoffice")
def index(request: HttpRequest) -> HttpResponse:
    bodies = selectors.bodies_for_backoffice(request.user).order_by("name")
    return render(
        request,
        "networks/manage/index.html",
        {
            "bodies": bodies,
            "can_add": request.user.has_perm("networks.add_body"),
            "can_overview": request.user.has_perm("networks.view_overview"),
        },
    )


@require_http_methods(["GET", "POST"])
@permission_required("networks.add_body")
def body_create(request: HttpRequest) -> HttpResponse:
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        areas = set(form.cleaned_data["areas"].values_list("pk", flat=True))
        if not request.user.is_superuser and not areas & managed_area_ids(request.user):
            form.add_error("areas", _("Choose at least one of your areas."))
        else:
            body = form.save()
            messages.success(request, _("The body has been created."))
            return redirect("backoffice:networks:body", slug=body.slug)
    return render(
        request,
        "networks/manage/body_form.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@require_GET
@permission_required("networks.take_part_body", fn=body_by_slug)
def body_manage(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    body = obj
    can_manage = request.user.has_perm("networks.change_body", body)
    members = (
        Membership.objects.filter(body=body)
        .select_related("organisation")
        .prefetch_related("delegates__person")
        .order_by("end_date", "organisation__name")
    )
    members = list(members)
    candidates = selectors.delegate_candidates(m.organisation_id for m in members)
    for membership in members:
        membership.candidates = candidates.get(membership.organisation_id, [])
    page = Paginator(
        selectors.meetings_list(Meeting.objects.filter(body=body)).order_by("-start"),
        MEETINGS_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "body": body,
        "can_manage": can_manage,
        "members": members,
        "page": page,
        "pending": body.join_requests.filter(status=JoinRequest.Status.PENDING).count(),
        "rotation": selectors.rotation_history(body)[:20],
        "action_items": ActionItem.objects.filter(body=body)
        .open()
        .select_related("owner__organisation"),
        "documents": Document.objects.filter(body=body).prefetch_related("versions"),
        "membership_form": MembershipForm(),
        "delegate_form": DelegateForm(),
        "document_form": DocumentForm(),
        "today": timezone.localdate(),
    }
    return render(request, "networks/manage/body.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("networks.change_body", fn=body_by_slug)
def body_edit(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    form = BodyForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        body = form.save()
        messages.success(request, _("Saved."))
        return redirect("backoffice:networks:body", slug=body.slug)
    return render(
        request,
        "networks/manage/body_form.html",
        {"form": form, "body": obj},
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def membership_add(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    form = MembershipForm(request.POST)
    if form.is_valid():
        try:
            services.membership_add(body=obj, **form.cleaned_data)
            messages.success(request, _("The member has been added."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return redirect("backoffice:networks:body", slug=obj.slug)


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def membership_end(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    obj = body_by_slug(request, slug=slug, pk=pk)
    membership = get_object_or_404(Membership, pk=pk, body=obj)
    try:
        rehost = services.membership_end(membership=membership)
    except ValidationError as exc:
        report_error(request, exc)
    else:
        messages.success(request, _("The membership has ended; coming invitations were withdrawn."))
        if rehost:
            messages.info(
                request,
                _("The member was to host %(n)d coming meeting(s); the next host has been asked.")
                % {"n": len(rehost)},
            )
    return redirect("backoffice:networks:body", slug=obj.slug)


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def membership_room(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Set the room a member offers for the host rotation."""
    obj = body_by_slug(request, slug=slug, pk=pk)
    membership = get_object_or_404(Membership, pk=pk, body=obj)
    form = MembershipRoomForm(request.POST)
    if form.is_valid():
        try:
            services.membership_set_room(membership=membership, **form.cleaned_data)
            messages.success(request, _("The room has been saved."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return redirect("backoffice:networks:body", slug=obj.slug)


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def delegate_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    obj = body_by_slug(request, slug=slug, pk=pk)
    membership = get_object_or_404(Membership, pk=pk, body=obj)
    form = DelegateForm(
        request.POST, people=selectors.organisation_people(membership.organisation_id)
    )
    if form.is_valid():
        try:
            services.delegate_add(membership=membership, **form.cleaned_data)
            messages.success(request, _("The person has been delegated."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return redirect("backoffice:networks:body", slug=obj.slug)


@require_GET
@permission_required("networks.change_body", fn=body_by_slug)
def join_requests(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    requests = obj.join_requests.select_related("organisation", "decided_by").order_by(
        "status", "-created_at"
    )
    return render(
        request,
        "networks/manage/join_requests.html",
        {"body": obj, "requests": requests, "form": DecideForm()},
    )


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def join_request_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    obj = body_by_slug(request, slug=slug, pk=pk)
    join_request = get_object_or_404(JoinRequest, pk=pk, body=obj)
    form = DecideForm(request.POST)
    if form.is_valid():
        try:
            services.join_request_decide(
                join_request=join_request, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("The organisation is told by e-mail."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        messages.error(request, _("Choose accept or decline."))
    return redirect("backoffice:networks:join_requests", slug=obj.slug)


@require_POST
@permission_required("networks.change_body", fn=body_by_slug)
def document_upload(request: HttpRequest, slug: str) -> HttpResponse:
    obj = body_by_slug(request, slug=slug)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_add(body=obj, user=request.user, **form.cleaned_data)
            messages.success(request, _("The document has been uploaded."))
        except ValidationError as exc:
            report_error(request, exc)
    else:
        report_form_errors(request, form)
    return redirect("backoffice:networks:body", slug=obj.slug)


def _scope(request: HttpRequest) -> set[int] | None:
    return None if request.user.is_superuser else planned_body_ids(request.user)


@require_GET
@permission_required("networks.view_overview")
def overview(request: HttpRequest) -> HttpResponse:
    rows = selectors.planner_overview(_scope(request))
    return render(
        request,
        "networks/manage/overview.html",
        {"rows": rows, "year": timezone.localdate().year, "today": timezone.localdate()},
    )


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@require_GET
@permission_required("networks.view_overview")
def report(request: HttpRequest, year: int) -> HttpResponse:
    data = selectors.year_report(_scope(request), _year(year))
    return render(request, "networks/manage/report.html", {"report": data})


@require_GET
@permission_required("networks.view_overview")
def report_pdf(request: HttpRequest, year: int) -> HttpResponse:
    from weasyprint import HTML

    data = selectors.year_report(_scope(request), _year(year))
    html = render_to_string("networks/manage/report_pdf.html", {"report": data}, request=request)
    pdf = HTML(string=html, base_url=request.build_absolute_uri("/")).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="netzwerke-jahresbericht-{year}.pdf"'
    return response


@require_http_methods(["GET", "POST"])
@permission_required("networks.use_calendar")
def calendar(request: HttpRequest) -> HttpResponse:
    """A person's private feed: create, show, revoke (a new one replaces the old)."""
    person = getattr(request.user, "person", None)
    token = None
    if person is not None:
        token = CalendarToken.objects.filter(person=person, revoked_at__isnull=True).first()
        if request.method == "POST":
            with transaction.atomic():
                if token:
                    token.revoked_at = timezone.now()
                    token.save(update_fields=["revoked_at"])
                if request.POST.get("action") != "revoke":
                    token = CalendarToken.objects.create(person=person)
                    messages.success(request, _("Your calendar address has been created."))
                else:
                    token = None
                    messages.success(request, _("The calendar address no longer works."))
            return redirect("backoffice:networks:calendar")
    elif request.method == "POST":
        messages.error(
            request,
            _("Your login is not linked to a contact person, so there is no personal calendar."),
        )
    return render(request, "networks/manage/calendar.html", {"person": person, "token": token})
