"""Reads for the HSDS API: which public offers, locations and organisations a request asks for."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from quartier.api.hsds import ids
from quartier.api.hsds.models import ExternalId
from quartier.areas.models import Area
from quartier.areas.selectors import descendant_ids
from quartier.core import geo
from quartier.directory.models import Organisation
from quartier.offers.models import Location, Offer, OfferLocation

DEFAULT_RADIUS_M = 5_000
MAX_RADIUS_M = 100_000


@dataclass
class OfferFilters:
    search: str | None = None
    taxonomy_term_id: str | None = None
    taxonomy_id: str | None = None
    organization_id: str | None = None
    modified_after: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    radius: float | None = None
    area: str | None = None


def _uuid_or_error(field: str, value: str) -> str:
    if ids.parse_uuid(value) is None:
        raise ValidationError({field: [_("Not a valid id (a UUID is expected).")]})
    return value


def organisation_for(hsds_id: str) -> Organisation | None:
    """The active organisation with this HSDS id, if any."""
    pk = (
        ExternalId.objects.filter(
            kind=ExternalId.Kind.ORGANIZATION, hsds_id=ids.parse_uuid(hsds_id)
        )
        .values_list("object_id", flat=True)
        .first()
        if ids.parse_uuid(hsds_id)
        else None
    )
    pk = pk or ids.organisation_pk(hsds_id)
    if pk is None:
        return None
    return Organisation.objects.active().filter(pk=pk).first()


def locations_near(lat: float, lon: float, radius: float) -> list:
    """Ids of locations within `radius` metres: bounding box in SQL, exact distance here."""
    box = geo.bbox_around(lat, lon, radius)
    candidates = Location.objects.filter(
        lat__gte=box.min_lat, lat__lte=box.max_lat, lon__gte=box.min_lon, lon__lte=box.max_lon
    ).values_list("id", "lat", "lon")
    return [pk for pk, la, lo in candidates if geo.distance_m(lat, lon, la, lo) <= radius]


def check_point(filters: OfferFilters) -> None:
    given = [v is not None for v in (filters.lat, filters.lon)]
    if any(given) and not all(given):
        raise ValidationError({"lat": [_("Give both lat and lon, or neither.")]})
    if filters.radius is not None and not all(given):
        raise ValidationError({"radius": [_("A radius needs lat and lon.")]})
    for name in ("lat", "lon", "radius"):
        value = getattr(filters, name)
        if value is not None and not math.isfinite(value):
            raise ValidationError({name: [_("Not a finite number.")]})


def public_offers(filters: OfferFilters) -> QuerySet[Offer]:
    """Public offers matching the HSDS filters and our extensions (proximity, area)."""
    check_point(filters)
    offers = Offer.objects.public()
    if filters.search:
        text = filters.search.strip()[:200]
        offers = offers.filter(
            Q(name__icontains=text)
            | Q(alternate_name__icontains=text)
            | Q(description__icontains=text)
        )
    if filters.taxonomy_term_id:
        term = _uuid_or_error("taxonomy_term_id", filters.taxonomy_term_id)
        offers = offers.filter(
            pk__in=Offer.topics.through.objects.filter(taxonomyterm_id=term).values("offer_id")
        )
    if filters.taxonomy_id:
        tax = _uuid_or_error("taxonomy_id", filters.taxonomy_id)
        offers = offers.filter(
            pk__in=Offer.topics.through.objects.filter(taxonomyterm__taxonomy_id=tax).values(
                "offer_id"
            )
        )
    if filters.organization_id:
        org = organisation_for(_uuid_or_error("organization_id", filters.organization_id))
        offers = offers.filter(organisation=org) if org else offers.none()
    if filters.modified_after:
        offers = offers.filter(updated_at__gte=filters.modified_after)
    if filters.lat is not None and filters.lon is not None:
        near = locations_near(filters.lat, filters.lon, filters.radius or DEFAULT_RADIUS_M)
        offers = offers.filter(
            pk__in=OfferLocation.objects.filter(location_id__in=near).values("offer_id")
        )
    if filters.area:
        area = Area.objects.public().filter(slug=filters.area).first()
        if area is None:
            raise ValidationError({"area": [_("There is no public area with this key.")]})
        offers = offers.filter(
            pk__in=Offer.areas.through.objects.filter(area_id__in=descendant_ids([area.pk])).values(
                "offer_id"
            )
        )
    return offers.order_by("name", "id")


def public_organisations(search: str | None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.active()
    if search:
        text = search.strip()[:200]
        organisations = organisations.filter(
            Q(name__icontains=text) | Q(description__icontains=text)
        )
    return organisations.order_by("name", "pk")
