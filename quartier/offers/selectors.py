"""Reads over offers: back-office lists, stale entries, duplicates, history, area catalogues."""

from __future__ import annotations

import datetime
import difflib
import operator
import re
import unicodedata
from dataclasses import dataclass
from functools import reduce
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext

from quartier.accounts.rules import scope_of
from quartier.areas.models import Area
from quartier.areas.selectors import reach
from quartier.core.geo import bbox_around, distance_m
from quartier.core.geocoding import ESTIMATED, normalise_street
from quartier.directory.models import Organisation
from quartier.directory.selectors import public_contact_cards
from quartier.offers.models import (
    Location,
    Offer,
    OfferLocation,
    OfferRevision,
    ReviewState,
    Schedule,
    TaxonomyTerm,
)
from quartier.offers.rules import manage_q, review_area_ids, review_q
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY

STALE_AFTER_DAYS_DEFAULT = 365
DUPLICATE_NAME_RATIO = 0.88
# "The same place": geocoders put one building's offers this close (the review page says 50 m).
DUPLICATE_RADIUS_M = 50.0
DUPLICATES_SHOWN = 20


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


def _with_content(queryset: QuerySet[Offer]) -> QuerySet[Offer]:
    """Everything an offer's page shows, in one query per relation."""
    return queryset.select_related("organisation").prefetch_related(
        Prefetch("topics", queryset=TaxonomyTerm.objects.select_related("taxonomy")),
        "target_groups",
        "languages",
        "areas",
        Prefetch("locations", queryset=Location.objects.order_by("name", "street")),
        Prefetch("schedules", queryset=Schedule.objects.order_by("kind", "weekday", "opens_at")),
    )


def public_offer(pk: Any) -> Offer:
    """A published offer with everything its page shows (raises Offer.DoesNotExist)."""
    return _with_content(Offer.objects.public()).get(pk=pk)


def offer_for_review(pk: Any) -> Offer:
    """An offer in any state with everything its public page would show (the review page)."""
    return _with_content(Offer.objects.all()).get(pk=pk)


def public_contacts(offer: Offer) -> list[dict[str, Any]]:
    """The offer's contact persons who are public contacts of its organisation, with their
    public fields only (the rule: quartier.directory.selectors)."""
    return public_contact_cards(offer.contacts.all(), offer.organisation_id)


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
    reason: str  # "same_name" or "similar_name"
    similarity: float
    place: str  # "address": the same street and postcode; "point": a location close by
    distance: int | None = None  # metres between the nearest locations, for "point"


def _address(location: Any) -> tuple[str, str] | None:
    """Street and postcode, normalised; None when either is missing (too vague to match)."""
    street, postcode = normalise(location.street), (location.postcode or "").strip()
    return (street, postcode) if street and postcode else None


def possible_duplicates(offer: Offer) -> list[Duplicate]:
    """Other offers with the same or a near-identical name at the same place: the same address
    (normalised street and postcode) or a location within DUPLICATE_RADIUS_M.

    At most three queries whatever the catalogue's size: the offer's locations; every location
    at its postcodes or near its points, with only the columns compared (no cap, so a postcode
    with thousands of offers cannot push the real duplicate out); the offers that match.
    """
    own = list(offer.locations.all())
    addresses = {address for address in map(_address, own) if address}
    points = [(loc.lat, loc.lon) for loc in own if loc.lat is not None and loc.lon is not None]
    conditions = []
    if addresses:
        conditions.append(Q(location__postcode__in={postcode for _s, postcode in addresses}))
    for lat, lon in points:
        box = bbox_around(lat, lon, DUPLICATE_RADIUS_M)
        conditions.append(
            Q(
                location__lat__range=(box.min_lat, box.max_lat),
                location__lon__range=(box.min_lon, box.max_lon),
            )
        )
    if not conditions:
        return []
    rows = (
        OfferLocation.objects.filter(reduce(operator.or_, conditions))
        .exclude(offer_id=offer.pk)
        .values_list(
            "offer_id",
            "offer__name",
            "location__street",
            "location__postcode",
            "location__lat",
            "location__lon",
        )
    )
    name = normalise(offer.name)
    ratios: dict[Any, float] = {}
    places: dict[Any, tuple[str, int | None]] = {}  # offer id -> ("address", None) or ("point", m)
    for offer_id, other_name, street, postcode, lat, lon in rows:
        if offer_id not in ratios:
            matcher = difflib.SequenceMatcher(None, name, normalise(other_name), autojunk=False)
            ratios[offer_id] = matcher.ratio()
        if ratios[offer_id] < DUPLICATE_NAME_RATIO:
            continue
        if street and postcode and (normalise(street), postcode.strip()) in addresses:
            places[offer_id] = ("address", None)
        elif lat is not None and lon is not None and points:
            metres = min(distance_m(lat, lon, p_lat, p_lon) for p_lat, p_lon in points)
            known = places.get(offer_id)
            if metres <= DUPLICATE_RADIUS_M and (
                known is None or (known[1] is not None and round(metres) < known[1])
            ):
                places[offer_id] = ("point", round(metres))
    if not places:
        return []
    found = []
    for other in Offer.objects.filter(pk__in=list(places)).select_related("organisation"):
        ratio = ratios[other.pk]
        place, metres = places[other.pk]
        reason = "same_name" if ratio == 1.0 else "similar_name"
        found.append(Duplicate(other, reason, ratio, place, metres))
    found.sort(
        key=lambda dup: (-dup.similarity, dup.place != "address", dup.offer.name, str(dup.offer.pk))
    )
    return found[:DUPLICATES_SHOWN]


# --- history ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class DiffPart:
    """A run of words in a field's diff: "same", "del" (removed), "ins" (added), "gap"
    (unchanged words left out) or "layout" (only spaces or line breaks changed)."""

    kind: str
    text: str = ""


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: list[DiffPart]
    after: list[DiffPart]


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    user: Any
    reason: str
    kind: str
    changes: list[FieldChange]


HISTORY_EXCLUDED = ["updated_at", "created_at", "topics", "target_groups", "languages", "areas"]
DIFF_CONTEXT_WORDS = 8  # unchanged words shown on each side of a change
DIFF_MERGE_WORDS = 2  # unchanged runs this short between two changes join them
DIFF_MAX_CELLS = 1_000_000  # beyond len(a) * len(b) the changed middle shows as one replacement
_TOKEN = re.compile(r"\n|[^\s]+")


def offer_history(offer: Offer, limit: int = 50) -> list[HistoryEntry]:
    """The saved versions of an offer, newest first, each with its field changes."""
    records = list(offer.history.select_related("history_user").order_by("-history_date")[:limit])
    entries = []
    for index, record in enumerate(records):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None:
            # Many-to-many fields are left out: diffing them costs queries per version; their
            # changes show in the review of each pending revision (snapshot.snapshot_diff).
            delta = record.diff_against(previous, excluded_fields=HISTORY_EXCLUDED)
            for change in delta.changes:
                field = Offer._meta.get_field(change.field)
                before, after = text_diff(_display(field, change.old), _display(field, change.new))
                changes.append(FieldChange(str(field.verbose_name), before, after))
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


def _display(field: Any, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return f"{len(value)}"
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if getattr(field, "flatchoices", None):
        return str(dict(field.flatchoices).get(value, value))
    return str(value)


def _join(tokens: list[str]) -> str:
    return " ".join(tokens).replace(" \n ", "\n").replace(" \n", "\n").replace("\n ", "\n")


def _context(words: list[str], context: int, head: bool, tail: bool) -> list[DiffPart]:
    """Unchanged words around changes: the first `context` after the change before them
    (head), the last `context` before the change after them (tail); the rest as a gap."""
    if not head and not tail:
        return []
    keep_head = words[:context] if head else []
    keep_tail = words[-context:] if tail else []
    if len(keep_head) + len(keep_tail) >= len(words):
        return [DiffPart("same", _join(words))]
    parts = [DiffPart("same", _join(keep_head))] if keep_head else []
    parts.append(DiffPart("gap"))
    if keep_tail:
        parts.append(DiffPart("same", _join(keep_tail)))
    return parts


def _merge_short_runs(
    blocks: list[tuple[str, list[str], list[str]]],
) -> list[tuple[str, list[str], list[str]]]:
    """Join changes separated by only a word or two ("Montag von 9" -> "Dienstag von 10" reads
    as one change, not three), so that the diff reads like the edit that was made."""
    merged: list[tuple[str, list[str], list[str]]] = []
    for index, (tag, removed, added) in enumerate(blocks):
        if tag == "equal":
            between_changes = 0 < index < len(blocks) - 1 and merged and merged[-1][0] != "equal"
            if not (between_changes and len(removed) <= DIFF_MERGE_WORDS):
                merged.append((tag, removed, added))
                continue
            added = removed  # the short run goes to both sides of the surrounding change
        if merged and merged[-1][0] != "equal":
            _tag, previous_removed, previous_added = merged.pop()
            removed, added = previous_removed + removed, previous_added + added
        merged.append(("replace", removed, added))
    return merged


def text_diff(
    old: str, new: str, context: int = DIFF_CONTEXT_WORDS
) -> tuple[list[DiffPart], list[DiffPart]]:
    """A word-level diff of two texts as (before, after): the removed words in `before`, the
    added ones in `after`, each with `context` unchanged words around them and a gap for the
    rest, so that a change at the end of a long description is shown where it is."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    if a == b:
        return ([DiffPart("layout")], [DiffPart("layout")]) if old != new else ([], [])
    # The common start and end are cut off first: most edits touch one place in a long text.
    prefix = 0
    while prefix < min(len(a), len(b)) and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < min(len(a), len(b)) - prefix and a[-1 - suffix] == b[-1 - suffix]:
        suffix += 1
    middle_a, middle_b = a[prefix : len(a) - suffix], b[prefix : len(b) - suffix]
    if len(middle_a) * len(middle_b) > DIFF_MAX_CELLS:
        opcodes = [("replace", 0, len(middle_a), 0, len(middle_b))]
    else:
        matcher = difflib.SequenceMatcher(None, middle_a, middle_b, autojunk=False)
        opcodes = matcher.get_opcodes()
    blocks: list[tuple[str, list[str], list[str]]] = []
    if prefix:
        blocks.append(("equal", a[:prefix], []))
    blocks += [(tag, middle_a[i1:i2], middle_b[j1:j2]) for tag, i1, i2, j1, j2 in opcodes]
    if suffix:
        blocks.append(("equal", a[len(a) - suffix :], []))
    blocks = _merge_short_runs(blocks)
    before: list[DiffPart] = []
    after: list[DiffPart] = []
    for index, (tag, removed, added) in enumerate(blocks):
        if tag == "equal":
            same = _context(removed, context, head=index > 0, tail=index < len(blocks) - 1)
            before += same
            after += same
            continue
        if removed:
            before.append(DiffPart("del", _join(removed)))
        if added:
            after.append(DiffPart("ins", _join(added)))
    return before, after


# --- area catalogue ---------------------------------------------------------------------------


def area_offers(area: Any) -> QuerySet[Offer]:
    """Public offers serving the area: those filed under it or an area below it, then those
    filed under an area enclosing it (a city-wide counselling service serves every quarter).

    Each offer carries `own` (False: it serves the area as part of a larger one) and
    `enclosing_areas` (the enclosing areas it is filed under, smallest first, for "serves all
    of Trier"); own offers come first, each part by name. The walk up and down the hierarchy
    is one query, whatever its depth."""
    scope = reach([area.pk])
    links = Offer.areas.through.objects
    own = links.filter(offer_id=OuterRef("pk"), area_id__in=scope.inside)
    enclosing = Area.objects.filter(pk__in=scope.enclosing).select_related("kind")
    return (
        Offer.objects.public()
        .filter(pk__in=links.filter(area_id__in=scope.all).values("offer_id"))
        .annotate(own=Exists(own))
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
            Prefetch(
                "areas",
                queryset=enclosing.order_by("-kind__level", "name"),
                to_attr="enclosing_areas",
            ),
        )
        .order_by("-own", "name")
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
            groups.setdefault(root.localized_name, (root.position, []))[1].append(offer)
    ordered = sorted(groups.items(), key=lambda item: item[1][0])
    result = [(name, members) for name, (_position, members) in ordered]
    if other:
        result.append(("", other))
    return result


def known_place(street: str, postcode: str) -> tuple[float, float] | None:
    """A location of the catalogue at this (normalised) street and postcode whose point was
    set by hand or found from its address (core/geocoding.py's "known place" step)."""
    rows = (
        Location.objects.filter(postcode=postcode, lat__isnull=False, lon__isnull=False)
        .exclude(position_source__in=ESTIMATED)
        .exclude(street="")
        .order_by("-updated_at")
        .values_list("street", "lat", "lon")
    )
    for other_street, lat, lon in rows[:500]:
        if normalise_street(other_street) == street:
            return lat, lon
    return None


def locations_without_point() -> QuerySet[Location]:
    """Locations that are on no map: no point at all."""
    return Location.objects.filter(Q(lat__isnull=True) | Q(lon__isnull=True))


def locations_estimated() -> QuerySet[Location]:
    """Locations whose point is only the centre of their postcode area."""
    return Location.objects.filter(lat__isnull=False, position_source__in=ESTIMATED)
