"""Reads around the search: the map's GeoJSON and the JSON shape of a result."""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import uuid
from typing import Any

from django.db import connection
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from quartier.search import analysis, engine
from quartier.search.forms import SearchForm
from quartier.search.models import synonym_map
from quartier.search.services import SearchFilters, SearchResult

MAX_FEATURES = 5000
FACET_FIELDS = ("topic", "group", "area", "lang")
FLAGS = ("free", "barrier_free", "open_now")


def geojson(query: str, filters: SearchFilters) -> dict[str, Any]:
    """A FeatureCollection of the places of every matching offer (within filters.bbox)."""
    now = timezone.localtime(filters.now or timezone.now())
    parsed = analysis.parse_query(query, synonym_map())
    plan = filters.plan(now)
    hits_sql, params = engine.candidates(parsed, plan)
    where, where_params = "", []
    if filters.bbox:
        box = filters.bbox
        where = " AND p.lat BETWEEN %s AND %s AND p.lon BETWEEN %s AND %s"
        where_params = [box.min_lat, box.max_lat, box.min_lon, box.max_lon]
    # Hits first, then their points: the planner then walks the match set once.
    sql = (
        f"SELECT d.offer_id, d.name, p.lat, p.lon FROM ({hits_sql}) h "
        "JOIN search_searchdocument d ON d.id = h.id "
        f"JOIN search_searchpoint p ON p.document_id = h.id WHERE 1 = 1{where} "
        "LIMIT %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params + where_params + [MAX_FEATURES + 1])
        rows = cursor.fetchall()
    # One reverse() for all features: 5,000 calls would cost more than the query.
    placeholder = "00000000-0000-0000-0000-000000000000"
    url_pattern = reverse("offers:detail", kwargs={"pk": placeholder})
    features = [
        {
            "type": "Feature",
            "id": f"{offer_id}-{index}",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {
                "offer": str(uuid.UUID(str(offer_id))),
                "name": name,
                "url": url_pattern.replace(placeholder, str(uuid.UUID(str(offer_id)))),
            },
        }
        for index, (offer_id, name, lat, lon) in enumerate(rows[:MAX_FEATURES])
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "truncated": len(rows) > MAX_FEATURES,
    }


def facets_json(form: SearchForm, result: SearchResult) -> dict[str, Any]:
    options = form.facet_options(result.facets)
    data: dict[str, Any] = {
        field: [
            {"value": o.value, "label": o.label, "count": o.count, "selected": o.checked}
            for o in options[field]
        ]
        for field in FACET_FIELDS
    }
    for flag in FLAGS:
        data[flag] = result.facets.get(flag, 0)
    data["weekday"] = {str(day): result.facets.get(f"weekday:{day}", 0) for day in range(7)}
    return data


def result_json(request: HttpRequest, form: SearchForm, result: SearchResult) -> dict[str, Any]:
    placeholder = "00000000-0000-0000-0000-000000000000"
    url_pattern = request.build_absolute_uri(reverse("offers:detail", kwargs={"pk": placeholder}))
    return {
        "query": result.query,
        "corrected_query": result.corrected_query,
        "total": result.total,
        "page": result.page,
        "per_page": result.per_page,
        "pages": result.pages,
        "notices": result.notices,
        "results": [
            {
                "id": str(hit.offer.pk),
                "name": hit.offer.name,
                "organisation": hit.offer.organisation.name,
                "description": hit.offer.description[:300],
                "cost": hit.offer.cost,
                "topics": [term.name for term in hit.offer.topics.all()],
                "url": url_pattern.replace(placeholder, str(hit.offer.pk)),
                "lat": hit.lat,
                "lon": hit.lon,
                "distance_m": round(hit.distance_m) if hit.distance_m is not None else None,
            }
            for hit in result.hits
        ],
        "facets": facets_json(form, result),
    }
