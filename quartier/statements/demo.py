"""Demo joint statement: the Arbeitskreis Trier-West/Pallien (coordinated by the Stadtteilbüro
Trier-West) on play areas and meeting places in the quarter, in two versions with comments,
signed by three member organisations and published (PDF, public page, OParl Paper).

Real public institutions, invented text and people; the delegates of the signing members get
the signing right. Idempotent: a statement that exists (by body and title) is left alone.
"""

from __future__ import annotations

import datetime

from quartier.core.demo import DemoContext, upsert
from quartier.networks.models import Delegate, Membership, MembershipRole, Topic
from quartier.statements import services
from quartier.statements.models import Statement

BODY = "body:arbeitskreis-trier-west-pallien"
TITLE = "Spielflächen und Treffpunkte in Trier-West: Stellungnahme zum Wohnumfeld"
SIGNERS = ("stadtteilbuero-trier-west", "caritas-trier", "kita-trier-west")

FIRST = (
    "Der Arbeitskreis Trier-West/Pallien beobachtet seit zwei Jahren, dass Kinder und "
    "Jugendliche im Quartier zu wenige sichere Orte zum Spielen und Treffen haben.\n"
    "Der Spielplatz an der Gneisenaustraße ist seit dem Frühjahr gesperrt.\n"
    "Wir bitten die Stadt, die Sanierung in den Haushalt aufzunehmen."
)
SECOND = (
    "Der Arbeitskreis Trier-West/Pallien beobachtet seit zwei Jahren, dass Kinder und "
    "Jugendliche im Quartier zu wenige sichere und gut erreichbare Orte zum Spielen und "
    "Treffen haben.\n"
    "Der Spielplatz an der Gneisenaustraße ist seit dem Frühjahr gesperrt; ein Ersatz in "
    "der Nähe fehlt.\n"
    "Wir bitten die Stadt, die Sanierung in den Haushalt 2027 aufzunehmen und die Kinder "
    "und Jugendlichen des Quartiers an der Planung zu beteiligen.\n"
    "Die unterzeichnenden Einrichtungen bieten an, die Beteiligung gemeinsam zu begleiten."
)


def load(ctx: DemoContext) -> None:
    body = ctx.extra.get(BODY)
    coordinator = ctx.users.get("coordinator")
    found = [ctx.organisations.get(key) for key in SIGNERS]
    organisations = [organisation for organisation in found if organisation is not None]
    if body is None or coordinator is None or len(organisations) < len(SIGNERS):
        ctx.log("statements: skipped (body, organisations or logins missing)")
        return
    signers = []
    for organisation in organisations:
        # Memberships the networks demo made stay as they are; the coordinating office joins.
        membership = Membership.objects.filter(
            body=body, organisation=organisation, end_date=None
        ).first() or Membership.objects.create(
            body=body,
            organisation=organisation,
            role=MembershipRole.COORDINATION,
            start_date=datetime.date(2019, 5, 1),
        )
        person = _person_of(ctx, organisation.slug)
        if person is not None:
            upsert(
                Delegate,
                lookup={"membership": membership, "person": person, "end_date": None},
                values={"start_date": datetime.date(2019, 5, 1), "may_sign": True},
                clean=False,
            )
        signers.append(organisation)
    if Statement.objects.filter(body=body, title=TITLE).exists():
        return
    _statement(ctx, body, coordinator, signers)


def _person_of(ctx, org_key: str):
    for key in sorted(ctx.people):
        if key.startswith(f"{org_key}-"):
            return ctx.people[key]
    return None


def _statement(ctx, body, coordinator, signers) -> None:
    editor = ctx.users.get("editor") or coordinator
    area = ctx.areas.get("trier-west-pallien")
    statement = services.statement_create(
        body=body,
        title=TITLE,
        text=FIRST,
        user=coordinator,
        topic=Topic.objects.filter(slug="wohnen").first(),
        areas=[area] if area is not None else [],
    )
    first = statement.versions.get(number=1)
    services.comment_add(
        version=first,
        user=editor,
        text="Bitte ergänzen, dass es in der Nähe keinen Ersatz gibt; ein Haushaltsjahr nennen.",
    )
    second = services.statement_update(
        statement=statement,
        title=TITLE,
        text=SECOND,
        topic=statement.topic,
        user=coordinator,
        note="Ersatzfläche, Haushaltsjahr und Beteiligung ergänzt",
    )
    if second is not None:
        services.comment_add(
            version=second, user=editor, text="So können wir als Caritas mitzeichnen."
        )
    services.statement_open(statement=statement)
    for organisation in signers:
        services.statement_sign(statement=statement, organisation_id=organisation.pk, user=None)
    services.statement_publish(statement=statement, user=coordinator)
    ctx.log(f"statements: published {TITLE}")
