"""One search, one way: parse → plan → match and rank → count → page.

Each step takes what the step before it returned, and nothing goes back:

    parsed = parse(text, index)          the words as terms, with their synonyms (analysis.py)
    planned = plan(parsed, filters, ...) what to select, in which order, which page; the
                                         backend and the process's index, chosen once here
    matched = match(planned)             every hit (a bitmap); ranked in the process where the
                                         backend says one pass over the matches is cheaper
    counted = count(matched)             the total and the facet counts (bitmap intersections)
    documents = page(counted)            the search document ids of the page, in order

A text that finds nothing may be tried once more with a typo corrected: `corrected(plan)`
gives the plan for that, and the same steps run on it.

Every step is one statement whatever the result size: the match set's ids come back in one
query and facets are counted over them with in-memory bitmaps (facetindex.py); the page is one
ORDER BY ... LIMIT, or, ranked in the process, a partial sort of the scores. Distances are
equirectangular in SQL (pure arithmetic, the same on SQLite and PostgreSQL, off by less than
0.1 % within a county) after a bounding-box pre-filter; the displayed distance is haversine.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy
from django.db import connection
from django.utils import timezone
from pyroaring import BitMap

from quartier.core.geo import BBox, bbox_around
from quartier.search import analysis, areascope, results, sql
from quartier.search.analysis import ParsedQuery, QueryTerm, SynonymMap
from quartier.search.backends import Backend
from quartier.search.backends.base import Statement
from quartier.search.bm25 import Matches
from quartier.search.facetindex import FacetIndex
from quartier.search.models import IndexedTerm, synonym_map

MAX_RADIUS_M = 100_000.0
DEFAULT_RADIUS_M = 5_000.0
SORTS = ("relevance", "distance", "name")
MIN_TYPO_WORD = 4  # shorter words are not corrected
METRES_PER_DEGREE = 111_195.0
OPEN_NOW_KEY = "open_now"


@dataclass
class SearchFilters:
    """Filters of a search. Facet values are OR-ed within a field and AND-ed across fields.

    topics: TaxonomyTerm ids; target_groups: TargetGroup slugs; areas: Area ids (an area
    includes offers of its sub-areas and those filed under an area enclosing it, see
    areascope.py); languages: Language codes; weekday: 0 = Monday (has
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


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_m: float


@dataclass(frozen=True)
class Page:
    sort: str  # "relevance", "distance" (only with a point) or "name"
    limit: int
    offset: int


@dataclass(frozen=True)
class Plan:
    """Everything the later steps need, decided once."""

    query: ParsedQuery
    groups: tuple[tuple[str, ...], ...]  # facet keys: OR within a group, AND across groups
    bbox: BBox | None
    near: Near | None
    open_at: dt.datetime | None  # local time
    now: dt.datetime  # local time, for the open-now count
    page: Page | None  # None: no page is wanted (the map's points, counts only)
    in_process: bool  # rank every match in the process; else the page is ranked in SQL
    facets: bool  # count the facet values (else only the total)
    backend: Backend
    index: FacetIndex
    areas: areascope.AreaScope | None = None  # the area filter, when there is one


@dataclass(frozen=True)
class Matched:
    plan: Plan
    hits: BitMap  # every matching document
    ranked: Matches | None  # the hits with their scores, when the plan ranks in the process


@dataclass(frozen=True)
class Counted:
    matched: Matched
    total: int
    facets: dict[str, int]  # facet key ("topic:<id>", "free", "open_now", ...) -> hits


# Parse -------------------------------------------------------------------------------------


def parse(text: str, index: FacetIndex) -> ParsedQuery:
    """Whatever the user typed as terms, with the synonyms current in this process."""
    return analysis.parse_query(text, synonyms(index))


def synonyms(index: FacetIndex) -> SynonymMap:
    """The synonym map (models.synonym_map), kept per process until synonyms change."""
    found: SynonymMap = index.cached("synonyms", synonym_map)
    return found


def correct_typos(parsed: ParsedQuery) -> ParsedQuery | None:
    """The query with each unknown word replaced by a known one a single edit away, if any.

    Left alone: synonym terms and phrases (they are not typos of one word; a compound's parts
    written apart do not count as synonyms here), words under four
    letters or with digits (one edit away from too much: "2" is not "e"). The correction is
    shown as the catalogue writes the word (IndexedTerm.word), else as the edit that found it.
    """
    changed = False
    terms = []
    for term in parsed.terms:
        word = term.text
        if (
            len(term.alternatives) > 1 + term.split
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
        terms.append(QueryTerm(text=shown, alternatives=((stem,),)))
    return parsed.with_terms(tuple(terms)) if changed else None


# Plan --------------------------------------------------------------------------------------


def plan(
    parsed: ParsedQuery,
    filters: SearchFilters,
    *,
    backend: Backend,
    index: FacetIndex,
    limit: int | None = None,
    offset: int = 0,
    facets: bool = True,
) -> Plan:
    """The plan of a search: the filters as facet keys, places and time; the order (an
    unknown sort is relevance, distance needs a point) and the page when `limit` is given."""
    now = timezone.localtime(filters.now or timezone.now())
    areas = areascope.scope(index, filters.areas) if filters.areas else None
    groups = [
        tuple(f"topic:{value}" for value in filters.topics),
        tuple(f"group:{value}" for value in filters.target_groups),
        areas.keys if areas else (),
        tuple(f"lang:{value}" for value in filters.languages),
        ("free",) if filters.free else (),
        ("barrier_free",) if filters.barrier_free else (),
        (f"weekday:{filters.weekday}",) if filters.weekday is not None else (),
    ]
    near = None
    if filters.near:
        radius = min(max(float(filters.radius_m), 1.0), MAX_RADIUS_M)
        near = Near(filters.near[0], filters.near[1], radius)
    wanted = None
    if limit is not None:
        sort = filters.sort if filters.sort in SORTS else "relevance"
        if sort == "distance" and near is None:
            sort = "relevance"
        wanted = Page(sort=sort, limit=limit, offset=offset)
    return Plan(
        query=parsed,
        groups=tuple(group for group in groups if group),
        bbox=filters.bbox,
        near=near,
        open_at=now if filters.open_now else None,
        now=now,
        page=wanted,
        in_process=_in_process(parsed, wanted, backend),
        facets=facets,
        backend=backend,
        index=index,
        areas=areas,
    )


def corrected(planned: Plan) -> Plan | None:
    """The plan with a typo of its text corrected (see correct_typos), or None."""
    fixed = correct_typos(planned.query)
    if fixed is None:
        return None
    return replace(
        planned, query=fixed, in_process=_in_process(fixed, planned.page, planned.backend)
    )


def _in_process(query: ParsedQuery, page: Page | None, backend: Backend) -> bool:
    # One pass for counts and page where the backend says it is cheaper (PostgreSQL; SQLite
    # for one-term queries, ADR 0008); docs/performance.md.
    return (
        page is not None
        and page.sort == "relevance"
        and not query.is_empty
        and backend.one_pass(query)
    )


# Match and rank ----------------------------------------------------------------------------


def match(planned: Plan) -> Matched:
    """Every document that matches the text and the filters, as a bitmap.

    The database returns only the ids of the documents matching the text (and the place
    filter, when there is one); facet filters and open-now are intersections of the process's
    bitmaps (facetindex.py, ADR 0005). Only indexed documents count (the full-text row of a
    deleted one goes by trigger). Ranked in the process, the ids come with their scores from
    one read of the full-text index, so the page needs no second pass (on PostgreSQL that
    pass read every match's row again).
    """
    index = planned.index
    if planned.in_process:
        found = planned.backend.scored(planned.query, index.lengths)
        hits = _narrow(sql.bitmap(found.ids) & index.documents, planned)
        ids, scores = found.ids, found.scores
        if len(hits) != len(ids):
            keep = numpy.isin(ids, numpy.frombuffer(hits.to_array(), dtype=numpy.uint32))
            ids, scores = ids[keep], scores[keep]
        return Matched(planned, hits, Matches(ids, scores))
    if planned.query.is_empty:
        hits = BitMap(index.documents)
    else:
        ids_sql, params = planned.backend.ids_sql(planned.query)
        hits = sql.id_set(ids_sql, params) & index.documents
    return Matched(planned, _narrow(hits, planned), None)


def _narrow(hits: BitMap, planned: Plan) -> BitMap:
    """The hits that pass the plan's facet filters, open-now and place (in place)."""
    index = planned.index
    for keys in planned.groups:
        hits &= index.any_of(keys)
    if planned.open_at:
        hits &= index.open_at(planned.open_at)
    if hits and (planned.bbox or planned.near):
        place_sql, place_params = _place_condition(planned)
        hits &= sql.id_set(place_sql, place_params)
    return hits


# Count -------------------------------------------------------------------------------------


def count(matched: Matched) -> Counted:
    """The total, and with the plan's `facets` the number of hits of every facet value and
    how many of them are open now."""
    planned, hits = matched.plan, matched.hits
    counts: dict[str, int] = {}
    if planned.facets:
        counts = planned.index.counts(hits)
        areascope.adjust_counts(counts, hits, planned.index, planned.areas)
        counts[OPEN_NOW_KEY] = hits.intersection_cardinality(planned.index.open_at(planned.now))
    return Counted(matched, len(hits), counts)


# Page --------------------------------------------------------------------------------------


def page(counted: Counted) -> list[int]:
    """The search document ids of the plan's page, ordered by relevance (score, then id),
    distance or name (then id); none when the plan wants no page or nothing matched."""
    matched = counted.matched
    wanted = matched.plan.page
    if wanted is None or not counted.total:
        return []
    if matched.ranked is not None:
        return _best(matched.ranked, wanted)
    planned = matched.plan
    by_name = wanted.sort == "name" or (planned.query.is_empty and wanted.sort != "distance")
    if by_name and planned.areas is not None and planned.areas.enclosing:
        own, enclosing = areascope.split(planned.index, planned.areas, matched.hits)
        if enclosing:
            return _own_first(own, enclosing, wanted)
    return _sql_page(planned, wanted)


def _own_first(own: BitMap, enclosing: BitMap, wanted: Page) -> list[int]:
    """A page of a list by name with an area filter: the offers of the area first, then
    those of the areas enclosing it, each part by name."""
    start, stop = wanted.offset, wanted.offset + wanted.limit
    documents: list[int] = []
    if start < len(own):
        documents += results.first_by_name(own, min(stop, len(own)) - start, offset=start)
    if stop > len(own):
        skip = max(start - len(own), 0)
        documents += results.first_by_name(enclosing, stop - max(start, len(own)), offset=skip)
    return documents


def _best(ranked: Matches, wanted: Page) -> list[int]:
    """The page of the ranked hits in the order of `ORDER BY score, id`."""
    ids, scores = ranked.ids, ranked.scores
    take = wanted.offset + wanted.limit
    if take < len(ids):
        # The best `take` scores, ties at the border included, then the exact order.
        border = numpy.partition(scores, take - 1)[take - 1]
        near_top = scores <= border
        ids, scores = ids[near_top], scores[near_top]
    order = numpy.lexsort((ids, scores))[wanted.offset : take]
    return [int(doc) for doc in ids[order]]


def _sql_page(planned: Plan, wanted: Page) -> list[int]:
    near = planned.near if wanted.sort == "distance" else None
    by_name = wanted.sort == "name" or planned.query.is_empty
    hits_sql, params = _candidates(planned, scored=not (near or by_name))
    if near is not None:
        distance, distance_params = _distance_sql(near)
        statement = (
            f"SELECT d.id, d.offer_id FROM (SELECT p.document_id AS id, MIN({distance}) AS dist "
            f"FROM search_searchpoint p WHERE p.document_id IN (SELECT id FROM ({hits_sql}) h) "
            "GROUP BY p.document_id) x JOIN search_searchdocument d ON d.id = x.id "
            "ORDER BY x.dist, d.id LIMIT %s OFFSET %s"
        )
        params = distance_params + params
    elif by_name:
        statement = (
            f"SELECT d.id, d.offer_id FROM ({hits_sql}) h JOIN search_searchdocument d "
            "ON d.id = h.id ORDER BY d.name, d.id LIMIT %s OFFSET %s"
        )
    else:
        # Rank on the match set alone (a sorter that keeps the best LIMIT rows), then join.
        statement = (
            f"SELECT d.id, d.offer_id FROM (SELECT id, score FROM ({hits_sql}) h "
            "ORDER BY score, id LIMIT %s OFFSET %s) r JOIN search_searchdocument d "
            "ON d.id = r.id ORDER BY r.score, r.id"
        )
    with connection.cursor() as cursor:
        cursor.execute(statement, [*params, wanted.limit, wanted.offset])
        return [doc for doc, _offer in cursor.fetchall()]


# SQL of the plan ---------------------------------------------------------------------------


def _candidates(planned: Plan, *, scored: bool) -> Statement:
    """SQL selecting (id, score) of every document that matches the query and the plan;
    without `scored` every score is 0 (cheaper where the backend computes scores in SQL)."""
    query, backend = planned.query, planned.backend
    params: list[Any]
    if query.is_empty:
        base, params = "SELECT id, 0.0 AS score FROM search_searchdocument", []
    elif scored:
        base, params = backend.match_sql(query)
    else:
        ids_sql, params = backend.ids_sql(query)
        base = f"SELECT i.id, 0.0 AS score FROM ({ids_sql}) i"
    conditions: list[str] = []
    for keys in planned.groups:
        marks = ", ".join(["%s"] * len(keys))
        conditions.append(
            "m.id IN (SELECT f.document_id FROM search_searchfacet f JOIN search_facetvalue v "
            f"ON v.id = f.value_id WHERE v.key IN ({marks}))"
        )
        params += keys
    if planned.open_at:
        open_sql, open_params = _open_exists(planned.open_at, "m")
        conditions.append(open_sql)
        params += open_params
    if planned.bbox or planned.near:
        place_sql, place_params = _place_condition(planned)
        conditions.append(f"m.id IN ({place_sql})")
        params += place_params
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    return f"SELECT m.id, m.score FROM ({base}) m{where}", params


def _distance_sql(near: Near) -> Statement:
    """Squared distance in metres², for ordering and the radius test."""
    k = math.cos(math.radians(near.lat))
    statement = (
        "((p.lat - %s) * (p.lat - %s) * {m2} + (p.lon - %s) * (p.lon - %s) * {m2} * %s)"
    ).format(m2=METRES_PER_DEGREE**2)
    return statement, [near.lat, near.lat, near.lon, near.lon, k * k]


def _place_condition(planned: Plan) -> Statement:
    boxes = [planned.bbox] if planned.bbox else []
    if planned.near:
        boxes.append(bbox_around(planned.near.lat, planned.near.lon, planned.near.radius_m))
    clauses: list[str] = []
    params: list[Any] = []
    for box in boxes:
        clauses.append("p.lat BETWEEN %s AND %s AND p.lon BETWEEN %s AND %s")
        params += [box.min_lat, box.max_lat, box.min_lon, box.max_lon]
    if planned.near:
        distance, distance_params = _distance_sql(planned.near)
        clauses.append(f"{distance} <= %s")
        params += [*distance_params, planned.near.radius_m**2]
    statement = "SELECT p.document_id AS id FROM search_searchpoint p WHERE " + " AND ".join(
        clauses
    )
    return statement, params


def _open_exists(at: dt.datetime, alias: str) -> Statement:
    """SQL condition: the document `alias`.id is open at `at` (closures override)."""
    day = connection.ops.adapt_datefield_value(at.date())
    minute = at.hour * 60 + at.minute
    statement = (
        f"(EXISTS (SELECT 1 FROM search_searchopening o WHERE o.document_id = {alias}.id AND ("
        "(o.kind = 'weekly' AND o.weekday = %s AND (o.valid_from IS NULL OR o.valid_from <= %s) "
        "AND (o.valid_to IS NULL OR o.valid_to >= %s)) OR (o.kind = 'date' AND o.valid_from = %s)) "
        "AND (o.opens IS NULL OR o.opens <= %s) AND (o.closes IS NULL OR o.closes > %s)) "
        f"AND NOT EXISTS (SELECT 1 FROM search_searchopening c WHERE c.document_id = {alias}.id "
        "AND c.kind = 'closed' AND c.valid_from <= %s "
        "AND COALESCE(c.valid_to, c.valid_from) >= %s))"
    )
    return statement, [at.weekday(), day, day, day, minute, minute, day, day]
