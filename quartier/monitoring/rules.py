"""Who may do what with the monitoring.

- Everyone sees the public indicator tables (small numbers suppressed).
- Planners import values for their areas (and the areas below them); platform admins for all.
- Planners and platform admins see the figures unsuppressed in the back office (the map of an
  indicator); they import them anyway.
- Planners and coordinators see the coverage ("Versorgung": offers against the people they are
  for) for their areas and the areas below them; coordinators with population figures
  suppressed as in public, because a ratio and the offers (public) give away the population.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_coordinator, is_planner, is_platform_admin, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids


def importable_area_ids(user) -> set[int] | None:
    """Areas whose values `user` may import; None means every area."""
    if user.is_superuser or is_platform_admin(user):
        return None
    return set(managed_area_ids(user))


rules.add_perm("monitoring.import_values", is_platform_admin | is_planner)


def analysable_area_ids(user) -> set[int] | None:
    """Areas whose map and coverage `user` may look at (as the enclosing area, with everything
    below it); None means every area."""
    if user.is_superuser or is_platform_admin(user):
        return None
    ids = set(managed_area_ids(user))
    coordinated = scope_of(user).coordinator_area_ids
    if coordinated:
        ids |= descendant_ids(coordinated)
    return ids


rules.add_perm("monitoring.view_unsuppressed", is_platform_admin | is_planner)
rules.add_perm("monitoring.view_coverage", is_platform_admin | is_planner | is_coordinator)
