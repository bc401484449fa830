"""Demo events in the demo regions, organised by the demo organisations (ctx.organisations).

Dates are relative to today so that the calendar always shows upcoming events, and seasonal
events fall in their season (the spring clean-up on a Saturday in April, the Advent market on an
Advent weekend, the festivals in summer: `Season`); the natural key is the slug, so loading
twice changes nothing on the same day. Registrants and helpers are invented (example.org
addresses).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.events.models import Category, Event, Registration, Shift, ShiftSignup
from quartier.offers.models import TargetGroup

CATEGORIES = [
    ("stadtteilfest", "Stadtteilfest", "Neighbourhood festival"),
    ("markt", "Markt", "Market"),
    ("aktionstag", "Aktionstag", "Action day"),
    ("infoabend", "Infoabend", "Information evening"),
]


SATURDAY = 5


@dataclass(frozen=True)
class Season:
    """The window (month, day) to (month, day) in which an event is held, on a weekday."""

    first: tuple[int, int]
    last: tuple[int, int]
    weekday: int = SATURDAY

    def next_day(self, today: dt.date) -> dt.date:
        """The first matching weekday inside the window on or after today (this year's window,
        else next year's)."""
        for year in (today.year, today.year + 1):
            day = max(today, dt.date(year, *self.first))
            day += dt.timedelta(days=(self.weekday - day.weekday()) % 7)
            if day <= dt.date(year, *self.last):
                return day
        raise ValueError("a season needs its weekday inside the window")


@dataclass(frozen=True)
class Spec:
    slug: str
    title: str
    category: str
    days_ahead: int
    start: tuple[int, int]
    hours: float
    organisations: tuple[str, ...]
    areas: tuple[str, ...]
    place: tuple[str, str, str, str]  # place name, street, postcode, city
    point: tuple[float, float] | None
    description: str
    groups: tuple[str, ...] = ()
    accessibility: str = ""
    cost: str = ""
    capacity: int | None = None
    all_day_days: int = 0
    shifts: tuple[tuple[str, str, int, int, int], ...] = field(default=())
    # (kind, title, hours before start (negative: after), length in hours, needed)
    season: Season | None = None  # when set, it decides the day instead of days_ahead


EVENTS = [
    Spec(
        "stadtteilfest-trier-west",
        "Stadtteilfest Trier-West",
        "stadtteilfest",
        24,
        (14, 0),
        6,
        ("stadtteilbuero-trier-west", "caritas-trier", "johanniter-trier"),
        ("trier-west-pallien",),
        ("Rund um das Stadtteilbüro", "Pater-Loskyll-Weg 15", "54294", "Trier"),
        (49.7490, 6.6190),
        "Bühne mit Gruppen aus dem Viertel, Kinderflohmarkt, Spielmobil und Kuchenbuffet. "
        "Vereine und Einrichtungen aus Trier-West und Pallien stellen sich vor.",
        groups=("alle", "familien", "kinder-6-10"),
        accessibility="Gelände eben und stufenlos; barrierefreies WC im Stadtteilbüro.",
        shifts=(
            ("setup", "Bänke und Zelte", 3, 3, 6),
            ("stand", "Kuchenstand", 0, 3, 3),
            ("cleanup", "", -6, 2, 6),
        ),
        season=Season((6, 1), (9, 15)),
    ),
    Spec(
        "adventsmarkt-mariahof",
        "Adventsmarkt Mariahof",
        "markt",
        40,
        (0, 0),
        0,
        ("caritas-trier", "jugendhilfe-st-maria"),
        ("trier-mariahof",),
        ("Platz vor dem Stadtteilzentrum", "", "54296", "Trier"),
        None,
        "Selbstgebasteltes, Waffeln und Punsch; der Erlös geht an die Kinder- und "
        "Jugendarbeit im Stadtteil.",
        groups=("alle", "familien"),
        all_day_days=2,
        shifts=(("stand", "Waffelstand", 0, 4, 4),),
        season=Season((11, 27), (12, 20)),
    ),
    Spec(
        "fruehjahrsputz-neu-olvenstedt",
        "Frühjahrsputz in Neu Olvenstedt",
        "aktionstag",
        17,
        (10, 0),
        3,
        ("buero-stadtteilarbeit-neu-olvenstedt",),
        ("magdeburg-neu-olvenstedt",),
        ("Treffpunkt am Büro für Stadtteilarbeit", "Scharnhorstring 38", "39130", "Magdeburg"),
        (52.1480, 11.5770),
        "Gemeinsam räumen wir Grünflächen und Spielplätze auf. Handschuhe, Zangen und Säcke "
        "sind da; zum Abschluss gibt es Suppe. Bitte anmelden, damit genug Material da ist.",
        groups=("alle", "familien", "jugendliche-14-27"),
        capacity=40,
        shifts=(("setup", "Material ausgeben", 1, 1, 2),),
        season=Season((3, 20), (4, 30)),
    ),
    Spec(
        "campusfest-am-stern",
        "Campusfest Am Stern",
        "stadtteilfest",
        31,
        (15, 0),
        4,
        ("stadtteilmanagement-am-stern-drewitz", "stadtkontor"),
        ("potsdam-am-stern",),
        ("Campus am Stern", "", "14480", "Potsdam"),
        (52.3740, 13.1240),
        "Schulen, Kitas und Vereine vom Stern feiern gemeinsam: Mitmachstationen, Musik "
        "und ein Stadtteil-Quiz.",
        groups=("alle", "familien", "kinder-10-14"),
        shifts=(("stand", "Quiz-Station", 0, 2, 2), ("cleanup", "", -4, 2, 4)),
        season=Season((5, 15), (9, 30), weekday=4),  # a Friday afternoon
    ),
    Spec(
        "infoabend-drewitz",
        "Infoabend: Mitmachen im Lokalen Bündnis",
        "infoabend",
        12,
        (18, 30),
        2,
        ("lokales-buendnis-potsdam", "stadtteilmanagement-am-stern-drewitz"),
        ("potsdam-drewitz",),
        ("Stadtteiltreff Drewitz", "", "14480", "Potsdam"),
        None,
        "Wie arbeitet das Lokale Bündnis für Familie? Wo kann ich mitmachen? Mit Zeit für Fragen.",
        groups=("eltern", "erwachsene"),
        accessibility="Erdgeschoss, stufenloser Eingang.",
        capacity=30,
    ),
]


def demo_day(spec: Spec, today: dt.date) -> dt.date:
    if spec.season is not None:
        return spec.season.next_day(today)
    return today + dt.timedelta(days=spec.days_ahead)


def _times(spec: Spec) -> tuple[dt.datetime, dt.datetime, bool]:
    day = demo_day(spec, timezone.localdate())
    if spec.all_day_days:
        start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
        return start, start + dt.timedelta(days=spec.all_day_days - 1), True
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(*spec.start)))
    return start, start + dt.timedelta(hours=spec.hours), False


def _event(ctx: DemoContext, spec: Spec, categories: dict[str, Category]) -> Event | None:
    organisations = [ctx.organisations[k] for k in spec.organisations if k in ctx.organisations]
    if not organisations:
        return None
    start, end, all_day = _times(spec)
    name, street, postcode, city = spec.place
    event = upsert(
        Event,
        lookup={"slug": spec.slug},
        values={
            "title": spec.title,
            "description": spec.description,
            "category": categories[spec.category],
            "starts_at": start,
            "ends_at": end,
            "all_day": all_day,
            "place_name": name,
            "street": street,
            "postcode": postcode,
            "city": city,
            "lat": spec.point[0] if spec.point else None,
            "lon": spec.point[1] if spec.point else None,
            "accessibility": spec.accessibility,
            "is_free": not spec.cost,
            "cost": spec.cost,
            "registration_required": spec.capacity is not None,
            "capacity": spec.capacity,
        },
    )
    event.organisations.set(organisations)
    event.areas.set([ctx.areas[k] for k in spec.areas if k in ctx.areas])
    event.target_groups.set(TargetGroup.objects.filter(slug__in=spec.groups))
    for kind, title, before, length, needed in spec.shifts:
        shift_start = start - dt.timedelta(hours=before)
        upsert(
            Shift,
            lookup={"event": event, "kind": kind, "title": title},
            values={
                "starts_at": shift_start,
                "ends_at": shift_start + dt.timedelta(hours=length),
                "needed": needed,
            },
        )
    return event


def load(ctx: DemoContext) -> None:
    categories = {
        slug: upsert(
            Category,
            lookup={"slug": slug},
            values={"name": name, "name_en": name_en, "position": position},
        )
        for position, (slug, name, name_en) in enumerate(CATEGORIES)
    }
    events = {spec.slug: _event(ctx, spec, categories) for spec in EVENTS}
    ctx.extra["events"] = {key: event for key, event in events.items() if event is not None}
    putz = events.get("fruehjahrsputz-neu-olvenstedt")
    if putz is not None:
        for seat, (name, email) in enumerate(
            [
                ("Familie Beispiel", "familie.beispiel@example.org"),
                ("Tom Muster", "tom@example.org"),
            ],
            start=1,
        ):
            upsert(
                Registration,
                lookup={"event": putz, "email": email},
                # Confirmed by their mailed links (a stable time keeps the load idempotent).
                values={
                    "name": name,
                    "status": "confirmed",
                    "seat": seat,
                    "confirmed_at": putz.created_at,
                },
            )
    fest = events.get("stadtteilfest-trier-west")
    if fest is not None:
        shift = fest.shifts.filter(kind="setup").first()
        if shift is not None:
            upsert(
                ShiftSignup,
                lookup={"shift": shift, "email": "helga.h@example.org"},
                values={
                    "first_name": "Helga",
                    "last_name": "Hilfreich",
                    "confirmed_at": fest.created_at,
                },
            )
    ctx.log(f"events: {len(ctx.extra['events'])} demo events")
