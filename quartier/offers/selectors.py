"""Reads over offers: back-office lists, stale entries, duplicates, history, area catalogues."""

from __future__ import annotations

import datetime
import difflib
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from quartier.accounts.rules import scope_of
from quartier.areas.selectors import descendant_ids
from quartier.directory.models import Organisation
from quartier.offers.models import (
    Location,
    Offer,
    OfferRevision,
    ReviewState,
    Schedule,
    TaxonomyTerm,
)
from quartier.offers.rules import manage_q, review_area_ids, review_q
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY

STALE_AFTER_DAYS_DEFAULT = 365
DUPLICATE_NAME_RATIO = 0.88
DUPLICATE_CANDIDATES = 300


def stale_after_days() -> int:
    return int(getattr(settings, "QUARTIER_OFFER_STALE_AFTER_DAYS", STALE_AFTER_DAYS_DEFAULT))


def stale_q(today: datetime.date | None = None) -> Q:
    """Not verified within the stale period (never verified: counted from creation)."""
    today = today or timezone.localdate()
    cutoff = today - datetime.timedelta(days=stale_after_days())
    cutoff_start = timezone.make_aware(datetime.datetime.combine(cutoff, datetime.time.min))
    return Q(last_verified__lt=cutoff) | Q(last_verified__isnull=True, created_at__lt=cutoff_start)


def is_stale(offer: Offer, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    reference = offer.last_verified or timezone.localdate(offer.created_at)
    return (today - reference).days > stale_after_days()


def _with_flags(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    pending = OfferRevision.objects.pending().filter(offer=OuterRef("pk"))
    stale = Offer.objects.filter(stale_q(), pk=OuterRef("pk"))
    return queryset.select_related("organisation").annotate(
        has_pending=Exists(pending), stale=Exists(stale)
    )


def offers_manageable_by(user: Any) -> QuerySet[Offer]:
    """The offers the user may edit, with `has_pending` and `stale` flags."""
    queryset = Offer.objects.all() if user.is_superuser else Offer.objects.filter(manage_q(user))
    return _with_flags(queryset)


def organisations_for_offers(user: Any) -> QuerySet[Organisation]:
    """Organisations the user may create offers for."""
    organisations = Organisation.objects.active().order_by("name")
    if user.is_superuser:
        return organisations
    scope = scope_of(user)
    ids = scope.editor_organisation_ids | scope.coordinator_organisation_ids
    through = Organisation.areas.through.objects.filter(area_id__in=review_area_ids(user))
    return organisations.filter(Q(pk__in=ids) | Q(pk__in=through.values("organisation_id")))


def offers_awaiting_review(user: Any) -> QuerySet[Offer]:
    """Offers in review and published offers with a pending change, in the user's review scope."""
    queryset = Offer.objects.all() if user.is_superuser else Offer.objects.filter(review_q(user))
    pending = OfferRevision.objects.pending().filter(offer=OuterRef("pk"))
    return _with_flags(
        queryset.filter(Q(review_state=ReviewState.IN_REVIEW) | Q(Exists(pending)))
    ).order_by("updated_at")


def offers_stale_for(user: Any) -> QuerySet[Offer]:
    return offers_manageable_by(user).exclude(status="ended").filter(stale_q())


def public_offer(pk: Any) -> Offer:
    """A published offer with everything its page shows (raises Offer.DoesNotExist)."""
    return (
        Offer.objects.public()
        .select_related("organisation")
        .prefetch_related(
            Prefetch("topics", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
            "target_groups",
            "languages",
            "areas",
            Prefetch("locations", queryset=Location.objects.order_by("name", "street")),
            Prefetch(
                "schedules", queryset=Schedule.objects.order_by("kind", "weekday", "opens_at")
            ),
            "contacts__positions",
        )
        .get(pk=pk)
    )


def public_contacts(offer: Offer) -> list[dict[str, Any]]:
    """Contact persons with only their public fields; people without a public position at the
    offer's organisation are left out (never show internal contacts)."""
    result = []
    for person in offer.contacts.all():
        positions = [
            p
            for p in person.positions.all()
            if p.is_public and p.end_date is None and p.organisation_id == offer.organisation_id
        ]
        if positions:
            result.append(
                {"name": person.full_name, "role": positions[0].role, **person.public_contact()}
            )
    return result


# --- duplicates -------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Lower case, umlauts folded, punctuation and spacing removed: for comparing names."""
    text = (text or "").casefold().replace("ß", "ss")
    for umlaut, folded in (("ä", "ae"), ("ö", "oe"), ("ü", "ue")):
        text = text.replace(umlaut, folded)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(char for char in text if not unicodedata.combining(char))
    text = re.sub(r"str(asse|\.)", "str", text)
    return re.sub(r"[^a-z0-9]+", " ", text).strip()


@dataclass(frozen=True)
class Duplicate:
    offer: Offer
    reason: str
    similarity: float


def _places(offer: Offer) -> set[tuple[str, str]]:
    return {
        (normalise(location.street), location.postcode.strip())
        for location in offer.locations.all()
        if location.street
    }


def possible_duplicates(offer: Offer) -> list[Duplicate]:
    """Other offers with the same or a near-identical name at the same address."""
    places = _places(offer)
    if not places:
        return []
    postcodes = {postcode for _street, postcode in places}
    candidates = (
        Offer.objects.exclude(pk=offer.pk)
        .filter(locations__postcode__in=postcodes)
        .select_related("organisation")
        .prefetch_related("locations")
        .distinct()[:DUPLICATE_CANDIDATES]
    )
    name = normalise(offer.name)
    found = []
    for other in candidates:
        if not places & _places(other):
            continue
        ratio = difflib.SequenceMatcher(None, name, normalise(other.name)).ratio()
        if ratio == 1.0:
            found.append(Duplicate(other, "same_name", ratio))
        elif ratio >= DUPLICATE_NAME_RATIO:
            found.append(Duplicate(other, "similar_name", ratio))
    return sorted(found, key=lambda dup: -dup.similarity)


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    user: Any
    reason: str
    kind: str
    changes: list[tuple[str, str, str]]


HISTORY_EXCLUDED = ["updated_at", "created_at", "topics", "target_groups", "languages", "areas"]


def offer_history(offer: Offer, limit: int = 50) -> list[HistoryEntry]:
    """The saved versions of an offer, newest first, each with its field changes."""
    records = list(offer.history.select_related("history_user").order_by("-history_date")[:limit])
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[tuple[str, str, str]] = []
        if previous is not None:
            # Many-to-many fields are left out: diffing them costs queries per version; their
            # changes show in the review of each pending revision (snapshot.snapshot_diff).
            delta = record.diff_against(previous, excluded_fields=HISTORY_EXCLUDED)
            for change in delta.changes:
                field = Offer._meta.get_field(change.field)
                changes.append((str(field.verbose_name), _short(change.old), _short(change.new)))
        entries.append(
            HistoryEntry(
                record.history_date,
                record.history_user,
                record.history_change_reason or "",
                record.get_history_type_display(),
                changes,
            )
        )
    return entries


def _short(value: Any) -> str:
    if isinstance(value, list):
        return f"{len(value)}"
    text = "–" if value in (None, "") else str(value)
    return text if len(text) <= 160 else text[:157] + "…"


# --- area catalogue ---------------------------------------------------------------------------


def area_offers(area: Any) -> QuerySet[Offer]:
    """Public offers serving the area or any area below it."""
    area_ids = descendant_ids([area.pk])
    through = Offer.areas.through.objects.filter(area_id__in=area_ids).values("offer_id")
    return (
        Offer.objects.public()
        .filter(pk__in=through)
        .select_related("organisation")
        .prefetch_related(
            Prefetch(
                "topics",
                queryset=TaxonomyTerm.objects.filter(
                    taxonomy__slug=SOCIAL_SPACE_TAXONOMY
                ).select_related("parent"),
            ),
            "target_groups",
            "languages",
            Prefetch("locations", queryset=Location.objects.order_by("name", "street")),
            Prefetch(
                "schedules", queryset=Schedule.objects.order_by("kind", "weekday", "opens_at")
            ),
        )
        .order_by("name")
    )


def group_by_main_topic(offers: list[Offer]) -> list[tuple[str, list[Offer]]]:
    """Offers grouped by the top-level topic of each of their topics (an offer may appear in
    several groups), groups in taxonomy order; offers without a topic come last."""
    groups: dict[str, tuple[int, list[Offer]]] = {}
    other: list[Offer] = []
    for offer in offers:
        roots = {(term.parent or term) for term in offer.topics.all()}
        if not roots:
            other.append(offer)
        for root in roots:
            groups.setdefault(root.name, (root.position, []))[1].append(offer)
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    result = [(name, members) for name, (_position, members) in ordered]
    if other:
        result.append(("", other))
    return result
