"""Back office: requests to add an organisation, for those who manage the body they name."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from quartier.core.forms import add_service_errors
from quartier.core.permissions import loader, permission_required
from quartier.networks import selectors, services
from quartier.networks.forms import (
    OrganisationRequestAcceptForm,
    OrganisationRequestDeclineForm,
    OrganisationRequestFilterForm,
)
from quartier.networks.models import OrganisationRequest

PER_PAGE = 50


@loader
def organisation_request_by_pk(request: HttpRequest, pk: int, **kwargs) -> OrganisationRequest:
    requests = OrganisationRequest.objects.select_related(
        "body", "organisation", "decided_by"
    ).prefetch_related("body__areas")
    return get_object_or_404(requests, pk=pk)


@require_GET
@permission_required("networks.view_organisation_requests")
def organisation_request_list(request: HttpRequest) -> HttpResponse:
    form = OrganisationRequestFilterForm(request.GET or None)
    status = form.cleaned_data.get("status") if form.is_valid() else ""
    requests = selectors.organisation_requests_for(request.user)
    if status == "decided":
        requests = requests.decided().order_by("-decided_at", "-pk")
    else:
        status = "open"
        requests = requests.open().order_by("created_at", "pk")
    page = Paginator(requests, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "networks/manage/organisation_requests.html",
        {"page": page, "status": status, "form": form},
        status=200 if form.is_valid() or not request.GET else 400,
    )


def _detail(
    request: HttpRequest,
    obj: OrganisationRequest,
    *,
    accept_form: OrganisationRequestAcceptForm | None = None,
    decline_form: OrganisationRequestDeclineForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {"organisation_request": obj}
    if obj.is_open:
        context["accept_form"] = accept_form or OrganisationRequestAcceptForm(
            organisation_request=obj
        )
        context["decline_form"] = decline_form or OrganisationRequestDeclineForm()
    return render(request, "networks/manage/organisation_request.html", context, status=status)


@require_GET
@permission_required("networks.decide_organisation_request", fn=organisation_request_by_pk)
def organisation_request_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, organisation_request_by_pk(request, pk=pk))


@require_POST
@permission_required("networks.decide_organisation_request", fn=organisation_request_by_pk)
def organisation_request_accept(request: HttpRequest, pk: int) -> HttpResponse:
    obj = organisation_request_by_pk(request, pk=pk)
    form = OrganisationRequestAcceptForm(request.POST, organisation_request=obj)
    if form.is_valid():
        data = form.cleaned_data
        try:
            organisation = services.organisation_request_accept(
                organisation_request=obj,
                user=request.user,
                name=data["name"],
                kind=data["kind"],
                area_ids=[area.pk for area in data["areas"]],
                website=data["website"],
                email=data["email"],
                description=data["description"],
                member_now=data["member_now"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("“%(name)s” is now in the directory; the requester is told by e-mail.")
                % {"name": organisation.name},
            )
            return redirect("backoffice:networks:organisation_request", pk=obj.pk)
    return _detail(request, obj, accept_form=form, status=422)


@require_POST
@permission_required("networks.decide_organisation_request", fn=organisation_request_by_pk)
def organisation_request_decline(request: HttpRequest, pk: int) -> HttpResponse:
    obj = organisation_request_by_pk(request, pk=pk)
    form = OrganisationRequestDeclineForm(request.POST)
    if form.is_valid():
        try:
            services.organisation_request_decline(
                organisation_request=obj, user=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The request is declined; the requester is told why."))
            return redirect("backoffice:networks:organisation_request", pk=obj.pk)
    return _detail(request, obj, decline_form=form, status=422)
