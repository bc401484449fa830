"""Writing offers through the JSON API: the same forms check the input, the same services
write it, so the API and the back office follow one workflow (see services.py)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from ninja import Schema
from pydantic import Field

from quartier.directory.models import Organisation
from quartier.offers.forms import LocationForm, OfferForm, ScheduleForm
from quartier.offers.models import Offer


class LocationIn(Schema):
    id: str | None = Field(None, description="Keep and update this location of the offer")
    name: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    lat: float | None = None
    lon: float | None = None
    wheelchair_accessible: bool = False
    accessibility: str = ""
    transport: str = ""


class ScheduleIn(Schema):
    kind: str = Field(description="weekly, date or closed")
    weekday: int | None = Field(None, description="0 = Monday")
    opens_at: str | None = Field(None, description="HH:MM")
    closes_at: str | None = Field(None, description="HH:MM")
    valid_from: str | None = Field(None, description="YYYY-MM-DD")
    valid_to: str | None = Field(None, description="YYYY-MM-DD")
    description: str = ""


class OfferIn(Schema):
    name: str
    alternate_name: str = ""
    description: str = ""
    easy_language_description: str = ""
    url: str = ""
    email: str = ""
    phone: str = ""
    status: str = "active"
    cost: str = "free"
    fees_description: str = ""
    access_walk_in: bool = False
    access_appointment: bool = False
    access_referral: bool = False
    application_process: str = ""
    min_age: int | None = None
    max_age: int | None = None
    topics: list[str] = Field(default_factory=list, description="Topic ids")
    target_groups: list[int] = Field(default_factory=list, description="Target group ids")
    languages: list[int] = Field(default_factory=list, description="Language ids")
    areas: list[int] = Field(default_factory=list, description="Area ids")
    contacts: list[int] = Field(default_factory=list, description="Person ids")
    locations: list[LocationIn] = Field(default_factory=list)
    schedules: list[ScheduleIn] = Field(default_factory=list)


class OfferCreateIn(OfferIn):
    organisation: int = Field(description="Id of the organisation the offer belongs to")


class OfferStateOut(Schema):
    id: str
    review_state: str
    last_verified: str | None
    outcome: str = ""


def state_of(offer: Offer, outcome: str = "") -> dict[str, Any]:
    return {
        "id": str(offer.pk),
        "review_state": offer.review_state,
        "last_verified": offer.last_verified.isoformat() if offer.last_verified else None,
        "outcome": outcome,
    }


def _form_data(values: dict[str, Any]) -> dict[str, Any]:
    # Forms read absent keys as empty; None means "empty" in the API too.
    return {key: value for key, value in values.items() if value is not None}


def _collect(form: Form, prefix: str, errors: dict[str, list[str]]) -> None:
    if form.is_valid():
        return
    for field, messages in form.errors.items():
        name = prefix.rstrip(".") if field == "__all__" else f"{prefix}{field}"
        errors.setdefault(name or "request", []).extend(messages)


def snapshot_from_payload(payload: OfferIn, organisation: Organisation) -> dict[str, Any]:
    """Check the payload with the back office's forms; raise ValidationError with every field
    error, or return the snapshot that services apply."""
    values = payload.dict(exclude={"locations", "schedules", "organisation"})
    form = OfferForm(_form_data(values), organisation=organisation)
    locations = [LocationForm(_form_data(item.dict())) for item in payload.locations]
    schedules = [ScheduleForm(_form_data(item.dict())) for item in payload.schedules]
    errors: dict[str, list[str]] = {}
    _collect(form, "", errors)
    for index, location in enumerate(locations):
        _collect(location, f"locations.{index}.", errors)
    for index, schedule in enumerate(schedules):
        _collect(schedule, f"schedules.{index}.", errors)
    if errors:
        raise ValidationError(errors)
    data = form.snapshot()
    data["locations"] = [location.snapshot() for location in locations]
    data["schedules"] = [schedule.snapshot() for schedule in schedules]
    return data


def organisation_for(user: Any, organisation_id: int) -> Organisation:
    from quartier.offers.selectors import organisations_for_offers

    organisation = organisations_for_offers(user).filter(pk=organisation_id).first()
    if organisation is None:
        raise PermissionDenied
    return organisation
