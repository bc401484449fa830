"""Who may do what with offers.

- Organisation editors edit the offers of their own organisations. Their edits to a published
  offer wait for review (services.offer_save).
- Reviewers publish and approve: coordinators for their coordinating organisation and for their
  areas (and everything below), area planners for the areas they manage, platform admins.
  An offer is in an area's scope when it serves the area or its organisation works there.
- Four eyes (setting QUARTIER_REVIEW_FOUR_EYES, four_eyes.py): a reviewer may not publish
  alone an offer of their own organisation or content they wrote or submitted themselves.
- The public catalogue, offer pages and the Sozialraum export are public data: anyone.
"""

from __future__ import annotations

import rules
from django.db.models import Q

from quartier.accounts.rules import is_platform_admin, is_staff_member, scope_of
from quartier.areas.rules import managed_area_ids
from quartier.areas.selectors import descendant_ids


def review_area_ids(user) -> set[int]:
    """Areas in which the user reviews offers: coordinated areas (with those below) and
    the areas a planner manages. Cached on the user object, like scope_of."""
    cached = getattr(user, "_quartier_offer_review_areas", None)
    if cached is not None:
        return cached
    scope = scope_of(user)
    ids = set(managed_area_ids(user))
    if scope.coordinator_area_ids:
        ids |= descendant_ids(scope.coordinator_area_ids)
    if user is not None and user.is_authenticated:
        user._quartier_offer_review_areas = ids
    return ids


def review_q(user) -> Q:
    """A filter on Offer for the offers the user reviews (not for admins: they see all)."""
    # Imported here: models import nothing from rules, and rules is loaded at app start.
    from quartier.directory.models import Organisation
    from quartier.offers.models import Offer

    scope = scope_of(user)
    area_ids = review_area_ids(user)
    query = Q(organisation_id__in=scope.coordinator_organisation_ids)
    if area_ids:
        query |= Q(
            pk__in=Offer.areas.through.objects.filter(area_id__in=area_ids).values("offer_id")
        )
        query |= Q(
            organisation_id__in=Organisation.areas.through.objects.filter(
                area_id__in=area_ids
            ).values("organisation_id")
        )
    return query


def manage_q(user) -> Q:
    """A filter on Offer for the offers the user may edit."""
    return Q(organisation_id__in=scope_of(user).editor_organisation_ids) | review_q(user)


def _offer_area_ids(offer) -> set[int]:
    cached = getattr(offer, "_quartier_area_ids", None)
    if cached is None:
        cached = set(offer.areas.values_list("pk", flat=True))
        cached |= set(offer.organisation.areas.values_list("pk", flat=True))
        offer._quartier_area_ids = cached
    return cached


@rules.predicate
def is_editor_of_offer(user, offer) -> bool:
    return offer is not None and offer.organisation_id in scope_of(user).editor_organisation_ids


@rules.predicate
def is_reviewer_of_offer(user, offer) -> bool:
    if offer is None:
        return False
    if offer.organisation_id in scope_of(user).coordinator_organisation_ids:
        return True
    area_ids = review_area_ids(user)
    return bool(area_ids and area_ids & _offer_area_ids(offer))


@rules.predicate
def may_enter_offers(user) -> bool:
    """Has a role that lets the user create offers for at least one organisation."""
    scope = scope_of(user)
    return bool(
        scope.editor_organisation_ids or scope.coordinator_organisation_ids or review_area_ids(user)
    )


@rules.predicate
def is_reviewer(user) -> bool:
    return bool(scope_of(user).coordinator_organisation_ids or review_area_ids(user))


@rules.predicate
def needs_second_reviewer(user, offer) -> bool:
    # Imported here: four_eyes reads the models, which rules must not import at load time.
    from quartier.offers import four_eyes

    return offer is not None and four_eyes.obstacle(user, offer) is not None


can_review = is_platform_admin | is_reviewer_of_offer
can_change = can_review | is_editor_of_offer

rules.add_perm("offers.access_offers", is_staff_member)
rules.add_perm("offers.add_offer", is_platform_admin | may_enter_offers)
rules.add_perm("offers.change_offer", can_change)
rules.add_perm("offers.review_offer", can_review)
# Publishing an offer or approving its pending change: reviewing without the four-eyes obstacle.
rules.add_perm("offers.publish_offer", can_review & ~needs_second_reviewer)
rules.add_perm("offers.review_offers", is_platform_admin | is_reviewer)
rules.add_perm("offers.view_offer", rules.always_allow)
rules.add_perm("offers.export_area", rules.always_allow)
