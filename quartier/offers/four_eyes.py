"""The four-eyes principle of the offer review (setting QUARTIER_REVIEW_FOUR_EYES, default off).

When it is on, a reviewer may not publish alone what is their own: an offer (or a change to a
published offer) of an organisation they edit or coordinate, or content they wrote or submitted
themselves. Another reviewer must publish it; sending it back stays possible. With the
setting off, `obstacle` is always None and the review works as before.

Whose content a draft is comes from the offer's history (django-simple-history): every version
saved since the offer was last published, except the review's own steps (sent back, taken
offline, confirmed as current), names an author. A pending change's authors are the submitters
of the pending revision and of the revisions it replaced (each edit starts from the one before).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from quartier.accounts.rules import scope_of
from quartier.offers.models import Offer, ReviewState, RevisionState

OWN_ORGANISATION = "own_organisation"
OWN_WORK = "own_work"


def enabled() -> bool:
    return bool(getattr(settings, "QUARTIER_REVIEW_FOUR_EYES", False))


def draft_authors(offer: Offer) -> set[int]:
    """Ids of the users who created, edited or submitted the offer since it was last published."""
    rows = offer.history.order_by("history_date", "history_id").values_list(
        "history_user_id", "history_type", "review_state", "last_verified"
    )
    authors: set[int] = set()
    previous: tuple[Any, ...] | None = None
    for user_id, kind, state, verified in rows:
        if state == ReviewState.PUBLISHED:
            authors.clear()
        elif user_id is not None:
            created = kind == "+" or previous is None
            submitted = (
                state == ReviewState.IN_REVIEW
                and previous is not None
                and (previous[0] != ReviewState.IN_REVIEW)
            )
            # A version that changes neither the state nor the verification is an edit.
            edited = previous is not None and (state, verified) == previous
            if created or submitted or edited:
                authors.add(user_id)
        previous = (state, verified)
    return authors


def change_authors(offer: Offer) -> set[int]:
    """Ids of the submitters of the pending change and of the changes it replaced."""
    authors: set[int] = set()
    rows = offer.revisions.order_by("-submitted_at").values_list("state", "submitted_by_id")
    for state, user_id in rows:
        if state not in (RevisionState.PENDING, RevisionState.WITHDRAWN):
            break
        if user_id is not None:
            authors.add(user_id)
    return authors


def obstacle(user: Any, offer: Offer) -> str | None:
    """Why `user` may not publish the offer (or its pending change) alone: OWN_ORGANISATION,
    OWN_WORK, or None. Remembered on the offer for the request (the page and the service ask)."""
    if not enabled() or user is None or not user.is_authenticated:
        return None
    memo: dict[int, str | None] = offer.__dict__.setdefault("_quartier_four_eyes", {})
    if user.pk in memo:
        return memo[user.pk]
    scope = scope_of(user)
    own = scope.editor_organisation_ids | scope.coordinator_organisation_ids
    found: str | None = None
    if offer.organisation_id in own:
        found = OWN_ORGANISATION
    else:
        published = offer.review_state == ReviewState.PUBLISHED
        authors = change_authors(offer) if published else draft_authors(offer)
        if user.pk in authors:
            found = OWN_WORK
    memo[user.pk] = found
    return found


def explain(reason: str) -> str:
    if reason == OWN_ORGANISATION:
        return _(
            "Four-eyes principle: this offer belongs to your own organisation, so another "
            "reviewer must publish it. You can still send it back."
        )
    return _(
        "Four-eyes principle: you wrote or submitted this content yourself, so another "
        "reviewer must publish it. You can still send it back."
    )


def forget(offer: Offer) -> None:
    """Drop the remembered answers (after the offer's content or state changed)."""
    offer.__dict__.pop("_quartier_four_eyes", None)
