"""The district fund's vote recorded from the minutes editor of the meeting where the
application is on the agenda: the same service as on the application's page (row-locked, never
more than is left), the same permission, errors as messages on the meeting page."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartier.accounts.models import Role, RoleAssignment
from quartier.networks.models import AgendaItem, Decision, Minutes
from quartier.projects import services
from quartier.projects.models import FundStatus
from tests.budget import assert_queries_do_not_grow
from tests.factories import projects as f
from tests.factories.accounts import UserFactory
from tests.factories.networks import BodyFactory

pytestmark = pytest.mark.django_db


def vote_url(application) -> str:
    return reverse("backoffice:projects:application_vote", kwargs={"pk": application.pk})


def meeting_url(meeting) -> str:
    return reverse("backoffice:networks:meeting", kwargs={"pk": meeting.pk})


def vote_data(application, **extra):
    data = {
        "outcome": "granted",
        "amount_granted": "400",
        "votes_for": "5",
        "votes_against": "1",
        "abstentions": "2",
        "note": "",
    }
    data.update(extra)
    return {f"fund-{application.pk}-{key}": value for key, value in data.items()}


def nothing_written(application, decisions: int) -> None:
    application.refresh_from_db()
    assert application.status == FundStatus.AGENDA and application.amount_granted is None
    assert Decision.objects.count() == decisions and mail.outbox == []


def test_the_minutes_editor_offers_the_vote_on_the_applications_agenda_item(world):
    page = world.client("coordinator").get(meeting_url(world.past_meeting)).content.decode()
    application = world.agenda_application
    assert f'id="fund-{application.pk}"' in page and application.agenda_item.title in page
    assert f'action="{vote_url(application)}"' in page
    assert f'id="id_fund-{application.pk}-votes_for"' in page
    assert "800,00 €" in page  # left: the budget of 1,000 less the 200 granted


def test_the_vote_from_the_minutes_editor_goes_into_the_minutes(
    world, django_capture_on_commit_callbacks
):
    application = world.agenda_application
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(vote_url(application), vote_data(application, amount_granted="300"))
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url(world.past_meeting)}#fund-{application.pk}"
    application.refresh_from_db()
    assert application.status == FundStatus.PARTLY and application.amount_granted == 300
    assert (application.votes_for, application.votes_against, application.abstentions) == (5, 1, 2)
    decision = Decision.objects.get(pk=application.decision_id)
    assert decision.minutes == Minutes.objects.get(meeting=world.past_meeting)
    assert decision.agenda_item == application.agenda_item
    assert [m.to for m in mail.outbox] == [[application.applicant_email]]
    # Back in the editor: the decision stands in the minutes, no second vote is offered.
    page = client.get(response["Location"]).content.decode()
    assert decision.text in page and f'action="{vote_url(application)}"' not in page


def test_a_meeting_that_has_not_taken_place_refuses_the_vote(world):
    application = world.application
    services.fund_application_put_on_agenda(
        application=application, meeting=world.meeting, user=world.users["coordinator"]
    )
    client = world.client("coordinator")
    page = client.get(meeting_url(world.meeting)).content.decode()
    assert f'action="{vote_url(application)}"' not in page  # no minutes editor yet
    decisions = Decision.objects.count()
    response = client.post(vote_url(application), vote_data(application, amount_granted="300"))
    assert response.status_code == 302
    assert response["Location"] == f"{meeting_url(world.meeting)}#fund-{application.pk}"
    message = client.get(response["Location"]).content.decode()
    assert "sobald die Sitzung begonnen hat" in message or "once the meeting has begun" in message
    application.refresh_from_db()
    assert application.status == FundStatus.AGENDA and application.amount_granted is None
    assert (
        Decision.objects.count() == decisions
        and not Minutes.objects.filter(meeting=world.meeting).exists()
    )


def test_more_than_is_left_is_refused_with_a_clear_message_and_nothing_written(world):
    world.granted_application.amount_granted = Decimal(700)
    world.granted_application.save()  # 300 left
    application = world.agenda_application
    client = world.client("coordinator")
    decisions = Decision.objects.count()
    response = client.post(vote_url(application), vote_data(application, amount_granted="400"))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "300" in page and "400" in page  # what is left, what was asked
    nothing_written(application, decisions)


@pytest.mark.parametrize(
    "extra",
    [
        {"amount_granted": "500"},  # more than requested
        {"amount_granted": ""},
        {"votes_for": "-1"},
        {"votes_against": "viele"},
        {"outcome": "vielleicht"},
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_written(world, extra):
    application = world.agenda_application
    client = world.client("coordinator")
    decisions = Decision.objects.count()
    response = client.post(vote_url(application), vote_data(application, **extra))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "message-error" in page
    nothing_written(application, decisions)


def test_approved_minutes_take_no_vote(world):
    minutes = Minutes.objects.get(meeting=world.past_meeting)
    minutes.status = Minutes.Status.APPROVED
    minutes.approved_at = timezone.now()
    minutes.save()
    application = world.agenda_application
    decisions = Decision.objects.count()
    world.client("coordinator").post(vote_url(application), vote_data(application))
    nothing_written(application, decisions)


def test_an_application_without_an_agenda_goes_back_to_its_page(world):
    application = world.application
    response = world.client("coordinator").post(vote_url(application), vote_data(application))
    assert response["Location"] == reverse(
        "backoffice:projects:application", kwargs={"pk": application.pk}
    )
    application.refresh_from_db()
    assert application.status == FundStatus.RECEIVED


@pytest.fixture
def other_network_coordinator(world):
    """The coordinator of another network, in another area."""
    user = UserFactory(username="anderes-netzwerk")
    RoleAssignment.objects.create(
        user=user, role=Role.COORDINATOR, organisation=world.other_organisation,
        area=world.other_city,
    )  # fmt: skip
    BodyFactory(
        name="Netzwerk Anderstadt", slug="netzwerk-anderstadt",
        coordinating_organisation=world.other_organisation, areas=[world.other_city],
    )  # fmt: skip
    return user


@pytest.mark.parametrize("role", ["other_network", "planner", "editor", "resident"])
def test_only_who_may_vote_on_the_applications_page_may_vote_here(
    world, client, role, other_network_coordinator
):
    user = other_network_coordinator if role == "other_network" else world.users[role]
    client.force_login(user)
    application = world.agenda_application
    decisions = Decision.objects.count()
    assert client.post(vote_url(application), vote_data(application)).status_code == 403
    nothing_written(application, decisions)


def test_the_planner_sees_the_applications_on_the_agenda_without_a_form(world):
    response = world.client("planner").get(meeting_url(world.past_meeting))
    if response.status_code == 200:  # the planner may see the meeting page of the body
        page = response.content.decode()
        assert f'action="{vote_url(world.agenda_application)}"' not in page


def test_the_minutes_editor_has_a_query_budget(world):
    client = world.client("coordinator")
    counter = iter(range(1000))

    def add(n):
        for _i in range(n):
            i = next(counter)
            item = AgendaItem.objects.create(
                meeting=world.past_meeting, title=f"Verfügungsfonds {i}", position=10 + i,
                status=AgendaItem.Status.ACCEPTED,
            )  # fmt: skip
            f.application(
                world.fund, title=f"Antrag {i}", amount=50, agenda_item=item,
                status=FundStatus.AGENDA,
            )  # fmt: skip

    def fetch():
        assert client.get(meeting_url(world.past_meeting)).status_code == 200

    assert_queries_do_not_grow(fetch, add, n=3)
