"""The SQL of a search, shared by both backends: candidates, facet counts, one page of hits.

Every step is one statement whatever the result size: the match set's ids come back in one
query and facets are counted over them with in-memory bitmaps (facetindex.py); the page is one
ORDER BY ... LIMIT. Distances are equirectangular in SQL (pure arithmetic, the same on SQLite
and PostgreSQL, off by less than 0.1 % within a county) after a bounding-box pre-filter; the
displayed distance is haversine.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import array
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy
from django.db import connection
from pyroaring import BitMap

from quartier.core.geo import BBox, bbox_around
from quartier.search import facetindex
from quartier.search.analysis import ParsedQuery
from quartier.search.backends import get_backend
from quartier.search.backends.base import Matches

METRES_PER_DEGREE = 111_195.0
OPEN_NOW_KEY = "open_now"


@dataclass(frozen=True)
class Near:
    lat: float
    lon: float
    radius_m: float


@dataclass
class Plan:
    """What to select: facet keys (OR within a group, AND across), places, time."""

    groups: list[list[str]] = field(default_factory=list)
    bbox: BBox | None = None
    near: Near | None = None
    open_at: dt.datetime | None = None  # local time


def _distance_sql(near: Near) -> tuple[str, list]:
    """Squared distance in metres², for ordering and the radius test."""
    k = math.cos(math.radians(near.lat))
    sql = ("((p.lat - %s) * (p.lat - %s) * {m2} + (p.lon - %s) * (p.lon - %s) * {m2} * %s)").format(
        m2=METRES_PER_DEGREE**2
    )
    return sql, [near.lat, near.lat, near.lon, near.lon, k * k]


def _place_condition(plan: Plan) -> tuple[str, list]:
    boxes = [plan.bbox] if plan.bbox else []
    if plan.near:
        boxes.append(bbox_around(plan.near.lat, plan.near.lon, plan.near.radius_m))
    clauses, params = [], []
    for box in boxes:
        clauses.append("p.lat BETWEEN %s AND %s AND p.lon BETWEEN %s AND %s")
        params += [box.min_lat, box.max_lat, box.min_lon, box.max_lon]
    if plan.near:
        distance, distance_params = _distance_sql(plan.near)
        clauses.append(f"{distance} <= %s")
        params += [*distance_params, plan.near.radius_m**2]
    sql = "SELECT p.document_id AS id FROM search_searchpoint p WHERE " + " AND ".join(clauses)
    return sql, params


def candidates(query: ParsedQuery, plan: Plan, *, scored: bool = True) -> tuple[str, list]:
    """SQL selecting (id, score) of every document that matches the query and the plan;
    without `scored` every score is 0 (cheaper where the backend computes scores in SQL)."""
    if query.is_empty:
        sql, params = "SELECT id, 0.0 AS score FROM search_searchdocument", []
    elif scored:
        sql, params = get_backend().match_sql(query)
    else:
        ids_sql, params = get_backend().ids_sql(query)
        sql = f"SELECT i.id, 0.0 AS score FROM ({ids_sql}) i"
    conditions: list[str] = []
    for keys in plan.groups:
        marks = ", ".join(["%s"] * len(keys))
        conditions.append(
            "m.id IN (SELECT f.document_id FROM search_searchfacet f JOIN search_facetvalue v "
            f"ON v.id = f.value_id WHERE v.key IN ({marks}))"
        )
        params += keys
    if plan.open_at:
        open_sql, open_params = _open_exists(plan.open_at, "m")
        conditions.append(open_sql)
        params += open_params
    if plan.bbox or plan.near:
        place_sql, place_params = _place_condition(plan)
        conditions.append(f"m.id IN ({place_sql})")
        params += place_params
    where = (" WHERE " + " AND ".join(conditions)) if conditions else ""
    return f"SELECT m.id, m.score FROM ({sql}) m{where}", params


def _open_exists(at: dt.datetime, alias: str) -> tuple[str, list]:
    """SQL condition: the document `alias`.id is open at `at` (closures override)."""
    day = connection.ops.adapt_datefield_value(at.date())
    minute = at.hour * 60 + at.minute
    sql = (
        f"(EXISTS (SELECT 1 FROM search_searchopening o WHERE o.document_id = {alias}.id AND ("
        "(o.kind = 'weekly' AND o.weekday = %s AND (o.valid_from IS NULL OR o.valid_from <= %s) "
        "AND (o.valid_to IS NULL OR o.valid_to >= %s)) OR (o.kind = 'date' AND o.valid_from = %s)) "
        "AND (o.opens IS NULL OR o.opens <= %s) AND (o.closes IS NULL OR o.closes > %s)) "
        f"AND NOT EXISTS (SELECT 1 FROM search_searchopening c WHERE c.document_id = {alias}.id "
        "AND c.kind = 'closed' AND c.valid_from <= %s "
        "AND COALESCE(c.valid_to, c.valid_from) >= %s))"
    )
    return sql, [at.weekday(), day, day, day, minute, minute, day, day]


def hit_set(query: ParsedQuery, plan: Plan, index: facetindex.FacetIndex | None = None) -> BitMap:
    """The ids of every document matching the query and the plan, as a bitmap.

    The database returns only the ids of the documents matching the text (and the place
    filter, when there is one); facet filters and open-now are intersections of the process's
    bitmaps (quartier/search/facetindex.py, ADR 0005).
    """
    index = index or facetindex.current()
    if query.is_empty:
        hits = BitMap(index.documents)
    else:
        ids_sql, params = get_backend().ids_sql(query)
        # Only indexed documents count (the full-text row of a deleted one goes by trigger).
        hits = facetindex.id_set(ids_sql, params) & index.documents
    return _narrow(hits, plan, index)


def _narrow(hits: BitMap, plan: Plan, index: facetindex.FacetIndex) -> BitMap:
    """The hits that pass the plan's facet filters, open-now and place (in place)."""
    for keys in plan.groups:
        hits &= index.any_of(keys)
    if plan.open_at:
        hits &= index.open_at(plan.open_at)
    if hits and (plan.bbox or plan.near):
        place_sql, place_params = _place_condition(plan)
        hits &= facetindex.id_set(place_sql, place_params)
    return hits


def facet_counts(
    query: ParsedQuery, plan: Plan, now: dt.datetime, index: facetindex.FacetIndex | None = None
) -> tuple[int, dict[str, int]]:
    """(total, {facet key: count}) over the whole match set: bitmap intersections."""
    index = index or facetindex.current()
    hits = hit_set(query, plan, index)
    return len(hits), _counts(hits, index, now)


def _counts(hits: BitMap, index: facetindex.FacetIndex, now: dt.datetime) -> dict[str, int]:
    """{facet key: number of hits}, with how many of them are open at `now`."""
    counts = index.counts(hits)
    counts[OPEN_NOW_KEY] = hits.intersection_cardinality(index.open_at(now))
    return counts


def text_matches(query: ParsedQuery, index: facetindex.FacetIndex | None = None) -> Matches:
    """Every match with its score. The backend computes them where it can do so cheaply
    (one-term searches: bm25 from where the word occurs and the rows' lengths, ADR 0008);
    otherwise one pass of the full-text index returns the ids and the scores as two joined
    strings (the aggregates see the rows in the same order) and numpy parses them."""
    found = get_backend().matches(query, index.lengths if index is not None else None)
    if found is not None:
        return found
    match_sql, params = get_backend().match_sql(query)
    ids, scores = facetindex.columns(
        f"({match_sql}) x", params, [("x.id", numpy.uint32), ("x.score", numpy.float64)]
    )
    return Matches(ids, scores)


def ranked(
    query: ParsedQuery,
    plan: Plan,
    now: dt.datetime,
    index: facetindex.FacetIndex,
    *,
    limit: int,
    offset: int,
) -> tuple[int, dict[str, int], list[int]]:
    """(total, facet counts, document ids of one page) of a text search by relevance, with
    the full-text index read once.

    The scores of all matches come back with their ids, so the set for the counts and the
    ranking of the page need no second pass (on PostgreSQL that pass read every match's row
    again). The page holds the document ids of what `page(sort="relevance")` returns, in its
    order: ORDER BY score, id.
    """
    matches = text_matches(query, index)
    hits = _narrow(BitMap(array.array("I", matches.ids.tobytes())) & index.documents, plan, index)
    counts = _counts(hits, index, now)
    ids, scores = matches.ids, matches.scores
    if len(hits) != len(ids):
        keep = numpy.isin(ids, numpy.frombuffer(hits.to_array(), dtype=numpy.uint32))
        ids, scores = ids[keep], scores[keep]
    take = offset + limit
    if take < len(ids):
        # The best `take` scores, ties at the border included, then the exact order.
        border = numpy.partition(scores, take - 1)[take - 1]
        near_top = scores <= border
        ids, scores = ids[near_top], scores[near_top]
    order = numpy.lexsort((ids, scores))[offset:take]
    return len(hits), counts, [int(doc) for doc in ids[order]]


def page(
    query: ParsedQuery, plan: Plan, *, sort: str, limit: int, offset: int
) -> list[tuple[int, object]]:
    """[(document id, offer id)] of one page, ordered by relevance, distance or name."""
    by_distance = sort == "distance" and plan.near is not None
    by_name = sort == "name" or query.is_empty
    hits_sql, params = candidates(query, plan, scored=not (by_distance or by_name))
    if by_distance:
        distance, distance_params = _distance_sql(plan.near)
        sql = (
            f"SELECT d.id, d.offer_id FROM (SELECT p.document_id AS id, MIN({distance}) AS dist "
            f"FROM search_searchpoint p WHERE p.document_id IN (SELECT id FROM ({hits_sql}) h) "
            "GROUP BY p.document_id) x JOIN search_searchdocument d ON d.id = x.id "
            "ORDER BY x.dist, d.id LIMIT %s OFFSET %s"
        )
        params = distance_params + params
    elif by_name:
        sql = (
            f"SELECT d.id, d.offer_id FROM ({hits_sql}) h JOIN search_searchdocument d "
            "ON d.id = h.id ORDER BY d.name, d.id LIMIT %s OFFSET %s"
        )
    else:
        # Rank on the match set alone (a sorter that keeps the best LIMIT rows), then join.
        sql = (
            f"SELECT d.id, d.offer_id FROM (SELECT id, score FROM ({hits_sql}) h "
            "ORDER BY score, id LIMIT %s OFFSET %s) r JOIN search_searchdocument d "
            "ON d.id = r.id ORDER BY r.score, r.id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return list(cursor.fetchall())
