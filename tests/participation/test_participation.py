"""Participation: proposals with their bad input, support once, public answers and the link to
a project, surveys by code and signed link (one answer each), results as charts with tables
and CSV, results recorded as measurements, permissions, privacy and retention."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from quartier.core.privacy import Subject
from quartier.participation import privacy, retention, selectors, services, tokens
from quartier.participation.models import (
    Answer,
    Code,
    Proposal,
    QuestionKind,
    Response,
    Round,
    Support,
)
from quartier.participation.tokens import Ticket
from quartier.projects.models import Measurement
from tests.factories.areas import square

pytestmark = pytest.mark.django_db


def propose(client, world, **extra):
    data = {"field": world.field.pk, "title": "Ein Trinkbrunnen", "text": "Am Spielplatz, bitte."}
    data.update(extra)
    return client.post(reverse("participation:propose", kwargs={"slug": world.round.slug}), data)


# Proposals


def test_a_resident_proposes_with_a_place_and_a_consented_address(world, client):
    response = propose(
        client, world, lat="49.761", lon="6.642", contact_consent="on",
        contact_email="anna@example.org",
    )  # fmt: skip
    assert response.status_code == 302
    proposal = Proposal.objects.get(title="Ein Trinkbrunnen")
    assert proposal.contact_email == "anna@example.org"
    assert proposal.consents.count() == 1
    page = client.get(proposal.get_absolute_url())
    assert "Am Spielplatz" in page.content.decode()
    assert "anna@example.org" not in page.content.decode()


def test_without_consent_the_address_is_dropped(world, client):
    propose(client, world, contact_email="anna@example.org")
    assert Proposal.objects.get(title="Ein Trinkbrunnen").contact_email == ""


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"field": "999999"}, "field"),
        ({"text": "x" * 100_000}, "text"),
        ({"title": ""}, "title"),
        ({"contact_consent": "on"}, "contact_email"),
        ({"lat": "49.7"}, None),
        ({"website_url": "http://spam.example"}, None),
    ],
)
def test_bad_proposals_are_refused_and_nothing_is_stored(world, client, extra, field):
    before = Proposal.objects.count()
    response = propose(client, world, **extra)
    assert response.status_code == 400
    assert Proposal.objects.count() == before
    if field:
        assert field in response.context["form"].errors


def test_the_field_of_another_concept_is_refused(world, client):
    other_field = world.other_concept.fields.get()
    response = propose(client, world, field=str(other_field.pk))
    assert response.status_code == 400
    with pytest.raises(ValidationError):
        services.proposal_submit(round_=world.round, field=other_field, title="a", text="b")


def test_a_point_outside_the_area_is_refused(world, client):
    district = world.district
    district.boundary = square(6.60, 49.70, 0.1)
    district.full_clean()
    district.save()
    inside = propose(client, world, lat="49.75", lon="6.65", title="Drinnen")
    assert inside.status_code == 302
    outside = propose(client, world, lat="52.14", lon="11.56", title="Draußen")
    assert outside.status_code == 400
    assert "place" in str(outside.context["form"].errors) or outside.context["form"].errors
    assert not Proposal.objects.filter(title="Draußen").exists()


def test_a_closed_round_takes_no_proposals(world, client):
    Round.objects.filter(pk=world.round.pk).update(closes_on=timezone.localdate() - dt.timedelta(1))
    before = Proposal.objects.count()
    assert propose(client, world).status_code == 409
    assert Proposal.objects.count() == before


def test_one_support_per_browser_and_per_account(world, client):
    url = reverse("participation:support", kwargs={"pk": world.proposal.pk})
    client.post(url)
    client.post(url)
    world.proposal.refresh_from_db()
    assert world.proposal.supports == 1
    resident = world.client("resident")
    resident.post(url)
    resident.post(url)
    world.proposal.refresh_from_db()
    assert world.proposal.supports == 2
    assert Support.objects.filter(proposal=world.proposal).count() == 2


def test_the_coordinator_answers_and_links_the_project(world, django_capture_on_commit_callbacks):
    client = world.client("coordinator")
    url = reverse("backoffice:participation:answer", kwargs={"pk": world.proposal.pk})
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url, {"status": "taken_up", "answer": "Wird umgesetzt.", "project": world.project.pk}
        )
    assert response.status_code == 302
    world.proposal.refresh_from_db()
    assert world.proposal.project == world.project
    assert world.proposal.answered_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.proposal.contact_email]
    assert "Wird umgesetzt." in mail.outbox[0].body
    page = client.get(world.proposal.get_absolute_url()).content.decode()
    assert "Wird umgesetzt." in page
    project_page = client.get(world.project.get_absolute_url()).content.decode()
    assert world.proposal.title in project_page


def test_a_project_outside_the_coordinators_areas_cannot_be_linked(world):
    client = world.client("coordinator")
    url = reverse("backoffice:participation:answer", kwargs={"pk": world.proposal.pk})
    response = client.post(
        url, {"status": "taken_up", "answer": "Ja.", "project": world.other_project.pk}
    )
    assert response.status_code == 400
    world.proposal.refresh_from_db()
    assert world.proposal.project != world.other_project


def test_planners_read_but_do_not_answer(world):
    client = world.client("planner")
    url = reverse("backoffice:participation:answer", kwargs={"pk": world.proposal.pk})
    assert client.post(url, {"status": "review", "answer": "x"}).status_code == 403
    page = client.get(reverse("backoffice:participation:round", kwargs={"pk": world.round.pk}))
    assert page.status_code == 200
    assert "participation/backoffice/round.html" in [t.name for t in page.templates]


def test_the_round_page_lists_proposals_on_a_map_with_a_budget(
    world, client, django_assert_max_num_queries
):
    for n in range(5):
        services.proposal_submit(
            round_=world.round, field=world.field, title=f"Vorschlag {n}", text="Text",
            lat=49.7 + n / 100, lon=6.6,
        )  # fmt: skip
    with django_assert_max_num_queries(12):
        response = client.get(world.round.get_absolute_url())
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="proposal-points"' in body
    assert "Vorschlag 4" in body
    assert "49.76" in body  # rounded public position


# Surveys


def test_a_printed_code_answers_once(world, client):
    start = reverse("participation:survey", kwargs={"slug": world.round.slug})
    response = client.post(start, {"code": world.survey_code.code.lower()})
    assert response.status_code == 302
    answer_url = response["Location"]
    data = {f"q{world.scale_question.pk}": "5", f"q{world.single_question.pk}": "1"}
    assert client.post(answer_url, data).status_code == 302
    assert Code.objects.get(pk=world.survey_code.pk).used_at is not None
    before = Answer.objects.count()
    again = client.post(answer_url, data)
    assert again.status_code == 409
    assert Answer.objects.count() == before
    assert client.post(start, {"code": world.survey_code.code}).status_code == 400


def test_a_signed_link_answers_once(world, client):
    url = tokens.answer_url(tokens.link_token(world.survey), absolute=False)
    data = {f"q{world.scale_question.pk}": "3"}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 409
    assert client.get(url).status_code == 409


def test_the_service_refuses_a_second_answer_with_the_same_ticket(world):
    ticket = Ticket(world.survey.pk, "link", "abc")
    answers = {world.scale_question.pk: "2"}
    services.response_submit(survey=world.survey, ticket=ticket, answers=answers)
    with pytest.raises(ValidationError):
        services.response_submit(survey=world.survey, ticket=ticket, answers=answers)
    assert Response.objects.filter(ticket=ticket.key).count() == 1


def test_an_expired_or_changed_link_is_refused(world, client, settings):
    token = tokens.link_token(world.survey)
    settings.QUARTIER_PARTICIPATION_LINK_DAYS = -1
    response = client.get(tokens.answer_url(token, absolute=False))
    assert response.status_code == 400
    settings.QUARTIER_PARTICIPATION_LINK_DAYS = 60
    assert client.get(tokens.answer_url(token[:-2] + "xx", absolute=False)).status_code == 404


@pytest.mark.parametrize(
    "data",
    [
        {},  # nothing answered
        {"q{scale}": "9"},  # not on the scale
        {"q{single}": "0", "q{scale}": "abc"},
        {"q{scale}": "3", "q{text}": "x" * 100_000},
        {"q{scale}": "3", "website_url": "spam"},
    ],
)
def test_bad_answers_store_nothing(world, client, data):
    text_question = world.survey.questions.get(kind=QuestionKind.TEXT)
    keys = {
        "scale": world.scale_question.pk,
        "single": world.single_question.pk,
        "text": text_question.pk,
    }
    posted = {key.format(**keys): value for key, value in data.items()}
    url = tokens.answer_url(tokens.link_token(world.survey), absolute=False)
    before = (Response.objects.count(), Answer.objects.count())
    assert client.post(url, posted).status_code == 400
    assert (Response.objects.count(), Answer.objects.count()) == before


def test_a_survey_without_questions_takes_no_answers(world, client):
    url = tokens.answer_url(tokens.link_token(world.draft_survey), absolute=False)
    assert client.get(url).status_code == 409
    with pytest.raises(ValidationError):
        services.response_submit(
            survey=world.draft_survey, ticket=Ticket(world.draft_survey.pk, "link", "n"), answers={}
        )


def test_a_link_of_another_survey_is_refused(world):
    with pytest.raises(ValidationError):
        services.response_submit(
            survey=world.survey,
            ticket=Ticket(world.draft_survey.pk, "link", "n"),
            answers={world.scale_question.pk: "3"},
        )


def test_results_are_charts_with_tables_and_csv(world, client):
    response = client.get(reverse("participation:results", kwargs={"slug": world.round.slug}))
    body = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in body and "<title id=" in body and "<desc id=" in body
    assert "<table>" in body
    assert "http" not in body.split("<svg", 1)[1].split("</svg>", 1)[0].replace(
        "http://www.w3.org/2000/svg", ""
    )
    csv = client.get(reverse("participation:results_csv", kwargs={"slug": world.round.slug}))
    text = csv.content.decode("utf-8-sig")
    assert "Wie gern leben Sie hier?;4;1;100,0" in text


def test_free_texts_stay_in_the_back_office(world, client):
    text_question = world.survey.questions.get(kind=QuestionKind.TEXT)
    services.response_submit(
        survey=world.survey,
        ticket=Ticket(world.survey.pk, "link", "t"),
        answers={text_question.pk: "Geheimer Freitext"},
    )
    public = client.get(reverse("participation:results", kwargs={"slug": world.round.slug}))
    assert "Geheimer Freitext" not in public.content.decode()
    staff = world.client("planner").get(
        reverse("backoffice:participation:results", kwargs={"pk": world.round.pk})
    )
    assert "Geheimer Freitext" in staff.content.decode()
    export = world.client("planner").get(
        reverse("backoffice:participation:export", kwargs={"pk": world.round.pk})
    )
    assert "Geheimer Freitext" in export.content.decode("utf-8-sig")


def test_a_result_feeds_an_indicator(world):
    client = world.client("coordinator")
    response = client.post(
        reverse("backoffice:participation:record", kwargs={"pk": world.round.pk}),
        {
            "question": world.scale_question.pk,
            "values": "4,5",
            "indicator": world.indicator.pk,
            "date": "2026-06-30",
        },
    )
    assert response.status_code == 302
    measurement = Measurement.objects.get(indicator=world.indicator, date=dt.date(2026, 6, 30))
    assert measurement.value == 100


def test_an_indicator_of_another_concept_is_refused(world):
    other = world.other_concept.indicators.get()
    with pytest.raises(ValidationError):
        services.result_record(
            question=world.scale_question, values=[4], indicator=other, date=dt.date(2026, 1, 1)
        )
    assert not Measurement.objects.filter(indicator=other, date=dt.date(2026, 1, 1)).exists()


def test_codes_are_unique_and_printable(world):
    made = services.codes_generate(survey=world.survey, count=50)
    assert len({code.code for code in made}) == 50
    with pytest.raises(ValidationError):
        services.codes_generate(survey=world.survey, count=0)
    sheet = world.client("coordinator").get(
        reverse("backoffice:participation:codes", kwargs={"pk": world.round.pk})
    )
    assert made[0].code in sheet.content.decode()
    assert world.used_code.code not in sheet.content.decode()


def test_questions_stay_once_answered(world):
    with pytest.raises(ValidationError):
        services.question_add(survey=world.survey, kind="text", text="Neu")
    with pytest.raises(ValidationError):
        services.question_add(survey=world.draft_survey, kind="single", text="x", choices="a")


def test_results_count_in_few_queries(world, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        total, found = selectors.results(world.survey, with_texts=True)
    assert total == 1
    scale = next(r for r in found if r.question == world.scale_question)
    assert [bar.value for bar in scale.bars] == [0, 0, 0, 1, 0]
    assert scale.mean == 4


# Shared pages


def test_area_page_shows_open_rounds(world, client):
    page = client.get(reverse("areas:detail", kwargs={"slug": world.district.slug}))
    assert world.round.title in page.content.decode()


# Privacy


def test_export_and_erase(world):
    email = world.proposal.contact_email
    subject = Subject(email=email)
    exported = privacy.export(subject)
    assert exported["participation.proposer"][0]["contact_email"] == email
    counts = privacy.erase(subject)
    assert counts["participation.proposer"] == 1
    world.proposal.refresh_from_db()
    assert world.proposal.contact_email == ""
    assert Proposal.objects.filter(pk=world.proposal.pk).exists()


def test_retention_blanks_addresses_after_the_round_closed(world):
    assert (
        retention.purge(dry_run=True)["e-mail addresses of proposers and survey respondents"] == 0
    )
    Round.objects.filter(pk=world.round.pk).update(
        opens_on=dt.date(2020, 1, 1), closes_on=dt.date(2020, 2, 1)
    )
    assert services.contacts_purge(dry_run=True) == 1
    world.proposal.refresh_from_db()
    assert world.proposal.contact_email
    assert services.contacts_purge() == 1
    world.proposal.refresh_from_db()
    assert world.proposal.contact_email == ""


def test_demo_loads_twice_without_change(db):
    from quartier.core.demo import DemoContext
    from quartier.participation import demo

    ctx = DemoContext()
    demo.load(ctx)  # without the projects demo: nothing to attach to, nothing written
    assert not Round.objects.exists()


def test_the_back_office_round_page_has_a_query_budget(world, django_assert_max_num_queries):
    for n in range(8):
        services.proposal_submit(
            round_=world.round, field=world.field, title=f"Vorschlag {n}", text="Text"
        )
    client = world.client("coordinator")
    url = reverse("backoffice:participation:round", kwargs={"pk": world.round.pk})
    client.get(url)
    with django_assert_max_num_queries(30):
        response = client.get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count('id="id_p') > 8  # one answer form per proposal, ids not repeated
    assert body.count('id="id_count"') == 1
    assert world.proposal.contact_email in body  # the coordinator sees the reply address
    planner = world.client("planner").get(url).content.decode()
    assert world.proposal.contact_email not in planner
