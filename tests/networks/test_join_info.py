"""Who may not ask to join learns who can and how; a new organisation can ask to be added."""

import datetime

from django.core import mail
from django.urls import reverse
from django.utils import timezone

from quartier.core.models import ConsentRecord
from quartier.core.privacy import Subject
from quartier.networks import privacy, retention
from quartier.networks.models import JoinRequest, OrganisationRequest

VALID = {
    "organisation_name": "Nachbarschaftsverein Nord",
    "website": "nachbarn-nord.example.org",
    "message": "Wir organisieren Nachbarschaftshilfe im Viertel.",
    "contact_name": "Nora Nachbar",
    "contact_email": "nora@example.org",
    "consent": "on",
}


def _urls(world):
    slug = world.body.slug
    return (
        reverse("networks:join", kwargs={"slug": slug}),
        reverse("networks:organisation_request", kwargs={"slug": slug}),
    )


def test_a_resident_learns_who_can_join_instead_of_a_bare_403(world):
    join, new = _urls(world)
    for role in ("anonymous", "resident"):
        response = world.client(role).get(join)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Die Mitglieder von Stadtteilnetzwerk Nord sind Organisationen" in html
        assert f'action="{new}#new-organisation"' in html
    anonymous = world.client("anonymous").get(join).content.decode()
    assert reverse("accounts:login") in anonymous
    resident = world.client("resident").get(join).content.decode()
    assert "nicht mit einer Organisation verbunden" in resident
    # An editor of an organisation still gets the form to ask to join.
    assert 'name="reason"' in world.client("editor").get(join).content.decode()


def test_a_resident_cannot_post_a_join_request(world):
    join, _new = _urls(world)
    response = world.client("resident").post(
        join, {"organisation": world.organisation.pk, "reason": "Wir möchten."}
    )
    assert response.status_code == 403
    assert not JoinRequest.objects.filter(reason="Wir möchten.").exists()


def test_a_new_organisation_asks_and_the_coordination_is_mailed_after_commit(
    world, django_capture_on_commit_callbacks
):
    _join, new = _urls(world)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = world.client("anonymous").post(new, VALID)
    assert response.status_code == 302
    assert not mail.outbox  # nothing is mailed before the commit
    for callback in callbacks:
        callback()
    request = OrganisationRequest.objects.get()
    assert request.website == "https://nachbarn-nord.example.org"
    assert ConsentRecord.objects.filter(
        purpose="networks.organisation_request", object_id=request.pk
    ).exists()
    [message] = mail.outbox
    assert message.to == [world.body.contact_email]
    assert message.reply_to == ["nora@example.org"]
    assert "Nachbarschaftsverein Nord" in message.subject
    assert "Nachbarschaftshilfe" in message.body


def test_bad_input_is_refused_with_messages_and_writes_nothing(world):
    _join, new = _urls(world)
    client = world.client("anonymous")
    for changed, message in (
        ({"consent": ""}, "Dieses Feld ist zwingend erforderlich."),
        ({"contact_email": "keine-adresse"}, "gültige E-Mail-Adresse"),
        ({"message": "   "}, "Dieses Feld ist zwingend erforderlich."),
        ({"organisation_name": ""}, "Dieses Feld ist zwingend erforderlich."),
    ):
        response = client.post(new, {**VALID, **changed})
        assert response.status_code == 400, changed
        assert message in response.content.decode(), changed
    assert not OrganisationRequest.objects.exists()
    assert not mail.outbox


def test_a_filled_honeypot_sends_nothing(world):
    _join, new = _urls(world)
    response = world.client("anonymous").post(new, {**VALID, "website_url": "http://spam"})
    assert response.status_code == 400
    assert not OrganisationRequest.objects.exists()


def test_a_private_body_takes_no_requests(world):
    _join, new = _urls(world)
    world.body.is_public = False
    world.body.save()
    assert world.client("anonymous").post(new, VALID).status_code == 404
    assert not OrganisationRequest.objects.exists()


def test_requests_are_exported_erased_and_deleted_after_half_a_year(
    world, django_capture_on_commit_callbacks
):
    _join, new = _urls(world)
    world.client("anonymous").post(new, VALID)
    subject = Subject(email="NORA@example.org")
    [row] = privacy.export(subject)["networks.organisation_request"]
    assert row["contact_name"] == "Nora Nachbar" and "Koordination" in row["consent"]
    assert retention.purge(dry_run=True)["requests to add an organisation"] == 0
    later = timezone.localdate() + datetime.timedelta(days=retention.ORGANISATION_REQUEST_DAYS + 1)
    OrganisationRequest.objects.update(
        created_at=timezone.now() - datetime.timedelta(days=retention.ORGANISATION_REQUEST_DAYS + 1)
    )
    assert retention.purge(today=later)["requests to add an organisation"] == 1
    assert not OrganisationRequest.objects.exists()
    assert not ConsentRecord.objects.filter(purpose="networks.organisation_request").exists()
    world.client("anonymous").post(new, VALID)
    assert privacy.erase(subject)["networks.organisation_request"] == 1
    assert not OrganisationRequest.objects.exists()
