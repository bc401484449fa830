"""Demo organisations (real public institutions) and contact persons (invented).

People, phone numbers (0xxx 555 ...) and e-mail addresses (example.org) are made up; addresses
and names of institutions are public. Shared keys for other apps' demos: ctx.organisations
["jugendamt-trier"], ["caritas-trier"], ["stadtteilbuero-trier-west"],
["buero-stadtteilarbeit-neu-olvenstedt"], ["stadtkontor"],
["stadtteilmanagement-am-stern-drewitz"], ["lokales-buendnis-potsdam"],
["kreisjugendamt-trier-saarburg"], ["srz-hermeskeil"], ["johanniter-trier"],
["jugendhilfe-st-maria"] (and a few Kitas and schools).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from quartier.accounts.models import Role, RoleAssignment
from quartier.core.demo import DemoContext, upsert
from quartier.directory.models import Organisation, OrganisationKind, Person, Position

K = OrganisationKind
UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


@dataclass(frozen=True)
class Org:
    name: str
    kind: str
    areas: tuple[str, ...]
    street: str = ""
    postcode: str = ""
    city: str = ""
    point: tuple[float, float] | None = None
    parent: str = ""
    website: str = ""
    description: str = ""
    phone: str = ""
    contacts: tuple[tuple[str, str, str, str], ...] = field(default=())
    # (given name, family name, role, office hours)


ORGANISATIONS: dict[str, Org] = {
    "jugendamt-trier": Org(
        "Jugendamt Trier – Sozialraumplanung",
        K.ADMINISTRATION,
        ("trier",),
        "Am Augustinerhof",
        "54290",
        "Trier",
        (49.7535, 6.6420),
        website="https://www.trier.de",
        description="Die Sozialraumplanung im Jugendamt der Stadt Trier koordiniert die "
        "Stadtteilnetzwerke, unter anderem in Mariahof und Trier-Süd.",
        phone="0651 555 0100",
        contacts=(("Miriam", "Sonnberg", "Sozialraumplanung", "Mo–Do 9–12 Uhr"),),
    ),
    "caritas-trier": Org(
        "Caritasverband Region Trier e. V.",
        K.CARRIER,
        ("trier", "lk-trier-saarburg"),
        city="Trier",
        postcode="54290",
        point=(49.7560, 6.6370),
        website="https://www.caritas-region-trier.de",
        description="Träger der freien Wohlfahrtspflege; Träger des Quartiersmanagements "
        "Trier-West/Pallien.",
        phone="0651 555 0200",
    ),
    "stadtteilbuero-trier-west": Org(
        "Stadtteilbüro Trier-West (Quartiersmanagement Trier-West/Pallien)",
        K.QUARTER_OFFICE,
        ("trier-west-pallien", "trier-west-soziale-stadt"),
        "Pater-Loskyll-Weg 15",
        "54294",
        "Trier",
        (49.7453, 6.6205),
        parent="caritas-trier",
        description="Anlaufstelle des Quartiersmanagements mit zwei Besprechungsräumen und "
        "einem Saal mit Gemeinschaftsküche.",
        phone="0651 555 0210",
        contacts=(
            ("Lena", "Hofstätter", "Quartiersmanagerin", "Di und Do 10–16 Uhr"),
            ("Tarek", "Wendland", "Quartiersmanager", "Mi 14–18 Uhr"),
        ),
    ),
    "buero-stadtteilarbeit-neu-olvenstedt": Org(
        "Büro für Stadtteilarbeit Neu Olvenstedt",
        K.QUARTER_OFFICE,
        ("magdeburg-neu-olvenstedt",),
        "Scharnhorstring 38",
        "39130",
        "Magdeburg",
        (52.1415, 11.5660),
        description="Stadtteilmanagement für Neu Olvenstedt.",
        phone="0391 555 0300",
        contacts=(("Jana", "Krüger-Altmann", "Stadtteilmanagerin", "Mo–Fr 9–13 Uhr"),),
    ),
    "stadtkontor": Org(
        "Stadtkontor Gesellschaft für behutsame Stadtentwicklung mbH",
        K.PLANNING,
        ("potsdam",),
        city="Potsdam",
        point=(52.3990, 13.0580),
        description="Planungsbüro; Träger des Stadtteilmanagements Am Stern und Drewitz.",
    ),
    "stadtteilmanagement-am-stern-drewitz": Org(
        "Stadtteilmanagement Am Stern und Drewitz",
        K.QUARTER_OFFICE,
        ("potsdam-am-stern", "potsdam-drewitz"),
        city="Potsdam",
        point=(52.3660, 13.1250),
        parent="stadtkontor",
        phone="0331 555 0400",
        contacts=(("Paul", "Reschke", "Stadtteilmanager", "Do 15–18 Uhr"),),
    ),
    "lokales-buendnis-potsdam": Org(
        "Lokales Bündnis für Familie Potsdam",
        K.INITIATIVE,
        ("potsdam",),
        city="Potsdam",
        description="Netzwerk von Verwaltung, Trägern, Unternehmen und Initiativen für "
        "Familienfreundlichkeit.",
    ),
    "kreisjugendamt-trier-saarburg": Org(
        "Kreisverwaltung Trier-Saarburg – Jugendamt",
        K.ADMINISTRATION,
        ("lk-trier-saarburg",),
        "Willy-Brandt-Platz 1",
        "54290",
        "Trier",
        (49.7570, 6.6470),
        website="https://www.trier-saarburg.de",
        description="Das Kreisjugendamt arbeitet in vier Sozialräumen mit freien Trägern "
        "in Sozialraumzentren zusammen.",
        phone="0651 555 0500",
        contacts=(("Stefan", "Ollinger", "Jugendhilfeplanung", ""),),
    ),
    "srz-hermeskeil": Org(
        "Sozialraumzentrum Hermeskeil",
        K.SOCIAL_SPACE_CENTRE,
        ("sr-hermeskeil",),
        "Schulstraße",
        "54411",
        "Hermeskeil",
        (49.6560, 6.9470),
        description="Sozialraumorientierte Jugendhilfe für die Verbandsgemeinde Hermeskeil und "
        "die Ortsgemeinden Heddert, Kell am See, Mandern, Schillingen und Waldweiler; ein Team "
        "aus Kreisjugendamt und freien Trägern.",
        phone="06503 555 0600",
        contacts=(
            ("Sabine", "Thelen-Marx", "Teamleitung", "Mo–Fr 8–12 Uhr"),
            ("Jonas", "Feldkamp", "Fachkraft Kreisjugendamt", ""),
        ),
    ),
    "johanniter-trier": Org(
        "Johanniter-Unfall-Hilfe e. V. (Region Trier)",
        K.CARRIER,
        ("lk-trier-saarburg", "sr-hermeskeil"),
        city="Trier",
        website="https://www.johanniter.de",
        description="Freier Träger im Sozialraumzentrum Hermeskeil.",
        contacts=(("Nadine", "Berscheid", "Fachkraft im Sozialraumzentrum", ""),),
    ),
    "jugendhilfe-st-maria": Org(
        "Kinder- und Jugendhilfe St. Maria",
        K.CARRIER,
        ("sr-hermeskeil",),
        description="Freier Träger der Kinder- und Jugendhilfe im Raum Hermeskeil.",
        contacts=(("Elias", "Kornmann", "Fachkraft im Sozialraumzentrum", ""),),
    ),
    "grundschule-mariahof": Org(
        "Grundschule Mariahof",
        K.SCHOOL,
        ("trier-mariahof",),
        city="Trier",
        postcode="54296",
        point=(49.7290, 6.6560),
    ),
    "kita-trier-west": Org(
        "Kindertagesstätte in Trier-West",
        K.KITA,
        ("trier-west-pallien",),
        city="Trier",
        postcode="54294",
        point=(49.7470, 6.6180),
        parent="caritas-trier",
        description="Demo-Eintrag für eine Kita im Quartier.",
    ),
    "grundschule-hermeskeil": Org(
        "Grundschule Hermeskeil",
        K.SCHOOL,
        ("vg-hermeskeil",),
        city="Hermeskeil",
        postcode="54411",
        point=(49.6570, 6.9440),
    ),
}


def load(ctx: DemoContext) -> None:
    for key, org in ORGANISATIONS.items():
        lat, lon = org.point if org.point else (None, None)
        organisation = upsert(
            Organisation,
            lookup={"slug": key},
            values={
                "name": org.name,
                "kind": org.kind,
                "parent": ctx.organisations.get(org.parent) if org.parent else None,
                "street": org.street,
                "postcode": org.postcode,
                "city": org.city,
                "lat": lat,
                "lon": lon,
                "website": org.website,
                "phone": org.phone,
                "email": f"kontakt@{key}.example.org",
                "description": org.description,
                "is_active": True,
            },
        )
        area_ids = {ctx.areas[a].pk for a in org.areas if a in ctx.areas}
        if set(organisation.areas.values_list("pk", flat=True)) != area_ids:
            organisation.areas.set(area_ids)
        ctx.organisations[key] = organisation
        for index, (given, family, role, hours) in enumerate(org.contacts, start=1):
            _contact(ctx, organisation, key, index, given, family, role, hours)
    _assign_roles(ctx)
    ctx.log(f"directory: {len(ctx.organisations)} organisations, {len(ctx.people)} people")


def _contact(
    ctx: DemoContext,
    organisation: Organisation,
    key: str,
    index: int,
    given: str,
    family: str,
    role: str,
    hours: str,
) -> None:
    local = f"{given}.{family}".lower().translate(UMLAUTS)
    email = f"{local}@{key}.example.org"
    area_code = organisation.phone.split(" ")[0] if organisation.phone else "0651"
    person = upsert(
        Person,
        lookup={"email": email},
        values={
            "given_name": given,
            "family_name": family,
            "email_public": True,
            "phone": f"{area_code} 555 {index:02d}{len(family):02d}",
            "phone_public": True,
            # A mobile number that stays internal: shows the per-field flags at work.
            "mobile": f"0170 555 {index:02d}{len(given):02d}",
            "mobile_public": False,
            "office_hours": hours,
            "office_hours_public": True,
        },
    )
    upsert(
        Position,
        lookup={"person": person, "organisation": organisation, "role": role},
        values={"is_public": True},
    )
    ctx.people[f"{key}-{index}"] = person


def _assign_roles(ctx: DemoContext) -> None:
    """Coordinator and editor roles need the organisations (see accounts/demo.py)."""
    assignments = [
        ("coordinator", Role.COORDINATOR, "trier-west-pallien", "stadtteilbuero-trier-west"),
        ("editor", Role.EDITOR, None, "caritas-trier"),
    ]
    for user_key, role, area_key, org_key in assignments:
        user = ctx.users.get(user_key)
        if user is None:
            continue
        RoleAssignment.objects.get_or_create(
            user=user,
            role=role,
            area=ctx.areas.get(area_key) if area_key else None,
            organisation=ctx.organisations[org_key],
        )
