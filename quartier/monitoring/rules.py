"""Who may do what with the monitoring.

- Everyone sees the public indicator tables (small numbers suppressed).
- Planners import values for their areas (and the areas below them); platform admins for all.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_planner, is_platform_admin
from quartier.areas.rules import managed_area_ids


def importable_area_ids(user) -> set[int] | None:
    """Areas whose values `user` may import; None means every area."""
    if user.is_superuser or is_platform_admin(user):
        return None
    return set(managed_area_ids(user))


rules.add_perm("monitoring.import_values", is_platform_admin | is_planner)
