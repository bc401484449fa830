"""Reads of participation: open rounds, public proposals, survey results."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from quartier.areas.selectors import descendant_ids
from quartier.participation.models import Proposal, Question, QuestionKind, Round, Survey


@dataclass(frozen=True)
class Bar:
    """One answer option of a survey question: its count and its share of the answers."""

    label: str
    value: int
    share: float  # 0..100


def public_rounds(area=None) -> QuerySet[Round]:
    rounds = Round.objects.filter(is_published=True, concept__area__is_public=True)
    if area is not None:
        rounds = rounds.filter(concept__area_id__in=descendant_ids([area.pk]))
    return rounds.select_related("concept__area")


def open_rounds(area=None) -> QuerySet[Round]:
    today = timezone.localdate()
    return public_rounds(area).filter(opens_on__lte=today, closes_on__gte=today)


def public_proposals(round_: Round) -> QuerySet[Proposal]:
    return round_.proposals.select_related("field", "project").only(
        "pk",
        "round_id",
        "title",
        "text",
        "lat",
        "lon",
        "status",
        "answer",
        "supports",
        "created_at",
        "field__title",
        "project__title",
        "project__slug",
        "project__status",
    )


def map_points(proposals) -> list[dict]:
    return [
        {
            "title": p.title,
            "lat": p.public_lat,
            "lon": p.public_lon,
            "url": p.get_absolute_url(),
        }
        for p in proposals
        if p.lat is not None and p.lon is not None
    ]


@dataclass
class QuestionResult:
    question: Question
    answered: int
    bars: list[Bar]
    texts: list[str]
    mean: float | None = None


def results(survey: Survey, *, with_texts: bool = False) -> tuple[int, list[QuestionResult]]:
    """Count answers per question and option in a fixed number of queries."""
    questions = list(survey.questions.all())
    total = survey.responses.count()
    counts: dict[tuple[int, int | None], int] = {}
    for row in (
        survey.questions.filter(answers__value__isnull=False)
        .values("pk", "answers__value")
        .annotate(n=Count("answers"))
    ):
        counts[(row["pk"], row["answers__value"])] = row["n"]
    answered = {
        row["pk"]: row["n"]
        for row in survey.questions.values("pk").annotate(
            n=Count("answers__response", distinct=True)
        )
    }
    texts: dict[int, list[str]] = {}
    if with_texts:
        for question_id, text in (
            survey.questions.filter(kind=QuestionKind.TEXT)
            .exclude(answers__text="")
            .values_list("pk", "answers__text")
            .order_by("answers__pk")[:2000]
        ):
            if text:
                texts.setdefault(question_id, []).append(text)
    out = []
    for question in questions:
        n = answered.get(question.pk, 0)
        bars = [
            Bar(
                label,
                counts.get((question.pk, option), 0),
                100 * counts.get((question.pk, option), 0) / n if n else 0.0,
            )
            for option, label in question.options()
        ]
        mean = None
        if question.kind == QuestionKind.SCALE and n:
            mean = sum(int(bar.label) * bar.value for bar in bars) / max(
                1, sum(b.value for b in bars)
            )
        out.append(QuestionResult(question, n, bars, texts.get(question.pk, []), mean))
    return total, out
