"""Geometry helpers: GeoJSON boundaries, bounding boxes, distances.

Shapely does the exact geometry; the database only filters by bounding box, which works the same
on SQLite and PostgreSQL without a spatial extension.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry

EARTH_RADIUS_M = 6_371_008.8


@dataclass(frozen=True)
class BBox:
    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float

    @classmethod
    def parse(cls, text: str) -> BBox:
        """Parse "min_lon,min_lat,max_lon,max_lat" (the GeoJSON/OGC order); raise ValueError."""
        parts = [p.strip() for p in str(text).split(",")]
        if len(parts) != 4:
            raise ValueError(_("A bounding box has four numbers: west,south,east,north."))
        try:
            west, south, east, north = (float(p) for p in parts)
        except ValueError as exc:
            raise ValueError(_("A bounding box has four numbers: west,south,east,north.")) from exc
        if not all(math.isfinite(v) for v in (west, south, east, north)):
            raise ValueError(_("The bounding box contains an invalid number."))
        if not (
            -180 <= west <= 180
            and -180 <= east <= 180
            and -90 <= south <= 90
            and -90 <= north <= 90
        ):
            raise ValueError(_("The bounding box lies outside the valid coordinate range."))
        if west > east or south > north:
            raise ValueError(
                _(
                    "The bounding box is inverted: west must not exceed east, "
                    "south must not exceed north."
                )
            )
        return cls(west, south, east, north)

    def contains(self, lat: float, lon: float) -> bool:
        return self.min_lat <= lat <= self.max_lat and self.min_lon <= lon <= self.max_lon


def validate_lat_lon(lat: float, lon: float) -> None:
    if not (math.isfinite(lat) and math.isfinite(lon)):
        raise ValidationError(_("Coordinates must be numbers."))
    if not -90 <= lat <= 90:
        raise ValidationError(_("Latitude must lie between -90 and 90."))
    if not -180 <= lon <= 180:
        raise ValidationError(_("Longitude must lie between -180 and 180."))


def geometry_from_geojson(data: Any) -> BaseGeometry:
    """A shapely geometry from a GeoJSON geometry, Feature or FeatureCollection (first feature).

    Raises ValidationError with a readable message for anything that is not a valid polygon.
    """
    if not isinstance(data, dict):
        raise ValidationError(_("The boundary must be a GeoJSON object."))
    if data.get("type") == "FeatureCollection":
        features = data.get("features") or []
        if not features:
            raise ValidationError(_("The GeoJSON feature collection is empty."))
        data = features[0]
    if data.get("type") == "Feature":
        data = data.get("geometry") or {}
    if data.get("type") not in {"Polygon", "MultiPolygon"}:
        raise ValidationError(_("The boundary must be a GeoJSON Polygon or MultiPolygon."))
    try:
        geometry = shape(data)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError) as exc:
        raise ValidationError(
            _("The boundary is not valid GeoJSON: %(error)s") % {"error": exc}
        ) from exc
    if geometry.is_empty:
        raise ValidationError(_("The boundary is empty."))
    if not geometry.is_valid:
        raise ValidationError(_("The boundary polygon intersects itself or is otherwise invalid."))
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if not (-180 <= min_lon <= max_lon <= 180 and -90 <= min_lat <= max_lat <= 90):
        raise ValidationError(_("The boundary lies outside the valid coordinate range (lon, lat)."))
    return geometry


def contains_point(geojson: dict[str, Any], lat: float, lon: float) -> bool:
    """Exact test: does the boundary contain (or touch) the point?"""
    return geometry_from_geojson(geojson).intersects(Point(lon, lat))


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def bbox_around(lat: float, lon: float, radius_m: float) -> BBox:
    """A box that contains every point within radius_m of (lat, lon): a cheap pre-filter."""
    dlat = math.degrees(radius_m / EARTH_RADIUS_M)
    coslat = max(math.cos(math.radians(lat)), 1e-6)
    dlon = math.degrees(radius_m / (EARTH_RADIUS_M * coslat))
    return BBox(
        max(-180.0, lon - dlon),
        max(-90.0, lat - dlat),
        min(180.0, lon + dlon),
        min(90.0, lat + dlat),
    )
