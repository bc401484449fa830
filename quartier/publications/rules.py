"""Who may do what with news, newsletters and newspaper issues.

- Everyone reads published posts and issues and may sign up for an open newsletter.
- A post, a newsletter or an issue belongs to an organisation: its editors and coordinators
  manage it, as do planners of the area it is about (and the areas below) and platform admins.
- An issue is approved by a second person: anyone who may manage it except the one who
  submitted it for review (services.issue_approve says so when they try).
- Subscribers' addresses are shown to nobody; senders see counts and results.
"""

from __future__ import annotations

import rules

from quartier.accounts.rules import is_platform_admin, scope_of
from quartier.areas.rules import managed_area_ids


def organisation_ids(user) -> set[int]:
    scope = scope_of(user)
    return scope.editor_organisation_ids | scope.coordinator_organisation_ids


@rules.predicate
def may_publish(user) -> bool:
    """Staff who act for an organisation, and planners."""
    if not user or not user.is_authenticated:
        return False
    return bool(organisation_ids(user)) or bool(managed_area_ids(user))


@rules.predicate
def manages(user, obj) -> bool:
    """`obj`: a Post, NewsletterList, Issue or Mailing (its issue decides)."""
    if obj is None or not user or not user.is_authenticated:
        return False
    obj = getattr(obj, "issue", obj)
    if obj.organisation_id in organisation_ids(user):
        return True
    area_id = getattr(obj, "area_id", None)
    return area_id is not None and area_id in managed_area_ids(user)


rules.add_perm("publications.add_post", is_platform_admin | may_publish)
rules.add_perm("publications.change_post", is_platform_admin | manages)
rules.add_perm("publications.change_newsletterlist", is_platform_admin | manages)
rules.add_perm("publications.change_issue", is_platform_admin | manages)
rules.add_perm("publications.send_issue", is_platform_admin | manages)
