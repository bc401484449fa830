"""The SQL of a search, shared by both backends: candidates, facet counts, one page of hits.

Every step is one statement whatever the result size: the match set is a CTE, facets are
counted with one GROUP BY over it, the page is one ORDER BY ... LIMIT. Distances are
equirectangular in SQL (pure arithmetic, the same on SQLite and PostgreSQL, off by less than
0.1 % within a county) after a bounding-box pre-filter; the displayed distance is haversine.
"""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass, field

from django.db import connection

from quartier.core.geo import BBox, bbox_around
from quartier.search.analysis import ParsedQuery
from quartier.search.backends import get_backend
from quartier.search.models import FacetValue

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
    sql = "SELECT p.document_id FROM search_searchpoint p WHERE " + " AND ".join(clauses)
    return sql, params


def candidates(query: ParsedQuery, plan: Plan) -> tuple[str, list]:
    """SQL selecting (id, score) of every document that matches the query and the plan."""
    if query.is_empty:
        sql, params = "SELECT id, 0.0 AS score FROM search_searchdocument", []
    else:
        sql, params = get_backend().match_sql(query)
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


def facet_counts(query: ParsedQuery, plan: Plan, now: dt.datetime) -> tuple[int, dict[str, int]]:
    """(total, {facet key: count}) over the whole match set.

    One statement reads each hit's packed facet ids and whether it is open now (two index
    probes per hit); Python counts the ids. Counting in SQL (GROUP BY over the facet rows)
    measured several times slower on SQLite; see docs/adr/0002-search-layer.md.
    """
    hits_sql, params = candidates(query, plan)
    open_sql, open_params = _open_exists(now, "d")
    sql = (
        f"SELECT d.facet_ids, CASE WHEN {open_sql} THEN 1 ELSE 0 END "
        f"FROM ({hits_sql}) h JOIN search_searchdocument d ON d.id = h.id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, open_params + params)
        rows = cursor.fetchall()
    ids = Counter(" ".join(packed for packed, _open in rows).split())
    keys = dict(FacetValue.objects.filter(pk__in=list(ids)).values_list("pk", "key"))
    counts = {keys[int(value)]: count for value, count in ids.items() if int(value) in keys}
    counts[OPEN_NOW_KEY] = sum(is_open for _packed, is_open in rows)
    return len(rows), counts


def page(
    query: ParsedQuery, plan: Plan, *, sort: str, limit: int, offset: int
) -> list[tuple[int, object]]:
    """[(document id, offer id)] of one page, ordered by relevance, distance or name."""
    hits_sql, params = candidates(query, plan)
    if sort == "distance" and plan.near:
        distance, distance_params = _distance_sql(plan.near)
        sql = (
            f"SELECT d.id, d.offer_id FROM (SELECT p.document_id AS id, MIN({distance}) AS dist "
            f"FROM search_searchpoint p WHERE p.document_id IN (SELECT id FROM ({hits_sql}) h) "
            "GROUP BY p.document_id) x JOIN search_searchdocument d ON d.id = x.id "
            "ORDER BY x.dist, d.id LIMIT %s OFFSET %s"
        )
        params = distance_params + params
    elif sort == "name" or query.is_empty:
        sql = (
            f"SELECT d.id, d.offer_id FROM ({hits_sql}) h JOIN search_searchdocument d "
            "ON d.id = h.id ORDER BY d.name, d.id LIMIT %s OFFSET %s"
        )
    else:
        # Rank first on the match set alone, then join: SQLite keeps FTS5's own rank sorter.
        sql = (
            f"SELECT d.id, d.offer_id FROM (SELECT id, score FROM ({hits_sql}) h "
            "ORDER BY score, id LIMIT %s OFFSET %s) r JOIN search_searchdocument d "
            "ON d.id = r.id ORDER BY r.score, r.id"
        )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, limit, offset])
        return list(cursor.fetchall())
