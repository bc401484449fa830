"""Projects in the shared test world: a concept of the Nordviertel in two versions (the first
kept, the second current), a running project of the world's organisation serving its goal, an
idea of the other organisation in the Nordviertel, a project elsewhere, a programme with a
coordinator and a continuation task without a successor.

District fund: world.fund of the Nordviertel (budget 1000, cap 600, decided by world.body) with
world.application (received), world.agenda_application (on the agenda of world.past_meeting,
so its vote can be recorded), world.granted_application (granted 200, public title); and
world.other_fund of the Anderstadt with world.other_application."""

from quartier.networks.models import AgendaItem
from quartier.projects import services
from quartier.projects.models import FundStatus, Status
from tests import sentinels
from tests.factories import projects as f

ORDER = 120


def extend(world) -> None:
    first, _field, _goal, _indicator = f.concept_with_indicator(world.district)
    concept = services.concept_update(concept=first, note="Fortschreibung")
    first.refresh_from_db()
    goal = concept.fields.get().goals.get()
    other_concept, *_rest = f.concept_with_indicator(world.other_city, title="Anderskonzept")
    programme = f.programme([world.district], coordinator=world.users["coordinator"])
    project = f.project(
        [world.district],
        world.organisation,
        goals=[goal],
        description=f"Beete für alle. {sentinels.public('project description')}",
        lat=49.76,
        lon=6.63,
    )
    idea = f.project(
        [world.district], world.other_organisation, title="Idee Spielplatz", status=Status.IDEA
    )
    other_project = f.project([world.other_city], world.other_organisation, title="Anderprojekt")
    f.line(project, programme)
    fund = f.fund(world.district, budget=1000, cap=600, body=world.body)
    secret = {
        "applicant_name": sentinels.secret("fund applicant name"),
        "applicant_email": sentinels.secret_email("fund applicant email"),
    }
    application = f.application(fund, title="Hoffest", **secret)
    agenda_item = AgendaItem.objects.create(
        meeting=world.past_meeting,
        title="Verfügungsfonds: Lesecafé",
        status=AgendaItem.Status.ACCEPTED,
        position=5,
    )
    agenda_application = f.application(
        fund, title="Lesecafé", amount=400, agenda_item=agenda_item, status=FundStatus.AGENDA,
        **secret,
    )  # fmt: skip
    granted = f.application(
        fund, title=sentinels.public("fund granted title"), amount=200, amount_granted=200,
        status=FundStatus.GRANTED, **secret,
    )  # fmt: skip
    other_fund = f.fund(world.other_city, title="Verfügungsfonds Anderstadt")
    other_application = f.application(other_fund, title="Anderfest", **secret)
    world.extra.update(
        fund=fund,
        application=application,
        agenda_application=agenda_application,
        granted_application=granted,
        other_fund=other_fund,
        other_application=other_application,
        concept=concept,
        first_concept=first,
        goal=goal,
        indicator=concept.indicators.get(),
        other_concept=other_concept,
        programme=programme,
        project=project,
        idea_project=idea,
        other_project=other_project,
        continuation_task=f.task(world.district, programme=programme),
    )
