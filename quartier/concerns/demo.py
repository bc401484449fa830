"""Demo concerns: categories, routing rules for Trier (the networks and the Stadtteilbüro
Trier-West) and Potsdam Am Stern/Drewitz (tenants' concerns to the Stadtteilmanagement), and a
few concerns with answers. Real institutions (ctx.organisations), invented people and texts;
idempotent (natural keys and `upsert`)."""

from __future__ import annotations

from quartier.concerns import selectors
from quartier.concerns.models import (
    Category,
    CategoryAttribute,
    Concern,
    RoutingRule,
    Source,
    Status,
    Update,
)
from quartier.core.demo import DemoContext, upsert

CATEGORIES = [
    ("strassen-wege", "Straßen und Wege", "Verkehr", "Schlagloch, Gehweg, Ampel"),
    ("beleuchtung", "Straßenbeleuchtung", "Verkehr", "Laterne, dunkel"),
    ("spielplatz", "Spielplätze und Grünflächen", "Öffentlicher Raum", "Spielgerät, Park"),
    ("sauberkeit", "Müll und Sauberkeit", "Öffentlicher Raum", "Sperrmüll, Graffiti"),
    ("wohnen", "Wohnung und Hausverwaltung", "Wohnen", "Mieter, Aufzug, Heizung, Schimmel"),
    ("nachbarschaft", "Nachbarschaft und Treffpunkte", "Zusammenleben", "Treffpunkt, Lärm"),
    ("sonstiges", "Sonstiges", "", ""),
]
# slug: English name (a data migration gives them to existing rows)
ENGLISH = {
    "strassen-wege": "Roads and paths",
    "beleuchtung": "Street lighting",
    "spielplatz": "Playgrounds and green spaces",
    "sauberkeit": "Litter and cleanliness",
    "wohnen": "Housing and property management",
    "nachbarschaft": "Neighbourhood and meeting places",
    "sonstiges": "Other",
}

# (area, category or None, organisation key or None, body key or None)
RULES = [
    ("trier-west-pallien", None, "stadtteilbuero-trier-west", None),
    ("trier-mariahof", None, None, "stadtteilnetzwerk-mariahof"),
    ("trier-sued", None, None, "stadtteilnetzwerk-trier-sued"),
    ("potsdam-am-stern", "wohnen", "stadtteilmanagement-am-stern-drewitz", None),
    ("potsdam-drewitz", "wohnen", "stadtteilmanagement-am-stern-drewitz", None),
    ("potsdam", None, "stadtkontor", None),
]

# (area, category, lat, lon, status, description, public answer, reporter or None)
CONCERNS = [
    (
        "trier-west-pallien", "beleuchtung", 49.7495, 6.6235, Status.IN_PROGRESS,
        "Am Fußweg zur Bushaltestelle sind seit zwei Wochen drei Laternen aus. Abends ist es "
        "dort sehr dunkel, viele Kinder gehen hier zum Training.",
        "Wir haben den Hinweis an die Stadtwerke gegeben und fragen nächste Woche nach.",
        ("Erika Mustermann", "erika.mustermann@example.org"),
    ),
    (
        "trier-mariahof", "spielplatz", 49.7322, 6.6686, Status.RECEIVED,
        "Auf dem Spielplatz am Mariahofer Weg ist die Schaukel kaputt, das Seil ist gerissen.",
        "", None,
    ),
    (
        "potsdam-drewitz", "wohnen", 52.3541, 13.1352, Status.FORWARDED,
        "In unserem Haus funktioniert der Aufzug seit Montag nicht. Ältere Nachbarinnen kommen "
        "nicht mehr aus dem fünften Stock.",
        "Wir haben das Anliegen an die Hausverwaltung weitergegeben; sie will bis Freitag "
        "antworten.",
        ("Jonas Beispiel", "jonas.beispiel@example.org"),
    ),
    (
        "potsdam-am-stern", "wohnen", 52.3712, 13.1204, Status.SOLVED,
        "Im Keller von Haus 7 riecht es stark nach Schimmel.",
        "Die Wohnungsgesellschaft hat den Keller geprüft und trocknen lassen.",
        None,
    ),
    (
        "potsdam-am-stern", "nachbarschaft", 52.3725, 13.1181, Status.RECEIVED,
        "Wir wünschen uns einen Treffpunkt für Jugendliche am Stern, der auch abends offen hat.",
        "", None,
    ),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    categories = {
        slug: upsert(
            Category,
            lookup={"slug": slug},
            values={
                "name": name,
                "name_en": ENGLISH[slug],
                "group": group,
                "keywords": keywords,
                "position": position,
            },
        )
        for position, (slug, name, group, keywords) in enumerate(CATEGORIES)
    }
    upsert(
        CategoryAttribute,
        lookup={"category": categories["wohnen"], "code": "hausnummer"},
        values={"description": "Hausnummer und Aufgang", "required": True},
    )
    for area_key, category, organisation, body in RULES:
        area = ctx.areas.get(area_key)
        target_org = ctx.organisations.get(organisation) if organisation else None
        target_body = ctx.extra.get(f"body:{body}") if body else None
        if area is None or (target_org is None and target_body is None):
            continue
        upsert(
            RoutingRule,
            lookup={"area": area, "category": categories[category] if category else None},
            values={"organisation": target_org, "body": target_body},
        )
    for area_key, category, lat, lon, status, text, answer, reporter in CONCERNS:
        area = ctx.areas.get(area_key)
        if area is None:
            continue
        name, email = reporter or ("", "")
        rule = selectors.route(area=area, category=categories[category])
        concern = upsert(
            Concern,
            lookup={"area": area, "description": text},
            values={
                "category": categories[category],
                "lat": lat,
                "lon": lon,
                "status": status,
                "source": Source.WEB,
                "reporter_name": name,
                "reporter_email": email,
                "contact_consent": bool(email),
                "forwarded_to": "Hausverwaltung" if status == Status.FORWARDED else "",
                "body": rule.body if rule else None,
                "organisation": rule.organisation if rule else None,
                "flagged": rule is None,
            },
            clean=False,
        )
        if not concern.updates.exists():
            Update.objects.create(concern=concern, status=Status.RECEIVED, is_public=True)
            if answer:
                Update.objects.create(concern=concern, status=status, text=answer, is_public=True)
