"""Who may do what with events.

- Everyone sees published events and the calendar; registrants' data only those who manage the
  event.
- An event is managed by platform admins, by editors and coordinators of an organising
  organisation, and by planners and coordinators of an area the event is in (or above it).
- iCal feeds are managed by admins and by editors/coordinators of the feed's organisation.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids


def organisation_ids(user) -> set[int]:
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


def area_ids(user) -> set[int]:
    """Areas whose events the user manages: planner areas and coordinator areas, with below."""
    scope = scope_of(user)
    cached = getattr(user, "_quartier_event_areas", None)
    if cached is None:
        cached = set(managed_area_ids(user))
        if scope.coordinator_area_ids:
            cached |= descendant_ids(scope.coordinator_area_ids)
        user._quartier_event_areas = cached
    return cached


@rules.predicate
def manages_event(user, event) -> bool:
    if event is None or not user or not user.is_authenticated:
        return False
    orgs = organisation_ids(user)
    if orgs and any(pk in orgs for pk in _ids(event, "organisations")):
        return True
    areas = area_ids(user)
    return bool(areas) and any(pk in areas for pk in _ids(event, "areas"))


def _ids(event, relation: str) -> list[int]:
    # Prefetched relations cost no query; otherwise one small query.
    cache = getattr(event, "_prefetched_objects_cache", {})
    if relation in cache:
        return [obj.pk for obj in cache[relation]]
    return list(getattr(event, relation).values_list("pk", flat=True))


@rules.predicate
def manages_feed(user, feed) -> bool:
    return feed is not None and feed.organisation_id in organisation_ids(user)


@rules.predicate
def event_is_public(user, event) -> bool:
    return event is not None and event.is_published


can_manage_event = is_platform_admin | manages_event

rules.add_perm("events.view_event", event_is_public | can_manage_event)
rules.add_perm("events.add_event", is_staff_member)
rules.add_perm("events.change_event", can_manage_event)
rules.add_perm("events.view_registrations", can_manage_event)
rules.add_perm("events.view_icalfeed", is_staff_member)
rules.add_perm(
    "events.add_icalfeed",
    is_platform_admin | rules.predicate(lambda user: bool(organisation_ids(user))),
)
rules.add_perm("events.change_icalfeed", is_platform_admin | manages_feed)
