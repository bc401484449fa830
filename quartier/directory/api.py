"""Directory API: organisations with their public contact persons; writes for those allowed.

Only public fields leave this module: an organisation's `internal_notes` and a person's contact
fields not marked public never appear (see `Person.public_contact`).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import Field

from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.core.pagination import Pagination
from quartier.core.permissions import check
from quartier.directory.models import Organisation, OrganisationKind
from quartier.directory.selectors import contact_card, public_positions
from quartier.directory.services import organisation_save

router = Router(tags=["directory"])


class ContactOut(Schema):
    name: str
    role: str
    email: str | None = None
    phone: str | None = None
    mobile: str | None = None
    office_hours: str | None = None


class OrganisationOut(Schema):
    slug: str
    name: str
    kind: str
    kind_name: str
    parent: str | None
    description: str
    street: str
    postcode: str
    city: str
    lat: float | None
    lon: float | None
    website: str
    email: str
    phone: str
    areas: list[str]
    url: str

    @staticmethod
    def resolve_kind_name(obj: Organisation) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_parent(obj: Organisation) -> str | None:
        return obj.parent.slug if obj.parent else None

    @staticmethod
    def resolve_areas(obj: Organisation) -> list[str]:
        return [area.slug for area in obj.areas.all()]

    @staticmethod
    def resolve_url(obj: Organisation, context) -> str:
        return context["request"].build_absolute_uri(obj.get_absolute_url())


class OrganisationDetailOut(OrganisationOut):
    contacts: list[ContactOut]


class OrganisationPatch(Schema):
    """Fields to change; leave out what stays as it is."""

    name: str | None = Field(None, min_length=1, max_length=250)
    kind: OrganisationKind | None = None
    description: str | None = Field(None, max_length=10_000)
    street: str | None = Field(None, max_length=200)
    postcode: str | None = Field(None, max_length=10)
    city: str | None = Field(None, max_length=100)
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    website: str | None = Field(None, max_length=200)
    email: str | None = Field(None, max_length=254)
    phone: str | None = Field(None, max_length=40)
    is_active: bool | None = None
    areas: list[str] | None = Field(None, description="Slugs of the areas of work", max_length=200)


def _detail(request: HttpRequest, organisation: Organisation) -> dict:
    positions = (
        public_positions()
        .filter(organisation=organisation)
        .select_related("person")
        .order_by("role")
    )
    organisation.contacts = [contact_card(position) for position in positions]
    return organisation


def _organisations():
    return Organisation.objects.active().select_related("parent").prefetch_related("areas")


@router.get(
    "/organisations", response=list[OrganisationOut], url_name="directory_organisation_list"
)
@paginate(Pagination)
def organisation_list(request: HttpRequest, area: str | None = None, q: str | None = None):
    """Active organisations, optionally those working in an area (or below it) or by name."""
    organisations = _organisations().order_by("name")
    if area:
        found = get_object_or_404(Area.objects.public(), slug=area)
        organisations = organisations.filter(areas__in=descendant_ids([found.pk])).distinct()
    if q:
        organisations = organisations.filter(name__icontains=q[:100])
    return organisations


@router.get(
    "/organisations/{slug}",
    response=OrganisationDetailOut,
    url_name="directory_organisation_detail",
)
def organisation_detail(request: HttpRequest, slug: str):
    """An organisation with its public contact persons (public contact fields only)."""
    return _detail(request, get_object_or_404(_organisations(), slug=slug))


@router.patch(
    "/organisations/{slug}",
    response=OrganisationDetailOut,
    auth=django_auth,
    url_name="directory_organisation_update",
)
def organisation_update(request: HttpRequest, slug: str, payload: OrganisationPatch):
    """Change an organisation (its editors, coordinators, planners of its areas, admins)."""
    organisation = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    check(request, "directory.change_organisation", organisation)
    changes = payload.dict(exclude_unset=True)
    area_slugs = changes.pop("areas", None)
    for name, value in changes.items():
        if value is None and name == "is_active":
            continue
        # Text fields are blank, not null, in the model: null clears them.
        setattr(organisation, name, "" if value is None and name not in ("lat", "lon") else value)
    if area_slugs is None:
        area_ids = list(organisation.areas.values_list("pk", flat=True))
    else:
        areas = {a.slug: a.pk for a in Area.objects.filter(slug__in=area_slugs)}
        unknown = sorted(set(area_slugs) - set(areas))
        if unknown:
            message = _("There is no area with the key “%(slug)s”.")
            raise ValidationError({"areas": [message % {"slug": slug} for slug in unknown]})
        area_ids = list(areas.values())
    organisation_save(user=request.user, organisation=organisation, area_ids=area_ids)
    return _detail(request, organisation)
