"""Who may do what with joint statements.

- Draft and edit (until publication): platform admins, the body's coordinators, and members
  with the signing right (a current delegate with `may_sign`, networks.Delegate).
- Read drafts, versions and comments; comment: everyone who takes part in the body (members,
  coordinators, admins) and the planners of the body's areas (read only, no comments).
- Sign, withdraw a signature: only a person who may sign for a current member organisation
  (networks `Delegate.may_sign`, their own login), while the statement is open for signature.
- Open for signature and publish: admins and the body's coordinators.
- The planners' overview: admins and planners (their areas' bodies).
- A published statement of a public body is public; drafts and comments never are.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_platform_admin
from quartier.networks.rules import (
    has_any_body,
    is_any_planner,
    is_body_coordinator,
    is_body_member,
    is_body_planner,
)


def signing_rights(user) -> set[tuple[int, int]]:
    """(body id, organisation id) pairs the user may sign for: their person is a current
    delegate with the signing right of a current membership."""
    if not user or not user.is_authenticated:
        return set()
    cached = getattr(user, "_quartier_signing_rights", None)
    if cached is None:
        from quartier.networks.models import Delegate

        today_delegates = Delegate.objects.current().filter(
            person__user=user, may_sign=True, membership__end_date__isnull=True
        )
        cached = set(
            today_delegates.values_list("membership__body_id", "membership__organisation_id")
        )
        user._quartier_signing_rights = cached
    return cached


def signable_organisation_ids(user, obj) -> set[int]:
    """Organisations the user may sign for in the body of `obj` (a statement or a body)."""
    body_id = getattr(obj, "body_id", None) or obj.pk
    return {org for body, org in signing_rights(user) if body == body_id}


@rules.predicate
def is_signatory(user, obj) -> bool:
    return obj is not None and bool(signable_organisation_ids(user, obj))


@rules.predicate
def is_draft(user, statement) -> bool:
    return statement is not None and statement.state == "draft"


@rules.predicate
def is_open(user, statement) -> bool:
    return statement is not None and statement.state == "open"


@rules.predicate
def is_unpublished(user, statement) -> bool:
    return statement is not None and statement.state != "published"


can_draft = is_platform_admin | is_body_coordinator | is_signatory
can_read = can_draft | is_body_member | is_body_planner

rules.add_perm("statements.view_statement", can_read)
# The object is the body (a new statement) or a statement.
rules.add_perm("statements.add_statement", can_draft)
rules.add_perm("statements.change_statement", can_draft & is_unpublished)
rules.add_perm("statements.comment_statement", (can_draft | is_body_member) & is_unpublished)
rules.add_perm("statements.open_statement", (is_platform_admin | is_body_coordinator) & is_draft)
rules.add_perm("statements.publish_statement", (is_platform_admin | is_body_coordinator) & is_open)
rules.add_perm("statements.sign_statement", is_signatory & is_open)
rules.add_perm("statements.withdraw_signature", is_signatory & is_unpublished)
rules.add_perm("statements.view_overview", is_platform_admin | is_any_planner)
rules.add_perm("statements.use_backoffice", is_platform_admin | is_any_planner | has_any_body)
