"""Concepts, versions, progress, projects, budget and programmes: happy paths and bad input."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from quartier.projects import selectors, services
from quartier.projects.models import Concept, Indicator, Measurement, Project, Status
from tests.factories import projects as f

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


def _progress(indicator, value, date=datetime.date(2024, 12, 31)):
    latest = Measurement(indicator=indicator, date=date, value=Decimal(value))
    return selectors.progress_of(indicator, latest)


def test_progress_runs_from_baseline_to_target(world):
    indicator = world.indicator  # 100 → 50, lower is better
    assert _progress(indicator, 75).percent == 50
    assert _progress(indicator, 75).state == "open"
    assert _progress(indicator, 120).percent == 0


def test_a_target_already_reached_is_reached_even_past_it(world):
    item = _progress(world.indicator, 40)
    assert item.state == "reached" and item.percent == 100


def test_a_passed_target_date_without_reaching_it_is_overdue(world):
    indicator = world.indicator
    indicator.target_date = TODAY - datetime.timedelta(days=1)
    assert _progress(indicator, 75).state == "overdue"
    assert selectors.progress_of(indicator, None).state == "overdue"


def test_missing_years_take_the_latest_measurement(world):
    indicator = world.indicator
    services.measurement_record(indicator=indicator, date=datetime.date(2019, 12, 31), value=90)
    (item,) = selectors.indicator_progress([indicator])
    assert item.latest.date == datetime.date(2023, 12, 31)


def test_an_indicator_without_measurements_has_no_data(world):
    indicator = Indicator.objects.create(
        goal=world.goal, concept=world.concept, code="neu", name="Neu", baseline=1,
        baseline_date=TODAY, target=2, target_date=TODAY.replace(year=TODAY.year + 1),
    )  # fmt: skip
    (item,) = selectors.indicator_progress([indicator])
    assert item.state == "no_data" and item.percent is None


def test_an_update_keeps_the_earlier_version_readable_and_comparable(world):
    concept = world.concept
    services.measurement_record(indicator=world.indicator, date=TODAY, value=60)
    newer = services.concept_update(concept=concept, note="2027")
    concept.refresh_from_db()
    assert not concept.is_current and newer.is_current and newer.version == concept.version + 1
    assert newer.lineage == concept.lineage == world.first_concept.pk
    # The earlier version keeps its own measurements; the new one starts with a copy.
    assert concept.indicators.get().measurements.count() == 2
    assert newer.indicators.get().measurements.count() == 2
    target = newer.indicators.get()
    target.target = Decimal(40)
    target.save()
    (row,) = selectors.compare(concept, newer)
    assert row["old"].indicator.target == 50 and row["new"].indicator.target == 40


def test_an_earlier_version_cannot_be_changed_or_updated_again(world):
    with pytest.raises(ValidationError, match="frühere Fassung"):
        services.field_add(concept=world.first_concept, title="Wohnen")
    with pytest.raises(ValidationError, match="frühere Fassung"):
        services.concept_update(concept=world.first_concept)
    assert Concept.objects.filter(lineage=world.concept.lineage).count() == 2


def test_indicator_codes_are_unique_per_concept(world):
    with pytest.raises(ValidationError):
        services.indicator_create(
            goal=world.goal,
            fields={"code": "arbeitslose", "name": "Doppelt", "baseline": 1,
                    "baseline_date": TODAY, "target": 2, "target_date": TODAY},
        )  # fmt: skip


def test_status_changes_are_in_the_history(world):
    project = world.idea_project
    for status in (Status.PLANNED, Status.APPLIED, Status.REJECTED):
        services.project_set_status(project=project, status=status, user=world.users["admin"])
    rows = project.history.order_by("history_date", "history_id").values_list("status", flat=True)
    # Saving the areas with the project adds a row of the same status; the changes are in order.
    changes = [s for i, s in enumerate(rows) if i == 0 or rows[i - 1] != s]
    assert changes == ["idea", "planned", "applied", "rejected"]
    assert project.history.latest().history_user == world.users["admin"]


def test_running_needs_a_start_date(world):
    project = f.project([world.district], world.organisation, title="Ohne Start", starts_on=None,
                        status=Status.APPROVED)  # fmt: skip
    with pytest.raises(ValidationError, match="Beginndatum"):
        services.project_set_status(project=project, status=Status.RUNNING)


def test_an_end_before_the_start_is_refused(world):
    with pytest.raises(ValidationError):
        f.project([world.district], world.organisation, title="Rückwärts",
                  starts_on=TODAY, ends_on=TODAY - datetime.timedelta(days=1))  # fmt: skip
    assert not Project.objects.filter(title="Rückwärts").exists()


def test_a_project_moved_to_another_area_must_drop_goals_of_the_old_one(world):
    project = world.project
    with pytest.raises(ValidationError, match="Weniger Langzeitarbeitslose"):
        services.project_update(project=project, fields={}, areas=[world.other_city])
    assert list(project.areas.all()) == [world.district]
    services.project_update(project=project, fields={}, areas=[world.other_city], goals=[])
    assert list(project.areas.all()) == [world.other_city]
    assert project.budget_lines.count() == 1  # budget and history stay


def test_spent_beyond_approved_is_allowed_and_flagged(world):
    line = f.line(world.project, world.programme, approved=500, spent=700)
    assert line.overspent
    data = selectors.area_dashboard(world.district)
    assert data["overspent"] == 1


def test_a_budget_year_outside_the_programme_is_refused(world):
    with pytest.raises(ValidationError, match="liegt außerhalb"):
        f.line(world.project, world.programme, year=2010)
    with pytest.raises(ValidationError, match="negativ"):
        f.line(world.project, world.programme, spent=-1)


def test_a_shorter_runtime_is_refused_while_budget_lines_lie_beyond_it(world):
    programme = world.programme
    with pytest.raises(ValidationError, match=world.project.title):
        services.programme_update(
            programme=programme, fields={"ends_on": datetime.date(TODAY.year - 1, 12, 31)}
        )
    programme.refresh_from_db()
    assert programme.ends_on.year == TODAY.year + 2


def test_continuation_tasks_follow_a_changed_programme_end(world):
    programme = world.programme
    task = f.task(world.district, programme=programme, days=0, ends_on=programme.ends_on)
    longer = programme.ends_on.replace(year=programme.ends_on.year + 1)
    services.programme_update(programme=programme, fields={"ends_on": longer})
    task.refresh_from_db()
    assert task.ends_on == longer


def test_continuation_gaps_are_tasks_ending_soon_without_a_successor(world):
    gaps = list(selectors.continuation_gaps())
    assert gaps == [world.continuation_task]
    f.task(world.district, programme=world.programme, days=300)  # later than six months
    f.task(world.district, programme=world.programme, days=30, successor_partnership="Verein")
    f.task(world.district, programme=world.programme, days=-1)  # ended already
    assert list(selectors.continuation_gaps()) == gaps


def test_a_task_needs_an_origin(world):
    with pytest.raises(ValidationError, match="Programm oder Projekt"):
        f.task(world.district)
