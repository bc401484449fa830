"""Role predicates shared by every app's rules.py.

A user's scope comes from RoleAssignment rows; `scope_of(user)` loads them once per request
object (cached on the user instance) so that checks in loops cost no extra queries.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import rules

from quartier.accounts.models import Role, RoleAssignment


@dataclass
class Scope:
    planner_area_ids: set[int] = field(default_factory=set)
    coordinator_area_ids: set[int] = field(default_factory=set)
    coordinator_organisation_ids: set[int] = field(default_factory=set)
    editor_organisation_ids: set[int] = field(default_factory=set)

    @property
    def is_staff_role(self) -> bool:
        return bool(
            self.planner_area_ids
            or self.coordinator_area_ids
            or self.coordinator_organisation_ids
            or self.editor_organisation_ids
        )


def scope_of(user) -> Scope:
    if user is None or not user.is_authenticated:
        return Scope()
    cached = getattr(user, "_quartier_scope", None)
    if cached is not None:
        return cached
    scope = Scope()
    rows = (
        RoleAssignment.objects.active()
        .filter(user=user)
        .values_list("role", "area_id", "organisation_id")
    )
    for role, area_id, organisation_id in rows:
        if role == Role.PLANNER and area_id:
            scope.planner_area_ids.add(area_id)
        elif role == Role.COORDINATOR:
            if area_id:
                scope.coordinator_area_ids.add(area_id)
            if organisation_id:
                scope.coordinator_organisation_ids.add(organisation_id)
        elif role == Role.EDITOR and organisation_id:
            scope.editor_organisation_ids.add(organisation_id)
    user._quartier_scope = scope
    return scope


def forget_scope(user) -> None:
    """Drop the cached scope (after role assignments changed)."""
    for cached in ("_quartier_scope", "_quartier_managed_areas"):
        if hasattr(user, cached):
            delattr(user, cached)


@rules.predicate
def is_platform_admin(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.is_superuser)


@rules.predicate
def is_planner(user) -> bool:
    return bool(scope_of(user).planner_area_ids)


@rules.predicate
def is_coordinator(user) -> bool:
    scope = scope_of(user)
    return bool(scope.coordinator_area_ids or scope.coordinator_organisation_ids)


@rules.predicate
def is_editor(user) -> bool:
    return bool(scope_of(user).editor_organisation_ids)


@rules.predicate
def is_staff_member(user) -> bool:
    """Anyone with a back-office role (admin, planner, coordinator, editor)."""
    return bool(
        user and user.is_authenticated and (user.is_superuser or scope_of(user).is_staff_role)
    )


is_authenticated = rules.is_authenticated

rules.add_perm("accounts.access_backoffice", is_staff_member)
rules.add_perm("accounts.manage_roles", is_platform_admin)
# Login lockouts and second-factor resets (backoffice_views.security).
rules.add_perm("accounts.manage_security", is_platform_admin)
rules.add_perm("accounts.handle_privacy_requests", is_platform_admin)
