"""The search as a function: what the HTML page, the JSON API, the map and saved searches call.

`search_offers` is the stable entry point for other apps (alerts' digests call it); its
signature and the fields of SearchFilters and SearchResult only grow, they do not change.
Hits are built here only: read `hit.summary` for what a list shows, `hit.offer` for the model
(None if the offer was deleted or made non-public after the search; `SearchResult.offers`
leaves those out, so pair offers with hits by id, not by position).
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import math
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils import timezone

from quartier.core.geo import BBox, distance_m
from quartier.offers.models import Offer, OfferStatus, TaxonomyTerm
from quartier.search import analysis, engine, facetindex
from quartier.search.backends import get_backend
from quartier.search.models import IndexedTerm, synonym_map

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


@dataclass(frozen=True)
class OfferSummary:
    """What a list of results shows of an offer: read as plain values in one query for the
    whole page, without building the model (twenty Offer and Organisation objects with their
    topics cost a quarter of a selective search, docs/performance.md)."""

    id: uuid.UUID
    name: str
    organisation: str
    description: str
    cost: str
    status: str
    topics: tuple[TaxonomyTerm, ...] = ()  # in name order

    @property
    def status_label(self) -> str:
        return str(OfferStatus(self.status).label)

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", kwargs={"pk": self.id})


class _OfferLoader:
    """Loads the Offer objects of one page of hits together, on the first hit that asks,
    with their organisations and (from the summaries, without a query) their topics."""

    def __init__(self, summaries: list[OfferSummary]) -> None:
        self.summaries = {summary.id: summary for summary in summaries}
        self.offers: dict[uuid.UUID, Offer] | None = None

    def get(self, offer_id: uuid.UUID) -> Offer | None:
        if self.offers is None:
            loaded = Offer.objects.filter(pk__in=list(self.summaries)).order_by()
            self.offers = {
                offer.pk: offer
                for offer in loaded.select_related("organisation")
                if offer.is_public  # it may have changed since the summaries were read
            }
            for offer in self.offers.values():
                # What prefetch_related("topics") leaves: offer.topics.all() costs no query,
                # and a further .filter() on it queries the offer's topics as usual.
                topics = offer.topics.all()
                topics._result_cache = list(self.summaries[offer.pk].topics)
                topics._prefetch_done = True
                offer._prefetched_objects_cache = {"topics": topics}
        return self.offers.get(offer_id)


@dataclass
class Hit:
    summary: OfferSummary
    distance_m: float | None = None
    lat: float | None = None
    lon: float | None = None
    loader: _OfferLoader | None = field(default=None, repr=False, compare=False)

    @property
    def offer(self) -> Offer | None:
        """The offer itself, with organisation and topics, or None if it was deleted or made
        non-public since the search. Loaded on first use, for all hits of the page in one
        query: lists only need `summary`; the guided search and code that needs more of the
        offer read this."""
        if self.loader is None:
            self.loader = _OfferLoader([self.summary])
        return self.loader.get(self.summary.id)

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
        """The hits' offers (loaded in one query on first use; `hits[i].summary` is cheaper)."""
        return [hit.offer for hit in self.hits if hit.offer is not None]


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
    page to 1..500, and `notices` says so. Returns the hits of the page (a summary of
    each offer, the offer itself loaded on first use, distance in metres when `filters.near`
    is set), the total, facet counts over the whole result set, and `corrected_query` when
    no offer matched the query as typed but one matched with one typo corrected. Only public
    offers are found. A bounded number of queries whatever the result size.
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
        # One pass for counts and page where the backend says it is cheaper (PostgreSQL;
        # SQLite for one-term queries, ADR 0008); docs/performance.md.
        if sort == "relevance" and not parsed.is_empty and get_backend().one_pass(parsed):
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
        ranking = engine.page(parsed, plan, sort=sort, limit=limit, offset=offset)
        rows = [doc for doc, _offer in ranking]
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
    documents: list[int],
    near: tuple[float, float] | None,
    index: facetindex.FacetIndex | None = None,
) -> list[Hit]:
    """The hits of these search documents, in their order (documents whose offer is no longer
    public or is gone are left out)."""
    if not documents:
        return []
    summaries = _summaries(documents, index)
    loader = _OfferLoader(list(summaries.values()))
    points = _points(documents)
    hits = []
    for doc_id in documents:
        summary = summaries.get(doc_id)
        if summary is None:
            continue  # made non-public since indexing or deleted since the ranking
        places = points.get(doc_id, [])
        hit = Hit(summary=summary, loader=loader)
        if places:
            if near:
                best = min(places, key=lambda p: distance_m(near[0], near[1], p[0], p[1]))
                hit.distance_m = distance_m(near[0], near[1], best[0], best[1])
            else:
                best = places[0]
            hit.lat, hit.lon = best
        hits.append(hit)
    return hits


def _summaries(
    documents: list[int], index: facetindex.FacetIndex | None
) -> dict[int, OfferSummary]:
    """Summaries of the public offers of these search documents, by document id, with their
    topics: one statement. Through the ORM (offers, then topic links) the same cost three
    times as much, most of it building the queries.

    "Public" is checked here, not in SQL: with the visibility filter in SQL, SQLite (without
    ANALYZE statistics) walks the review-state index of all published offers instead of
    looking up these twenty (100 ms at 100,000 offers)."""
    offer = Offer._meta
    organisation = offer.get_field("organisation").related_model._meta
    links = Offer.topics.through._meta
    condition, param = facetindex.ids_condition("d.id", documents)
    sql = (
        f"SELECT d.id, o.id, o.name, g.name, o.description, o.cost, o.status, o.review_state,"
        f" (SELECT {facetindex.joined('t.taxonomyterm_id')} FROM {links.db_table} t"
        f"  WHERE t.offer_id = o.id)"
        f" FROM search_searchdocument d JOIN {offer.db_table} o ON o.id = d.offer_id"
        f" JOIN {organisation.db_table} g ON g.id = o.organisation_id WHERE {condition}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [param])
        rows = cursor.fetchall()
    terms = facetindex.cached("topic-terms", _topic_terms, index)
    found = {}
    for doc, pk, name, organisation_name, description, cost, status, review, topics in rows:
        if not Offer.public_state(review, status):
            continue
        known = (terms.get(uuid.UUID(term)) for term in (topics or "").split(",") if term)
        found[doc] = OfferSummary(
            id=_as_uuid(pk),
            name=name,
            organisation=organisation_name,
            description=description,
            cost=cost,
            status=status,
            topics=tuple(sorted((term for term in known if term), key=lambda t: t.name)),
        )
    return found


def _points(documents: list[int]) -> dict[int, list[tuple[float, float]]]:
    """The indexed places of these documents, by document id."""
    condition, param = facetindex.ids_condition("document_id", documents)
    points: dict[int, list[tuple[float, float]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT document_id, lat, lon FROM search_searchpoint WHERE {condition}", [param]
        )
        for doc_id, lat, lon in cursor.fetchall():
            points.setdefault(doc_id, []).append((lat, lon))
    return points


def _topic_terms() -> dict[Any, TaxonomyTerm]:
    """All topic terms by id, kept per process until a term changes (the signals report it)."""
    return {term.pk: term for term in TaxonomyTerm.objects.order_by("name")}


def _as_uuid(value: Any) -> Any:
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
