"""JSON and GeoJSON search: the twins of the search page (same parameters, same result set)."""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from pydantic import BeforeValidator

from quartier.search import selectors
from quartier.search.forms import RADIUS_CHOICES, SearchForm
from quartier.search.services import search_offers

router = Router(tags=["search"])
PREFIX = "/search/"


def _empty_is_none(value: Any) -> Any:
    """A submitted HTML form sends `weekday=` for "any day": empty means "not set"."""
    return None if isinstance(value, str) and not value.strip() else value


OptionalInt = Annotated[int | None, BeforeValidator(_empty_is_none)]
OptionalFloat = Annotated[float | None, BeforeValidator(_empty_is_none)]
RADII = ", ".join(value for value, _label in RADIUS_CHOICES[:-1]) + " or " + RADIUS_CHOICES[-1][0]


class PlaceQuery(Schema):
    """The parameters of both endpoints (the GeoJSON has no order, so it takes no `sort`)."""

    q: str = Field("", description="Free text in German; any input is safe.")
    topic: list[str] = Field([], description="Topic ids (OR)")
    group: list[str] = Field([], description="Target group keys (OR)")
    area: list[int] = Field([], description="Area ids (OR); includes sub-areas")
    lang: list[str] = Field([], description="Language codes (OR)")
    free: bool = False
    barrier_free: bool = False
    open_now: bool = False
    weekday: OptionalInt = Field(None, ge=0, le=6, description="0 = Monday; empty: any day")
    address: str = Field(
        "",
        description=(
            "Search around an address or place: street and number with town, a postcode or an "
            "area's name, looked up in the catalogue's own places (no external geocoder). "
            "Takes precedence over lat/lon and near. Unknown or ambiguous: 422 (an ambiguous "
            "one lists the places it may mean)."
        ),
    )
    near: str = Field("", description="Slug of an area: search around its centre")
    lat: OptionalFloat = Field(None, ge=-90, le=90)
    lon: OptionalFloat = Field(None, ge=-180, le=180)
    radius: OptionalInt = Field(
        None,
        description=f"Radius in km around near or lat/lon: {RADII}; empty: 5",
        json_schema_extra={"enum": [int(value) for value, _label in RADIUS_CHOICES]},
    )
    bbox: str = Field("", description="west,south,east,north (WGS 84)")


class SearchQuery(PlaceQuery):
    sort: str = Field(
        "", description="relevance, distance or name; empty: distance near a place, else relevance"
    )


def parse(request: HttpRequest, *, ignore: tuple[str, ...] = ()) -> SearchForm:
    """The page's form parses the API's query too, so both read parameters the same way.
    Parameters in `ignore` are left out, as any parameter the endpoint does not know."""
    data = request.GET.copy()
    for name in ignore:
        data.pop(name, None)
    form = SearchForm(data)
    if not form.is_valid():
        errors = {field: [str(e) for e in messages] for field, messages in form.errors.items()}
        if form.address_choices:
            errors["address"] += [
                gettext("It may mean: %(place)s") % {"place": place.label}
                for place in form.address_choices
            ]
        raise ValidationError(errors)
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
        query=form.cleaned_data["q"],
        filters=form.filters(),
        page=page,
        per_page=per_page,
        index=form.index,
    )
    return selectors.result_json(request, form, result)


@router.get(
    "/offers.geojson",
    url_name="search_geojson",
    response={200: dict},
    openapi_extra={
        "responses": {200: {"content": {"application/geo+json": {"schema": {"type": "object"}}}}}
    },
)
def offers_geojson(request: HttpRequest, params: Query[PlaceQuery]) -> JsonResponse:
    """The same result set as points (one feature per place of an offer), for the map.

    Give a bbox to load only what the map shows. Up to 5,000 places come one feature each;
    beyond that `clustered` is true and each feature counts the places of one cell of a grid
    over the section (`properties.cluster`, `properties.count`): zoom in to see single places.
    `total` is the number of offers with a place in the section (the list's total when the
    list has the same bbox), `places` the number of places.
    """
    form = parse(request, ignore=("sort", "page"))
    query = form.cleaned_data["q"]
    collection = selectors.geojson(query, form.filters(), form.index)
    return JsonResponse(collection, content_type="application/geo+json")
