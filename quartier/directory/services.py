"""Writes on organisations, people and positions: atomic, each with a history record that
names its author (django-simple-history reads `_history_user`)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from quartier.accounts.models import RoleAssignment
from quartier.accounts.rules import is_platform_admin
from quartier.accounts.services import role_assign, role_revoke
from quartier.areas.models import Area
from quartier.areas.rules import managed_area_ids
from quartier.core import geocoding
from quartier.core.geocoding import Source
from quartier.directory.models import Organisation, PartnerNote, Person, Position
from quartier.directory.rules import AREA_ROLES

_ADDRESS_FIELDS = ("street", "postcode", "city")


@dataclass(frozen=True)
class OrganisationSaved:
    """The saved organisation, and what became of its point on this save: None when nothing
    was looked up, else the `geocoding.Source` that answered ("" when nothing was found)."""

    organisation: Organisation
    point_source: str | None = None


def organisation_resolve_point(*, organisation: Organisation) -> str | None:
    """Complete the organisation's point and `position_source` (in place) as offer locations
    do (offers.services._resolve_item): a point typed by the editor is "manual"; a stored point
    found from the address is looked up again when the address changed; an address without a
    point is looked up (core/geocoding.py). Writes nothing and may ask the configured geocoder,
    so it runs before the write's transaction. Returns None when nothing was looked up, else
    the source that answered ("" for not found)."""
    if (organisation.lat is None) != (organisation.lon is None):
        return None  # half a point: full_clean refuses it with a clear message
    stored = None
    if organisation.pk:
        stored = (
            Organisation.objects.filter(pk=organisation.pk)
            .values("lat", "lon", "position_source", *_ADDRESS_FIELDS)
            .first()
        )
    if organisation.has_point:
        if stored is not None and stored["lat"] is not None and stored["lon"] is not None:
            same_point = (organisation.lat, organisation.lon) == (stored["lat"], stored["lon"])
            same_address = all(
                (getattr(organisation, name) or "") == (stored[name] or "")
                for name in _ADDRESS_FIELDS
            )
            derived = stored["position_source"] not in ("", Source.MANUAL)
            if same_point and (same_address or not derived):
                organisation.position_source = stored["position_source"]
                return None
            if not same_point:
                organisation.position_source = Source.MANUAL
                return None
            organisation.lat = organisation.lon = None  # found from the old address
        else:
            organisation.position_source = Source.MANUAL
            return None
    organisation.position_source = ""
    if not (organisation.street or organisation.postcode):
        return None  # a city alone: nothing worth a point
    result = geocoding.geocode(organisation.street, organisation.postcode, organisation.city)
    if result is None:
        return ""
    organisation.lat, organisation.lon = result.lat, result.lon
    organisation.position_source = result.source
    return result.source


def organisation_save(
    *, user, organisation: Organisation, area_ids: Iterable[int]
) -> OrganisationSaved:
    """Create or change an organisation and set the areas it works in; an address without a
    point gets one first (`organisation_resolve_point`, outside the transaction)."""
    source = organisation_resolve_point(organisation=organisation)
    _organisation_write(user=user, organisation=organisation, area_ids=area_ids)
    return OrganisationSaved(organisation=organisation, point_source=source)


@transaction.atomic
def _organisation_write(*, user, organisation: Organisation, area_ids: Iterable[int]) -> None:
    organisation.full_clean()
    organisation._history_user = user
    organisation.save()
    area_ids = set(area_ids)
    if set(organisation.areas.values_list("pk", flat=True)) != area_ids:
        organisation.areas.set(area_ids)


@transaction.atomic
def partner_note_save(*, user, note: PartnerNote) -> PartnerNote:
    """Add or change a staff note on a partner; the author is whoever wrote it last."""
    if not user.has_perm("directory.view_partner_notes", note.organisation):
        raise PermissionDenied("The organisation is not one of the user's partners.")
    note.author = user
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def person_save(*, user, person: Person) -> Person:
    """Create or change a contact person (contact fields with their public/internal flags)."""
    person.full_clean()
    person._history_user = user
    person.save()
    return person


@transaction.atomic
def person_add_to_organisation(
    *, user, person: Person, organisation: Organisation, position: Position
) -> Position:
    """Save a (new) person and their position in `organisation` together, or neither."""
    person_save(user=user, person=person)
    position.person = person
    position.organisation = organisation
    position.full_clean()
    position._history_user = user
    position.save()
    return position


@transaction.atomic
def position_end(*, user, position: Position, end_date: datetime.date | None = None) -> Position:
    """End a position (the person stays, for the record, until the retention rule applies)."""
    position.end_date = end_date or timezone.localdate()
    position.full_clean()
    position._history_user = user
    position.save(update_fields=["end_date", "updated_at"])
    return position


def area_role_areas(planner) -> QuerySet[Area]:
    """The areas a planner gives roles in: theirs and those below (every area for admins)."""
    if is_platform_admin(planner):
        return Area.objects.all()
    return Area.objects.filter(pk__in=managed_area_ids(planner))


def area_role_organisations(planner) -> QuerySet[Organisation]:
    """The organisations a planner may give roles for: those working in their areas."""
    if is_platform_admin(planner):
        return Organisation.objects.all()
    return Organisation.objects.filter(areas__in=managed_area_ids(planner)).distinct()


def area_role_assignments(planner) -> QuerySet[RoleAssignment]:
    """The active editor and coordinator roles within a planner's areas (by area or by an
    organisation working there)."""
    roles = RoleAssignment.objects.active().filter(role__in=AREA_ROLES)
    if is_platform_admin(planner):
        return roles
    return roles.filter(
        Q(area_id__in=managed_area_ids(planner))
        | Q(organisation__in=area_role_organisations(planner))
    ).distinct()


def _check_area_role(*, by, role: str, area, organisation) -> None:
    """Refuse a role outside the planner's areas, or one that only admins give."""
    if role not in AREA_ROLES:
        raise PermissionDenied("Planners give editor and coordinator roles only.")
    if area is None and organisation is None:
        raise PermissionDenied("A role within an area needs an area or an organisation.")
    if is_platform_admin(by):
        return
    if area is not None and area.pk not in managed_area_ids(by):
        raise PermissionDenied("The area is not one of the planner's.")
    if (
        organisation is not None
        and not area_role_organisations(by).filter(pk=organisation.pk).exists()
    ):
        raise PermissionDenied("The organisation does not work in the planner's areas.")


@transaction.atomic
def area_role_assign(*, by, user, role: str, area=None, organisation=None) -> RoleAssignment:
    """A planner gives an editor or coordinator role within their areas; the history names
    the planner (accounts.services.role_assign)."""
    _check_area_role(by=by, role=role, area=area, organisation=organisation)
    return role_assign(by=by, user=user, role=role, area=area, organisation=organisation)


@transaction.atomic
def area_role_revoke(*, by, assignment: RoleAssignment) -> RoleAssignment:
    """A planner withdraws an editor or coordinator role within their areas."""
    if not area_role_assignments(by).filter(pk=assignment.pk).exists():
        raise PermissionDenied("The role is not within the planner's areas.")
    return role_revoke(by=by, assignment=assignment)
