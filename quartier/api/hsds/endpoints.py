"""The HSDS 3.0 read API (Open Referral), mounted at /api/hsds/.

Follows the official openapi.json: pages with the Page fields and `contents`; `full=true`
nests list items; `minimal=true` gives the least a service list item holds; `format=ndjson`
streams a whole list, a JSON object a line. Extensions the standard lacks: `lat`, `lon`,
`radius` (metres) and `area` (an area key, including the areas below it). `proximity` counts
from the centre of `postcode` as the catalogue knows it (its places' mean point). `per_page`
above MAX_PER_PAGE is clamped and the page says so in `per_page` and `warnings`. Only public
offers and public contact data leave.
"""

import functools
import json
import math
from collections.abc import Callable, Iterator
from typing import Any, Literal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from quartier.api.hsds import ids, nest
from quartier.api.hsds.export import (
    STATUS_TO_HSDS,
    build_tables,
    extension_taxonomy_row,
    extension_term_rows,
    hsds_datetime,
    organisation_ids,
    organisation_row,
    term_row,
)
from quartier.api.hsds.selectors import (
    DEFAULT_RADIUS_M,
    MAX_RADIUS_M,
    OfferFilters,
    by_rank,
    find_offers,
    locations_near,
    organisation_for,
    postcode_centre,
    public_organisations,
)
from quartier.api.hsds.terms import Terms
from quartier.core.api_types import IsoDateTime, uuid_text
from quartier.core.db import containing
from quartier.offers.models import Offer, OfferLocation, Taxonomy, TaxonomyTerm

router = Router(tags=["hsds"])
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
MAX_MINIMAL_PER_PAGE = 1_000
STREAM_CHUNK = 100
ERRORS = {404: dict, 422: dict}
# List operations answer `format=ndjson` as newline-delimited JSON (one item a line).
NDJSON = {
    "responses": {
        200: {
            "content": {
                "application/x-ndjson": {
                    "schema": {"type": "string", "description": "One JSON object a line"}
                }
            }
        }
    }
}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, description=f"Items per page; more than {MAX_PER_PAGE} is clamped."
    )
    format: Literal["json", "ndjson"] = Field(
        "json",
        description="`ndjson` streams every item, one JSON object a line, without pages "
        "(`page` and `per_page` are then ignored).",
    )


class OfferQuery(PageQuery):
    search: str | None = Field(
        None,
        max_length=500,
        description="Full-text search as on /api/search/offers (German stemming, umlaut folding, "
        "compounds, synonyms, one typo); results are ordered by relevance.",
    )
    taxonomy_term_id: str | None = Field(
        None,
        description="Services filed under this term or a term below it, or under a term of ours "
        "that is mapped onto it.",
    )
    taxonomy_id: str | None = Field(
        None, description="Services with a term of this taxonomy (mapped terms included)."
    )
    organization_id: str | None = None
    modified_after: IsoDateTime | None = None
    full: bool = Field(False, description="Nest each item fully.")
    lat: float | None = Field(None, ge=-90, le=90, description="Extension: latitude (WGS 84).")
    lon: float | None = Field(None, ge=-180, le=180, description="Extension: longitude.")
    radius: float | None = Field(
        None, gt=0, le=MAX_RADIUS_M, description="Extension: metres around lat/lon (default 5 km)."
    )
    area: str | None = Field(
        None, max_length=200, description="Extension: area key; includes the areas below it."
    )

    def filters(self) -> OfferFilters:
        return OfferFilters(
            search=self.search,
            taxonomy_term_id=self.taxonomy_term_id,
            taxonomy_id=self.taxonomy_id,
            organization_id=self.organization_id,
            modified_after=self.modified_after,
            lat=self.lat,
            lon=self.lon,
            radius=self.radius,
            area=self.area,
        )


class ServiceQuery(OfferQuery):
    minimal: bool = Field(
        False,
        description="Only id, name, status and last_modified of each service (the least a "
        f"service_list item holds); up to {MAX_MINIMAL_PER_PAGE} a page. Not with `full`.",
    )


class ServiceAtLocationQuery(OfferQuery):
    postcode: str | None = Field(
        None,
        max_length=10,
        description="Only services at a location with this postcode; with `proximity`, "
        "those around its centre instead.",
    )
    proximity: float | None = Field(
        None,
        gt=0,
        le=MAX_RADIUS_M,
        description="Metres around the centre of `postcode` (the mean point of the catalogue's "
        "located places with that postcode). Not together with lat and lon.",
    )


class OrganizationQuery(PageQuery):
    search: str | None = Field(None, max_length=500)
    full: bool = False
    full_service: bool = False


class TaxonomyQuery(PageQuery):
    search: str | None = Field(None, max_length=500)


class TermQuery(PageQuery):
    search: str | None = Field(None, max_length=500)
    taxonomy_id: str | None = uuid_text()
    parent_id: str | None = uuid_text()
    top_only: bool = False


def respond(
    query: PageQuery,
    items: QuerySet | list,
    build: Callable[[list], list[dict]],
    *,
    max_per_page: int = MAX_PER_PAGE,
) -> dict[str, Any] | StreamingHttpResponse:
    if query.format == "ndjson":
        return stream(items, build)
    return paginate(query, items, build, max_per_page=max_per_page)


def stream(items: QuerySet | list, build: Callable[[list], list[dict]]) -> StreamingHttpResponse:
    """Every item as newline-delimited JSON, built STREAM_CHUNK items at a time (a bounded
    number of queries per chunk, and memory that does not grow with the result)."""

    def lines() -> Iterator[str]:
        start = 0
        while True:
            chunk = list(items[start : start + STREAM_CHUNK])
            if not chunk:
                return
            for item in build(chunk):
                yield json.dumps(item, ensure_ascii=False, cls=DjangoJSONEncoder) + "\n"
            start += STREAM_CHUNK

    return StreamingHttpResponse(lines(), content_type="application/x-ndjson; charset=utf-8")


def paginate(
    query: PageQuery, items: QuerySet | list, build, *, max_per_page: int = MAX_PER_PAGE
) -> dict[str, Any]:
    """A Page (openapi.json) with `contents` built from this page's slice of `items`."""
    per_page = min(query.per_page, max_per_page)
    total = items.count() if isinstance(items, QuerySet) else len(items)
    pages = max(1, math.ceil(total / per_page))
    start = (query.page - 1) * per_page
    chunk = list(items[start : start + per_page])
    page: dict[str, Any] = {
        "total_items": total,
        "total_pages": pages,
        "page_number": query.page,
        "size": len(chunk),
        "first_page": query.page == 1,
        "last_page": query.page >= pages,
        "empty": total == 0,
        "per_page": per_page,
        "contents": build(chunk) if chunk else [],
    }
    if per_page != query.per_page:
        page["warnings"] = [
            _("per_page was reduced to %(max)d, the largest page size.") % {"max": max_per_page}
        ]
    return page


def _terms_once() -> Callable[[], Terms]:
    """A loader of the term hierarchy for one request: read at most once, and only if needed."""
    return functools.cache(Terms.load)


def _offer_tables(pks: list, terms: Callable[[], Terms] | None = None):
    return build_tables(Offer.objects.filter(pk__in=pks), taxonomies=False, terms=terms)


def _get_uuid(value: str):
    parsed = ids.parse_uuid(value)
    if parsed is None:
        raise Http404
    return parsed


@router.get("/", url_name="hsds_index")
def index(request: HttpRequest) -> dict[str, Any]:
    """Which HSDS version this API speaks and where its description lives."""
    return {
        "version": "3.0",
        "profile": "https://docs.openreferral.org/en/latest/hsds/overview.html",
        "openapi_url": request.build_absolute_uri("/api/openapi.json"),
    }


@router.get(
    "/services", url_name="hsds_services", response={200: dict, **ERRORS}, openapi_extra=NDJSON
)
def services(request: HttpRequest, query: Query[ServiceQuery]) -> Any:
    """Public services (offers), filtered by the HSDS parameters and our extensions."""
    if query.minimal and query.full:
        raise ValidationError({"minimal": [_("minimal and full cannot be combined.")]})
    terms = _terms_once()
    offers, rank = find_offers(query.filters(), terms=terms)
    pks = offers.values_list("pk", flat=True)
    if rank is not None:  # most relevant first
        pks = by_rank(list(pks), rank)

    def build(chunk: list) -> list[dict]:
        if query.minimal:
            return _minimal_services(chunk)
        index = nest.Index(_offer_tables(chunk, terms))
        make = nest.service_full if query.full else nest.service_brief
        return [make(index, index.by_id["services"][str(pk)]) for pk in chunk]

    limit = MAX_MINIMAL_PER_PAGE if query.minimal else MAX_PER_PAGE
    return respond(query, pks, build, max_per_page=limit)


def _minimal_services(pks: list) -> list[dict]:
    rows = {
        pk: (name, status, updated)
        for pk, name, status, updated in Offer.objects.filter(pk__in=pks).values_list(
            "pk", "name", "status", "updated_at"
        )
    }
    return [
        {
            "id": str(pk),
            "name": rows[pk][0],
            "status": STATUS_TO_HSDS[rows[pk][1]],
            "last_modified": hsds_datetime(rows[pk][2]),
        }
        for pk in pks
        if pk in rows
    ]


@router.get("/services/{id}", url_name="hsds_service", response={200: dict, **ERRORS})
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    offer = Offer.objects.public().filter(pk=_get_uuid(id)).first()
    if offer is None:
        raise Http404
    index = nest.Index(_offer_tables([offer.pk]))
    return nest.service_full(index, index.by_id["services"][str(offer.pk)])


def _postcode_centre(query: ServiceAtLocationQuery) -> tuple[float, float] | None:
    """The point `proximity` counts from, or None without `proximity`; 422 when it cannot."""
    if query.proximity is None:
        return None
    if query.postcode is None or not query.postcode.strip():
        raise ValidationError({"proximity": [_("Give the postcode to measure from.")]})
    if query.lat is not None or query.lon is not None:
        raise ValidationError(
            {"proximity": [_("Give either postcode and proximity or lat, lon and radius.")]}
        )
    centre = postcode_centre(query.postcode)
    if centre is None:
        raise ValidationError(
            {"postcode": [_("No place of an offer with this postcode is known.")]}
        )
    return centre


@router.get(
    "/service_at_locations",
    url_name="hsds_service_at_locations",
    response={200: dict, **ERRORS},
    openapi_extra=NDJSON,
)
def service_at_locations(request: HttpRequest, query: Query[ServiceAtLocationQuery]) -> Any:
    """Public services at their locations; the same filters as /services, and `postcode`."""
    centre = _postcode_centre(query)
    terms = _terms_once()
    offers, rank = find_offers(query.filters(), terms=terms)
    links = OfferLocation.objects.filter(offer__in=offers.values("pk"))
    if query.lat is not None and query.lon is not None:
        links = links.filter(
            location_id__in=locations_near(query.lat, query.lon, query.radius or DEFAULT_RADIUS_M)
        )
    if centre is not None:
        links = links.filter(location_id__in=locations_near(*centre, query.proximity))
    elif query.postcode is not None:
        links = links.filter(location__postcode=query.postcode.strip())
    links = links.order_by("offer__name", "id").only("pk", "offer_id")
    if rank is not None:  # most relevant first
        links = by_rank(list(links), rank, key=lambda link: link.offer_id)

    def build(chunk: list[OfferLocation]) -> list[dict]:
        index = nest.Index(
            build_tables(
                Offer.objects.filter(pk__in={link.offer_id for link in chunk}),
                taxonomies=False,
                terms=terms,
            )
        )
        rows = index.by_id["service_at_locations"]
        if query.full:
            return [nest.service_at_location_nested(index, rows[str(link.pk)]) for link in chunk]
        return [nest.service_at_location_brief(index, rows[str(link.pk)]) for link in chunk]

    return respond(query, links, build)


@router.get(
    "/service_at_locations/{id}",
    url_name="hsds_service_at_location",
    response={200: dict, **ERRORS},
)
def service_at_location(request: HttpRequest, id: str) -> dict[str, Any]:
    link = OfferLocation.objects.filter(
        pk=_get_uuid(id), offer__in=Offer.objects.public().values("pk")
    ).first()
    if link is None:
        raise Http404
    index = nest.Index(_offer_tables([link.offer_id]))
    return nest.service_at_location_nested(index, index.by_id["service_at_locations"][str(link.pk)])


def _organisation_items(
    chunk: list, *, full: bool, full_service: bool, terms: Callable[[], Terms] | None = None
) -> list[dict]:
    mapping = organisation_ids(o.pk for o in chunk)
    if not full:
        parents = organisation_ids(o.parent_id for o in chunk if o.parent_id)
        return [organisation_row(o, mapping[o.pk], parents.get(o.parent_id)) for o in chunk]
    offers = Offer.objects.public().filter(organisation__in=[o.pk for o in chunk])
    index = nest.Index(build_tables(offers, taxonomies=False, terms=terms))
    result = []
    for o in chunk:
        row = index.by_id["organizations"].get(mapping[o.pk])
        row = row or organisation_row(o, mapping[o.pk], None)
        result.append(nest.organization_full(index, row, full_service=full_service))
    return result


@router.get(
    "/organizations",
    url_name="hsds_organizations",
    response={200: dict, **ERRORS},
    openapi_extra=NDJSON,
)
def organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> Any:
    """Active organisations; `full` nests their public services."""
    terms = _terms_once()
    return respond(
        query,
        public_organisations(query.search),
        lambda chunk: _organisation_items(
            chunk,
            full=query.full or query.full_service,
            full_service=query.full_service,
            terms=terms,
        ),
    )


@router.get("/organizations/{id}", url_name="hsds_organization", response={200: dict, **ERRORS})
def organization(request: HttpRequest, id: str, full_service: bool = False) -> dict[str, Any]:
    org = organisation_for(str(_get_uuid(id)))
    if org is None:
        raise Http404
    return _organisation_items([org], full=True, full_service=full_service)[0]


def _taxonomy_row(tax: Taxonomy) -> dict[str, Any]:
    from quartier.api.hsds.export import row

    return row(
        "taxonomies",
        id=str(tax.id),
        name=tax.name,
        description=tax.description,
        uri=tax.uri,
        version=tax.version,
    )


class Then:
    """A query's rows, then a short list of rows the database does not hold (the extension
    vocabulary): counted, sliced and paged like one sequence, in a bounded number of queries."""

    def __init__(self, items: QuerySet, extra: list) -> None:
        self.items, self.extra = items, extra
        self._count: int | None = None

    def _known(self) -> int:
        if self._count is None:
            self._count = self.items.count()
        return self._count

    def __len__(self) -> int:
        return self._known() + len(self.extra)

    def __getitem__(self, part: slice) -> list:
        start, stop, known = part.start or 0, part.stop, self._known()
        found = list(self.items[start:stop]) if start < known else []
        return found + self.extra[max(start - known, 0) : max(stop - known, 0)]


def _matches(value: str, search: str | None) -> bool:
    return not search or search[:200].lower() in value.lower()


@router.get(
    "/taxonomies", url_name="hsds_taxonomies", response={200: dict, **ERRORS}, openapi_extra=NDJSON
)
def taxonomies(request: HttpRequest, query: Query[TaxonomyQuery]) -> Any:
    """Our taxonomies, then the extension vocabulary that attributes refer to."""
    items = Taxonomy.objects.order_by("name", "id")
    if query.search:
        items = containing(items, query.search[:200], "name")
    extension = extension_taxonomy_row()
    extra = [extension] if _matches(extension["name"], query.search) else []
    return respond(query, Then(items, extra), _taxonomy_items)


def _taxonomy_items(chunk: list) -> list[dict]:
    return [item if isinstance(item, dict) else _taxonomy_row(item) for item in chunk]


@router.get("/taxonomies/{id}", url_name="hsds_taxonomy", response={200: dict, **ERRORS})
def taxonomy(request: HttpRequest, id: str) -> dict[str, Any]:
    pk = _get_uuid(id)
    if pk == ids.EXTENSION_TAXONOMY_ID:
        return extension_taxonomy_row()
    tax = Taxonomy.objects.filter(pk=pk).first()
    if tax is None:
        raise Http404
    return _taxonomy_row(tax)


def _term_items(chunk: list) -> list[dict]:
    extension = extension_taxonomy_row()
    return [
        {**item, "taxonomy_detail": extension}
        if isinstance(item, dict)
        else {**term_row(item), "taxonomy_detail": _taxonomy_row(item.taxonomy)}
        for item in chunk
    ]


@router.get(
    "/taxonomy_terms",
    url_name="hsds_taxonomy_terms",
    response={200: dict, **ERRORS},
    openapi_extra=NDJSON,
)
def taxonomy_terms(request: HttpRequest, query: Query[TermQuery]) -> Any:
    """Our terms, then the extension vocabulary's (top-level terms without a parent)."""
    items = TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__name", "position", "name", "id"
    )
    extra = [t for t in extension_term_rows() if _matches(t["name"], query.search)]
    if query.search:
        items = containing(items, query.search[:200], "name")
    if query.taxonomy_id:
        taxonomy_id = _uuid_param("taxonomy_id", query.taxonomy_id)
        items = items.filter(taxonomy_id=taxonomy_id)
        if taxonomy_id != ids.EXTENSION_TAXONOMY_ID:
            extra = []
    if query.parent_id:
        items = items.filter(parent_id=_uuid_param("parent_id", query.parent_id))
        extra = []
    if query.top_only:
        items = items.filter(parent__isnull=True)
    return respond(query, Then(items, extra), _term_items)


def _uuid_param(field: str, value: str):
    parsed = ids.parse_uuid(value)
    if parsed is None:
        raise ValidationError({field: [_("Not a valid id (a UUID is expected).")]})
    return parsed


@router.get("/taxonomy_terms/{id}", url_name="hsds_taxonomy_term", response={200: dict, **ERRORS})
def taxonomy_term(request: HttpRequest, id: str) -> dict[str, Any]:
    pk = str(_get_uuid(id))
    extension = [t for t in extension_term_rows() if t["id"] == pk]
    if extension:
        return _term_items(extension)[0]
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=pk).first()
    if term is None:
        raise Http404
    return _term_items([term])[0]
