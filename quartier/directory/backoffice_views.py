"""Back-office pages for organisations, people and positions (scoped by directory/rules.py)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from quartier.accounts.models import RoleAssignment
from quartier.core.geocoding import ESTIMATED, Source
from quartier.core.history import render_history
from quartier.core.permissions import loader, permission_required
from quartier.directory.forms import (
    AreaRoleForm,
    OrganisationForm,
    PartnerNoteForm,
    PersonForm,
    PositionForm,
)
from quartier.directory.models import Organisation, PartnerNote, Person, Position
from quartier.directory.rules import organisations_in_scope, people_in_scope
from quartier.directory.services import (
    area_role_areas,
    area_role_assign,
    area_role_assignments,
    area_role_organisations,
    area_role_revoke,
    organisation_save,
    partner_note_save,
    person_add_to_organisation,
    person_save,
    position_end,
)

PAGE_SIZE = 50


@loader
def _organisation(request: HttpRequest, slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


@loader
def _person(request: HttpRequest, pk: int) -> Person:
    return get_object_or_404(Person, pk=pk)


def _position(request: HttpRequest, pk: int) -> Position:
    return get_object_or_404(Position.objects.select_related("organisation", "person"), pk=pk)


def _status(form) -> int:
    return 422 if form.is_bound else 200


@permission_required("directory.access_backoffice")
def organisation_list(request: HttpRequest) -> HttpResponse:
    organisations = organisations_in_scope(request.user).order_by("name")
    query = request.GET.get("q", "").strip()[:100]
    if query:
        organisations = organisations.filter(name__icontains=query)
    page = Paginator(organisations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "directory/backoffice/organisation_list.html", {"page": page, "query": query}
    )


def _point_message(request: HttpRequest, source: str | None) -> None:
    """Tell the editor whether the point was looked up from the address, and how well."""
    if source is None:
        return
    if not source:
        messages.warning(
            request,
            _(
                "The address could not be found: the organisation is on no map. Please enter "
                "latitude and longitude."
            ),
        )
    elif source in ESTIMATED:
        messages.warning(
            request,
            _(
                "The position was estimated from the postcode (the postcode area, often a few "
                "kilometres): please check it, or enter latitude and longitude."
            ),
        )
    else:
        messages.info(
            request,
            _("The position was found from the address (%(source)s).")
            % {"source": Source(source).label},
        )


def _save_organisation(request: HttpRequest, form: OrganisationForm) -> HttpResponse:
    organisation = form.save(commit=False)
    area_ids = [area.pk for area in form.cleaned_data["areas"]]
    saved = organisation_save(user=request.user, organisation=organisation, area_ids=area_ids)
    messages.success(request, _("“%(name)s” has been saved.") % {"name": organisation.name})
    _point_message(request, saved.point_source)
    return redirect("backoffice:directory:organisation_edit", slug=organisation.slug)


@permission_required("directory.add_organisation")
@require_http_methods(["GET", "POST"])
def organisation_create(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save_organisation(request, form)
    return render(
        request, "directory/backoffice/organisation_form.html", {"form": form}, status=_status(form)
    )


@permission_required("directory.change_organisation", fn=_organisation)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _organisation(request, slug=slug)
    form = OrganisationForm(request.POST or None, instance=obj, user=request.user)
    if request.method == "POST" and form.is_valid():
        return _save_organisation(request, form)
    positions = obj.positions.select_related("person").order_by("end_date", "role")
    context: dict[str, Any] = {"form": form, "organisation": obj, "positions": positions}
    if request.user.has_perm("directory.view_partner_notes", obj):
        context["notes"] = _notes(obj)
        context["note_form"] = PartnerNoteForm(prefix="note")
    return render(
        request, "directory/backoffice/organisation_form.html", context, status=_status(form)
    )


def _notes(organisation: Organisation) -> list[PartnerNote]:
    return list(organisation.partner_notes.select_related("author").order_by("-updated_at", "-pk"))


@loader
def _note(request: HttpRequest, slug: str, pk: int) -> PartnerNote:
    return get_object_or_404(
        PartnerNote.objects.select_related("organisation"), pk=pk, organisation__slug=slug
    )


def _note_organisation(request: HttpRequest, slug: str, pk: int | None = None) -> Organisation:
    return _note(request, slug=slug, pk=pk).organisation if pk else _organisation(request, slug)


@require_POST
@permission_required("directory.view_partner_notes", fn=_note_organisation)
def partner_note_add(request: HttpRequest, slug: str) -> HttpResponse:
    """A staff note on the partner, posted from the organisation's page; with errors the page
    comes back with the form filled in (422)."""
    obj = _organisation(request, slug=slug)
    form = PartnerNoteForm(request.POST, prefix="note")
    if form.is_valid():
        note = form.save(commit=False)
        note.organisation = obj
        partner_note_save(user=request.user, note=note)
        messages.success(request, _("The note has been saved."))
        return redirect(
            reverse("backoffice:directory:organisation_edit", kwargs={"slug": obj.slug})
            + "#partner-notes"
        )
    positions = obj.positions.select_related("person").order_by("end_date", "role")
    return render(
        request,
        "directory/backoffice/organisation_form.html",
        {
            "form": OrganisationForm(instance=obj, user=request.user),
            "organisation": obj,
            "positions": positions,
            "notes": _notes(obj),
            "note_form": form,
        },
        status=422,
    )


@require_http_methods(["GET", "POST"])
@permission_required("directory.view_partner_notes", fn=_note_organisation)
def partner_note_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    note = _note(request, slug=slug, pk=pk)
    form = PartnerNoteForm(request.POST or None, instance=note)
    if request.method == "POST" and form.is_valid():
        partner_note_save(user=request.user, note=form.save(commit=False))
        messages.success(request, _("The note has been saved."))
        return redirect(
            reverse("backoffice:directory:organisation_edit", kwargs={"slug": slug})
            + "#partner-notes"
        )
    return render(
        request,
        "directory/backoffice/partner_note_form.html",
        {"form": form, "note": note, "organisation": note.organisation},
        status=_status(form),
    )


@permission_required("directory.change_organisation", fn=_organisation)
def organisation_history(request: HttpRequest, slug: str) -> HttpResponse:
    obj = _organisation(request, slug=slug)
    return render_history(
        request,
        obj,
        back_url=reverse("backoffice:directory:organisation_edit", kwargs={"slug": obj.slug}),
    )


@permission_required("directory.access_backoffice")
def person_list(request: HttpRequest) -> HttpResponse:
    current = Position.objects.current().select_related("organisation")
    people = (
        people_in_scope(request.user)
        .prefetch_related(Prefetch("positions", queryset=current, to_attr="current_positions"))
        .order_by("family_name", "given_name")
    )
    query = request.GET.get("q", "").strip()[:100]
    if query:
        people = people.filter(Q(family_name__icontains=query) | Q(given_name__icontains=query))
    page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "directory/backoffice/person_list.html", {"page": page, "query": query})


@permission_required("directory.change_organisation", fn=_organisation)
@require_http_methods(["GET", "POST"])
def person_create(request: HttpRequest, slug: str) -> HttpResponse:
    """A new contact person, created together with their position in this organisation."""
    obj = _organisation(request, slug=slug)
    person_form = PersonForm(request.POST or None, prefix="person")
    position_form = PositionForm(request.POST or None, prefix="position")
    if request.method == "POST" and person_form.is_valid() and position_form.is_valid():
        person_add_to_organisation(
            user=request.user,
            person=person_form.save(commit=False),
            organisation=obj,
            position=position_form.save(commit=False),
        )
        messages.success(request, _("The contact person has been added."))
        return redirect("backoffice:directory:organisation_edit", slug=obj.slug)
    return render(
        request,
        "directory/backoffice/person_create.html",
        {"organisation": obj, "person_form": person_form, "position_form": position_form},
        status=_status(person_form),
    )


@permission_required("directory.change_person", fn=_person)
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _person(request, pk=pk)
    form = PersonForm(request.POST or None, instance=obj)
    if request.method == "POST" and form.is_valid():
        person_save(user=request.user, person=form.save(commit=False))
        messages.success(request, _("“%(name)s” has been saved.") % {"name": obj.full_name})
        return redirect("backoffice:directory:person_edit", pk=obj.pk)
    positions = obj.positions.select_related("organisation").order_by("end_date", "role")
    return render(
        request,
        "directory/backoffice/person_form.html",
        {"form": form, "person": obj, "positions": positions},
        status=_status(form),
    )


@permission_required("directory.change_person", fn=_person)
def person_history(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _person(request, pk=pk)
    return render_history(
        request, obj, back_url=reverse("backoffice:directory:person_edit", kwargs={"pk": obj.pk})
    )


@loader
def _position_organisation(request: HttpRequest, pk: int) -> Organisation:
    return _position(request, pk).organisation


@require_POST
@permission_required("directory.change_organisation", fn=_position_organisation)
def position_end_view(request: HttpRequest, pk: int) -> HttpResponse:
    obj = _position_organisation(request, pk=pk)
    position = _position(request, pk)
    if position.end_date is None:
        position_end(user=request.user, position=position)
        messages.success(request, _("The position has been ended."))
    return redirect("backoffice:directory:organisation_edit", slug=obj.slug)


@permission_required("directory.manage_area_roles")
@require_http_methods(["GET", "POST"])
def area_roles(request: HttpRequest) -> HttpResponse:
    """A planner gives and withdraws editor and coordinator roles within their areas."""
    areas = area_role_areas(request.user).select_related("kind").order_by("kind__level", "name")
    organisations = area_role_organisations(request.user).order_by("name")
    form = AreaRoleForm(request.POST or None, areas=areas, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        area_role_assign(
            by=request.user,
            user=data["username"],
            role=data["role"],
            area=data["area"],
            organisation=data["organisation"],
        )
        messages.success(request, _("The role has been assigned."))
        return redirect("backoffice:directory:area_roles")
    assignments = area_role_assignments(request.user).select_related("user", "area", "organisation")
    page = Paginator(assignments.order_by("user__username", "role"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/backoffice/area_roles.html",
        {"page": page, "form": form},
        status=422 if form.is_bound else 200,
    )


@require_POST
@permission_required("directory.manage_area_roles")
def area_role_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(RoleAssignment.objects.select_related("user"), pk=pk)
    area_role_revoke(by=request.user, assignment=assignment)
    messages.success(request, _("The role has been withdrawn."))
    return redirect("backoffice:directory:area_roles")
