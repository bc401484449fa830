"""The search as a function: what the HTML page, the JSON API, the map and saved searches call.

`search_offers` is the stable entry point for other apps (alerts' digests call it); its
signature and the fields of SearchFilters and SearchResult only grow, they do not change.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from quartier.core.geo import BBox, distance_m
from quartier.offers.models import Offer
from quartier.search import analysis, engine
from quartier.search.models import IndexedTerm, SearchPoint, synonym_map

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_RADIUS_M = 100_000.0
DEFAULT_RADIUS_M = 5_000.0
SORTS = ("relevance", "distance", "name")


@dataclass
class SearchFilters:
    """Filters of a search. Facet values are OR-ed within a field and AND-ed across fields.

    topics: TaxonomyTerm ids; target_groups: TargetGroup slugs; areas: Area ids (an area
    includes offers of its sub-areas); languages: Language codes; weekday: 0 = Monday (has
    regular hours that day); open_now: open at `now` (default: the current time; pass it
    explicitly in tests); near: (lat, lon) with radius_m; bbox: only offers inside the box.
    """

    topics: list[str] = field(default_factory=list)
    target_groups: list[str] = field(default_factory=list)
    areas: list[int] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    free: bool = False
    barrier_free: bool = False
    open_now: bool = False
    weekday: int | None = None
    near: tuple[float, float] | None = None
    radius_m: float = DEFAULT_RADIUS_M
    bbox: BBox | None = None
    sort: str = "relevance"
    now: dt.datetime | None = None

    def plan(self, now: dt.datetime) -> engine.Plan:
        groups = [
            [f"topic:{value}" for value in self.topics],
            [f"group:{value}" for value in self.target_groups],
            [f"area:{value}" for value in self.areas],
            [f"lang:{value}" for value in self.languages],
            ["free"] if self.free else [],
            ["barrier_free"] if self.barrier_free else [],
            [f"weekday:{self.weekday}"] if self.weekday is not None else [],
        ]
        near = None
        if self.near:
            radius = min(max(float(self.radius_m), 1.0), MAX_RADIUS_M)
            near = engine.Near(self.near[0], self.near[1], radius)
        return engine.Plan(
            groups=[group for group in groups if group],
            bbox=self.bbox,
            near=near,
            open_at=now if self.open_now else None,
        )


@dataclass
class Hit:
    offer: Offer
    distance_m: float | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    page: int
    per_page: int
    facets: dict[str, int]  # facet key ("topic:<id>", "free", "open_now", ...) -> count
    query: str
    corrected_query: str | None = None  # set when the typo fallback found the results
    notices: list[str] = field(default_factory=list)  # what was clamped or ignored

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def offers(self) -> list[Offer]:
        return [hit.offer for hit in self.hits]


def search_offers(
    *,
    query: str = "",
    filters: SearchFilters | None = None,
    page: int = 1,
    per_page: int = 20,
) -> SearchResult:
    """Search the public offers.

    query: free text in German (any input is safe: operators, quotes and SQL are plain words
    here). filters: see SearchFilters. page counts from 1; per_page is clamped to 1..100 and
    page to 1..500, and `notices` says so. Returns the hits of the page (offers with
    organisation and topics loaded, distance in metres when `filters.near` is set), the total,
    facet counts over the whole result set, and `corrected_query` when no offer matched the
    query as typed but one matched with one typo corrected. Only public offers are found.
    A bounded number of queries whatever the result size.
    """
    from django.utils.translation import gettext as _

    filters = filters or SearchFilters()
    notices: list[str] = []
    if not 1 <= per_page <= MAX_PER_PAGE:
        per_page = min(max(per_page, 1), MAX_PER_PAGE)
        notices.append(_("Results per page were limited to %(n)d.") % {"n": per_page})
    if not 1 <= page <= MAX_PAGE:
        page = min(max(page, 1), MAX_PAGE)
        notices.append(_("The page number was limited to %(n)d.") % {"n": page})
    now = timezone.localtime(filters.now or timezone.now())
    parsed = analysis.parse_query(query, synonym_map())
    if parsed.truncated:
        notices.append(_("The search text was shortened to its first words."))
    plan = filters.plan(now)
    total, facets = engine.facet_counts(parsed, plan, now)
    corrected = None
    if total == 0 and not parsed.is_empty:
        fixed = correct_typos(parsed)
        if fixed is not None:
            fixed_total, fixed_facets = engine.facet_counts(fixed, plan, now)
            if fixed_total:
                parsed, total, facets = fixed, fixed_total, fixed_facets
                corrected = " ".join(term.text for term in fixed.terms)
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "distance" and not filters.near:
        sort = "relevance"
    rows = engine.page(parsed, plan, sort=sort, limit=per_page, offset=(page - 1) * per_page)
    hits = _hits(rows, filters.near)
    return SearchResult(
        hits=hits,
        total=total,
        page=page,
        per_page=per_page,
        facets=facets,
        query=query,
        corrected_query=corrected,
        notices=notices,
    )


def _hits(rows: list[tuple[int, Any]], near: tuple[float, float] | None) -> list[Hit]:
    if not rows:
        return []
    offer_ids = [_as_uuid(offer_id) for _doc, offer_id in rows]
    offers = Offer.objects.public().select_related("organisation").prefetch_related("topics")
    by_id = {offer.pk: offer for offer in offers.filter(pk__in=offer_ids)}
    points: dict[int, list[tuple[float, float]]] = {}
    for doc_id, lat, lon in SearchPoint.objects.filter(
        document_id__in=[doc for doc, _o in rows]
    ).values_list("document_id", "lat", "lon"):
        points.setdefault(doc_id, []).append((lat, lon))
    hits = []
    for (doc_id, _offer), offer_id in zip(rows, offer_ids, strict=True):
        offer = by_id.get(offer_id)
        if offer is None:
            continue  # made non-public since indexing; the signal will drop its document
        places = points.get(doc_id, [])
        hit = Hit(offer=offer)
        if places:
            if near:
                best = min(places, key=lambda p: distance_m(near[0], near[1], p[0], p[1]))
                hit.distance_m = distance_m(near[0], near[1], best[0], best[1])
            else:
                best = places[0]
            hit.lat, hit.lon = best
        hits.append(hit)
    return hits


def _as_uuid(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def correct_typos(parsed: analysis.ParsedQuery) -> analysis.ParsedQuery | None:
    """The query with each unknown word replaced by a known one a single edit away, if any."""
    changed = False
    terms = []
    for term in parsed.terms:
        candidates = {analysis.stem(word): word for word in analysis.edits1(term.text)}
        if IndexedTerm.objects.filter(term=term.alternatives[0][0]).exists() or not candidates:
            terms.append(term)
            continue
        known = (
            IndexedTerm.objects.filter(term__in=list(candidates))
            .order_by("-doc_count", "term")
            .values_list("term", flat=True)
            .first()
        )
        if known is None:
            terms.append(term)
            continue
        changed = True
        terms.append(analysis.QueryTerm(text=candidates[known], alternatives=((known,),)))
    return parsed.with_terms(tuple(terms)) if changed else None
