"""Demo venues: the Stadtteilbüro Trier-West (two conference rooms and a hall with a community
kitchen) and the Büro für Stadtteilarbeit in Magdeburg Neu Olvenstedt, with a few bookings and
a working group meeting every second Tuesday. Bookings are placed relative to today and keyed
by a fixed uid, so loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import uuid

from django.core.exceptions import ValidationError
from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.venues.models import (
    Booking,
    BookingSource,
    BookingStatus,
    ClosingDay,
    OpeningHours,
    Room,
    Venue,
)
from quartier.venues.services import Requester, booking_confirm_request, booking_create

NAMESPACE = uuid.UUID("6f1f4d3e-8d7a-4d62-9a55-0c7c1d1e7a10")

VENUES = [
    {
        "slug": "stadtteilbuero-trier-west",
        "organisation": "stadtteilbuero-trier-west",
        "area": "trier-west-pallien",
        "name": "Stadtteilbüro Trier-West",
        "street": "Pater-Loskyll-Weg 15",
        "postcode": "54294",
        "city": "Trier",
        "email": "raeume@stadtteilbuero-trier-west.example.org",
        "house_rules": "Räume bitte besenrein verlassen. Schlüssel im Büro abholen und abgeben.",
        "hours": [(day, dt.time(8), dt.time(22)) for day in range(5)]
        + [(5, dt.time(10), dt.time(18))],
        "rooms": [
            ("besprechungsraum-1", "Besprechungsraum 1", 10, False, True, "Beamer, Flipchart"),
            ("besprechungsraum-2", "Besprechungsraum 2", 8, False, True, "Bildschirm, Whiteboard"),
            ("saal", "Saal mit Stadtteilküche", 60, True, True, "Bestuhlung, Musikanlage"),
        ],
    },
    {
        "slug": "buero-stadtteilarbeit-neu-olvenstedt",
        "organisation": "buero-stadtteilarbeit-neu-olvenstedt",
        "area": "magdeburg-neu-olvenstedt",
        "name": "Büro für Stadtteilarbeit Neu Olvenstedt",
        "street": "Scharnhorstring 38",
        "postcode": "39130",
        "city": "Magdeburg",
        "email": "raeume@stadtteilarbeit-neu-olvenstedt.example.org",
        "house_rules": "Bitte nach der Nutzung lüften und die Tische zurückstellen.",
        "hours": [(day, dt.time(9), dt.time(20)) for day in range(5)],
        "rooms": [
            ("gruppenraum", "Gruppenraum", 15, False, True, "Flipchart"),
            ("veranstaltungsraum", "Veranstaltungsraum", 40, True, True, "Beamer, Teeküche"),
        ],
    },
]


def load(ctx: DemoContext) -> None:
    venues = {}
    for spec in VENUES:
        organisation = ctx.organisations.get(spec["organisation"])
        if organisation is None:
            continue
        venues[spec["slug"]] = _venue(ctx, spec, organisation)
    ctx.extra["venues"] = venues
    trier = venues.get("stadtteilbuero-trier-west")
    if trier is not None:
        _bookings(ctx, trier)
    ctx.log(f"venues: {len(venues)} demo venues")


def _venue(ctx: DemoContext, spec: dict, organisation) -> Venue:
    venue = upsert(
        Venue,
        lookup={"slug": spec["slug"]},
        values={
            "name": spec["name"],
            "organisation": organisation,
            "area": ctx.areas.get(spec["area"]),
            "street": spec["street"],
            "postcode": spec["postcode"],
            "city": spec["city"],
            "lat": organisation.lat,
            "lon": organisation.lon,
            "email": spec["email"],
            "house_rules": spec["house_rules"],
        },
    )
    for weekday, opens, closes in spec["hours"]:
        upsert(
            OpeningHours,
            lookup={"venue": venue, "weekday": weekday, "opens": opens},
            values={"closes": closes},
        )
    year = timezone.localdate().year
    upsert(
        ClosingDay,
        lookup={"venue": venue, "first_day": dt.date(year, 12, 24)},
        values={"last_day": dt.date(year, 12, 26), "reason": "Weihnachten"},
    )
    for slug, name, capacity, kitchen, barrier_free, equipment in spec["rooms"]:
        upsert(
            Room,
            lookup={"venue": venue, "slug": slug},
            values={
                "name": name,
                "capacity": capacity,
                "has_kitchen": kitchen,
                "barrier_free": barrier_free,
                "equipment": equipment,
                "buffer_minutes": 30 if kitchen else 15,
                "lead_time_hours": 48 if kitchen else 24,
                "max_length_minutes": 14 * 60 if kitchen else 6 * 60,
            },
        )
    return venue


def _next(weekday: int, hour: int, weeks: int = 0) -> dt.datetime:
    today = timezone.localdate()
    day = today + dt.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks + 7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _bookings(ctx: DemoContext, venue: Venue) -> None:
    rooms = {room.slug: room for room in venue.rooms.all()}
    coordinator = ctx.users.get("coordinator")
    start = _next(1, 18)
    plans = [
        (
            "ak-wohnumfeld",
            rooms["besprechungsraum-1"],
            "Arbeitskreis Wohnumfeld",
            start,
            start + dt.timedelta(hours=2),
            {
                "recurrence": "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
                "recurrence_until": (start + dt.timedelta(days=180)).date(),
                "created_by": coordinator,
                "organisation": venue.organisation,
            },
        ),
        (
            "stadtteilkonferenz",
            rooms["saal"],
            "Stadtteilkonferenz Trier-West",
            _next(3, 17, weeks=1),
            _next(3, 20, weeks=1),
            {"created_by": coordinator, "organisation": venue.organisation},
        ),
        (
            "kochtreff",
            rooms["saal"],
            "Interkultureller Kochtreff",
            _next(5, 11, weeks=2),
            _next(5, 15, weeks=2),
            {
                "source": BookingSource.PUBLIC,
                "requester": Requester(
                    name="Nachbarschaftsinitiative (Demo)", email="kochtreff@example.org"
                ),
                "consent": True,
            },
        ),
    ]
    for key, room, title, begin, end, extra in plans:
        uid = uuid.uuid5(NAMESPACE, key)
        if Booking.objects.filter(uid=uid).exists():
            continue
        try:
            booking = booking_create(room=room, start=begin, end=end, title=title, **extra)
            if booking.status == BookingStatus.UNCONFIRMED:
                # The demo's requester has confirmed the mailed link.
                booking, _changed = booking_confirm_request(booking=booking)
        except ValidationError as exc:
            ctx.log(f"venues: demo booking {key} skipped: {exc.messages[0]}")
            continue
        Booking.objects.filter(pk=booking.pk).update(uid=uid)
