"""Writes of participation: rounds, proposals, supports, answers, surveys, codes, responses,
results recorded as measurements, contact purge. Keyword-only, atomic: a refused write raises
ValidationError keyed by field and stores nothing."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import Promise
from django.utils.translation import gettext as _

from quartier.core import consent, geo
from quartier.core.tasks import enqueue_on_commit
from quartier.core.text import unique_slug
from quartier.participation import mail
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
    retention_days,
)
from quartier.participation.tokens import Ticket
from quartier.projects import services as project_services
from quartier.projects.models import Concept, FieldOfAction, Indicator, Project

MAX_TEXT = 5000
MAX_ANSWER_TEXT = 2000
MAX_CODES = 500
MAX_QUESTIONS = 30
# Codes without letters that are easily confused (0/O, 1/I/L).
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 8


def _too_long(field: str, text: str, limit: int) -> ValidationError:
    return ValidationError(
        {
            field: _("At most %(max)s characters, please; this has %(n)s.")
            % {"max": limit, "n": len(text)}
        }
    )


# Rounds


@transaction.atomic
def round_create(
    *,
    concept: Concept,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    is_published: bool = True,
) -> Round:
    if not concept.is_current:
        raise ValidationError({"concept": _("Choose the current version of the concept.")})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round cannot close before it opens.")})
    slug = unique_slug(title, lambda s: Round.objects.filter(slug=s).exists(), max_length=240)
    return Round.objects.create(
        concept=concept,
        title=title,
        slug=slug,
        description=description,
        opens_on=opens_on,
        closes_on=closes_on,
        is_published=is_published,
    )


@transaction.atomic
def round_change(
    *,
    round_: Round,
    title: str,
    opens_on: dt.date,
    closes_on: dt.date,
    description: str = "",
    is_published: bool = True,
) -> Round:
    if closes_on < opens_on:
        raise ValidationError({"closes_on": _("The round cannot close before it opens.")})
    round_.title = title
    round_.description = description
    round_.opens_on = opens_on
    round_.closes_on = closes_on
    round_.is_published = is_published
    round_.save()
    return round_


# Proposals


def check_place(round_: Round, lat: float | None, lon: float | None) -> None:
    if lat is None and lon is None:
        return
    if lat is None or lon is None:
        raise ValidationError({"place": _("A place needs both latitude and longitude.")})
    try:
        geo.validate_lat_lon(lat, lon)
    except (ValidationError, ValueError) as exc:
        raise ValidationError({"place": _("The place is not a valid position.")}) from exc
    area = round_.concept.area
    if area.boundary and not geo.contains_point(area.boundary, lat, lon):
        raise ValidationError(
            {
                "place": _("This place lies outside %(area)s. Please mark a place inside it.")
                % {"area": area.name}
            }
        )


@transaction.atomic
def proposal_submit(
    *,
    round_: Round,
    field: FieldOfAction,
    title: str,
    text: str,
    lat: float | None = None,
    lon: float | None = None,
    author=None,
    contact_email: str = "",
    contact_consent: bool = False,
    consent_text: str | Promise = "",
) -> Proposal:
    """A resident's proposal. Contact data is kept only with consent to replies."""
    if not round_.is_open:
        raise ValidationError(_("This round is not open for proposals."))
    if field.concept_id != round_.concept_id:
        raise ValidationError({"field": _("Please choose one of the listed fields of action.")})
    title = title.strip()
    text = text.strip()
    if not title:
        raise ValidationError({"title": _("Please give your proposal a title.")})
    if len(title) > 200:
        raise _too_long("title", title, 200)
    if not text:
        raise ValidationError({"text": _("Please describe your proposal.")})
    if len(text) > MAX_TEXT:
        raise _too_long("text", text, MAX_TEXT)
    check_place(round_, lat, lon)
    if not contact_consent:
        contact_email = ""
    proposal = Proposal.objects.create(
        round=round_,
        field=field,
        title=title,
        text=text,
        lat=lat,
        lon=lon,
        author=author if author is not None and author.is_authenticated else None,
        contact_email=contact_email.strip(),
        contact_consent=bool(contact_email) and contact_consent,
    )
    if proposal.contact_consent:
        consent.record(proposal, purpose="participation.replies", text=consent_text)
    return proposal


def supporter_key(*, user=None, browser: str = "") -> str:
    """A keyed hash of the account (when logged in) or the browser's random id."""
    raw = f"user:{user.pk}" if user is not None and user.is_authenticated else f"b:{browser}"
    return salted_hmac("quartier.participation.support", raw, algorithm="sha256").hexdigest()


def proposal_support(*, proposal: Proposal, supporter: str) -> bool:
    """Count one support; False when this supporter supported it already."""
    if not proposal.round.is_open:
        raise ValidationError(_("This round is closed; proposals cannot be supported any more."))
    try:
        with transaction.atomic():
            Support.objects.create(proposal=proposal, supporter=supporter)
            Proposal.objects.filter(pk=proposal.pk).update(supports=F("supports") + 1)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def proposal_answer(
    *, proposal: Proposal, status: str, answer: str, project: Project | None = None
) -> Proposal:
    """The coordinator's public answer; a proposal taken up may name the project carrying it."""
    if status not in Status.values:
        raise ValidationError({"status": _("Please choose one of the listed statuses.")})
    answer = answer.strip()
    if len(answer) > MAX_TEXT:
        raise _too_long("answer", answer, MAX_TEXT)
    if status in (Status.TAKEN_UP, Status.NOT_TAKEN_UP) and not answer:
        raise ValidationError({"answer": _("Please explain the decision in a public answer.")})
    if project is not None and status != Status.TAKEN_UP:
        raise ValidationError({"project": _("Only a proposal taken up is linked to a project.")})
    changed = answer and (answer != proposal.answer or status != proposal.status)
    proposal.status = status
    proposal.answer = answer
    proposal.project = project
    proposal.answered_at = timezone.now() if answer else proposal.answered_at
    proposal.save()
    if changed and proposal.contact_consent and proposal.contact_email:
        enqueue_on_commit(mail.send_answer, proposal.pk)
    return proposal


# Surveys


@transaction.atomic
def survey_set(*, round_: Round, title: str, intro: str = "", ask_contact: bool = False) -> Survey:
    survey, _created = Survey.objects.update_or_create(
        round=round_, defaults={"title": title, "intro": intro, "ask_contact": ask_contact}
    )
    return survey


def parse_choices(kind: str, raw: str) -> list[str]:
    choices = [line.strip() for line in raw.splitlines() if line.strip()]
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE):
        if len(choices) < 2:
            raise ValidationError({"choices": _("Give at least two choices, one per line.")})
        if len(choices) > 20 or any(len(choice) > 200 for choice in choices):
            raise ValidationError(
                {"choices": _("At most 20 choices of at most 200 characters each.")}
            )
        return choices
    return []


@transaction.atomic
def question_add(
    *, survey: Survey, kind: str, text: str, choices: str = "", required: bool = False
) -> Question:
    if survey.responses.exists():
        raise ValidationError(_("The survey has answers already; its questions stay as they are."))
    if survey.questions.count() >= MAX_QUESTIONS:
        raise ValidationError(
            _("A short survey has at most %(n)s questions.") % {"n": MAX_QUESTIONS}
        )
    if kind not in QuestionKind.values:
        raise ValidationError({"kind": _("Please choose one of the listed kinds.")})
    return Question.objects.create(
        survey=survey,
        kind=kind,
        text=text.strip(),
        choices=parse_choices(kind, choices),
        required=required,
        position=survey.questions.count() + 1,
    )


@transaction.atomic
def codes_generate(*, survey: Survey, count: int) -> list[Code]:
    if not 1 <= count <= MAX_CODES:
        raise ValidationError(
            {"count": _("Between 1 and %(max)s codes at a time.") % {"max": MAX_CODES}}
        )
    made: list[Code] = []
    taken = set()
    while len(made) < count:
        value = "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))
        if value in taken:
            continue
        taken.add(value)
        made.append(Code(survey=survey, code=value))
    existing = set(Code.objects.filter(code__in=taken).values_list("code", flat=True))
    made = [code for code in made if code.code not in existing]
    return Code.objects.bulk_create(made)


def normalise_code(value: str) -> str:
    return "".join(ch for ch in value.upper() if ch.isalnum())[:20]


def code_check(*, survey: Survey, value: str) -> Code:
    code = Code.objects.filter(survey=survey, code=normalise_code(value)).first()
    if code is None:
        raise ValidationError({"code": _("This code is not known. Please check it.")})
    if code.used_at is not None:
        raise ValidationError({"code": _("This code has been used already.")})
    return code


def _clean_answers(survey: Survey, data: Mapping[int, object]) -> list[Answer]:
    """Answer rows (unsaved) from {question id: value}; ValidationError per question."""
    rows: list[Answer] = []
    errors: dict[str, str] = {}
    for question in survey.questions.all():
        value = data.get(question.pk)
        key = f"q{question.pk}"
        empty = value in (None, "", [], ())
        if empty:
            if question.required:
                errors[key] = _("Please answer this question.")
            continue
        if question.kind == QuestionKind.TEXT:
            text = str(value).strip()
            if len(text) > MAX_ANSWER_TEXT:
                errors[key] = _("At most %(max)s characters, please; this has %(n)s.") % {
                    "max": MAX_ANSWER_TEXT,
                    "n": len(text),
                }
                continue
            if text:
                rows.append(Answer(question=question, text=text))
            continue
        values = value if isinstance(value, list | tuple) else [value]
        allowed = {option for option, _label in question.options()}
        try:
            numbers = sorted({int(str(item)) for item in values})
        except ValueError:
            numbers = []
        if (
            not numbers
            or any(number not in allowed for number in numbers)
            or (question.kind != QuestionKind.MULTIPLE and len(numbers) > 1)
        ):
            errors[key] = _("Please choose one of the listed answers.")
            continue
        rows.extend(Answer(question=question, value=number) for number in numbers)
    if errors:
        raise ValidationError(errors)
    return rows


@transaction.atomic
def response_submit(
    *,
    survey: Survey,
    ticket: Ticket,
    answers: Mapping[int, object],
    contact_email: str = "",
    contact_consent: bool = False,
    consent_text: str | Promise = "",
) -> Response:
    """Store one response for a ticket (link or code); a used ticket is refused."""
    if ticket.survey_id != survey.pk:
        raise ValidationError(_("This link belongs to another survey."))
    if not survey.round.is_open:
        raise ValidationError(_("The survey is closed."))
    if not survey.questions.exists():
        raise ValidationError(_("This survey has no questions yet."))
    code = None
    if ticket.kind == "code":
        code = Code.objects.select_for_update().filter(survey=survey, code=ticket.value).first()
        if code is None:
            raise ValidationError({"code": _("This code is not known. Please check it.")})
        if code.used_at is not None:
            raise ValidationError(_("This code has been used already."))
    if Response.objects.filter(ticket=ticket.key).exists():
        raise ValidationError(_("This link has been used already: each one answers once."))
    rows = _clean_answers(survey, answers)
    if not rows:
        raise ValidationError(_("Please answer at least one question."))
    if not (survey.ask_contact and contact_consent):
        contact_email = ""
    try:
        with transaction.atomic():
            response = Response.objects.create(
                survey=survey,
                ticket=ticket.key,
                contact_email=contact_email.strip(),
                contact_consent=bool(contact_email),
            )
    except IntegrityError as exc:
        raise ValidationError(_("This link has been used already: each one answers once.")) from exc
    for row in rows:
        row.response = response
    Answer.objects.bulk_create(rows)
    if code is not None:
        code.used_at = timezone.now()
        code.save(update_fields=["used_at"])
    if response.contact_consent:
        consent.record(response, purpose="participation.survey_contact", text=consent_text)
    return response


def share_of(*, question: Question, values: Sequence[int]) -> Decimal | None:
    """Percentage of the responses that answered `question` with one of `values`."""
    answered = question.answers.values("response").distinct().count()
    if not answered:
        return None
    hits = question.answers.filter(value__in=list(values)).values("response").distinct().count()
    return (Decimal(hits) * 100 / Decimal(answered)).quantize(Decimal("0.1"))


@transaction.atomic
def result_record(
    *, question: Question, values: Sequence[int], indicator: Indicator, date: dt.date
):
    """Record the share of answers choosing `values` as a measurement of `indicator`."""
    concept = question.survey.round.concept
    if indicator.concept_id != concept.pk:
        raise ValidationError({"indicator": _("Choose an indicator of this round's concept.")})
    if question.kind == QuestionKind.TEXT:
        raise ValidationError({"question": _("Free-text answers cannot be counted.")})
    allowed = {option for option, _label in question.options()}
    if not values or any(value not in allowed for value in values):
        raise ValidationError({"values": _("Please choose one of the listed answers.")})
    share = share_of(question=question, values=values)
    if share is None:
        raise ValidationError({"question": _("Nobody has answered this question yet.")})
    labels = ", ".join(label for option, label in question.options() if option in values)
    note = _("Survey %(survey)s: %(question)s – %(labels)s") % {
        "survey": question.survey.title,
        "question": question.text,
        "labels": labels,
    }
    return project_services.measurement_record(
        indicator=indicator, date=date, value=share, note=note[:250]
    )


# Personal data


def contacts_purge(*, today: dt.date | None = None, dry_run: bool = False) -> int:
    """Blank contact data of rounds that closed more than the retention period ago."""
    today = today or timezone.localdate()
    count = 0
    rounds = Round.objects.filter(closes_on__lt=today - dt.timedelta(days=retention_days()))
    proposals = Proposal.objects.filter(round__in=rounds).exclude(contact_email="")
    responses = Response.objects.filter(survey__round__in=rounds).exclude(contact_email="")
    count = proposals.count() + responses.count()
    if not dry_run:
        with transaction.atomic():
            proposals.update(
                contact_email="", contact_consent=False, contact_purged_at=timezone.now()
            )
            responses.update(contact_email="", contact_consent=False)
    return count


def ticket_used(ticket: Ticket) -> bool:
    if Response.objects.filter(ticket=ticket.key).exists():
        return True
    if ticket.kind == "code":
        return Code.objects.filter(code=ticket.value, used_at__isnull=False).exists()
    return False
