"""The search as a function: what the HTML page, the JSON API, the map and saved searches call.

`search_offers` is the stable entry point for other apps (alerts' digests call it); its
signature and the fields of SearchFilters and SearchResult only grow, they do not change.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.utils import timezone

from quartier.core.geo import BBox, distance_m
from quartier.offers.models import Offer, TaxonomyTerm
from quartier.search import analysis, engine, facetindex
from quartier.search.models import IndexedTerm, SearchPoint, synonym_map

MAX_PER_PAGE = 100
MAX_PAGE = 500
MAX_RADIUS_M = 100_000.0
DEFAULT_RADIUS_M = 5_000.0
SORTS = ("relevance", "distance", "name")
MIN_TYPO_WORD = 4  # shorter words are not corrected


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

    @property
    def distance_km(self) -> float | None:
        return None if self.distance_m is None else self.distance_m / 1000


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
    index: facetindex.FacetIndex | None = None,
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
    # One probe of the change log for the whole search (the caller's, if it has one: the
    # search form's).
    index = index or facetindex.current()
    parsed = analysis.parse_query(query, synonyms(index))
    if parsed.truncated:
        notices.append(_("The search text was shortened to its first words."))
    plan = filters.plan(now)
    sort = filters.sort if filters.sort in SORTS else "relevance"
    if sort == "distance" and not filters.near:
        sort = "relevance"
    limit, offset = per_page, (page - 1) * per_page

    def run(parsed: analysis.ParsedQuery) -> tuple[int, dict[str, int], list | None]:
        # PostgreSQL: one pass for counts and page (a second pass re-reads every match's row,
        # 15-30 % slower). SQLite: two passes (the ids alone, then FTS5's ranked LIMIT) are
        # 10-15 % cheaper than formatting every match's score. docs/performance.md.
        if sort == "relevance" and not parsed.is_empty and connection.vendor == "postgresql":
            return engine.ranked(parsed, plan, now, index, limit=limit, offset=offset)
        return (*engine.facet_counts(parsed, plan, now, index), None)

    total, facets, rows = run(parsed)
    corrected = None
    if total == 0 and not parsed.is_empty:
        fixed = correct_typos(parsed)
        if fixed is not None:
            fixed_total, fixed_facets, fixed_rows = run(fixed)
            if fixed_total:
                parsed, total, facets, rows = fixed, fixed_total, fixed_facets, fixed_rows
                corrected = " ".join(term.text for term in fixed.terms)
    if rows is None:
        rows = engine.page(parsed, plan, sort=sort, limit=limit, offset=offset)
    hits = _hits(rows, filters.near, index)
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


def synonyms(index: facetindex.FacetIndex | None = None) -> Any:
    """The synonym map (models.synonym_map), kept per process until synonyms change."""
    return facetindex.cached("synonyms", synonym_map, index)


def _hits(
    rows: list[tuple[int, Any]],
    near: tuple[float, float] | None,
    index: facetindex.FacetIndex | None = None,
) -> list[Hit]:
    if not rows:
        return []
    offer_ids = [_as_uuid(offer_id) for _doc, offer_id in rows]
    # By primary key only, without ORDER BY, and "public" checked here: with the visibility
    # filter in SQL, SQLite (without ANALYZE statistics) walks the review-state index of all
    # published offers instead of looking up these twenty (100 ms at 100,000 offers).
    offers = Offer.objects.filter(pk__in=offer_ids).order_by().select_related("organisation")
    by_id = {offer.pk: offer for offer in offers if offer.is_public}
    _attach_topics(list(by_id.values()), index)
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


def _topic_terms() -> dict[Any, TaxonomyTerm]:
    """All topic terms by id, kept per process until a term changes (the signals report it)."""
    return {term.pk: term for term in TaxonomyTerm.objects.order_by("name")}


def _attach_topics(offers: list[Offer], index: facetindex.FacetIndex | None = None) -> None:
    """What prefetch_related("topics") does, from the link rows and the cached terms: the
    terms come in name order and `offer.topics.all()` costs no query. Prefetching built the
    same twenty offers' terms in 2 ms, a fifth of a selective search."""
    terms = facetindex.cached("topic-terms", _topic_terms, index)
    links = Offer.topics.through.objects.filter(offer_id__in=[offer.pk for offer in offers])
    by_offer: dict[Any, list[TaxonomyTerm]] = {offer.pk: [] for offer in offers}
    for offer_id, term_id in links.values_list("offer_id", "taxonomyterm_id"):
        if term_id in terms:
            by_offer[offer_id].append(terms[term_id])
    for offer in offers:
        queryset = TaxonomyTerm.objects.none()
        queryset._result_cache = sorted(by_offer[offer.pk], key=lambda term: term.name)
        queryset._prefetch_done = True
        offer._prefetched_objects_cache = {"topics": queryset}


def _as_uuid(value: Any) -> Any:
    import uuid

    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def correct_typos(parsed: analysis.ParsedQuery) -> analysis.ParsedQuery | None:
    """The query with each unknown word replaced by a known one a single edit away, if any.

    Left alone: synonym terms and phrases (they are not typos of one word), words under four
    letters or with digits (one edit away from too much: "2" is not "e"). The correction is
    shown as the catalogue writes the word (IndexedTerm.word), else as the edit that found it.
    """
    changed = False
    terms = []
    for term in parsed.terms:
        word = term.text
        if (
            len(term.alternatives) > 1
            or len(term.alternatives[0]) != 1
            or len(word) < MIN_TYPO_WORD
            or not word.isalpha()
            or IndexedTerm.objects.filter(term=term.alternatives[0][0]).exists()
        ):
            terms.append(term)
            continue
        candidates = {analysis.stem(edit): edit for edit in sorted(analysis.edits1(word))}
        known = (
            IndexedTerm.objects.filter(term__in=list(candidates))
            .order_by("-doc_count", "term")
            .values_list("term", "word")
            .first()
        )
        if known is None:
            terms.append(term)
            continue
        changed = True
        stem, written = known
        shown = written or candidates[stem]
        terms.append(analysis.QueryTerm(text=shown, alternatives=((stem,),)))
    return parsed.with_terms(tuple(terms)) if changed else None
