"""Reads for the HSDS API: which public offers, locations and organisations a request asks for."""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db.models import Avg, QuerySet
from django.utils.translation import gettext as _

from quartier.api.hsds import ids
from quartier.api.hsds.models import ExternalId
from quartier.api.hsds.terms import Terms
from quartier.areas.models import Area
from quartier.areas.selectors import reach
from quartier.core import geo
from quartier.core.db import containing
from quartier.directory.models import Organisation
from quartier.offers.models import Location, Offer, OfferLocation, TaxonomyTerm
from quartier.search.services import offers_match_text

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


def postcode_centre(postcode: str) -> tuple[float, float] | None:
    """The centre of a postcode: the mean point of the located places of public offers in it.

    Our own data, like the address lookup of the search (ADR 0006): no gazetteer is called.
    None when no such place is known.
    """
    centre = Location.objects.filter(
        postcode=postcode.strip(),
        lat__isnull=False,
        lon__isnull=False,
        offer_locations__offer__in=Offer.objects.public().values("pk"),
    ).aggregate(lat=Avg("lat"), lon=Avg("lon"))
    if centre["lat"] is None or centre["lon"] is None:
        return None
    return centre["lat"], centre["lon"]


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


def text_match(text: str) -> tuple[QuerySet, dict[uuid.UUID, int]]:
    """The offers the search layer finds for `text` (stemming, folding, compounds, synonyms,
    one typo), as a subquery, and each found offer's rank (0 is the best match).

    Through quartier.search's front door: the same matching as /api/search/offers, so that
    both APIs find the same offers. Text without a searchable word matches nothing.
    """
    found = offers_match_text(text=text)
    return found.offers, found.rank


def find_offers(
    filters: OfferFilters, *, terms: Callable[[], Terms] | None = None
) -> tuple[QuerySet[Offer], dict[uuid.UUID, int] | None]:
    """The matching public offers by name, and with `search` each one's rank (see text_match).

    Ordering by relevance is left to the caller: the rank comes from the search layer, the
    other filters stay SQL, so every filter combines with the text. `terms` loads the term
    hierarchy when a taxonomy filter needs it (see export.build_tables).
    """
    check_point(filters)
    offers = Offer.objects.public()
    rank = None
    if filters.search and filters.search.strip():
        documents, rank = text_match(filters.search)
        offers = offers.filter(pk__in=documents)
    if filters.taxonomy_term_id or filters.taxonomy_id:
        hierarchy = (terms or Terms.load)()
    if filters.taxonomy_term_id:
        term = _uuid_or_error("taxonomy_term_id", filters.taxonomy_term_id)
        offers = _filed_under(offers, hierarchy.matching([uuid.UUID(term)]))
    if filters.taxonomy_id:
        tax = _uuid_or_error("taxonomy_id", filters.taxonomy_id)
        in_taxonomy = TaxonomyTerm.objects.filter(taxonomy_id=tax).values_list("pk", flat=True)
        offers = _filed_under(offers, hierarchy.matching(in_taxonomy))
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
        # The area's offers, those of the areas below it and those of the areas enclosing
        # it (a city-wide service serves each quarter): one query for the walk.
        serving = reach([area.pk]).all
        offers = offers.filter(
            pk__in=Offer.areas.through.objects.filter(area_id__in=serving).values("offer_id")
        )
    return offers.order_by("name", "id"), rank


def _filed_under(offers: QuerySet[Offer], topics: set) -> QuerySet[Offer]:
    return offers.filter(
        pk__in=Offer.topics.through.objects.filter(taxonomyterm_id__in=topics).values("offer_id")
    )


def by_rank(items: list, rank: dict[uuid.UUID, int], key=lambda item: item) -> list:
    """Items (in their given order) sorted by the rank of the offer `key` names; stable."""
    last = len(rank)
    return sorted(items, key=lambda item: rank.get(key(item), last))


def public_organisations(search: str | None) -> QuerySet[Organisation]:
    organisations = Organisation.objects.active()
    if search:
        organisations = containing(organisations, search.strip()[:200], "name", "description")
    return organisations.order_by("name", "pk")
