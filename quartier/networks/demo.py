"""Demo networks: Stadtteilnetzwerke Mariahof and Trier-Süd (Sozialraumplanung im Jugendamt
Trier), the network of the Sozialraum Hermeskeil, the Lokales Bündnis für Familie Potsdam.

Real public institutions (from ctx.organisations), invented people; idempotent: natural keys
and `upsert`, meetings through `series_extend`, which skips dates that exist.
"""

from __future__ import annotations

import datetime
import zoneinfo
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.networks.models import (
    ActionItem,
    Body,
    BodyKind,
    Decision,
    Delegate,
    Document,
    DocumentKind,
    DocumentVersion,
    HostTurn,
    Invitation,
    Meeting,
    MeetingKind,
    MeetingSeries,
    MeetingStatus,
    Membership,
    MembershipRole,
    Minutes,
    Topic,
    Visibility,
)
from quartier.networks.services import series_extend

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")

# slug, German name and plural, English name and plural
KINDS = [
    ("netzwerk", "Netzwerk", "Netzwerke", "Network", "Networks"),
    ("arbeitskreis", "Arbeitskreis", "Arbeitskreise", "Working group", "Working groups"),
    ("runder-tisch", "Runder Tisch", "Runde Tische", "Round table", "Round tables"),
    (
        "lokales-buendnis",
        "Lokales Bündnis",
        "Lokale Bündnisse",
        "Local alliance",
        "Local alliances",
    ),
    (
        "quartiersbeirat",
        "Quartiersbeirat",
        "Quartiersbeiräte",
        "Quarter advisory board",
        "Quarter advisory boards",
    ),
    (
        "themennetzwerk",
        "Thematisches Netzwerk",
        "Thematische Netzwerke",
        "Thematic network",
        "Thematic networks",
    ),
]
# slug: (German, English)
TOPICS = {
    "jugend": ("Jugend", "Youth"),
    "kita": ("Kita", "Day care"),
    "schule": ("Schule", "School"),
    "familie": ("Familie", "Family"),
    "wohnen": ("Wohnen und Nachbarschaft", "Housing and neighbourhood"),
    "integration": ("Integration", "Integration"),
}


@dataclass(frozen=True)
class Spec:
    slug: str
    name: str
    kind: str
    area: str
    coordinator: str
    members: tuple[str, ...]
    topics: tuple[str, ...]
    first_start: datetime.datetime
    description: str


SPECS = [
    Spec(
        "stadtteilnetzwerk-mariahof",
        "Stadtteilnetzwerk Mariahof",
        "netzwerk",
        "trier-mariahof",
        "jugendamt-trier",
        ("caritas-trier", "grundschule-mariahof", "johanniter-trier"),
        ("jugend", "schule", "familie"),
        datetime.datetime(2025, 2, 12, 15, 0, tzinfo=BERLIN),
        "Die Einrichtungen in Mariahof treffen sich vierteljährlich, reihum bei einem Mitglied, "
        "um Angebote abzustimmen und gemeinsame Aktionen zu planen.",
    ),
    Spec(
        "stadtteilnetzwerk-trier-sued",
        "Stadtteilnetzwerk Trier-Süd",
        "netzwerk",
        "trier-sued",
        "jugendamt-trier",
        ("caritas-trier", "johanniter-trier", "kita-trier-west"),
        ("jugend", "kita", "wohnen"),
        datetime.datetime(2025, 3, 5, 14, 30, tzinfo=BERLIN),
        "Netzwerk der sozialen Einrichtungen in Trier-Süd, koordiniert von der "
        "Sozialraumplanung im Jugendamt.",
    ),
    Spec(
        "netzwerk-sozialraum-hermeskeil",
        "Netzwerk Sozialraum Hermeskeil",
        "netzwerk",
        "sr-hermeskeil",
        "srz-hermeskeil",
        (
            "kreisjugendamt-trier-saarburg",
            "johanniter-trier",
            "jugendhilfe-st-maria",
            "grundschule-hermeskeil",
        ),
        ("jugend", "familie", "schule"),
        datetime.datetime(2025, 1, 22, 9, 30, tzinfo=BERLIN),
        "Fachkräfte aus Jugendhilfe, Schule und Beratung im Sozialraum Hermeskeil.",
    ),
    Spec(
        "arbeitskreis-trier-west-pallien",
        "Arbeitskreis Trier-West/Pallien",
        "arbeitskreis",
        "trier-west-pallien",
        "stadtteilbuero-trier-west",
        ("caritas-trier", "kita-trier-west", "jugendamt-trier"),
        ("wohnen", "kita", "integration"),
        datetime.datetime(2025, 1, 29, 16, 0, tzinfo=BERLIN),
        "Arbeitskreis der Einrichtungen in Trier-West und Pallien, koordiniert vom "
        "Quartiersmanagement im Stadtteilbüro.",
    ),
    Spec(
        "lokales-buendnis-familie-potsdam",
        "Lokales Bündnis für Familie Potsdam",
        "lokales-buendnis",
        "potsdam",
        "lokales-buendnis-potsdam",
        ("stadtkontor", "stadtteilmanagement-am-stern-drewitz"),
        ("familie", "integration"),
        datetime.datetime(2025, 2, 26, 17, 0, tzinfo=BERLIN),
        "Das Bündnis bringt Verwaltung, Träger, Unternehmen und Initiativen für Familien in "
        "Potsdam zusammen.",
    ),
]


def load(ctx: DemoContext) -> None:
    kinds = {
        slug: upsert(
            BodyKind,
            lookup={"slug": slug},
            values={
                "name": name,
                "name_plural": plural,
                "name_en": name_en,
                "name_plural_en": plural_en,
                "position": i,
            },
            clean=False,
        )
        for i, (slug, name, plural, name_en, plural_en) in enumerate(KINDS)
    }
    topics = {
        slug: upsert(
            Topic, lookup={"slug": slug}, values={"name": name, "name_en": name_en}, clean=False
        )
        for slug, (name, name_en) in TOPICS.items()
    }
    for spec in SPECS:
        area = ctx.areas.get(spec.area)
        coordinator = ctx.organisations.get(spec.coordinator)
        if area is None or coordinator is None:
            ctx.log(f"networks: skipped {spec.name} (area or coordinator missing)")
            continue
        body = _body(ctx, spec, kinds[spec.kind], coordinator, area, topics)
        ctx.extra[f"body:{spec.slug}"] = body


def _body(ctx, spec: Spec, kind, coordinator, area, topics) -> Body:
    body = upsert(
        Body,
        lookup={"slug": spec.slug},
        values={
            "name": spec.name,
            "kind": kind,
            "description": spec.description,
            "coordinating_organisation": coordinator,
            "contact_email": coordinator.email,
            "minutes_visibility": Visibility.PUBLIC,
            "founded_on": datetime.date(2019, 5, 1),
        },
        clean=False,
    )
    body.areas.add(area)
    body.topics.add(*[topics[key] for key in spec.topics])
    memberships = [_member(ctx, body, coordinator, MembershipRole.COORDINATION, 25)]
    for index, key in enumerate(spec.members):
        organisation = ctx.organisations.get(key)
        if organisation is not None:
            capacity = 20 if index % 2 == 0 else None
            memberships.append(_member(ctx, body, organisation, MembershipRole.MEMBER, capacity))
    contact = _person_of(ctx, spec.coordinator)
    if contact is not None:
        body.contact_persons.add(contact)
    _meetings(body, spec, memberships)
    _joint_event(body, memberships)
    _statement(body)
    return body


def _member(ctx, body, organisation, role, capacity) -> Membership:
    membership = upsert(
        Membership,
        lookup={"body": body, "organisation": organisation, "end_date": None},
        values={
            "role": role,
            "start_date": datetime.date(2019, 5, 1),
            "room_capacity": capacity,
            "room_name": "Besprechungsraum" if capacity else "",
        },
        clean=False,
    )
    person = _person_of(ctx, organisation.slug)
    if person is not None:
        upsert(
            Delegate,
            lookup={"membership": membership, "person": person, "end_date": None},
            values={"start_date": datetime.date(2019, 5, 1)},
            clean=False,
        )
    return membership


def _person_of(ctx, org_key: str):
    for key in sorted(ctx.people):
        if key.startswith(f"{org_key}-"):
            return ctx.people[key]
    return None


def _meetings(body: Body, spec: Spec, memberships: list[Membership]) -> None:
    series = upsert(
        MeetingSeries,
        lookup={"body": body, "title": f"Treffen {spec.name}"},
        values={
            "first_start": spec.first_start,
            "rrule": "FREQ=MONTHLY;INTERVAL=3",
            "duration_minutes": 120,
        },
        clean=False,
    )
    # Up to a fixed date, so that loading twice on different days gives the same meetings.
    series_extend(series=series, until=datetime.datetime(2027, 7, 1, tzinfo=BERLIN))
    hosts = [m for m in memberships if m.room_capacity]
    past = list(series.meetings.filter(start__lt=timezone.now()).order_by("start"))
    for index, meeting in enumerate(past):
        host = hosts[index % len(hosts)] if hosts else None
        _hold(
            meeting,
            host,
            memberships,
            is_last=index == len(past) - 1,
            number=index,
            next_meeting=past[index + 1] if index + 1 < len(past) else None,
        )


def _hold(meeting, host, memberships, *, is_last: bool, number: int, next_meeting) -> None:
    values = {"status": MeetingStatus.HELD}
    if host is not None:
        HostTurn.objects.get_or_create(
            meeting=meeting,
            membership=host,
            defaults={"status": HostTurn.Status.ACCEPTED, "answered_at": meeting.start},
        )
        organisation = host.organisation
        values.update(
            host=host,
            location_name=organisation.name,
            location_room=host.room_name,
            location_street=organisation.street,
            location_postcode=organisation.postcode,
            location_city=organisation.city,
        )
    # Saves only when something differs, so `updated_at` (OParl `modified`) stays put.
    upsert(Meeting, lookup={"pk": meeting.pk}, values=values, clean=False)
    for delegate in Delegate.objects.filter(membership__in=memberships):
        Invitation.objects.get_or_create(
            meeting=meeting,
            delegate=delegate,
            defaults={"answer": Invitation.Answer.YES, "attended": (delegate.pk + number) % 4 != 0},
        )
    minutes = upsert(
        Minutes,
        lookup={"meeting": meeting},
        values={
            "text": "Begrüßung und Vorstellungsrunde. Berichte aus den Einrichtungen. "
            "Planung der gemeinsamen Aktion im Stadtteil.",
            "visibility": Visibility.PUBLIC,
            "status": Minutes.Status.DRAFT if is_last else Minutes.Status.APPROVED,
            "approved_at_meeting": None if is_last else next_meeting,
            "approved_at": None if is_last else next_meeting.start,
        },
        clean=False,
    )
    upsert(
        Decision,
        lookup={"minutes": minutes, "position": 1},
        values={"text": "Das Netzwerk beteiligt sich am Stadtteilfest."},
        clean=False,
    )
    owner = memberships[number % len(memberships)]
    done = not is_last
    upsert(
        ActionItem,
        lookup={"body": meeting.body, "meeting": meeting, "title": "Plakat für das Stadtteilfest"},
        values={
            "owner": owner,
            "due_date": (meeting.start + datetime.timedelta(days=30)).date(),
            "status": ActionItem.Status.DONE if done else ActionItem.Status.OPEN,
            "completed_at": meeting.start + datetime.timedelta(days=20) if done else None,
        },
        clean=False,
    )


def _joint_event(body: Body, memberships: list[Membership]) -> None:
    start = datetime.datetime(2026, 6, 20, 14, 0, tzinfo=BERLIN)
    host = memberships[0]
    upsert(
        Meeting,
        lookup={"body": body, "title": "Stadtteilfest", "start": start},
        values={
            "kind": MeetingKind.JOINT_EVENT,
            "end": start + datetime.timedelta(hours=5),
            "status": MeetingStatus.HELD,
            "description": "Gemeinsames Fest der Einrichtungen mit Ständen und Kinderprogramm.",
            "host": host,
            "location_name": host.organisation.name,
            "location_street": host.organisation.street,
            "location_postcode": host.organisation.postcode,
            "location_city": host.organisation.city,
        },
        clean=False,
    )


def _statement(body: Body) -> None:
    document = upsert(
        Document,
        lookup={
            "body": body,
            "title": f"Gemeinsame Stellungnahme des {body.name} zur Kita-Bedarfsplanung",
        },
        values={
            "kind": DocumentKind.STATEMENT,
            "visibility": Visibility.PUBLIC,
            "date": datetime.date(2025, 9, 15),
        },
        clean=False,
    )
    if not document.versions.exists():
        version = DocumentVersion(
            document=document, number=1, file_name="stellungnahme.txt", mime_type="text/plain"
        )
        text = f"{body.name}: Wir bitten, die Plätze im Stadtteil bedarfsgerecht auszubauen.\n"
        version.file.save("stellungnahme.txt", ContentFile(text.encode()), save=False)
        version.size = len(text.encode())
        version.save()
