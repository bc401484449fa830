"""Demo participation: a round for the update of the Quartiersvereinbarung Neu Olvenstedt
(Büro für Stadtteilarbeit Neu Olvenstedt, Magdeburg) with a few proposals, one taken up by the
Stadtteilgarten project, and an activating survey with printed codes and answers. The
institution is real; proposals, answers and figures are invented. Idempotent (natural keys and
`upsert`)."""

from __future__ import annotations

import datetime
from typing import cast

from django.utils import timezone

from quartier.core.demo import DemoContext, upsert
from quartier.participation.models import (
    Answer,
    Code,
    Proposal,
    Question,
    QuestionKind,
    Response,
    Round,
    Status,
    Support,
    Survey,
)
from quartier.projects.models import Concept

ROUND_SLUG = "fortschreibung-quartiersvereinbarung-neu-olvenstedt"

# (field of action, title, text, (lat, lon) or None, status, answer, project key or None,
# supports)
PROPOSALS = [
    ("Nachbarschaft und Zusammenleben", "Nachbarschaftsfest am Olvenstedter Platz",
     "Einmal im Jahr ein Fest für alle Nachbarinnen und Nachbarn, mit Ständen der Vereine und "
     "Musik von Jugendlichen aus dem Stadtteil.", (52.1418, 11.5651), Status.REVIEW,
     "Wir prüfen mit dem Stadtteilrat, ob das Fest aus dem Verfügungsfonds gefördert werden "
     "kann.", None, 14),
    ("Wohnen und Wohnumfeld", "Gemeinschaftsbeete im Innenhof",
     "Im Innenhof am Scharnhorstring liegt eine große Rasenfläche brach. Dort könnten Hochbeete "
     "für die Hausgemeinschaften stehen.", (52.1432, 11.5602), Status.TAKEN_UP,
     "Der Vorschlag ist in den Stadtteilgarten eingeflossen; die ersten Beete stehen im "
     "Frühjahr.", "stadtteilgarten-neu-olvenstedt", 23),
    ("Bildung und Arbeit", "Bewerbungscafé in der Stadtteilbibliothek",
     "Hilfe beim Schreiben von Bewerbungen, am besten abends, wenn man selbst arbeitet.",
     None, Status.RECEIVED, "", None, 6),
    ("Wohnen und Wohnumfeld", "Mehr Bänke auf dem Weg zum Einkaufszentrum",
     "Für ältere Menschen ist der Weg lang; Sitzbänke alle paar hundert Meter würden helfen.",
     (52.1389, 11.5689), Status.NOT_TAKEN_UP,
     "Die Wege gehören der Wohnungsgenossenschaft; wir haben den Vorschlag dorthin gegeben, die "
     "Quartiersvereinbarung selbst kann das nicht leisten.", None, 9),
]  # fmt: skip

QUESTIONS = [
    (QuestionKind.SCALE, "Wie gern leben Sie in Neu Olvenstedt?", []),
    (QuestionKind.SINGLE, "Wie oft nutzen Sie Angebote im Stadtteil?",
     ["mehrmals pro Woche", "ein paar Mal im Monat", "selten", "nie"]),
    (QuestionKind.MULTIPLE, "Was fehlt Ihnen am meisten?",
     ["Treffpunkte", "Grünflächen", "Angebote für Jugendliche", "Beratung", "Sauberkeit"]),
    (QuestionKind.TEXT, "Was sollte die Quartiersvereinbarung außerdem anpacken?", []),
]  # fmt: skip

# One row per invented response: (scale, single, [multiple], text)
ANSWERS = [
    (4, 1, [0, 2], ""), (5, 0, [1], "Mehr Licht auf den Wegen."), (3, 2, [2, 4], ""),
    (2, 3, [0], ""), (4, 1, [1, 2], "Ein Café für alle Generationen."), (5, 0, [3], ""),
    (3, 2, [0, 4], ""), (4, 1, [2], ""), (1, 3, [0, 1, 2], ""), (4, 0, [1], ""),
    (5, 1, [2, 3], "Sprachkurse am Abend."), (3, 2, [4], ""),
]  # fmt: skip


def load(ctx: DemoContext) -> None:
    concept = Concept.objects.filter(
        title="Quartiersvereinbarung Neu Olvenstedt", is_current=True
    ).first()
    if concept is None:
        return
    today = timezone.localdate()
    round_ = cast(
        Round,
        upsert(
            Round,
            lookup={"slug": ROUND_SLUG},
            values={
                "concept": concept,
                "title": "Fortschreibung der Quartiersvereinbarung Neu Olvenstedt",
                "description": "Was soll die Quartiersvereinbarung in den nächsten Jahren "
                "anpacken? "
                "Schlagen Sie Maßnahmen vor, unterstützen Sie die Vorschläge anderer und machen "
                "Sie bei unserer kurzen Umfrage mit.",
                "opens_on": today.replace(day=1) - datetime.timedelta(days=14),
                "closes_on": today + datetime.timedelta(days=60),
                "is_published": True,
            },
        ),
    )
    fields = {field.title: field for field in concept.fields.all()}
    projects = ctx.extra.get("projects", {})
    for field, title, text, point, status, answer, project, supports in PROPOSALS:
        if field not in fields:
            continue
        proposal = cast(Proposal, upsert(
            Proposal,
            lookup={"round": round_, "title": title},
            values={
                "field": fields[field], "text": text, "status": status, "answer": answer,
                "lat": point[0] if point else None, "lon": point[1] if point else None,
                "project": projects.get(project) if project else None,
            },
        ))  # fmt: skip
        for n in range(supports):
            Support.objects.get_or_create(proposal=proposal, supporter=f"demo-{n}")
        count = proposal.support_rows.count()
        if proposal.supports != count:
            Proposal.objects.filter(pk=proposal.pk).update(supports=count)
    survey = cast(
        Survey,
        upsert(
            Survey,
            lookup={"round": round_},
            values={
                "title": "Kurze Umfrage: Leben in Neu Olvenstedt",
                "intro": "Fünf Minuten, anonym. Ihre Antworten fließen in die Fortschreibung ein.",
            },
        ),
    )
    questions = [
        cast(
            Question,
            upsert(
                Question,
                lookup={"survey": survey, "position": position},
                values={"kind": kind, "text": text, "choices": choices},
            ),
        )
        for position, (kind, text, choices) in enumerate(QUESTIONS, start=1)
    ]
    for n in range(1, 31):
        Code.objects.get_or_create(code=f"NOLV{n:04d}", defaults={"survey": survey})
    for n, (scale, single, multiple, text) in enumerate(ANSWERS, start=1):
        response, created = Response.objects.get_or_create(survey=survey, ticket=f"demo:{n}")
        if not created:
            continue
        rows = [
            Answer(response=response, question=questions[0], value=scale),
            Answer(response=response, question=questions[1], value=single),
            *(Answer(response=response, question=questions[2], value=v) for v in multiple),
        ]
        if text:
            rows.append(Answer(response=response, question=questions[3], text=text))
        Answer.objects.bulk_create(rows)
