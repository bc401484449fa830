"""The review of offers: what the reviewer sees, the mails to the editors, the required reason
for sending back, and the four-eyes principle (QUARTIER_REVIEW_FOUR_EYES)."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import resolve_url
from django.urls import reverse

from quartier.accounts.models import Role, RoleAssignment
from quartier.offers import services
from quartier.offers.models import Offer, OfferRevision, ReviewState, RevisionState
from quartier.offers.snapshot import offer_snapshot
from tests.factories.accounts import UserFactory
from tests.factories.offers import (
    LocationFactory,
    ScheduleFactory,
    TargetGroupFactory,
    TaxonomyTermFactory,
)
from tests.world import ROLES

pytestmark = pytest.mark.django_db


def _url(name, offer):
    return reverse(f"backoffice:offers:{name}", kwargs={"pk": offer.pk})


def _state(offer):
    return Offer.objects.get(pk=offer.pk).review_state


@pytest.fixture
def four_eyes(settings):
    settings.QUARTIER_REVIEW_FOUR_EYES = True


@pytest.fixture
def submitted(world):
    """The world's draft, filled in and submitted by the editor, who works in English."""
    offer = world.draft_offer
    offer.description = "Hilfe bei den Hausaufgaben, montags."
    offer.easy_language_description = "Wir helfen bei den Haus-Aufgaben."
    offer.cost = "fee"
    offer.fees_description = "2 Euro im Monat"
    offer.save()
    offer.topics.set([TaxonomyTermFactory(name="Lernförderung")])
    offer.target_groups.set([TargetGroupFactory(name="Schulkinder")])
    offer.contacts.set([world.person, world.internal_person])
    location = LocationFactory(organisation=world.organisation, name="Jugendraum Nord")
    offer.locations.add(location)
    ScheduleFactory(offer=offer, weekday=0, opens_at="14:00", closes_at="16:00")
    services.offer_submit(offer=offer, by=world.users["editor"], language="en")
    return offer


def _other_coordinator(world):
    user = UserFactory(username="coordinator-elsewhere")
    RoleAssignment.objects.create(user=user, role=Role.COORDINATOR, area=world.other_city)
    return user


# --- what the reviewer sees -------------------------------------------------------------------


def test_review_page_shows_a_new_offers_content(world, submitted, django_assert_max_num_queries):
    client = world.client("planner")
    with django_assert_max_num_queries(24):
        response = client.get(_url("review", submitted))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Hausaufgabenhilfe Nord",
        "Hilfe bei den Hausaufgaben, montags.",
        "Wir helfen bei den Haus-Aufgaben.",
        "Lernförderung",
        "Schulkinder",
        "2 Euro im Monat",
        "Jugendraum Nord",
        "14:00–16:00",
        "Beispiel",  # the public contact person
    ):
        assert text in html, text
    # A contact with an internal position stays out, as on the public page.
    assert world.internal_person.family_name not in html
    assert _url("publish", submitted) in html  # four eyes off: the button is offered


def test_review_page_of_a_change_compares_field_by_field(world, django_assert_max_num_queries):
    offer = world.offer
    data = offer_snapshot(offer)
    data["fees_description"] = "1 Euro"
    data["schedules"] = [
        {**item, "weekday": 2, "description": "nicht in den Ferien"} for item in data["schedules"]
    ]
    services.offer_save(offer=offer, data=data, by=world.users["editor"])
    client = world.client("coordinator")
    with django_assert_max_num_queries(24):
        response = client.get(_url("review", offer))
    html = response.content.decode()
    assert "Vorgeschlagen" in html
    assert "Montag" in html.split("<del>", 1)[1]  # old weekday, readable
    assert "Mittwoch" in html and "nicht in den Ferien" in html
    assert "1 Euro" in html
    assert "{" not in html.split("<table>", 1)[1].split("</table>", 1)[0]  # no raw JSON


def test_editor_cannot_review(world, submitted):
    client = world.client("editor")
    assert client.get(_url("review", submitted)).status_code == 403
    assert client.post(_url("publish", submitted)).status_code == 403
    with pytest.raises(PermissionDenied):
        services.offer_publish(offer=submitted, by=world.users["editor"])
    assert _state(submitted) == ReviewState.IN_REVIEW


def test_coordinator_of_another_area_cannot_review(world, submitted):
    from django.test import Client

    client = Client()
    client.force_login(_other_coordinator(world))
    assert client.get(_url("review", submitted)).status_code == 403
    assert client.post(_url("publish", submitted)).status_code == 403
    assert client.post(_url("return", submitted), {"note": "Nein"}).status_code == 403
    assert _state(submitted) == ReviewState.IN_REVIEW


# --- sending back needs a reason ----------------------------------------------------------------


@pytest.mark.parametrize("note", ["", "   "])
def test_send_back_without_reason_is_a_form_error(world, submitted, note, mailoutbox):
    client = world.client("coordinator")
    response = client.post(_url("return", submitted), {"note": note})
    assert response.status_code == 422
    assert "Bitte nennen Sie den Grund" in response.content.decode()
    assert _state(submitted) == ReviewState.IN_REVIEW
    with pytest.raises(ValidationError):
        services.offer_return_to_draft(offer=submitted, by=world.users["coordinator"], note=note)
    assert _state(submitted) == ReviewState.IN_REVIEW
    assert mailoutbox == []


def test_reject_without_reason_is_a_form_error(world):
    response = world.client("coordinator").post(_url("reject", world.pending_offer), {})
    assert response.status_code == 422
    assert world.pending_offer.revisions.pending().exists()


# --- mails ------------------------------------------------------------------------------------


def test_publication_mails_the_submitter_in_their_language_after_commit(
    world, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.offer_publish(offer=submitted, by=world.users["coordinator"])
    assert mailoutbox == []  # nothing before the commit
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == [world.users["editor"].email]
    assert message.subject == 'Your offer "Hausaufgabenhilfe Nord" is published'
    assert str(submitted.pk) in message.body


def test_no_mail_when_the_decision_is_rolled_back(
    world, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.offer_publish(offer=submitted, by=world.users["coordinator"])
        raise RuntimeError("later step failed")
    assert callbacks == []
    assert mailoutbox == []
    assert _state(submitted) == ReviewState.IN_REVIEW


def test_send_back_mails_the_reason_and_shows_it_to_the_editors(
    world, submitted, mailoutbox, django_capture_on_commit_callbacks
):
    client = world.client("coordinator")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("return", submitted), {"note": "Bitte Öffnungszeiten prüfen"})
    assert response.status_code == 302
    assert _state(submitted) == ReviewState.DRAFT
    (message,) = mailoutbox
    assert message.to == [world.users["editor"].email]
    assert "sent back" in message.subject
    assert "Bitte Öffnungszeiten prüfen" in message.body
    page = world.client("editor").get(_url("edit", submitted)).content.decode()
    assert "Bitte Öffnungszeiten prüfen" in page


def test_change_decisions_mail_the_submitter(world, mailoutbox, django_capture_on_commit_callbacks):
    revision = world.pending_offer.revisions.pending().get()
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_reject(revision=revision, by=world.users["planner"], note="Zu knapp")
    (message,) = mailoutbox
    assert message.to == [world.users["editor"].email]
    assert "nicht angenommen" in message.subject  # no language given: German
    assert "Zu knapp" in message.body
    data = {**offer_snapshot(world.offer), "phone": "0651 999"}
    services.offer_save(offer=world.offer, data=data, by=world.users["editor"], language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.revision_approve(
            revision=world.offer.revisions.pending().get(), by=world.users["planner"]
        )
    assert mailoutbox[1].subject == 'Your change to "Familiencafé Nord" is published'


def test_taking_offline_mails_the_organisations_editors(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_return_to_draft(
            offer=world.offer, by=world.users["planner"], note="Angebot eingestellt?"
        )
    (message,) = mailoutbox
    assert message.to == [world.users["editor"].email]
    assert "offline" in message.subject.lower() or "offline" in message.body


def test_no_mail_to_the_reviewer_about_their_own_submission(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    offer = world.draft_offer
    services.offer_submit(offer=offer, by=world.users["coordinator"])
    with django_capture_on_commit_callbacks(execute=True):
        services.offer_publish(offer=offer, by=world.users["coordinator"])
    assert mailoutbox == []


# --- four eyes ----------------------------------------------------------------------------------


def test_without_four_eyes_the_own_organisations_coordinator_publishes(world, submitted):
    response = world.client("coordinator").post(_url("publish", submitted))
    assert response.status_code == 302
    assert _state(submitted) == ReviewState.PUBLISHED


def test_four_eyes_refuses_the_own_organisations_offer(world, submitted, four_eyes):
    client = world.client("coordinator")
    page = client.get(_url("review", submitted)).content.decode()
    assert "Vier-Augen-Prinzip" in page
    assert _url("publish", submitted) not in page  # the button is not offered
    response = client.post(_url("publish", submitted))
    assert response.status_code == 403
    assert "Vier-Augen-Prinzip" in response.content.decode()
    with pytest.raises(services.FourEyesRequired):
        services.offer_publish(offer=submitted, by=world.users["coordinator"])
    assert _state(submitted) == ReviewState.IN_REVIEW
    assert not world.users["coordinator"].has_perm("offers.publish_offer", submitted)
    # Sending back stays possible.
    response = client.post(_url("return", submitted), {"note": "Bitte ergänzen"})
    assert response.status_code == 302
    assert _state(submitted) == ReviewState.DRAFT


def test_four_eyes_refuses_ones_own_edit(world, four_eyes):
    planner, admin = world.users["planner"], world.users["admin"]
    offer = world.draft_offer
    data = {**offer_snapshot(offer), "description": "Vom Planer geschrieben."}
    services.offer_save(offer=offer, data=data, by=planner)
    services.offer_submit(offer=offer, by=world.users["editor"])
    with pytest.raises(services.FourEyesRequired):
        services.offer_publish(offer=offer, by=planner)
    page = world.client("planner").get(_url("review", offer)).content.decode()
    assert _url("publish", offer) not in page
    services.offer_publish(offer=offer, by=admin)
    assert _state(offer) == ReviewState.PUBLISHED


def test_four_eyes_sends_a_reviewers_edit_of_a_published_offer_to_review(world, four_eyes):
    planner = world.users["planner"]
    data = {**offer_snapshot(world.offer), "name": "Familiencafé Nord und Süd"}
    outcome = services.offer_save(offer=world.offer, data=data, by=planner)
    assert outcome is services.SaveOutcome.PENDING_REVIEW
    assert Offer.objects.get(pk=world.offer.pk).name == "Familiencafé Nord"
    revision = world.offer.revisions.pending().get()
    with pytest.raises(services.FourEyesRequired):
        services.revision_approve(revision=revision, by=planner)
    response = world.client("planner").post(_url("approve", world.offer))
    assert response.status_code == 403
    services.revision_approve(revision=revision, by=world.users["admin"])
    assert Offer.objects.get(pk=world.offer.pk).name == "Familiencafé Nord und Süd"


def test_four_eyes_counts_the_authors_of_replaced_changes(world, four_eyes):
    planner = world.users["planner"]
    first = {**offer_snapshot(world.offer), "name": "Erste Fassung"}
    services.offer_save(offer=world.offer, data=first, by=planner)
    services.offer_save(
        offer=world.offer, data={**first, "phone": "0651 1"}, by=world.users["editor"]
    )
    assert world.offer.revisions.filter(state=RevisionState.WITHDRAWN).count() == 1
    assert not planner.has_perm("offers.publish_offer", world.offer)


def test_four_eyes_does_not_count_sending_back_as_authorship(world, submitted, four_eyes):
    planner = world.users["planner"]
    services.offer_return_to_draft(offer=submitted, by=planner, note="Bitte ergänzen")
    services.offer_submit(offer=submitted, by=world.users["editor"])
    submitted.refresh_from_db()
    services.offer_publish(offer=submitted, by=planner)
    assert _state(submitted) == ReviewState.PUBLISHED


def test_four_eyes_in_the_api_says_why(world, submitted, four_eyes):
    response = world.client("coordinator").post(
        reverse("api:offer_publish", kwargs={"offer_id": submitted.pk}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert "Vier-Augen-Prinzip" in response.json()["message"]


# The publish and approve routes, role by role, with four eyes on: the coordinator of the
# offer's own organisation is refused like those who may not review at all.
FOUR_EYES_EXPECT = {
    "anonymous": 302,
    "resident": 403,
    "editor": 403,
    "coordinator": 403,
    "planner": 302,
    "admin": 302,
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", ["publish", "approve"])
def test_four_eyes_role_matrix(world, submitted, four_eyes, role, route):
    offer = submitted if route == "publish" else world.pending_offer
    response = world.client(role).post(_url(route, offer))
    assert response.status_code == FOUR_EYES_EXPECT[role]
    if role == "anonymous":
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    changed = (
        _state(offer) == ReviewState.PUBLISHED
        if route == "publish"
        else not OfferRevision.objects.filter(offer=offer, state="pending").exists()
    )
    assert changed == (FOUR_EYES_EXPECT[role] == 302 and role != "anonymous")
