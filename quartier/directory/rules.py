"""Who may work on which organisations and people.

- platform admins: everything;
- planners: organisations working in an area they manage (and the people in them);
- coordinators: the organisations named in their role (quarter office, centre);
- editors: their own organisation.
"""

from __future__ import annotations

import rules
from django.db.models import Q, QuerySet

from quartier.accounts.models import Role
from quartier.accounts.rules import is_planner, is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids
from quartier.directory.models import Organisation, Person, Position


def organisations_in_scope(user) -> QuerySet[Organisation]:
    """The organisations `user` may change (all for platform admins)."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    scope = scope_of(user)
    own = scope.editor_organisation_ids | scope.coordinator_organisation_ids
    condition = Q(pk__in=own)
    areas = managed_area_ids(user)
    if areas:
        condition |= Q(areas__in=areas)
    if not own and not areas:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition).distinct()


def _organisation_ids_in_scope(user) -> set[int]:
    cached = getattr(user, "_quartier_organisation_ids", None)
    if cached is None:
        cached = set(organisations_in_scope(user).values_list("pk", flat=True))
        user._quartier_organisation_ids = cached
    return cached


@rules.predicate
def is_organisation_in_scope(user, organisation) -> bool:
    return organisation is not None and organisation.pk in _organisation_ids_in_scope(user)


@rules.predicate
def is_person_in_scope(user, person) -> bool:
    if person is None:
        return False
    organisation_ids = Position.objects.filter(person=person).values_list(
        "organisation_id", flat=True
    )
    return bool(set(organisation_ids) & _organisation_ids_in_scope(user))


def people_in_scope(user) -> QuerySet[Person]:
    if is_platform_admin(user):
        return Person.objects.all()
    return Person.objects.filter(
        positions__organisation__in=organisations_in_scope(user)
    ).distinct()


def partner_note_area_ids(user) -> set[int]:
    """The areas whose partners' notes `user` sees: the areas a planner manages and those a
    coordinator holds by area (each with the areas below). An editor, or a coordinator only
    of an organisation, holds none: the notes are the area staff's, not the partner's."""
    cached = getattr(user, "_quartier_partner_note_areas", None)
    if cached is None:
        cached = set(managed_area_ids(user))
        coordinated = scope_of(user).coordinator_area_ids
        if coordinated:
            cached |= descendant_ids(coordinated)
        user._quartier_partner_note_areas = cached
    return cached


def partner_note_organisations(user) -> QuerySet[Organisation]:
    """Organisations whose partner notes `user` sees (every one for platform admins)."""
    if is_platform_admin(user):
        return Organisation.objects.all()
    areas = partner_note_area_ids(user)
    if not areas:
        return Organisation.objects.none()
    return Organisation.objects.filter(areas__in=areas).distinct()


@rules.predicate
def works_in_partner_note_areas(user, organisation) -> bool:
    if organisation is None:
        return False
    areas = partner_note_area_ids(user)
    if not areas:
        return False
    ids = getattr(organisation, "_area_ids", None)
    if ids is None:
        ids = set(organisation.areas.values_list("pk", flat=True))
        organisation._area_ids = ids
    return bool(ids & areas)


can_change_organisation = is_platform_admin | is_organisation_in_scope
can_change_person = is_platform_admin | is_person_in_scope

rules.add_perm("directory.access_backoffice", is_staff_member)
rules.add_perm("directory.add_organisation", is_platform_admin | is_planner)
rules.add_perm("directory.change_organisation", can_change_organisation)
rules.add_perm("directory.delete_organisation", is_platform_admin)
rules.add_perm("directory.change_person", can_change_person)
# Partner notes (Netzwerkkatalog): the object is the Organisation they are about.
# Staff of the organisation's areas who may open its back-office page; never its editors by
# that role alone (partner_note_area_ids holds no area for them).
rules.add_perm(
    "directory.view_partner_notes",
    is_platform_admin | (works_in_partner_note_areas & is_organisation_in_scope),
)

# Planners give editor and coordinator roles within their areas (directory.services.area_role_*);
# planner and admin rights stay with the platform admins (accounts.manage_roles).
AREA_ROLES = (Role.EDITOR, Role.COORDINATOR)
rules.add_perm("directory.manage_area_roles", is_platform_admin | is_planner)
