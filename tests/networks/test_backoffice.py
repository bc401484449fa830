import datetime

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from quartier.networks.models import (
    CalendarToken,
    Document,
    HostTurn,
    Meeting,
    Minutes,
    Visibility,
)
from quartier.networks.services import minutes_approve
from tests.factories.networks import MeetingFactory


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"]) if response.context else ""


def test_late_agenda_proposal_gets_a_clear_message(world):
    Meeting.objects.filter(pk=world.meeting.pk).update(
        agenda_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    url = reverse("backoffice:networks:agenda_propose", kwargs={"pk": world.meeting.pk})
    response = world.client("editor").post(url, {"proposal-title": "Zu spät"}, follow=True)
    assert "Frist ist geschlossen" in response.content.decode()
    assert not world.meeting.agenda_items.filter(title="Zu spät").exists()


def test_member_organisation_answers_its_host_request(world):
    turn = HostTurn.objects.create(meeting=world.past_meeting, membership=world.membership)
    url = reverse("backoffice:networks:host_answer", kwargs={"pk": turn.pk})
    world.client("editor").post(url, {"accept": "1"})
    world.past_meeting.refresh_from_db()
    assert world.past_meeting.host == world.membership
    assert world.past_meeting.location_street == world.organisation.street
    # Someone else's request to host: not for the editor.
    response = world.client("editor").post(
        reverse("backoffice:networks:host_answer", kwargs={"pk": world.turn.pk}), {"accept": "1"}
    )
    assert response.status_code == 403


def test_minutes_visible_to_public_only_when_approved_and_public(world):
    url = reverse("networks:meeting", kwargs={"pk": world.past_meeting.pk})
    minutes = Minutes.objects.get(meeting=world.past_meeting)
    minutes.visibility = Visibility.PUBLIC
    minutes.save()
    assert "Protokoll-Entwurf" not in world.client("anonymous").get(url).content.decode()
    assert "Protokoll-Entwurf" in world.client("editor").get(url).content.decode()
    held = MeetingFactory(
        body=world.body,
        start=timezone.now() - datetime.timedelta(days=2),
        end=timezone.now() - datetime.timedelta(days=2, hours=-2),
    )
    minutes_approve(minutes=minutes, at_meeting=held, user=None)
    assert "Protokoll-Entwurf" in world.client("anonymous").get(url).content.decode()
    minutes.visibility = Visibility.MEMBERS
    minutes.save()
    assert "Protokoll-Entwurf" not in world.client("anonymous").get(url).content.decode()


def test_series_form_refuses_a_bad_rule(world):
    url = reverse("backoffice:networks:series_create", kwargs={"slug": world.body.slug})
    response = world.client("coordinator").post(
        url,
        {
            "title": "Reihe",
            "first_start": "2030-01-10T15:00",
            "duration_minutes": 120,
            "rrule": "FREQ=SECONDLY",
        },
    )
    assert response.status_code == 400
    assert "FREQ=DAILY" in response.content.decode()
    response = world.client("coordinator").post(
        url,
        {
            "title": "Reihe",
            "first_start": "2030-01-10T15:00",
            "duration_minutes": 120,
            "rrule": "FREQ=MONTHLY;INTERVAL=3",
            "is_public": "on",
        },
    )
    assert response.status_code == 302
    assert world.body.meetings.filter(title="Reihe").count() == 5


def test_document_upload_checks_type_and_keeps_versions(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = reverse("backoffice:networks:document_upload", kwargs={"slug": world.body.slug})
    client = world.client("coordinator")
    bad = SimpleUploadedFile("tool.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        url, {"title": "X", "kind": "other", "visibility": "public", "file": bad}, follow=True
    )
    assert "Laden Sie ein PDF" in response.content.decode()
    good = SimpleUploadedFile("konzept.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        url, {"title": "Rahmenkonzept", "kind": "concept", "visibility": "public", "file": good}
    )
    document = Document.objects.get(title="Rahmenkonzept")
    version = document.versions.get()
    download = world.client("anonymous").get(
        reverse("networks:document", kwargs={"pk": document.pk, "number": version.number})
    )
    assert download.status_code == 200 and download.content == b"%PDF-1.4 test"


def test_private_calendar_address_can_be_renewed_and_switched_off(world):
    world.person.user = world.users["editor"]
    world.person.save()
    client = world.client("editor")
    url = reverse("backoffice:networks:calendar")
    old = world.calendar_token.token
    client.post(url, {"action": "renew"})
    fresh = CalendarToken.objects.get(person=world.person, revoked_at__isnull=True)
    assert fresh.token != old
    assert (
        world.client("anonymous")
        .get(reverse("networks:person_feed", kwargs={"token": old}))
        .status_code
        == 404
    )
    client.post(url, {"action": "revoke"})
    assert not CalendarToken.objects.filter(person=world.person, revoked_at__isnull=True).exists()


def test_invitations_from_the_back_office_are_queued_as_mails(
    world, django_capture_on_commit_callbacks
):
    mail.outbox.clear()
    url = reverse("backoffice:networks:invitations_send", kwargs={"pk": world.meeting.pk})
    with django_capture_on_commit_callbacks(execute=True):
        world.client("coordinator").post(url)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [
            world.person.email,
            world.internal_person.email,  # a delegate too (tests/networks/world.py)
            world.other_membership.delegates.get().person.email,
        ]
    )


def test_meeting_page_queries_do_not_grow_with_the_agenda(world):
    from quartier.networks.models import AgendaItem, Document, DocumentVersion
    from tests.budget import assert_queries_do_not_grow

    client = world.client("coordinator")
    url = reverse("backoffice:networks:meeting", kwargs={"pk": world.meeting.pk})

    def add(n: int) -> None:
        for _ in range(n):
            item = AgendaItem.objects.create(
                meeting=world.meeting,
                title="Punkt",
                position=world.meeting.agenda_items.count() + 1,
                proposed_by=world.other_membership,
            )
            document = Document.objects.create(body=world.body, title="Anlage", agenda_item=item)
            DocumentVersion.objects.create(
                document=document,
                number=1,
                file=SimpleUploadedFile("anlage.txt", b"Anlage"),
                file_name="anlage.txt",
            )

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("Anlage") >= 1

    assert_queries_do_not_grow(fetch, add, n=3)


def test_meeting_history_shows_changes_of_the_meeting_and_its_minutes(world):
    meeting = world.past_meeting
    meeting.title = "Netzwerktreffen Sommerfest"
    meeting.save()
    minutes = Minutes.objects.get(meeting=meeting)
    minutes.text = "Protokoll, zweite Fassung"
    minutes.save()
    url = reverse("backoffice:networks:meeting_history", kwargs={"pk": meeting.pk})
    html = world.client("coordinator").get(url).content.decode()
    assert "Netzwerktreffen Sommerfest" in html
    assert "Protokoll, zweite Fassung" in html
    assert world.client("editor").get(url).status_code == 403


def test_delegate_picker_offers_only_people_of_the_member_organisation(world):
    from quartier.networks.models import Delegate
    from tests.factories.directory import PersonFactory

    stranger = PersonFactory(given_name="Fremda", family_name="Andersstadt")
    client = world.client("coordinator")
    page = client.get(reverse("backoffice:networks:body", kwargs={"slug": world.body.slug}))
    content = page.content.decode()
    assert "Andersstadt" not in content
    assert world.public_person.family_name in content  # of the other member organisation
    url = reverse(
        "backoffice:networks:delegate_add",
        kwargs={"slug": world.body.slug, "pk": world.other_membership.pk},
    )
    response = client.post(url, {"person": stranger.pk}, follow=True)
    assert "Position" in _messages(response)
    assert not Delegate.objects.filter(person=stranger).exists()
    # A person of a different member organisation is refused for this one too.
    client.post(url, {"person": world.person.pk})
    assert not Delegate.objects.filter(person=world.person, membership=world.other_membership)
    client.post(url, {"person": world.public_person.pk})
    assert Delegate.objects.filter(person=world.public_person, membership=world.other_membership)


def test_meeting_page_has_each_element_id_once(world):
    import re
    from collections import Counter

    for meeting in (world.meeting, world.past_meeting):
        url = reverse("backoffice:networks:meeting", kwargs={"pk": meeting.pk})
        content = world.client("coordinator").get(url).content.decode()
        ids = Counter(re.findall(r'\sid="([^"]+)"', content))
        assert not [i for i, n in ids.items() if n > 1], ids
        assert 'id="id_meeting-title"' in content or meeting is world.past_meeting
