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


can_change_organisation = is_platform_admin | is_organisation_in_scope
can_change_person = is_platform_admin | is_person_in_scope

rules.add_perm("directory.access_backoffice", is_staff_member)
rules.add_perm("directory.add_organisation", is_platform_admin | is_planner)
rules.add_perm("directory.change_organisation", can_change_organisation)
rules.add_perm("directory.delete_organisation", is_platform_admin)
rules.add_perm("directory.change_person", can_change_person)

# Planners give editor and coordinator roles within their areas (directory.services.area_role_*);
# planner and admin rights stay with the platform admins (accounts.manage_roles).
AREA_ROLES = (Role.EDITOR, Role.COORDINATOR)
rules.add_perm("directory.manage_area_roles", is_platform_admin | is_planner)
