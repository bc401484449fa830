"""Who may do what with participation rounds, proposals and surveys.

- Residents and visitors see published rounds, their proposals (without contact data), their
  surveys and results; they propose, support and answer (anonymous forms, throttled).
- Coordinators of a concept's area (and the areas above it) run its rounds: open and close
  them, answer proposals, link them to projects, build the survey, issue links and codes and
  record results as measurements.
- Planners of the area read everything in the back office and change nothing.
- Platform admins do everything.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_platform_admin, is_staff_member
from quartier.projects.rules import coordinated_area_ids, seen_area_ids


def _area_id(obj) -> int | None:
    """The area of a round, or of the round of a proposal or survey."""
    round_ = getattr(obj, "round", obj)
    concept = getattr(round_, "concept", None)
    return concept.area_id if concept is not None else None


@rules.predicate
def coordinates_round(user, obj) -> bool:
    return obj is not None and _area_id(obj) in coordinated_area_ids(user)


@rules.predicate
def sees_round(user, obj) -> bool:
    return obj is not None and _area_id(obj) in seen_area_ids(user)


@rules.predicate
def round_is_public(user, obj) -> bool:
    round_ = getattr(obj, "round", obj)
    return obj is not None and round_.is_published


@rules.predicate
def has_seen_areas(user) -> bool:
    return bool(seen_area_ids(user))


@rules.predicate
def has_coordinated_areas(user) -> bool:
    return bool(coordinated_area_ids(user))


rules.add_perm(
    "participation.access_backoffice", is_platform_admin | (is_staff_member & has_seen_areas)
)
rules.add_perm("participation.add_round", is_platform_admin | has_coordinated_areas)
rules.add_perm("participation.view_round", is_platform_admin | sees_round)
rules.add_perm("participation.change_round", is_platform_admin | coordinates_round)
rules.add_perm("participation.view_public_round", round_is_public)
