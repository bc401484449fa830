"""JSON and GeoJSON search: the twins of the search page (same parameters, same result set)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from ninja import Field, Query, Router, Schema

from quartier.search import selectors
from quartier.search.forms import SearchForm
from quartier.search.services import search_offers

router = Router(tags=["search"])
PREFIX = "/search/"


class SearchQuery(Schema):
    q: str = Field("", description="Free text in German; any input is safe.")
    topic: list[str] = Field([], description="Topic ids (OR)")
    group: list[str] = Field([], description="Target group keys (OR)")
    area: list[int] = Field([], description="Area ids (OR); includes sub-areas")
    lang: list[str] = Field([], description="Language codes (OR)")
    free: bool = False
    barrier_free: bool = False
    open_now: bool = False
    weekday: int | None = Field(None, ge=0, le=6, description="0 = Monday")
    near: str = Field("", description="Slug of an area: search around its centre")
    lat: float | None = Field(None, ge=-90, le=90)
    lon: float | None = Field(None, ge=-180, le=180)
    radius: int | None = Field(None, description="Radius in km: 1, 2, 5, 10 or 25")
    bbox: str = Field("", description="west,south,east,north (WGS 84)")
    sort: str = Field("", description="relevance, distance or name")


def parse(request: HttpRequest) -> SearchForm:
    """The page's form parses the API's query too, so both read parameters the same way."""
    form = SearchForm(request.GET)
    if not form.is_valid():
        raise ValidationError(
            {field or "request": [str(e) for e in errors] for field, errors in form.errors.items()}
        )
    return form


@router.get("/offers", url_name="search_offers_api", response={200: dict})
def offers(
    request: HttpRequest, params: Query[SearchQuery], page: int = 1, per_page: int = 20
) -> dict[str, Any]:
    """Public offers matching the text and filters, with facet counts over the whole result.

    per_page is clamped to 1..100 and page to 1..500; `notices` then says what was changed.
    """
    form = parse(request)
    result = search_offers(
        query=form.cleaned_data["q"], filters=form.filters(), page=page, per_page=per_page
    )
    return selectors.result_json(request, form, result)


@router.get("/offers.geojson", url_name="search_geojson", response={200: dict})
def offers_geojson(request: HttpRequest, params: Query[SearchQuery]) -> JsonResponse:
    """The same result set as points (one feature per place of an offer), for the map.

    Give a bbox to load only what the map shows; at most 5,000 features (then
    `truncated` is true: zoom in).
    """
    form = parse(request)
    query = form.cleaned_data["q"]
    collection = selectors.geojson(query, form.filters())
    return JsonResponse(collection, content_type="application/geo+json")
