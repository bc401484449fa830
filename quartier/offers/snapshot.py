"""An offer's editable content as plain JSON data, and the comparison of two such snapshots.

One format serves three purposes: a pending revision stores it (OfferRevision.data), the
services apply it (services.offer_save), and reviewers see the difference between the published
offer and the proposed one (`snapshot_diff`).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from quartier.offers.models import Location, Offer, Schedule

OFFER_FIELDS = (
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
M2M_FIELDS = ("topics", "target_groups", "languages", "areas", "contacts")
LOCATION_FIELDS = (
    "name",
    "street",
    "postcode",
    "city",
    "lat",
    "lon",
    "position_source",
    "wheelchair_accessible",
    "accessibility",
    "transport",
)
SCHEDULE_FIELDS = (
    "kind",
    "weekday",
    "opens_at",
    "closes_at",
    "valid_from",
    "valid_to",
    "description",
)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def location_data(location: Location) -> dict[str, Any]:
    data = {name: _plain(getattr(location, name)) for name in LOCATION_FIELDS}
    data["id"] = str(location.pk)
    return data


def schedule_data(schedule: Schedule) -> dict[str, Any]:
    return {name: _plain(getattr(schedule, name)) for name in SCHEDULE_FIELDS}


def offer_snapshot(offer: Offer) -> dict[str, Any]:
    """The editable content of a saved offer (6 queries: m2m, locations, schedules)."""
    data: dict[str, Any] = {name: _plain(getattr(offer, name)) for name in OFFER_FIELDS}
    for name in M2M_FIELDS:
        data[name] = sorted(str(pk) for pk in getattr(offer, name).values_list("pk", flat=True))
    data["locations"] = [
        location_data(location) for location in offer.locations.order_by("name", "street", "pk")
    ]
    data["schedules"] = [schedule_data(schedule) for schedule in offer.schedules.all()]
    return data


@dataclass(frozen=True)
class Change:
    field: str
    label: str
    before: str
    after: str


def _label(name: str) -> str:
    if name == "locations":
        return _("Locations")
    if name == "schedules":
        return _("Opening hours and dates")
    return str(Offer._meta.get_field(name).verbose_name)


def _names(name: str, ids: list[str]) -> str:
    if not ids:
        return "–"
    model = Offer._meta.get_field(name).related_model
    return ", ".join(sorted(str(obj) for obj in model.objects.filter(pk__in=ids)))


def _location_text(item: dict[str, Any]) -> str:
    """One place as a line: name, address, accessibility and transport (every compared field
    but the point, so that a change of any of them shows)."""
    place = " ".join(str(item.get(key) or "") for key in ("postcode", "city")).strip()
    parts = [item.get("name") or "", item.get("street") or "", place]
    text = ", ".join(part for part in parts if part)
    if item.get("wheelchair_accessible"):
        text += " · " + _("barrier-free (wheelchair)")
    for key in ("accessibility", "transport"):
        if item.get(key):
            text += f" · {item[key]}"
    if item.get("lat") is not None and item.get("lon") is not None:
        text += f" · {float(item['lat']):.5f}, {float(item['lon']):.5f}"
    return text


def _date_text(value: Any) -> str:
    if not value:
        return ""
    day = value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))
    return date_format(day, "SHORT_DATE_FORMAT")


def _schedule_text(item: dict[str, Any]) -> str:
    """One time as residents read it: "Monday 09:00–11:00", "24.12.2026 10:00–12:00",
    "closed 06.07.2026–14.08.2026", with the note after a colon."""
    from quartier.offers.forms import WEEKDAYS  # forms import this module

    hours = "–".join(str(item.get(key) or "")[:5] for key in ("opens_at", "closes_at"))
    hours = "" if hours == "–" else hours
    start, end = _date_text(item.get("valid_from")), _date_text(item.get("valid_to"))
    kind = item.get("kind")
    if kind == "weekly":
        text = f"{dict(WEEKDAYS).get(item.get('weekday'), '')} {hours}".strip()
        period = [_("from %(date)s") % {"date": start}] if start else []
        period += [_("until %(date)s") % {"date": end}] if end else []
        if period:
            text += f" ({' '.join(period)})"
    elif kind == "date":
        text = f"{start} {hours}".strip()
    else:
        text = _("closed") + " " + (f"{start}–{end}" if end else start)
    if item.get("description"):
        text += f": {item['description']}"
    return text


def _text(name: str, value: Any) -> str:
    if name in M2M_FIELDS:
        return _names(name, value or [])
    if name == "locations":
        return "\n".join(sorted(_location_text(item) for item in value or [])) or "–"
    if name == "schedules":
        return "\n".join(_schedule_text(item) for item in value or []) or "–"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    field = Offer._meta.get_field(name)
    if field.choices and value:
        return str(dict(field.choices).get(value, value))
    return "–" if value in (None, "") else str(value)


def _comparable(name: str, value: Any) -> Any:
    if name == "locations":
        # Ids do not matter for the comparison: a re-created location with the same content
        # is no change.
        return sorted(
            tuple(sorted((k, str(v)) for k, v in item.items() if k != "id")) for item in value
        )
    if name == "schedules":
        return sorted(tuple(sorted((k, str(v)) for k, v in item.items())) for item in value)
    if name in M2M_FIELDS:
        return sorted(value or [])
    return value


def snapshot_diff(before: dict[str, Any], after: dict[str, Any]) -> list[Change]:
    """The fields that differ between two snapshots, with readable old and new values."""
    changes = []
    for name in (*OFFER_FIELDS, *M2M_FIELDS, "locations", "schedules"):
        old, new = before.get(name), after.get(name)
        if _comparable(name, old or ([] if name not in OFFER_FIELDS else old)) == _comparable(
            name, new or ([] if name not in OFFER_FIELDS else new)
        ):
            continue
        changes.append(Change(name, _label(name), _text(name, old), _text(name, new)))
    return changes
