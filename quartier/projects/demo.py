"""Demo concepts, programmes, projects and continuation plans of the seed institutions.

The programmes are the real ones (Soziale Stadt Trier-West/Pallien ended on 30 June 2025;
ESF Plus and BIWAQ in Potsdam Am Stern/Drewitz); every figure, budget and project detail is
invented. Indicators run over the ten years before this one; the other dates are relative to
today. Idempotent: natural keys and `upsert`, so a second run changes nothing.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.projects.models import (
    BudgetLine,
    Concept,
    ContinuationTask,
    FieldOfAction,
    Goal,
    Indicator,
    Measurement,
    Programme,
    Project,
)

# area key, kind, title, {field of action: [(goal, [(code, name, unit, baseline, target,
# direction, source, yearly change)])]}
CONCEPTS = [
    (
        "magdeburg-neu-olvenstedt", "agreement", "Quartiersvereinbarung Neu Olvenstedt",
        {
            "Nachbarschaft und Zusammenleben": [
                ("Mehr Menschen engagieren sich im Stadtteil", [
                    ("ehrenamt", "Ehrenamtlich Aktive in Stadtteilprojekten", "Personen",
                     80, 150, "higher", "Stadtteilmanagement (Zählung)", 6),
                ]),
            ],
            "Bildung und Arbeit": [
                ("Weniger Langzeitarbeitslosigkeit", [
                    ("sgb2-quote", "Anteil Leistungsberechtigter nach SGB II", "%",
                     24.5, 18, "lower", "Bundesagentur für Arbeit", -0.5),
                ]),
            ],
            "Wohnen und Wohnumfeld": [
                ("Weniger Leerstand", [
                    ("leerstand", "Leerstandsquote", "%", 12, 6, "lower",
                     "Wohnungsunternehmen (Meldung)", -0.4),
                ]),
            ],
        },
    ),
    (
        "potsdam-am-stern", "development", "Integriertes Entwicklungskonzept Am Stern/Drewitz",
        {
            "Beschäftigung und Qualifizierung": [
                ("Junge Menschen finden Ausbildung und Arbeit", [
                    ("ausbildung", "Jugendliche in Ausbildung nach Coaching", "Personen",
                     10, 40, "higher", "Projektträger (Berichte)", 3),
                ]),
            ],
        },
    ),
    (
        "sr-hermeskeil", "social_space", "Präventionskonzept Sozialraum Hermeskeil",
        {
            "Frühe Hilfen": [
                ("Familien mit kleinen Kindern früh erreichen", [
                    ("fruehe-hilfen", "Familien in Frühen Hilfen je 100 Geburten", "Familien",
                     18, 35, "higher", "Kreisjugendamt Trier-Saarburg", 1.5),
                ]),
            ],
            "Mädchenarbeit": [
                ("Offene Angebote für Mädchen im ländlichen Raum", [
                    ("maedchen", "Teilnehmerinnen der Mädchentreffs", "Personen",
                     12, 40, "higher", "Sozialraumzentrum Hermeskeil", 2.5),
                ]),
            ],
        },
    ),
]  # fmt: skip


def _concepts(ctx: DemoContext, today: datetime.date) -> dict[str, Goal]:
    goals: dict[str, Goal] = {}
    first_year = today.year - 10
    for area_key, kind, title, fields in CONCEPTS:
        area = ctx.areas[area_key]
        concept = upsert(
            Concept,
            lookup={"area": area, "title": title, "version": 1},
            values={"kind": kind, "adopted_on": datetime.date(first_year, 6, 1)},
            clean=False,
        )
        if concept.lineage is None:
            concept.lineage = concept.pk
            concept.save(update_fields=["lineage"])
        for f_pos, (field_title, goal_specs) in enumerate(fields.items()):
            field = upsert(
                FieldOfAction,
                lookup={"concept": concept, "title": field_title},
                values={"position": f_pos},
            )
            for g_pos, (goal_title, indicators) in enumerate(goal_specs):
                goal = upsert(
                    Goal, lookup={"field": field, "title": goal_title}, values={"position": g_pos}
                )
                for code, name, unit, base, target, direction, source, step in indicators:
                    goals[code] = goal
                    indicator = upsert(
                        Indicator,
                        lookup={"concept": concept, "code": code},
                        values={
                            "goal": goal, "name": name, "unit": unit,
                            "baseline": Decimal(str(base)),
                            "baseline_date": datetime.date(first_year, 12, 31),
                            "target": Decimal(str(target)),
                            "target_date": datetime.date(today.year + 3, 12, 31),
                            "direction": direction, "source": source,
                        },
                        clean=False,
                    )  # fmt: skip
                    for offset in range(10):
                        # One year missing on purpose: surveys are not always done.
                        if offset == 4:
                            continue
                        value = Decimal(str(base)) + Decimal(str(step)) * offset
                        upsert(
                            Measurement,
                            lookup={
                                "indicator": indicator,
                                "date": datetime.date(first_year + offset, 12, 31),
                            },
                            values={"value": value.quantize(Decimal("0.1"))},
                        )
    return goals


def _programmes(ctx: DemoContext, today: datetime.date) -> dict[str, Programme]:
    specs = [
        ("soziale-stadt-trier-west", "Soziale Stadt Trier-West/Pallien", "urban",
         datetime.date(2008, 1, 1), datetime.date(2025, 6, 30), ["trier-west-pallien"]),
        ("esf-plus-potsdam-am-stern", "ESF Plus – Jugend stärken im Quartier Am Stern/Drewitz",
         "esf", datetime.date(2022, 1, 1), datetime.date(2027, 12, 31),
         ["potsdam-am-stern", "potsdam-drewitz"]),
        ("biwaq-potsdam-drewitz", "BIWAQ – Arbeit im Quartier Drewitz", "biwaq",
         datetime.date(2023, 1, 1), today + datetime.timedelta(days=120),
         ["potsdam-am-stern", "potsdam-drewitz"]),
        ("verfuegungsfonds-neu-olvenstedt", "Verfügungsfonds Neu Olvenstedt", "fund",
         datetime.date(2020, 1, 1), None, ["magdeburg-neu-olvenstedt"]),
    ]  # fmt: skip
    programmes = {}
    coordinator = ctx.users.get("coordinator")
    for slug, name, kind, starts, ends, areas in specs:
        programme = upsert(
            Programme,
            lookup={"slug": slug},
            values={
                "name": name, "kind": kind, "starts_on": starts, "ends_on": ends,
                "coordinator": coordinator if slug.endswith("trier-west") else None,
            },
        )  # fmt: skip
        programme.areas.set([ctx.areas[key] for key in areas])
        programmes[slug] = programme
    return programmes


PROJECTS = [
    # slug, title, organisation, areas, status, programme, goal code, investive, point, results
    ("jugend-coaching-am-stern", "Jugend-Coaching Am Stern", "stadtteilmanagement-am-stern-drewitz",
     ["potsdam-am-stern"], "running", "esf-plus-potsdam-am-stern", "ausbildung", False,
     (52.3713, 13.1123), ""),
    ("werkstatt-drewitz", "Quartierswerkstatt Drewitz", "stadtkontor", ["potsdam-drewitz"],
     "running", "biwaq-potsdam-drewitz", "ausbildung", False, (52.3631, 13.1127), ""),
    ("stadtteilgarten-neu-olvenstedt", "Stadtteilgarten Neu Olvenstedt",
     "buero-stadtteilarbeit-neu-olvenstedt", ["magdeburg-neu-olvenstedt"], "completed",
     "verfuegungsfonds-neu-olvenstedt", "ehrenamt", True, (52.1482, 11.5689),
     "30 Beete, eine Gartengruppe mit 25 Aktiven, zwei Feste im Jahr."),
    ("bewohnertreff-trier-west", "Bewohnertreff Trier-West", "stadtteilbuero-trier-west",
     ["trier-west-pallien"], "completed", "soziale-stadt-trier-west", None, True,
     (49.7511, 6.6201), "Treffpunkt umgebaut, seit 2024 von Bewohnerinnen mitgetragen."),
    ("maedchentreff-hermeskeil", "Mädchentreff Hermeskeil", "srz-hermeskeil",
     ["sr-hermeskeil"], "running", None, "maedchen", False, (49.6557, 6.9462), ""),
    ("familienpatenschaften-hermeskeil", "Familienpatenschaften", "srz-hermeskeil",
     ["sr-hermeskeil"], "planned", None, "fruehe-hilfen", False, None, ""),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    today = timezone.localdate()
    goals = _concepts(ctx, today)
    programmes = _programmes(ctx, today)
    projects = {}
    for slug, title, org, areas, status, programme, goal, investive, point, results in PROJECTS:
        if org not in ctx.organisations:
            continue
        project = upsert(
            Project,
            lookup={"slug": slug},
            values={
                "title": title, "lead_organisation": ctx.organisations[org], "status": status,
                "investive": investive, "results": results,
                "description": f"{title}: ein Demo-Projekt mit erfundenen Zahlen.",
                "starts_on": datetime.date(today.year - 2, 1, 1),
                "ends_on": datetime.date(today.year + 1, 12, 31) if status != "completed"
                else datetime.date(today.year - 1, 12, 31),
                "lat": point[0] if point else None, "lon": point[1] if point else None,
            },
        )  # fmt: skip
        project.areas.set([ctx.areas[key] for key in areas])
        if goal:
            project.goals.set([goals[goal]])
        projects[slug] = project
        if programme:
            prog = programmes[programme]
            end_year = prog.ends_on.year if prog.ends_on else today.year
            for year in range(
                max(prog.starts_on.year, today.year - 2), min(end_year, today.year) + 1
            ):
                upsert(
                    BudgetLine,
                    lookup={"project": project, "programme": prog, "year": year},
                    values={
                        "planned": Decimal(40000), "approved": Decimal(36000),
                        # One overspent line, to show the flag.
                        "spent": Decimal(38500 if slug == "werkstatt-drewitz" else 30000),
                    },
                )  # fmt: skip
    trier_west = ctx.areas["trier-west-pallien"]
    tasks = [
        ("Stadtteilzeitung „Westwind“", trier_west, "soziale-stadt-trier-west",
         {"successor_organisation": ctx.organisations.get("caritas-trier")}),
        ("Bewohnerbeirat begleiten", trier_west, "soziale-stadt-trier-west",
         {"successor_partnership": "Stadt Trier mit dem Bürgerverein Trier-West"}),
        ("Sprachcafé", trier_west, "soziale-stadt-trier-west",
         {"successor_organisation": ctx.organisations.get("stadtteilbuero-trier-west")}),
        ("Arbeitsmarktlotsen", ctx.areas["potsdam-drewitz"], "biwaq-potsdam-drewitz", {}),
        ("Werkstatt für Jugendliche", ctx.areas["potsdam-drewitz"], "biwaq-potsdam-drewitz", {}),
    ]  # fmt: skip
    for title, area, programme, successor in tasks:
        upsert(
            ContinuationTask,
            lookup={"title": title, "area": area},
            values={
                "programme": programmes[programme],
                "ends_on": programmes[programme].ends_on,
                **successor,
            },
        )
    ctx.extra["projects"] = projects
    _fund(ctx, today)


# title, initiative, applicant, amount, what happens: "decided" at the body's last meeting,
# "agenda" of its next one, or "received". Invented people, example.org addresses.
FUND_APPLICATIONS = [
    ("Straßenfest in der Pallienstraße", "Nachbarschaftsinitiative Pallien",
     ("Marie Schneider", "marie.schneider@example.org"), Decimal(800), "decided"),
    ("Repair-Café im Bewohnertreff", "Reparieren statt wegwerfen",
     ("Jonas Becker", "jonas.becker@example.org"), Decimal(450), "agenda"),
    ("Malaktion für Kinder am Moselufer", "",
     ("Aylin Demir", "aylin.demir@example.org"), Decimal(300), "received"),
]  # fmt: skip


def _fund(ctx: DemoContext, today: datetime.date) -> None:
    """The Verfügungsfonds Trier-West/Pallien of this year, decided by the Arbeitskreis."""
    from quartier.networks.models import AgendaItem, Decision, Meeting, MeetingStatus, Minutes
    from quartier.projects.models import Fund, FundApplication, FundStatus
    from quartier.projects.services import decision_text

    area = ctx.areas.get("trier-west-pallien")
    body = ctx.extra.get("body:arbeitskreis-trier-west-pallien")
    if area is None:
        return
    fund = upsert(
        Fund,
        lookup={"area": area, "year": today.year},
        values={
            "title": "Verfügungsfonds Trier-West/Pallien",
            "description": "Kleine Zuschüsse für Aktionen von Bewohnerinnen, Bewohnern und "
            "Initiativen im Stadtteil (bis 1.500 Euro je Antrag).",
            "budget": Decimal(10000), "cap": Decimal(1500), "body": body, "is_open": True,
        },
    )  # fmt: skip
    meetings = Meeting.objects.filter(body=body) if body is not None else Meeting.objects.none()
    held = meetings.filter(status=MeetingStatus.HELD).order_by("-start").first()
    coming = (
        meetings.filter(status=MeetingStatus.SCHEDULED, start__gt=timezone.now())
        .order_by("start")
        .first()
    )
    for title, initiative, (name, email), amount, step in FUND_APPLICATIONS:
        meeting = {"decided": held, "agenda": coming}.get(step)
        item = None
        if meeting is not None:
            item = upsert(
                AgendaItem,
                lookup={"meeting": meeting, "title": f"Verfügungsfonds: {title}"},
                values={"status": AgendaItem.Status.ACCEPTED, "position": 10},
                clean=False,
            )
        values = {
            "initiative": initiative, "purpose": f"{title}: Material, Getränke und Werbung.",
            "amount_requested": amount, "applicant_name": name, "applicant_email": email,
            "agenda_item": item,
            "status": FundStatus.AGENDA if item is not None else FundStatus.RECEIVED,
        }  # fmt: skip
        if step == "decided" and meeting is not None:
            values.update(
                status=FundStatus.GRANTED, amount_granted=amount, votes_for=7, votes_against=0,
                abstentions=1, decided_at_meeting=meeting, closed_at=meeting.end,
            )  # fmt: skip
        application = upsert(
            FundApplication, lookup={"fund": fund, "title": title}, values=values, clean=False
        )
        if step == "decided" and meeting is not None:
            minutes = upsert(
                Minutes,
                lookup={"meeting": meeting},
                values={"visibility": meeting.body.minutes_visibility},
                clean=False,
            )
            decision = upsert(
                Decision,
                lookup={"minutes": minutes, "agenda_item": item},
                values={"text": decision_text(application), "position": 2},
                clean=False,
            )
            upsert(
                FundApplication,
                lookup={"pk": application.pk},
                values={"decision": decision},
                clean=False,
            )
