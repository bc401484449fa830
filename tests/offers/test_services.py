import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from quartier.offers import services
from quartier.offers.models import Offer, OfferRevision, ReviewState, RevisionState
from quartier.offers.snapshot import offer_snapshot, snapshot_diff

pytestmark = pytest.mark.django_db


def _data(**changes):
    base = {
        "name": "Spielgruppe Nord",
        "description": "Für Kinder von 1 bis 3.",
        "status": "active",
        "cost": "free",
        "min_age": 1,
        "max_age": 3,
        "locations": [
            {
                "name": "Spielraum",
                "street": "Nordstraße 7",
                "postcode": "54292",
                "city": "Trier",
                "lat": 49.76,
                "lon": 6.65,
                "wheelchair_accessible": True,
            }
        ],
        "schedules": [
            {"kind": "weekly", "weekday": 1, "opens_at": "09:00", "closes_at": "11:00"},
            {
                "kind": "closed",
                "valid_from": "2026-07-06",
                "valid_to": "2026-08-14",
                "description": "Sommerferien",
            },
        ],
    }
    base.update(changes)
    return base


def test_create_makes_a_draft_with_locations_and_schedules(world):
    offer = services.offer_create(
        organisation=world.organisation, data=_data(), by=world.users["editor"]
    )
    assert offer.review_state == ReviewState.DRAFT
    assert offer.locations.get().street == "Nordstraße 7"
    assert offer.schedules.count() == 2
    assert offer.history.first().history_user == world.users["editor"]


def test_editor_submits_reviewer_publishes(world):
    offer = world.draft_offer
    services.offer_submit(offer=offer, by=world.users["editor"])
    assert offer.review_state == ReviewState.IN_REVIEW
    with pytest.raises(PermissionDenied):
        services.offer_publish(offer=offer, by=world.users["editor"])
    services.offer_publish(offer=offer, by=world.users["coordinator"])
    offer.refresh_from_db()
    assert offer.review_state == ReviewState.PUBLISHED
    assert offer.last_verified is not None
    assert offer.verified_by == world.users["coordinator"]


def test_only_drafts_can_be_submitted(world):
    with pytest.raises(ValidationError):
        services.offer_submit(offer=world.offer, by=world.users["editor"])


def test_editor_of_another_organisation_may_not_edit(world):
    with pytest.raises(PermissionDenied):
        services.offer_save(offer=world.other_offer, data=_data(), by=world.users["editor"])
    with pytest.raises(PermissionDenied):
        services.offer_publish(offer=world.other_offer, by=world.users["planner"])


def test_editors_change_to_a_published_offer_waits_for_review(world):
    offer = world.offer
    outcome = services.offer_save(
        offer=offer, data=_data(name="Familiencafé Nord – neu"), by=world.users["editor"]
    )
    assert outcome is services.SaveOutcome.PENDING_REVIEW
    offer.refresh_from_db()
    assert offer.name == "Familiencafé Nord"  # still the published version
    assert offer.locations.get().street == "Nordstraße 5"
    revision = offer.revisions.pending().get()
    changes = {change.field for change in snapshot_diff(offer_snapshot(offer), revision.data)}
    assert {"name", "locations", "schedules"} <= changes

    services.revision_approve(revision=revision, by=world.users["planner"])
    offer.refresh_from_db()
    assert offer.name == "Familiencafé Nord – neu"
    assert offer.locations.get().street == "Nordstraße 7"
    assert offer.schedules.count() == 2
    revision.refresh_from_db()
    assert revision.state == RevisionState.APPROVED


def test_a_newer_edit_replaces_the_pending_one(world):
    editor = world.users["editor"]
    services.offer_save(offer=world.offer, data=_data(name="Erste"), by=editor)
    services.offer_save(offer=world.offer, data=_data(name="Zweite"), by=editor)
    assert world.offer.revisions.pending().get().data["name"] == "Zweite"
    assert world.offer.revisions.filter(state=RevisionState.WITHDRAWN).count() == 1


def test_rejected_change_leaves_the_offer_alone(world):
    revision = world.pending_offer.revisions.pending().get()
    with pytest.raises(PermissionDenied):
        services.revision_reject(revision=revision, by=world.users["editor"], note="x")
    services.revision_reject(revision=revision, by=world.users["coordinator"], note="Bitte nicht")
    world.pending_offer.refresh_from_db()
    assert world.pending_offer.name == "Elterntreff Nord"
    revision.refresh_from_db()
    assert revision.state == RevisionState.REJECTED
    with pytest.raises(ValidationError):
        services.revision_approve(revision=revision, by=world.users["coordinator"])


def test_reviewers_edit_goes_live_at_once(world):
    outcome = services.offer_save(
        offer=world.offer, data=_data(name="Direkt"), by=world.users["coordinator"]
    )
    assert outcome is services.SaveOutcome.APPLIED
    world.offer.refresh_from_db()
    assert world.offer.name == "Direkt"


def test_invalid_data_saves_nothing(world):
    bad = _data(
        name="Kaputt",
        # No weekday 9 (12:00–09:00 would be hours past midnight, which are valid).
        schedules=[{"kind": "weekly", "weekday": 9, "opens_at": "12:00", "closes_at": "09:00"}],
    )
    before = offer_snapshot(world.offer)
    with pytest.raises(ValidationError):
        services.offer_save(offer=world.offer, data=bad, by=world.users["coordinator"])
    world.offer.refresh_from_db()
    assert offer_snapshot(world.offer) == before
    # An editor's invalid change is refused too, not stored as a revision.
    with pytest.raises(ValidationError):
        services.offer_save(offer=world.offer, data=bad, by=world.users["editor"])
    assert not world.offer.revisions.exists()
    assert not Offer.objects.filter(name="Kaputt").exists()


def test_bad_age_range_is_refused(world):
    with pytest.raises(ValidationError):
        services.offer_create(
            organisation=world.organisation,
            data=_data(min_age=10, max_age=3),
            by=world.users["editor"],
        )
    assert not Offer.objects.filter(name="Spielgruppe Nord").exists()


def test_bad_coordinates_are_refused(world):
    locations = [{"name": "X", "street": "Y 1", "city": "Trier", "lat": 95.0, "lon": 6.6}]
    with pytest.raises(ValidationError):
        services.offer_create(
            organisation=world.organisation,
            data=_data(locations=locations),
            by=world.users["editor"],
        )
    assert not Offer.objects.filter(name="Spielgruppe Nord").exists()


def test_verify_sets_last_verified_and_clears_the_reminder(world):
    offer = world.offer
    Offer.objects.filter(pk=offer.pk).update(last_verified="2020-01-01")
    offer.refresh_from_db()
    services.offer_verify(offer=offer, by=world.users["editor"])
    offer.refresh_from_db()
    assert offer.last_verified.year >= 2026
    assert offer.stale_reminder_sent_at is None
    with pytest.raises(PermissionDenied):
        services.offer_verify(offer=world.other_offer, by=world.users["editor"])


def test_return_to_draft_takes_the_offer_offline(world):
    services.offer_return_to_draft(offer=world.offer, by=world.users["planner"], note="Veraltet")
    assert not Offer.objects.public().filter(pk=world.offer.pk).exists()


def test_removed_location_is_unlinked_and_deleted_when_unused(world):
    location = world.offer_location
    services.offer_save(offer=world.offer, data=_data(locations=[]), by=world.users["coordinator"])
    assert not world.offer.locations.exists()
    assert not type(location).objects.filter(pk=location.pk).exists()


def test_one_pending_revision_per_offer_is_enforced_by_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        OfferRevision.objects.create(offer=world.pending_offer, data={})


@pytest.mark.parametrize("state", list(ReviewState))
@pytest.mark.parametrize("status", ["active", "paused", "ended"])
def test_is_public_agrees_with_the_public_queryset(state, status):
    from tests.factories.offers import OfferFactory

    offer = OfferFactory(review_state=state, status=status)
    assert offer.is_public == Offer.objects.public().filter(pk=offer.pk).exists()
