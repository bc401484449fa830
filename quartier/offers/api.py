"""The offer as JSON (our own shape; the HSDS API lives under /api/hsds/)."""

from __future__ import annotations

import datetime
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from ninja import Router, Schema, Status
from ninja.errors import HttpError
from ninja.security import django_auth

from quartier.core.permissions import check
from quartier.offers import selectors, services
from quartier.offers.api_write import (
    OfferCreateIn,
    OfferIn,
    OfferStateOut,
    organisation_for,
    snapshot_from_payload,
    state_of,
)
from quartier.offers.models import Offer

router = Router(tags=["offers"])


class TermOut(Schema):
    code: str
    name: str
    taxonomy: str


class LocationOut(Schema):
    name: str
    street: str
    postcode: str
    city: str
    lat: float | None
    lon: float | None
    wheelchair_accessible: bool
    accessibility: str


class ScheduleOut(Schema):
    kind: str
    weekday: int | None
    opens_at: str | None
    closes_at: str | None
    valid_from: str | None
    valid_to: str | None
    description: str


class OfferOut(Schema):
    id: UUID
    name: str
    alternate_name: str
    description: str
    easy_language_description: str
    organisation: str
    organisation_url: str
    url: str
    email: str
    phone: str
    status: str
    cost: str
    fees_description: str
    access_walk_in: bool
    access_appointment: bool
    access_referral: bool
    application_process: str
    min_age: int | None
    max_age: int | None
    topics: list[TermOut]
    target_groups: list[str]
    languages: list[str]
    areas: list[str]
    locations: list[LocationOut]
    schedules: list[ScheduleOut]
    contacts: list[dict[str, str]]
    last_verified: str | None
    page: str


PLAIN_FIELDS = (
    "id",
    "name",
    "alternate_name",
    "description",
    "easy_language_description",
    "url",
    "email",
    "phone",
    "status",
    "cost",
    "fees_description",
    "access_walk_in",
    "access_appointment",
    "access_referral",
    "application_process",
    "min_age",
    "max_age",
)


def _iso(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return value.isoformat()


@router.get("/{uuid:offer_id}", response=OfferOut, url_name="offer_detail")
def offer_detail(request: HttpRequest, offer_id: UUID):
    """A published offer with its public fields only (contact persons: public fields)."""
    try:
        offer = selectors.public_offer(offer_id)
    except Offer.DoesNotExist as exc:
        raise Http404 from exc
    return {
        **{name: getattr(offer, name) for name in PLAIN_FIELDS},
        "organisation": offer.organisation.name,
        "organisation_url": request.build_absolute_uri(offer.organisation.get_absolute_url()),
        "topics": [
            {"code": t.code, "name": t.localized_name, "taxonomy": t.taxonomy.slug}
            for t in offer.topics.all()
        ],
        "target_groups": [group.slug for group in offer.target_groups.all()],
        "languages": [language.code for language in offer.languages.all()],
        "areas": [area.slug for area in offer.areas.all()],
        "locations": list(offer.locations.all()),
        "schedules": [
            {
                "kind": s.kind,
                "weekday": s.weekday,
                "opens_at": _iso(s.opens_at),
                "closes_at": _iso(s.closes_at),
                "valid_from": _iso(s.valid_from),
                "valid_to": _iso(s.valid_to),
                "description": s.description,
            }
            for s in offer.schedules.all()
        ],
        "contacts": selectors.public_contacts(offer),
        "last_verified": _iso(offer.last_verified),
        "page": request.build_absolute_uri(offer.get_absolute_url()),
    }


ERRORS = {401: dict, 403: dict, 404: dict, 422: dict}


def _offer(offer_id: UUID) -> Offer:
    return get_object_or_404(Offer.objects.select_related("organisation"), pk=offer_id)


@router.post(
    "/", response={201: OfferStateOut, **ERRORS}, auth=django_auth, url_name="offer_create"
)
def offer_create(request: HttpRequest, payload: OfferCreateIn):
    """Create a draft offer of an organisation the user enters offers for."""
    check(request, "offers.add_offer")
    organisation = organisation_for(request.user, payload.organisation)
    data = snapshot_from_payload(payload, organisation)
    offer = services.offer_create(organisation=organisation, data=data, by=request.user)
    return Status(201, state_of(offer, services.SaveOutcome.APPLIED.value))


@router.put(
    "/{uuid:offer_id}",
    response={200: OfferStateOut, **ERRORS},
    auth=django_auth,
    url_name="offer_update",
)
def offer_update(request: HttpRequest, offer_id: UUID, payload: OfferIn):
    """Replace the offer's content. An editor's change to a published offer waits for review
    (`outcome`: pending_review); the published content stays until a reviewer approves."""
    offer = _offer(offer_id)
    check(request, "offers.change_offer", offer)
    data = snapshot_from_payload(payload, offer.organisation)
    outcome = services.offer_save(offer=offer, data=data, by=request.user, language=get_language())
    return Status(200, state_of(offer, outcome.value))


@router.post(
    "/{uuid:offer_id}/submit",
    response={200: OfferStateOut, **ERRORS},
    auth=django_auth,
    url_name="offer_submit",
)
def offer_submit(request: HttpRequest, offer_id: UUID):
    """Draft → in review."""
    offer = _offer(offer_id)
    check(request, "offers.change_offer", offer)
    services.offer_submit(offer=offer, by=request.user, language=get_language())
    return Status(200, state_of(offer))


@router.post(
    "/{uuid:offer_id}/publish",
    response={200: OfferStateOut, **ERRORS},
    auth=django_auth,
    url_name="offer_publish",
)
def offer_publish(request: HttpRequest, offer_id: UUID):
    """Publish (reviewers: coordinators and planners in scope, admins; with the four-eyes
    principle on, not one's own organisation's offer nor one's own content: 403 with the
    reason)."""
    offer = _offer(offer_id)
    check(request, "offers.review_offer", offer)
    try:
        services.offer_publish(offer=offer, by=request.user)
    except services.FourEyesRequired as exc:
        raise HttpError(403, exc.message) from exc
    return Status(200, state_of(offer))


@router.post(
    "/{uuid:offer_id}/verify",
    response={200: OfferStateOut, **ERRORS},
    auth=django_auth,
    url_name="offer_verify",
)
def offer_verify(request: HttpRequest, offer_id: UUID):
    """Confirm that the offer is still current (sets last_verified)."""
    offer = _offer(offer_id)
    check(request, "offers.change_offer", offer)
    services.offer_verify(offer=offer, by=request.user)
    return Status(200, state_of(offer))
