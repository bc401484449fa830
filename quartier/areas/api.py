from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from quartier.areas.models import Area
from quartier.core.pagination import Pagination

router = Router(tags=["areas"])


class AreaOut(Schema):
    slug: str
    name: str
    kind: str = Field(alias="kind.slug")
    kind_name: str = Field(alias="kind.localized_name")
    official_key: str
    centre_lat: float | None
    centre_lon: float | None


class PointQuery(Schema):
    lat: float = Field(ge=-90, le=90, description="Latitude (WGS 84)")
    lon: float = Field(ge=-180, le=180, description="Longitude (WGS 84)")


@router.get("/", response=list[AreaOut], url_name="area_list")
@paginate(Pagination)
def area_list(request: HttpRequest, q: str | None = None):
    """Public areas, optionally filtered by name or official key."""
    areas = Area.objects.public().select_related("kind").order_by("kind__level", "name")
    if q:
        areas = areas.search(q[:100])
    return areas


@router.get("/containing", response=list[AreaOut], url_name="area_containing")
def areas_containing(request: HttpRequest, point: Query[PointQuery]):
    """The public areas whose boundary contains the point (bounding box first, then exact)."""
    return Area.objects.public().containing_point(point.lat, point.lon)


@router.get("/{slug}", response=AreaOut, url_name="area_detail")
def area_detail(request: HttpRequest, slug: str):
    return get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)


@router.get("/{slug}/geojson", url_name="area_geojson", response={200: dict})
def area_geojson(request: HttpRequest, slug: str):
    """The area as a GeoJSON Feature (geometry null when no boundary is known)."""
    area = get_object_or_404(Area.objects.public().select_related("kind"), slug=slug)
    feature = {
        "type": "Feature",
        "id": area.slug,
        "geometry": area.boundary,
        "properties": {
            "name": area.name,
            "kind": area.kind.slug,
            "official_key": area.official_key,
            "note": area.boundary_note,
        },
    }
    return JsonResponse(feature, content_type="application/geo+json")
