"""Demo offers: real public offers of the demo organisations; schedules, people and topic
choices are invented (phone numbers 0xxx 555 ..., mail addresses under example.org).

Idempotent: offers are found by (organisation, name), locations by (organisation, name);
schedules are written only for offers that have none yet.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.offers.models import (
    Cost,
    Language,
    Location,
    Offer,
    OfferLocation,
    ReviewState,
    Schedule,
    ScheduleKind,
    TargetGroup,
    TaxonomyTerm,
)
from quartier.offers.taxonomy import SOCIAL_SPACE_TAXONOMY, load_vocabularies


@dataclass(frozen=True)
class Place:
    name: str
    street: str
    postcode: str
    city: str
    point: tuple[float, float]
    wheelchair: bool = False
    accessibility: str = ""
    transport: str = ""


@dataclass(frozen=True)
class DemoOffer:
    organisation: str
    name: str
    description: str
    place: Place
    areas: tuple[str, ...]
    topics: tuple[str, ...]
    groups: tuple[str, ...]
    languages: tuple[str, ...] = ("de",)
    cost: str = Cost.FREE
    walk_in: bool = False
    appointment: bool = True
    referral: bool = False
    easy: str = ""
    weekly: tuple[tuple[int, str, str], ...] = ()  # (weekday, opens, closes)
    dates: tuple[tuple[str, str, str, str], ...] = ()  # (date, opens, closes, note)
    closed: tuple[tuple[str, str, str], ...] = ()  # (from, to, note)
    contacts: tuple[str, ...] = ()  # ctx.people keys
    state: str = ReviewState.PUBLISHED
    verified_days_ago: int = 30


CARITAS = Place(
    "Caritasverband Region Trier",
    "Sichelstraße 10",
    "54290",
    "Trier",
    (49.7569, 6.6388),
    True,
    "Aufzug vorhanden; barrierefreies WC im Erdgeschoss.",
    "Bus: Haltestelle Viehmarkt",
)
WEST = Place(
    "Stadtteilbüro Trier-West",
    "Pater-Loskyll-Weg 15",
    "54294",
    "Trier",
    (49.7453, 6.6205),
    True,
    "Ebenerdiger Zugang.",
    "Bus: Haltestelle Trier-West",
)
HERMESKEIL = Place(
    "Sozialraumzentrum Hermeskeil",
    "Schulstraße",
    "54411",
    "Hermeskeil",
    (49.6560, 6.9470),
    False,
    "Eingang mit zwei Stufen; bitte melden Sie sich, wir helfen gern.",
)
SUMMER_2026 = ("2026-07-06", "2026-08-14", "Sommerferien")

OFFERS = (
    DemoOffer(
        "caritas-trier",
        "Erziehungsberatung – Beratungsstelle für Eltern, Kinder und Jugendliche",
        "Eltern, Kinder und Jugendliche finden hier Rat bei Fragen der Erziehung, bei Sorgen "
        "in der Familie, bei Trennung und Scheidung. Die Beratung ist vertraulich und kostenlos.",
        CARITAS,
        ("trier",),
        ("erziehungsberatung", "trennung-scheidung"),
        ("eltern", "familien", "kinder-6-10", "kinder-10-14", "jugendliche-14-27"),
        ("de", "en", "fr"),
        easy="Sie haben Fragen zu Ihrem Kind? Oder Streit in der Familie? "
        "Wir hören zu. Wir helfen. Das kostet nichts. Rufen Sie an.",
        weekly=((0, "09:00", "12:00"), (2, "14:00", "17:00")),
        closed=(("2026-12-24", "2027-01-01", "Weihnachten und Neujahr"),),
    ),
    DemoOffer(
        "caritas-trier",
        "Schuldner- und Insolvenzberatung",
        "Hilfe bei Schulden: Überblick verschaffen, mit Gläubigern verhandeln, Wege aus den "
        "Schulden finden, auf Wunsch bis zur Verbraucherinsolvenz.",
        CARITAS,
        ("trier", "lk-trier-saarburg"),
        ("schuldnerberatung",),
        ("erwachsene", "familien", "alleinerziehende"),
        weekly=((1, "09:00", "12:00"),),
        verified_days_ago=430,
    ),
    DemoOffer(
        "caritas-trier",
        "Migrationsberatung für erwachsene Zugewanderte",
        "Beratung zu Aufenthalt, Sprachkursen, Arbeit, Wohnung und Behörden für Menschen, die "
        "nach Deutschland gekommen sind.",
        CARITAS,
        ("trier",),
        ("migrationsberatung", "sprachkurse"),
        ("migranten", "gefluechtete"),
        ("de", "en", "ar", "ru", "uk"),
        walk_in=True,
        weekly=((3, "09:00", "12:00"),),
    ),
    DemoOffer(
        "stadtteilbuero-trier-west",
        "Offene Sprechstunde im Stadtteilbüro",
        "Fragen zum Stadtteil, Ideen für die Nachbarschaft, Hilfe beim Ausfüllen von Anträgen: "
        "Das Quartiersmanagement ist ohne Termin für Sie da.",
        WEST,
        ("trier-west-pallien",),
        ("stadtteilbuero", "sozialberatung"),
        ("alle",),
        ("de", "tr", "ru"),
        walk_in=True,
        appointment=False,
        easy="Sie wohnen in Trier-West? Sie haben eine Frage? Kommen Sie vorbei. "
        "Sie brauchen keinen Termin.",
        weekly=((1, "10:00", "16:00"), (3, "10:00", "16:00")),
        contacts=("stadtteilbuero-trier-west-0",),
    ),
    DemoOffer(
        "stadtteilbuero-trier-west",
        "Nachbarschaftscafé Trier-West",
        "Jeden Mittwoch Kaffee, Kuchen und Gespräche im Saal des Stadtteilbüros. "
        "Alle Nachbarinnen und Nachbarn sind willkommen.",
        WEST,
        ("trier-west-pallien",),
        ("nachbarschaftstreff",),
        ("alle", "senioren", "familien"),
        walk_in=True,
        appointment=False,
        weekly=((2, "14:00", "17:00"),),
        closed=(SUMMER_2026,),
        contacts=("stadtteilbuero-trier-west-1",),
    ),
    DemoOffer(
        "stadtteilbuero-trier-west",
        "Hausaufgabenhilfe Trier-West",
        "Ehrenamtliche helfen Grundschulkindern und Jugendlichen bei den Hausaufgaben.",
        WEST,
        ("trier-west-pallien",),
        ("lernfoerderung",),
        ("kinder-6-10", "kinder-10-14"),
        walk_in=True,
        appointment=False,
        weekly=((0, "14:00", "16:00"), (3, "14:00", "16:00")),
        closed=(SUMMER_2026,),
        state=ReviewState.IN_REVIEW,
    ),
    DemoOffer(
        "srz-hermeskeil",
        "Beratung und Hilfen für Familien im Sozialraumzentrum",
        "Das Sozialraumzentrum berät Familien in der Verbandsgemeinde Hermeskeil und begleitet "
        "Hilfen zur Erziehung nah am Wohnort.",
        HERMESKEIL,
        ("sr-hermeskeil",),
        ("familienberatung", "familienhilfe", "erziehungsberatung"),
        ("eltern", "familien", "alleinerziehende"),
        referral=True,
        weekly=((0, "08:30", "12:00"), (1, "08:30", "12:00"), (3, "13:30", "16:00")),
    ),
    DemoOffer(
        "srz-hermeskeil",
        "Babysprechstunde (Frühe Hilfen)",
        "Eine Familienhebamme beantwortet Fragen rund um Schwangerschaft, Geburt und das erste "
        "Lebensjahr. Offene Termine im Sozialraumzentrum.",
        HERMESKEIL,
        ("sr-hermeskeil",),
        ("fruehe-hilfen", "familienhebamme"),
        ("werdende-eltern", "kinder-0-3", "eltern"),
        walk_in=True,
        appointment=False,
        dates=(
            ("2026-12-02", "09:30", "11:30", ""),
            ("2027-01-13", "09:30", "11:30", ""),
            ("2027-02-03", "09:30", "11:30", ""),
        ),
    ),
)


def _location(organisation: Any, place: Place) -> Location:
    return upsert(
        Location,
        lookup={"organisation": organisation, "name": place.name},
        values={
            "street": place.street,
            "postcode": place.postcode,
            "city": place.city,
            "lat": place.point[0],
            "lon": place.point[1],
            "wheelchair_accessible": place.wheelchair,
            "accessibility": place.accessibility,
            "transport": place.transport,
        },
    )


def _schedules(offer: Offer, spec: DemoOffer) -> None:
    if offer.schedules.exists():
        return
    rows = [
        Schedule(
            offer=offer, kind=ScheduleKind.WEEKLY, weekday=day, opens_at=opens, closes_at=closes
        )
        for day, opens, closes in spec.weekly
    ]
    rows += [
        Schedule(
            offer=offer,
            kind=ScheduleKind.DATE,
            valid_from=datetime.date.fromisoformat(day),
            opens_at=opens,
            closes_at=closes,
            description=note,
        )
        for day, opens, closes, note in spec.dates
    ]
    rows += [
        Schedule(
            offer=offer,
            kind=ScheduleKind.CLOSED,
            valid_from=datetime.date.fromisoformat(start),
            valid_to=datetime.date.fromisoformat(end),
            description=note,
        )
        for start, end, note in spec.closed
    ]
    # One save per row, not bulk_create: saving sends the signal that keeps the search index
    # (opening hours, "open now") in step with the offer's schedules.
    for row in rows:
        row.save()


def _load_offer(ctx: DemoContext, spec: DemoOffer, terms: dict[str, TaxonomyTerm]) -> None:
    organisation = ctx.organisations.get(spec.organisation)
    if organisation is None:
        return
    offer = upsert(
        Offer,
        lookup={"organisation": organisation, "name": spec.name},
        values={
            "description": spec.description,
            "easy_language_description": spec.easy,
            "phone": organisation.phone,
            "email": organisation.email,
            "url": organisation.website,
            "cost": spec.cost,
            "access_walk_in": spec.walk_in,
            "access_appointment": spec.appointment,
            "access_referral": spec.referral,
            "review_state": spec.state,
            "last_verified": timezone.localdate() - datetime.timedelta(days=spec.verified_days_ago),
        }
        if not Offer.objects.filter(organisation=organisation, name=spec.name).exists()
        else {"description": spec.description, "easy_language_description": spec.easy},
    )
    location = _location(organisation, spec.place)
    OfferLocation.objects.get_or_create(offer=offer, location=location)
    offer.topics.set([terms[code] for code in spec.topics if code in terms])
    offer.target_groups.set(TargetGroup.objects.filter(slug__in=spec.groups))
    offer.languages.set(Language.objects.filter(code__in=spec.languages))
    offer.areas.set([ctx.areas[key] for key in spec.areas if ctx.areas.get(key)])
    offer.contacts.set([ctx.people[key] for key in spec.contacts if ctx.people.get(key)])
    _schedules(offer, spec)
    ctx.extra.setdefault("offers", {})[spec.name] = offer


def load(ctx: DemoContext) -> None:
    load_vocabularies()
    terms = {
        term.code: term
        for term in TaxonomyTerm.objects.filter(taxonomy__slug=SOCIAL_SPACE_TAXONOMY)
    }
    for spec in OFFERS:
        _load_offer(ctx, spec, terms)
    ctx.log(f"offers: {len(ctx.extra.get('offers', {}))} demo offers")
