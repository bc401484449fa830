"""Participation in the shared test world: an open round on the Nordviertel's current concept
with a proposal (a consenting proposer whose address is secret), a survey with a scale and a
single-choice question, an unused printed code and one response; a draft round without
answers (for building a survey) and a round in Anderstadt (outside the coordinator's areas)."""

import datetime

from django.utils import timezone

from quartier.participation import services
from quartier.participation.models import Proposal, QuestionKind
from quartier.participation.tokens import Ticket
from tests import sentinels

ORDER = 125  # after projects (world.concept)


def open_round(concept, title="Fortschreibung Nord", **values):
    today = timezone.localdate()
    return services.round_create(
        concept=concept,
        title=title,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=30),
        **values,
    )


def extend(world) -> None:
    concept = world.concept
    field = concept.fields.get()
    round_ = open_round(concept, description=sentinels.public("participation round description"))
    proposal = services.proposal_submit(
        round_=round_,
        field=field,
        title="Bänke am Marktplatz",
        text=f"Mehr Bänke bitte. {sentinels.public('participation proposal text')}",
        lat=49.76,
        lon=6.64,
        contact_email=sentinels.secret_email("participation proposer"),
        contact_consent=True,
        consent_text="Einwilligung",
    )
    Proposal.objects.filter(pk=proposal.pk).update(project=world.project, status="taken_up")
    survey = services.survey_set(round_=round_, title="Kurze Umfrage")
    scale = services.question_add(
        survey=survey, kind=QuestionKind.SCALE, text="Wie gern leben Sie hier?"
    )
    single = services.question_add(
        survey=survey, kind=QuestionKind.SINGLE, text="Wie oft?", choices="oft\nselten"
    )
    services.question_add(survey=survey, kind=QuestionKind.TEXT, text="Was noch?")
    code, used_code = services.codes_generate(survey=survey, count=2)
    services.response_submit(
        survey=survey,
        ticket=Ticket(survey.pk, "code", used_code.code),
        answers={scale.pk: "4", single.pk: "0"},
    )
    draft = open_round(concept, title="Entwurf Nord")
    draft_survey = services.survey_set(round_=draft, title="Entwurf")
    other = open_round(world.other_concept, title="Fortschreibung Anderstadt")
    world.extra.update(
        round=round_,
        field=field,
        proposal=proposal,
        survey=survey,
        scale_question=scale,
        single_question=single,
        survey_code=code,
        used_code=used_code,
        draft_round=draft,
        draft_survey=draft_survey,
        other_round=other,
    )
