from __future__ import annotations

import rules

from quartier.accounts.rules import is_planner, is_platform_admin, scope_of
from quartier.areas.selectors import descendant_ids


def managed_area_ids(user) -> set[int]:
    """Areas a planner manages: their assigned areas and everything below them."""
    scope = scope_of(user)
    if not scope.planner_area_ids:
        return set()
    cached = getattr(user, "_quartier_managed_areas", None)
    if cached is None:
        cached = descendant_ids(scope.planner_area_ids)
        user._quartier_managed_areas = cached
    return cached


@rules.predicate
def is_planner_of_area(user, area) -> bool:
    return area is not None and area.pk in managed_area_ids(user)


can_manage_area = is_platform_admin | is_planner_of_area

rules.add_perm("areas.view_area", rules.always_allow)
rules.add_perm("areas.add_area", is_platform_admin | is_planner)
rules.add_perm("areas.change_area", can_manage_area)
rules.add_perm("areas.delete_area", is_platform_admin)


@rules.predicate
def has_managed_areas(user) -> bool:
    return bool(managed_area_ids(user))


# The back-office area pages: platform admins see every area, planners the ones they manage.
rules.add_perm("areas.access_backoffice", is_platform_admin | has_managed_areas)
