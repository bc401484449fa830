"""Reads around the search: the map's GeoJSON and the JSON shape of a result."""

# SQL below is assembled from constant fragments; every value travels as a parameter.
# ruff: noqa: S608

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any

import numpy
from django.db import connection
from django.http import HttpRequest
from django.urls import reverse

from quartier.core.geo import BBox
from quartier.search import facetindex, pipeline, sql
from quartier.search.backends import get_backend
from quartier.search.forms import FACET_FIELDS, FLAGS, SearchForm
from quartier.search.pipeline import SearchFilters
from quartier.search.results import SearchResult

MAX_FEATURES = 5000
BY_ID_LIMIT = 20_000  # hits up to which places are looked up per document
GRID = 48  # cells per side when the server counts places instead of listing them


def geojson(
    query: str, filters: SearchFilters, index: facetindex.FacetIndex | None = None
) -> dict[str, Any]:
    """A FeatureCollection of the places of every matching offer (within filters.bbox).

    Up to MAX_FEATURES places come one feature each (offer id, name, URL). Beyond that the
    places are counted on a GRID x GRID grid over the section and each occupied cell is one
    feature {"cluster": true, "count": n} at the mean of its places, so the map shows the
    whole result at any zoom, with the right numbers, in a response of bounded size.
    `total` is the number of offers with a place in the section, `places` the number of places.
    """
    index = index or facetindex.current()
    parsed = pipeline.parse(query, index)
    # No page, no counts; the places query below applies the box itself.
    unboxed = replace(filters, bbox=None)
    planned = pipeline.plan(parsed, unboxed, backend=get_backend(), index=index, facets=False)
    hits = pipeline.match(planned).hits
    if len(hits) <= BY_ID_LIMIT:
        docs, lats, lons = _points(filters.bbox, list(hits))
    else:  # most of the catalogue: reading the box's places whole is cheaper
        docs, lats, lons = _points(filters.bbox)
        keep = numpy.isin(docs, numpy.frombuffer(hits.to_array(), dtype=numpy.uint32))
        docs, lats, lons = docs[keep], lats[keep], lons[keep]
    clustered = len(docs) > MAX_FEATURES
    features = _clusters(lats, lons) if clustered else _places(docs, lats, lons)
    return {
        "type": "FeatureCollection",
        "features": features,
        "clustered": clustered,
        "total": len(numpy.unique(docs)),
        "places": len(docs),
    }


def _points(
    box: BBox | None, ids: list[int] | None = None
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """(document ids, latitudes, longitudes) of the indexed places in the box (of the given
    documents only, if `ids`), in one query: three joined strings parsed by numpy (the
    aggregates see the rows in the same order)."""
    conditions: list[str] = []
    params: list[Any] = []
    if ids is not None:
        condition, param = sql.ids_condition("p.document_id", ids)
        conditions.append(condition)
        params.append(param)
    if box:
        conditions.append("p.lat BETWEEN %s AND %s AND p.lon BETWEEN %s AND %s")
        params += [box.min_lat, box.max_lat, box.min_lon, box.max_lon]
    source = "search_searchpoint p"
    if conditions:
        source += " WHERE " + " AND ".join(conditions)
    parts = [("p.document_id", numpy.uint32), ("p.lat", numpy.float64), ("p.lon", numpy.float64)]
    docs, lats, lons = sql.columns(source, params, parts)
    return docs, lats, lons


def _places(docs: numpy.ndarray, lats: numpy.ndarray, lons: numpy.ndarray) -> list[dict[str, Any]]:
    where, param = sql.ids_condition("d.id", sorted({int(doc) for doc in docs}))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT d.id, d.offer_id, d.name FROM search_searchdocument d WHERE {where}", [param]
        )
        offers = {doc: (str(uuid.UUID(str(offer))), name) for doc, offer, name in cursor.fetchall()}
    # One reverse() for all features: 5,000 calls would cost more than the query.
    placeholder = "00000000-0000-0000-0000-000000000000"
    url_pattern = reverse("offers:detail", kwargs={"pk": placeholder})
    features: list[dict[str, Any]] = []
    for index, (doc, lat, lon) in enumerate(
        zip(docs.tolist(), lats.tolist(), lons.tolist(), strict=True)
    ):
        if doc not in offers:
            continue  # deleted between the two queries
        offer_id, name = offers[doc]
        features.append(
            {
                "type": "Feature",
                "id": f"{offer_id}-{index}",
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
                "properties": {
                    "offer": offer_id,
                    "name": name,
                    "url": url_pattern.replace(placeholder, offer_id),
                },
            }
        )
    return features


def _clusters(lats: numpy.ndarray, lons: numpy.ndarray) -> list[dict[str, Any]]:
    """Places counted per cell of a GRID x GRID grid over their extent."""
    cells = numpy.zeros(len(lats), dtype=numpy.int64)
    for values in (lats, lons):
        low, high = float(values.min()), float(values.max())
        size = (high - low) / GRID or 1.0
        cells = cells * GRID + numpy.clip(((values - low) / size).astype(numpy.int64), 0, GRID - 1)
    occupied, inverse, counts = numpy.unique(cells, return_inverse=True, return_counts=True)
    mean_lat = numpy.bincount(inverse, weights=lats) / counts
    mean_lon = numpy.bincount(inverse, weights=lons) / counts
    return [
        {
            "type": "Feature",
            "id": f"cluster-{cell}",
            "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]},
            "properties": {"cluster": True, "count": count},
        }
        for cell, lat, lon, count in zip(
            occupied.tolist(), mean_lat.tolist(), mean_lon.tolist(), counts.tolist(), strict=True
        )
    ]


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
                "id": str(hit.summary.id),
                "name": hit.summary.name,
                "organisation": hit.summary.organisation,
                "description": hit.summary.description[:300],
                "cost": hit.summary.cost,
                "topics": [term.localized_name for term in hit.summary.topics],
                "url": url_pattern.replace(placeholder, str(hit.summary.id)),
                "lat": hit.lat,
                "lon": hit.lon,
                "distance_m": round(hit.distance_m) if hit.distance_m is not None else None,
                # With an area filter: the enclosing area this offer serves as a whole.
                "serves_all_of": hit.serves_all_of or None,
            }
            for hit in result.hits
        ],
        "facets": facets_json(form, result),
    }
