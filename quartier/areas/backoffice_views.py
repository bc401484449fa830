"""Back-office pages for areas: list, create, edit, history (admins all, planners their own)."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from quartier.accounts.rules import is_platform_admin
from quartier.areas.forms import AreaForm
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import parent_link_entries
from quartier.areas.services import area_save
from quartier.core.history import render_history
from quartier.core.permissions import loader, permission_required

PAGE_SIZE = 50


@loader
def _area(request: HttpRequest, slug: str) -> Area:
    return get_object_or_404(Area.objects.select_related("kind"), slug=slug)


@permission_required("areas.access_backoffice")
def area_list(request: HttpRequest) -> HttpResponse:
    areas = Area.objects.select_related("kind").order_by("kind__level", "name")
    if not is_platform_admin(request.user):
        areas = areas.filter(pk__in=managed_area_ids(request.user))
    query = request.GET.get("q", "").strip()[:100]
    if query:
        areas = areas.search(query)
    page = Paginator(areas, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "areas/backoffice/list.html", {"page": page, "query": query})


def _save(request: HttpRequest, form: AreaForm) -> HttpResponse:
    area = form.save(commit=False)
    editable = None if is_platform_admin(request.user) else managed_area_ids(request.user)
    area_save(user=request.user, area=area, parents=form.parents, editable_parent_ids=editable)
    messages.success(request, _("The area “%(name)s” has been saved.") % {"name": area.name})
    return redirect("backoffice:areas:edit", slug=area.slug)


@permission_required("areas.add_area")
@require_http_methods(["GET", "POST"])
def area_create(request: HttpRequest) -> HttpResponse:
    form = AreaForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    status = 422 if form.is_bound else 200
    return render(request, "areas/backoffice/form.html", {"form": form}, status=status)


@permission_required("areas.change_area", fn=_area)
@require_http_methods(["GET", "POST"])
def area_edit(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _area(request, slug=slug)
    form = AreaForm(request.POST or None, request.FILES or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save(request, form)
    status = 422 if form.is_bound else 200
    return render(request, "areas/backoffice/form.html", {"form": form, "area": obj}, status=status)


@permission_required("areas.change_area", fn=_area)
def area_history(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _area(request, slug=slug)
    return render_history(
        request,
        obj,
        back_url=reverse("backoffice:areas:edit", kwargs={"slug": obj.slug}),
        extra_entries=parent_link_entries(obj),
    )
