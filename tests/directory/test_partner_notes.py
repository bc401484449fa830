"""Staff notes on partners (Netzwerkkatalog, issue #18): the staff of an organisation's areas
and admins keep them; the organisation's editors, other areas' planners, residents and the
public never see them; retention and privacy."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from quartier.accounts.models import Role, RoleAssignment
from quartier.core.privacy import Subject
from quartier.directory import privacy, retention
from quartier.directory.models import CooperationKind, PartnerNote
from tests.factories.accounts import UserFactory

pytestmark = pytest.mark.django_db

SECRET = "Vereinbarung Raumnutzung dienstags"


def _edit_url(world):
    return reverse(
        "backoffice:directory:organisation_edit", kwargs={"slug": world.organisation.slug}
    )


def _add_url(world, organisation=None):
    organisation = organisation or world.organisation
    return reverse("backoffice:directory:partner_note_add", kwargs={"slug": organisation.slug})


def _note_data(**overrides):
    data = {
        "note-kind": CooperationKind.CONTRACT,
        "note-last_contact": "2026-11-02",
        "note-agreements": SECRET,
        "note-next_step": "Vertrag verlängern",
        "note-follow_up": "2027-01-15",
    }
    data.update(overrides)
    return data


def test_the_area_staff_add_a_note_and_see_the_list(world):
    client = world.client("planner")
    response = client.post(_add_url(world), _note_data())
    assert response.status_code == 302
    note = PartnerNote.objects.get(agreements=SECRET)
    assert note.author == world.users["planner"] and note.kind == "contract"
    assert note.follow_up == datetime.date(2027, 1, 15)
    coordinator = world.client("coordinator")
    with CaptureQueriesContext(connection) as few:
        html = coordinator.get(_edit_url(world)).content.decode()
    assert SECRET in html and "Vertrag verlängern" in html
    assert "Kooperationsvertrag" in html
    assert "keine Falldaten" in html  # the help text says so
    for extra in range(5):
        PartnerNote.objects.create(
            organisation=world.organisation,
            agreements=f"Notiz {extra}",
            author=world.users["admin"],
        )
    with CaptureQueriesContext(connection) as many:
        coordinator.get(_edit_url(world))
    assert len(many) == len(few)  # the list costs one query, however long


def test_a_note_is_edited_and_names_its_last_author(world):
    note = world.partner_note
    url = reverse(
        "backoffice:directory:partner_note_edit",
        kwargs={"slug": world.organisation.slug, "pk": note.pk},
    )
    client = world.client("coordinator")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": "exchange", "agreements": "Quartalstreffen"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.agreements == "Quartalstreffen"
    assert note.author == world.users["coordinator"]


def test_the_organisations_editor_never_sees_the_notes(world):
    client = world.client("editor")
    html = client.get(_edit_url(world)).content.decode()
    assert world.partner_note.agreements not in html
    assert "partner-notes" not in html
    assert client.post(_add_url(world), _note_data()).status_code == 403
    assert not PartnerNote.objects.filter(agreements=SECRET).exists()


def test_another_areas_planner_and_residents_may_not(world, client):
    other = UserFactory(username="planner-anderstadt")
    RoleAssignment.objects.create(user=other, role=Role.PLANNER, area=world.other_city)
    client.force_login(other)
    assert client.post(_add_url(world), _note_data()).status_code == 403
    edit = reverse(
        "backoffice:directory:partner_note_edit",
        kwargs={"slug": world.organisation.slug, "pk": world.partner_note.pk},
    )
    assert client.get(edit).status_code == 403
    assert world.client("resident").get(edit).status_code == 403
    assert world.client("anonymous").get(edit).status_code == 302
    # The planner of the world's city may not write on the other city's organisation.
    response = world.client("planner").post(_add_url(world, world.other_organisation), _note_data())
    assert response.status_code == 403
    assert not PartnerNote.objects.filter(agreements=SECRET).exists()


def test_a_note_of_another_organisation_is_not_found_under_this_one(world):
    other = PartnerNote.objects.create(organisation=world.other_organisation, agreements="x")
    url = reverse(
        "backoffice:directory:partner_note_edit",
        kwargs={"slug": world.organisation.slug, "pk": other.pk},
    )
    assert world.client("admin").get(url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        (
            {"note-agreements": "", "note-next_step": "", "note-last_contact": ""},
            "Geben Sie das Datum des letzten Kontakts",
        ),
        ({"note-last_contact": "2099-01-01"}, "nicht in der Zukunft"),
        ({"note-follow_up": "2020-01-01"}, "nicht vor dem letzten Kontakt"),
        ({"note-kind": "freundschaft"}, "gültige Auswahl"),
        ({"note-last_contact": "gestern"}, "gültiges Datum"),
    ],
)
def test_bad_input_gives_the_page_back_with_a_message_and_writes_nothing(world, overrides, message):
    response = world.client("planner").post(_add_url(world), _note_data(**overrides))
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not PartnerNote.objects.filter(agreements=SECRET).exists()


def test_notes_are_in_no_public_page_or_api(world):
    secret = world.partner_note.agreements
    client = world.client("anonymous")
    for url in (
        world.organisation.get_absolute_url(),
        reverse("directory:organisation_list"),
        reverse("api:directory_organisation_detail", kwargs={"slug": world.organisation.slug}),
        reverse("api:directory_organisation_list") + "?area=teststadt",
        world.district.get_absolute_url(),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert secret not in text and world.partner_note.next_step not in text, url
        assert "partner_notes" not in text


def test_retention_removes_notes_years_after_the_last_edit(world, settings):
    settings.QUARTIER_PARTNER_NOTE_RETENTION_DAYS = 3 * 365
    old = PartnerNote.objects.create(organisation=world.organisation, agreements="alt")
    long_ago = timezone.now() - datetime.timedelta(days=3 * 365 + 1)
    PartnerNote.objects.filter(pk=old.pk).update(updated_at=long_ago)
    assert retention.purge(dry_run=True)["partner notes"] == 1
    assert PartnerNote.objects.filter(pk=old.pk).exists()
    assert retention.purge(dry_run=False)["partner notes"] == 1
    assert not PartnerNote.objects.filter(pk=old.pk).exists()
    assert PartnerNote.objects.filter(pk=world.partner_note.pk).exists()


def test_privacy_exports_and_erases_the_authorship(world):
    planner = world.users["planner"]
    subject = Subject(email=planner.email, user=planner)
    [row] = privacy.export(subject)["directory.partner_note"]
    assert row["organisation"] == world.organisation.name
    assert "agreements" not in row
    assert privacy.erase(subject)["directory.partner_note"] == 1
    world.partner_note.refresh_from_db()
    assert world.partner_note.author is None
    assert world.partner_note.agreements  # the note stays, for the area's record
