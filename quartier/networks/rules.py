"""Who may do what with bodies and their meetings.

- Coordinators of a body: users with the coordinator role for the body's coordinating
  organisation, and users whose person is a current delegate of a membership with the role
  "coordination".
- Planners manage every body that works in one of their areas (areas.rules.managed_area_ids).
- Members: users whose person is a current delegate of a current membership, and editors or
  coordinators of a current member organisation.
Sets of body ids are computed once per user object (cached like accounts.rules.scope_of).
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from quartier.accounts.rules import is_platform_admin, scope_of
from quartier.areas.rules import managed_area_ids


def _body_of(obj: Any):
    """Accept a Body, anything with a `body` (Meeting, Membership, Document, ActionItem...) or
    with a `meeting` (AgendaItem, HostTurn, Minutes)."""
    if hasattr(obj, "body"):
        return obj.body
    meeting = getattr(obj, "meeting", None)
    return meeting.body if meeting is not None else obj


def _cached(user, key: str, compute) -> set[int]:
    value = getattr(user, key, None)
    if value is None:
        value = compute()
        setattr(user, key, value)
    return value


def acting_organisation_ids(user) -> set[int]:
    """Organisations a user may speak for (editor or coordinator role)."""
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


def coordinated_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()

    def compute() -> set[int]:
        from quartier.networks.models import Delegate, MembershipRole
        from quartier.networks.models.bodies import Body

        scope = scope_of(user)
        ids = set(
            Body.objects.filter(
                coordinating_organisation_id__in=scope.coordinator_organisation_ids
            ).values_list("pk", flat=True)
        )
        ids |= set(
            Delegate.objects.current()
            .filter(person__user=user, membership__role=MembershipRole.COORDINATION)
            .values_list("membership__body_id", flat=True)
        )
        return ids

    return _cached(user, "_quartier_coordinated_bodies", compute)


def planned_body_ids(user) -> set[int]:
    area_ids = managed_area_ids(user)
    if not area_ids:
        return set()

    def compute() -> set[int]:
        from quartier.networks.models.bodies import Body

        return set(Body.objects.filter(areas__in=area_ids).values_list("pk", flat=True))

    return _cached(user, "_quartier_planned_bodies", compute)


def member_body_ids(user) -> set[int]:
    if not user or not user.is_authenticated:
        return set()

    def compute() -> set[int]:
        from quartier.networks.models import Membership

        organisations = acting_organisation_ids(user)
        return set(
            Membership.objects.current()
            .filter(
                Q(organisation_id__in=organisations)
                | Q(delegates__person__user=user, delegates__end_date__isnull=True)
            )
            .values_list("body_id", flat=True)
        )

    return _cached(user, "_quartier_member_bodies", compute)


def forget(user) -> None:
    """Drop cached sets after memberships changed (tests, long requests)."""
    for key in (
        "_quartier_coordinated_bodies",
        "_quartier_planned_bodies",
        "_quartier_member_bodies",
    ):
        if hasattr(user, key):
            delattr(user, key)


@rules.predicate
def is_body_coordinator(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.pk in coordinated_body_ids(user)


@rules.predicate
def is_body_planner(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.pk in planned_body_ids(user)


@rules.predicate
def is_body_member(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.pk in member_body_ids(user)


@rules.predicate
def is_public_body(user, obj) -> bool:
    body = _body_of(obj)
    return body is not None and body.is_public


@rules.predicate
def speaks_for_host_turn(user, turn) -> bool:
    """The member asked to host: an editor or coordinator of its organisation, or one of its
    current delegates."""
    if turn is None or not user.is_authenticated:
        return False
    membership = turn.membership
    return (
        membership.organisation_id in acting_organisation_ids(user)
        or membership.delegates.filter(person__user=user, end_date__isnull=True).exists()
    )


@rules.predicate
def owns_action_item(user, item) -> bool:
    """The action item's owner (a membership) is an organisation the user speaks for."""
    return (
        item is not None
        and item.owner_id is not None
        and item.owner.organisation_id in acting_organisation_ids(user)
    )


@rules.predicate
def can_act_for_an_organisation(user) -> bool:
    return bool(acting_organisation_ids(user))


@rules.predicate
def is_any_planner(user) -> bool:
    return bool(managed_area_ids(user))


@rules.predicate
def has_any_body(user) -> bool:
    return bool(coordinated_body_ids(user) or planned_body_ids(user) or member_body_ids(user))


@rules.predicate
def has_coordinated_body(user) -> bool:
    return bool(coordinated_body_ids(user))


can_manage_body = is_platform_admin | is_body_planner | is_body_coordinator
can_take_part = can_manage_body | is_body_member

rules.add_perm("networks.view_body", is_public_body | can_take_part)
rules.add_perm("networks.change_body", can_manage_body)
rules.add_perm("networks.add_body", is_platform_admin | is_any_planner)
rules.add_perm("networks.take_part_body", can_take_part)
rules.add_perm("networks.request_join_body", can_act_for_an_organisation)
# Meetings (the object is a Meeting, an AgendaItem, a HostTurn or an ActionItem).
rules.add_perm("networks.answer_host_turn", speaks_for_host_turn | can_manage_body)
rules.add_perm("networks.change_agenda_item", can_manage_body)
rules.add_perm("networks.propose_for_any_member", can_manage_body)
rules.add_perm("networks.set_action_item_status", owns_action_item | can_manage_body)
rules.add_perm("networks.view_overview", is_platform_admin | is_any_planner)
rules.add_perm("networks.use_backoffice", is_platform_admin | is_any_planner | has_any_body)
rules.add_perm("networks.use_calendar", rules.is_authenticated)
# Requests to add an organisation (the object is an OrganisationRequest): those who manage
# the body it names (its area's planners, its coordinators, admins) decide.
rules.add_perm(
    "networks.view_organisation_requests",
    is_platform_admin | is_any_planner | has_coordinated_body,
)
rules.add_perm("networks.decide_organisation_request", can_manage_body)
