"""schema.org Event as JSON-LD for the detail page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone

from quartier.events.models import Event


def event_jsonld(event: Event, request: HttpRequest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": event.title,
        "startDate": timezone.localtime(event.starts_at).isoformat(),
        "endDate": timezone.localtime(event.ends_at).isoformat(),
        "eventStatus": "https://schema.org/EventCancelled"
        if event.is_cancelled
        else "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "url": request.build_absolute_uri(event.get_absolute_url()),
        "isAccessibleForFree": event.is_free,
    }
    if event.description:
        data["description"] = event.description
    if event.image:
        data["image"] = request.build_absolute_uri(event.image.url)
    place: dict[str, Any] = {"@type": "Place", "name": event.place_name or event.city or ""}
    if event.street or event.city:
        place["address"] = {
            "@type": "PostalAddress",
            "streetAddress": event.street,
            "postalCode": event.postcode,
            "addressLocality": event.city,
            "addressCountry": "DE",
        }
    if event.has_point:
        place["geo"] = {"@type": "GeoCoordinates", "latitude": event.lat, "longitude": event.lon}
    data["location"] = place
    organisers = [
        {
            "@type": "Organization",
            "name": org.name,
            "url": request.build_absolute_uri(org.get_absolute_url()),
        }
        for org in event.organisations.all()
    ]
    if organisers:
        data["organizer"] = organisers
    if event.registration_required and event.capacity:
        data["maximumAttendeeCapacity"] = event.capacity
    if not event.is_free and event.cost:
        data["offers"] = {"@type": "Offer", "description": event.cost, "url": data["url"]}
    return data
