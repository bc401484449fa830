"""Who may do what with concerns.

- Everyone may report a concern, see the public map and list and a concern's public page.
- A concern is handled by platform admins; planners and coordinators of its area (or an area
  above it); editors and coordinators of the organisation it was routed to; coordinators of
  the body it was routed to; the contact person it was routed to (with their login).
- Concerns in the default inbox (no rule matched) reach admins and the area's planners and
  coordinators.
- Routing rules: admins and planners (for their areas); Open311 client keys: admins.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from quartier.accounts.rules import is_planner, is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids
from quartier.networks.rules import coordinated_body_ids


def organisation_ids(user) -> set[int]:
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


def area_ids(user) -> set[int]:
    """Areas whose concerns the user handles: planner and coordinator areas, with below."""
    cached = getattr(user, "_quartier_concern_areas", None)
    if cached is None:
        scope = scope_of(user)
        cached = set(managed_area_ids(user))
        if scope.coordinator_area_ids:
            cached |= descendant_ids(scope.coordinator_area_ids)
        user._quartier_concern_areas = cached
    return cached


def handled_filter(user) -> Q:
    """The concerns `user` handles, as a filter (admins: use no filter)."""
    return (
        Q(area_id__in=area_ids(user))
        | Q(organisation_id__in=organisation_ids(user))
        | Q(body_id__in=coordinated_body_ids(user))
        | Q(person__user_id=user.pk)
    )


@rules.predicate
def handles_concern(user, concern) -> bool:
    if concern is None or not user or not user.is_authenticated:
        return False
    if concern.area_id in area_ids(user):
        return True
    if concern.organisation_id and concern.organisation_id in organisation_ids(user):
        return True
    if concern.body_id and concern.body_id in coordinated_body_ids(user):
        return True
    return bool(concern.person_id and concern.person.user_id == user.pk)


can_handle = is_platform_admin | handles_concern

rules.add_perm("concerns.view_inbox", is_staff_member)
rules.add_perm("concerns.change_concern", can_handle)
rules.add_perm("concerns.manage_rules", is_platform_admin | is_planner)
rules.add_perm("concerns.manage_clients", is_platform_admin)
