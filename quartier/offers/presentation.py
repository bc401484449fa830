"""How an offer is presented: opening-hours rows and its schema.org JSON-LD."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from quartier.offers.forms import WEEKDAYS
from quartier.offers.models import Offer, Schedule, ScheduleKind

SCHEMA_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


@dataclass(frozen=True)
class Hours:
    weekly: list[Schedule]
    dates: list[Schedule]
    closures: list[Schedule]


def hours_of(offer: Offer) -> Hours:
    schedules = list(offer.schedules.all())
    return Hours(
        weekly=[s for s in schedules if s.kind == ScheduleKind.WEEKLY],
        dates=sorted(
            (s for s in schedules if s.kind == ScheduleKind.DATE), key=lambda s: s.valid_from
        ),
        closures=sorted(
            (s for s in schedules if s.kind == ScheduleKind.CLOSED), key=lambda s: s.valid_from
        ),
    )


def weekday_name(number: int | None) -> str:
    return str(dict(WEEKDAYS).get(number, "")) if number is not None else ""


def _opening(schedule: Schedule) -> dict[str, Any]:
    spec: dict[str, Any] = {"@type": "OpeningHoursSpecification"}
    if schedule.kind == ScheduleKind.WEEKLY and schedule.weekday is not None:
        spec["dayOfWeek"] = f"https://schema.org/{SCHEMA_DAYS[schedule.weekday]}"
    if schedule.kind == ScheduleKind.CLOSED:
        # schema.org's way of saying "closed": opens and closes at midnight.
        spec.update({"opens": "00:00", "closes": "00:00"})
    else:
        if schedule.opens_at:
            spec["opens"] = schedule.opens_at.strftime("%H:%M")
        if schedule.closes_at:
            spec["closes"] = schedule.closes_at.strftime("%H:%M")
    if schedule.valid_from:
        spec["validFrom"] = schedule.valid_from.isoformat()
    valid_to = schedule.valid_to or (schedule.valid_from if schedule.kind == "date" else None)
    if valid_to:
        spec["validThrough"] = valid_to.isoformat()
    return spec


def _place(location: Any) -> dict[str, Any]:
    place: dict[str, Any] = {
        "@type": "Place",
        "name": str(location),
        "address": {
            "@type": "PostalAddress",
            "streetAddress": location.street,
            "postalCode": location.postcode,
            "addressLocality": location.city,
            "addressCountry": "DE",
        },
    }
    if location.lat is not None and location.lon is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": location.lat,
            "longitude": location.lon,
        }
    if location.wheelchair_accessible:
        place["amenityFeature"] = {
            "@type": "LocationFeatureSpecification",
            "name": "wheelchair accessible",
            "value": True,
        }
    return place


def json_ld(offer: Offer, *, absolute: Any) -> dict[str, Any]:
    """schema.org description of the offer; `absolute(path)` makes an absolute URL."""
    organisation = offer.organisation
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "GovernmentService" if organisation.kind == "administration" else "Service",
        "@id": absolute(offer.get_absolute_url()),
        "url": absolute(offer.get_absolute_url()),
        "name": offer.name,
        "description": offer.description,
        "provider": {
            "@type": "Organization",
            "name": organisation.name,
            "url": absolute(organisation.get_absolute_url()),
        },
        "serviceType": [topic.localized_name for topic in offer.topics.all()],
        "areaServed": [
            {"@type": "AdministrativeArea", "name": area.name} for area in offer.areas.all()
        ],
        "audience": [
            {"@type": "Audience", "audienceType": group.localized_name}
            for group in offer.target_groups.all()
        ],
        "availableLanguage": [language.localized_name for language in offer.languages.all()],
        "isAccessibleForFree": offer.cost == "free",
        "hoursAvailable": [_opening(schedule) for schedule in offer.schedules.all()],
        "availableChannel": [
            {"@type": "ServiceChannel", "serviceLocation": _place(location)}
            for location in offer.locations.all()
        ],
    }
    if offer.url:
        data["sameAs"] = offer.url
    if offer.phone or offer.email:
        data["provider"]["contactPoint"] = {
            "@type": "ContactPoint",
            "telephone": offer.phone,
            "email": offer.email,
        }
    return data


def json_ld_script(data: dict[str, Any]) -> SafeString:
    """The JSON for a <script type="application/ld+json">, with <, > and & escaped so that
    text from the offer cannot close the script element."""
    text = json.dumps(data, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)
