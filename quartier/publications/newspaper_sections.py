"""The automatic sections of a district newspaper issue from the apps before publications.

Each is a `core.registry.NewspaperSection`; later apps (projects, concerns) register theirs in
their own `AppConfig.ready()`, so this app never imports them. Every section lists public
things only, for the issue's area and the areas below it, within the issue's period.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from quartier.areas.selectors import descendant_ids
from quartier.core.registry import NewspaperItem, NewspaperSection, registry
from quartier.directory.selectors import contact_card, public_positions
from quartier.events.selectors import calendar_events
from quartier.networks.models import Meeting
from quartier.offers.models import Offer

LIMIT = 40


def _bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    zone = timezone.get_current_timezone()
    low = dt.datetime.combine(start, dt.time.min, tzinfo=zone)
    high = dt.datetime.combine(end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
    return low, high


def _when(moment: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT")


def coming_events(area: Any, start: dt.date, end: dt.date) -> list[NewspaperItem]:
    low, high = _bounds(start, end)
    events = calendar_events({"area": area}).filter(starts_at__gte=low, starts_at__lt=high)
    return [
        NewspaperItem(
            title=event.title,
            when=_when(event.starts_at),
            text=event.place_name or "",
            url=event.get_absolute_url(),
        )
        for event in events[:LIMIT]
    ]


def new_offers(area: Any, start: dt.date, end: dt.date) -> list[NewspaperItem]:
    # New or changed since a span as long as the period before its start.
    low, _high = _bounds(start - (end - start), start)
    ids = descendant_ids([area.pk])
    offers = (
        Offer.objects.public()
        .filter(pk__in=Offer.areas.through.objects.filter(area_id__in=ids).values("offer_id"))
        .filter(Q(created_at__gte=low) | Q(updated_at__gte=low))
        .select_related("organisation")
        .order_by("-updated_at", "pk")
    )
    return [
        NewspaperItem(
            title=offer.name,
            when=_("new") if offer.created_at >= low else _("changed"),
            text=offer.organisation.name,
            url=offer.get_absolute_url(),
        )
        for offer in offers[:LIMIT]
    ]


def network_meetings(area: Any, start: dt.date, end: dt.date) -> list[NewspaperItem]:
    low, high = _bounds(start, end)
    ids = descendant_ids([area.pk])
    meetings = (
        Meeting.objects.public()
        .not_cancelled()
        .filter(body__areas__in=ids, start__gte=low, start__lt=high)
        .select_related("body")
        .distinct()
        .order_by("start", "pk")
    )
    return [
        NewspaperItem(
            title=f"{meeting.body.name}: {meeting.title}",
            when=_when(meeting.start),
            text=meeting.location_name,
            url=meeting.get_absolute_url(),
        )
        for meeting in meetings[:LIMIT]
    ]


def contact_persons(area: Any, start: dt.date, end: dt.date) -> list[NewspaperItem]:
    ids = descendant_ids([area.pk])
    positions = (
        public_positions()
        .filter(organisation__areas__in=ids)
        .select_related("person", "organisation")
        .order_by("organisation__name", "person__family_name", "person__given_name", "pk")
        .distinct()
    )
    items = []
    for position in positions[:LIMIT]:
        card = contact_card(position)
        reach = " · ".join(card[key] for key in ("phone", "email", "office_hours") if key in card)
        items.append(
            NewspaperItem(
                title=card["name"],
                when=f"{position.organisation.name}, {card['role']}".strip(", "),
                text=reach,
            )
        )
    return items


def register_defaults() -> None:
    registry.add_newspaper_section(
        NewspaperSection("events", gettext_lazy("Coming events"), coming_events, 10)
    )
    registry.add_newspaper_section(
        NewspaperSection("offers", gettext_lazy("New and changed offers"), new_offers, 20)
    )
    registry.add_newspaper_section(
        NewspaperSection(
            "networks", gettext_lazy("The networks' next meetings"), network_meetings, 40
        )
    )
    registry.add_newspaper_section(
        NewspaperSection("contacts", gettext_lazy("Your contact persons"), contact_persons, 90)
    )
