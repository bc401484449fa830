"""Projects in the shared test world: a concept of the Nordviertel in two versions (the first
kept, the second current), a running project of the world's organisation serving its goal, an
idea of the other organisation in the Nordviertel, a project elsewhere, a programme with a
coordinator and a continuation task without a successor."""

from quartier.projects import services
from quartier.projects.models import Status
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
    world.extra.update(
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
