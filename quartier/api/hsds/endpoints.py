"""The HSDS 3.0 read API (Open Referral), mounted at /api/hsds/.

Follows the official openapi.json: pages with the Page fields and `contents`; `full=true`
nests list items. Extensions the standard lacks: `lat`, `lon`, `radius` (metres) and `area`
(an area key, including the areas below it). `per_page` above MAX_PER_PAGE is clamped and the
page says so in `per_page` and `warnings`. Only public offers and public contact data leave.
"""

import math
from datetime import datetime
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from quartier.api.hsds import ids, nest
from quartier.api.hsds.export import build_tables, organisation_ids, organisation_row, term_row
from quartier.api.hsds.selectors import (
    MAX_RADIUS_M,
    OfferFilters,
    organisation_for,
    public_offers,
    public_organisations,
)
from quartier.offers.models import Offer, OfferLocation, Taxonomy, TaxonomyTerm

router = Router(tags=["hsds"])
DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 100
ERRORS = {404: dict, 422: dict}


class PageQuery(Schema):
    page: int = Field(1, ge=1, le=1_000_000, description="Page number, from 1.")
    per_page: int = Field(
        DEFAULT_PER_PAGE, ge=1, description=f"Items per page; more than {MAX_PER_PAGE} is clamped."
    )


class ServiceQuery(PageQuery):
    search: str | None = Field(None, max_length=500, description="Words in name or description.")
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
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


class OrganizationQuery(PageQuery):
    search: str | None = Field(None, max_length=500)
    full: bool = False
    full_service: bool = False


class TermQuery(PageQuery):
    search: str | None = Field(None, max_length=500)
    taxonomy_id: str | None = None
    parent_id: str | None = None
    top_only: bool = False


def paginate(query: PageQuery, items: QuerySet | list, build) -> dict[str, Any]:
    """A Page (openapi.json) with `contents` built from this page's slice of `items`."""
    per_page = min(query.per_page, MAX_PER_PAGE)
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
            _("per_page was reduced to %(max)d, the largest page size.") % {"max": MAX_PER_PAGE}
        ]
    return page


def _offer_tables(offers: list[Offer]):
    return build_tables(Offer.objects.filter(pk__in=[o.pk for o in offers]), taxonomies=False)


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


@router.get("/services", url_name="hsds_services", response={200: dict, **ERRORS})
def services(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    """Public services (offers), filtered by the HSDS parameters and our extensions."""
    offers = public_offers(query.filters())

    def build(chunk: list[Offer]) -> list[dict]:
        index = nest.Index(_offer_tables(chunk))
        make = nest.service_full if query.full else nest.service_brief
        return [make(index, index.by_id["services"][str(o.pk)]) for o in chunk]

    return paginate(query, offers.only("pk"), build)


@router.get("/services/{id}", url_name="hsds_service", response={200: dict, **ERRORS})
def service(request: HttpRequest, id: str) -> dict[str, Any]:
    offer = Offer.objects.public().filter(pk=_get_uuid(id)).first()
    if offer is None:
        raise Http404
    index = nest.Index(_offer_tables([offer]))
    return nest.service_full(index, index.by_id["services"][str(offer.pk)])


@router.get(
    "/service_at_locations", url_name="hsds_service_at_locations", response={200: dict, **ERRORS}
)
def service_at_locations(request: HttpRequest, query: Query[ServiceQuery]) -> dict[str, Any]:
    """Public services at their locations; the same filters as /services."""
    links = OfferLocation.objects.filter(offer__in=public_offers(query.filters()).values("pk"))
    if query.lat is not None and query.lon is not None:
        from quartier.api.hsds.selectors import DEFAULT_RADIUS_M, locations_near

        links = links.filter(
            location_id__in=locations_near(query.lat, query.lon, query.radius or DEFAULT_RADIUS_M)
        )
    links = links.order_by("offer__name", "id").only("pk", "offer_id")

    def build(chunk: list[OfferLocation]) -> list[dict]:
        index = nest.Index(
            build_tables(
                Offer.objects.filter(pk__in={link.offer_id for link in chunk}), taxonomies=False
            )
        )
        rows = index.by_id["service_at_locations"]
        return [
            nest.service_at_location_full(index, rows[str(link.pk)], with_service=True)
            for link in chunk
        ]

    return paginate(query, links, build)


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
    index = nest.Index(_offer_tables([link.offer]))
    result = nest.service_at_location_full(
        index, index.by_id["service_at_locations"][str(link.pk)], with_service=False
    )
    result["service"] = nest.service_full(index, index.by_id["services"][str(link.offer_id)])
    return result


def _organisation_items(chunk: list, *, full: bool, full_service: bool) -> list[dict]:
    mapping = organisation_ids(o.pk for o in chunk)
    if not full:
        parents = organisation_ids(o.parent_id for o in chunk if o.parent_id)
        return [organisation_row(o, mapping[o.pk], parents.get(o.parent_id)) for o in chunk]
    offers = Offer.objects.public().filter(organisation__in=[o.pk for o in chunk])
    index = nest.Index(build_tables(offers, taxonomies=False))
    result = []
    for o in chunk:
        row = index.by_id["organizations"].get(mapping[o.pk])
        row = row or organisation_row(o, mapping[o.pk], None)
        result.append(nest.organization_full(index, row, full_service=full_service))
    return result


@router.get("/organizations", url_name="hsds_organizations", response={200: dict, **ERRORS})
def organizations(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    """Active organisations; `full` nests their public services."""
    return paginate(
        query,
        public_organisations(query.search),
        lambda chunk: _organisation_items(
            chunk, full=query.full or query.full_service, full_service=query.full_service
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


@router.get("/taxonomies", url_name="hsds_taxonomies", response={200: dict, **ERRORS})
def taxonomies(request: HttpRequest, query: Query[OrganizationQuery]) -> dict[str, Any]:
    items = Taxonomy.objects.order_by("name", "id")
    if query.search:
        items = items.filter(name__icontains=query.search[:200])
    return paginate(query, items, lambda chunk: [_taxonomy_row(t) for t in chunk])


@router.get("/taxonomies/{id}", url_name="hsds_taxonomy", response={200: dict, **ERRORS})
def taxonomy(request: HttpRequest, id: str) -> dict[str, Any]:
    tax = Taxonomy.objects.filter(pk=_get_uuid(id)).first()
    if tax is None:
        raise Http404
    return _taxonomy_row(tax)


def _term_items(chunk: list[TaxonomyTerm]) -> list[dict]:
    return [{**term_row(t), "taxonomy_detail": _taxonomy_row(t.taxonomy)} for t in chunk]


@router.get("/taxonomy_terms", url_name="hsds_taxonomy_terms", response={200: dict, **ERRORS})
def taxonomy_terms(request: HttpRequest, query: Query[TermQuery]) -> dict[str, Any]:
    items = TaxonomyTerm.objects.select_related("taxonomy").order_by(
        "taxonomy__name", "position", "name", "id"
    )
    if query.search:
        items = items.filter(name__icontains=query.search[:200])
    if query.taxonomy_id:
        items = items.filter(taxonomy_id=_uuid_param("taxonomy_id", query.taxonomy_id))
    if query.parent_id:
        items = items.filter(parent_id=_uuid_param("parent_id", query.parent_id))
    if query.top_only:
        items = items.filter(parent__isnull=True)
    return paginate(query, items, _term_items)


def _uuid_param(field: str, value: str):
    from django.core.exceptions import ValidationError

    parsed = ids.parse_uuid(value)
    if parsed is None:
        raise ValidationError({field: [_("Not a valid id (a UUID is expected).")]})
    return parsed


@router.get("/taxonomy_terms/{id}", url_name="hsds_taxonomy_term", response={200: dict, **ERRORS})
def taxonomy_term(request: HttpRequest, id: str) -> dict[str, Any]:
    term = TaxonomyTerm.objects.select_related("taxonomy").filter(pk=_get_uuid(id)).first()
    if term is None:
        raise Http404
    return _term_items([term])[0]
