"""One district with a public network and everything OParl must show or hide.

Secrets (names and texts that must never reach the API) are collected in `Scene.secrets`, so
tests can scan every answer for them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from quartier.networks.models import MembershipRole
from quartier.statements.models import Statement
from tests.factories.directory import OrganisationFactory, PersonFactory, PositionFactory
from tests.oparl import builders as b


@dataclass
class Scene:
    area: Any
    gremium: Any
    meeting: Any
    private_meeting: Any
    members_minutes_meeting: Any
    private_gremium: Any
    hidden_person: Any
    contact: Any
    statement: Any
    private_document: Any
    item: Any
    hidden_item: Any
    delegate: Any
    signed_statement: Any
    signer: Any
    secrets: list[str] = field(default_factory=list)


def build_scene(world, *, store_files: bool = True) -> Scene:
    area = world.district
    gremium = b.gremium(
        areas=[area],
        name="Stadtteilnetzwerk Nordviertel",
        short_name="STN Nord",
        internal_notes="Intern: Konflikt mit dem Vorstand",
        website="https://netzwerk-nord.example.org/",
    )
    contact = PersonFactory(
        given_name="Clara",
        family_name="Kontakt",
        email="clara@example.org",
        email_public=True,
        phone="0651 111111",
        phone_public=False,
        mobile="0170 2222222",
        mobile_public=False,
    )
    gremium.contact_persons.add(contact)
    # Named in OParl as a public contact (quartier.directory.selectors): a public position.
    PositionFactory(person=contact, organisation=world.organisation, role="Netzwerkkontakt")
    membership = b.member(gremium, world.organisation, role=MembershipRole.SPEAKER)
    delegate = b.delegate(membership, world.person, public_contact=True)
    hidden_person = PersonFactory(given_name="Verena", family_name="Verborgen")
    b.delegate(membership, hidden_person, public_contact=False)

    start = timezone.now().replace(microsecond=0) - datetime.timedelta(days=10)
    meeting = b.meeting(
        gremium,
        start=start,
        title="Quartalstreffen Herbst",
        status="held",
        location_name="Nachbarschaftshaus Nord",
        location_room="Saal 1",
        location_street="Hauptstraße 1",
        location_postcode="54290",
        location_city="Trier",
        location_lat=49.75,
        location_lon=6.64,
    )
    item = b.agenda_item(meeting, "Spielplatz an der Hauptstraße", result="Angenommen")
    hidden_item = b.agenda_item(meeting, "Personalfrage Leitung", is_public=False)
    proposed = b.agenda_item(meeting, "Vorschlag noch offen", status="proposed")
    b.publish_agenda(meeting)
    minutes = b.minutes(meeting, "Protokoll: alle Punkte besprochen.")
    minutes.decisions.create(agenda_item=item, text="Das Netzwerk unterstützt den Spielplatz.")

    private_meeting = b.meeting(gremium, title="Geheime Klausur", is_public=False)
    members_minutes_meeting = b.meeting(gremium, title="Sommertreffen", start=start)
    b.minutes(members_minutes_meeting, "Vertraulich: Finanzen des Trägers", public=False)
    draft_meeting = b.meeting(gremium, title="Wintertreffen", start=start)
    b.minutes(draft_meeting, "Entwurf: noch nicht abgestimmt", approved=False)

    statement = b.document(
        gremium,
        "Gemeinsame Stellungnahme zum Spielplatz",
        meeting=meeting,
        reference="2024/1",
        store=store_files,
    )
    private_document = b.document(
        gremium, "Interne Mitgliederliste", public=False, store=store_files
    )

    signer = OrganisationFactory(
        name="Jugendhilfe Nord e.V.", website="https://jh-nord.example.org/"
    )
    quitter = OrganisationFactory(name="Zurückgezogener Träger gGmbH")
    signed_statement = b.statement(
        gremium,
        "Gemeinsame Stellungnahme zum Jugendtreff",
        signers=[world.organisation, signer],
        withdrawn=[quitter],
        store=store_files,
    )
    Statement.objects.create(
        body=gremium, title="Entwurf: Stellungnahme zur Verkehrsführung", text="Noch offen."
    )

    private_gremium = b.gremium(areas=[area], name="Verschwiegene Runde", is_public=False)
    b.meeting(private_gremium, title="Treffen der verschwiegenen Runde")

    return Scene(
        area=area,
        gremium=gremium,
        meeting=meeting,
        private_meeting=private_meeting,
        members_minutes_meeting=members_minutes_meeting,
        private_gremium=private_gremium,
        hidden_person=hidden_person,
        contact=contact,
        statement=statement,
        private_document=private_document,
        item=item,
        hidden_item=hidden_item,
        delegate=delegate,
        signed_statement=signed_statement,
        signer=signer,
        secrets=[
            "Zurückgezogener Träger",
            "Entwurf: Stellungnahme zur Verkehrsführung",
            "Konflikt mit dem Vorstand",
            "0651 111111",
            "0170 2222222",
            "Verborgen",
            "Geheime Klausur",
            "Vertraulich: Finanzen",
            "Entwurf: noch nicht abgestimmt",
            "Personalfrage Leitung",
            "Vorschlag noch offen",
            "Interne Mitgliederliste",
            "Verschwiegene Runde",
            "verschwiegenen Runde",
            proposed.title,
        ],
    )
