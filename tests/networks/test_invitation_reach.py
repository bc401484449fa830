"""Who an invitation does not reach, why, and the invitation to a member's general address."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from quartier.networks.models import ContactInvitation, MeetingStatus
from quartier.networks.selectors import invitation_gaps
from quartier.networks.services import (
    meeting_cancel,
    meeting_invite_contact,
    meeting_send_invitations,
    meeting_update,
    membership_end,
)
from tests.factories.directory import OrganisationFactory, PersonFactory
from tests.factories.networks import (
    BodyFactory,
    DelegateFactory,
    MeetingFactory,
    MembershipFactory,
)


def _four_members(db):
    """Four members, only two of them reachable: "goes to 2 people" for 4 members."""
    body = BodyFactory()
    DelegateFactory(membership__body=body, person__family_name="Erreichbar")
    DelegateFactory(membership__body=body, person__family_name="Auch")
    silent = MembershipFactory(body=body, organisation=OrganisationFactory(name="Kita Regenbogen"))
    mailless = DelegateFactory(
        membership__body=body,
        membership__organisation=OrganisationFactory(name="Jugendclub Ost", email=""),
        person=PersonFactory(given_name="Paul", family_name="Ohnepost", email=""),
    )
    return body, MeetingFactory(body=body), silent, mailless


def test_gaps_name_each_unreached_member_with_its_reason(db, django_assert_max_num_queries):
    _body, meeting, silent, mailless = _four_members(db)
    with django_assert_max_num_queries(3):
        gaps = invitation_gaps(meeting)
    assert [(g.membership.organisation.name, g.reason) for g in gaps] == [
        ("Jugendclub Ost", "no_email"),
        ("Kita Regenbogen", "no_delegate"),
    ]
    jugendclub, kita = gaps
    assert jugendclub.person == mailless.person
    # The Kita has a general address to offer; the Jugendclub has none.
    assert kita.can_invite_contact and kita.contact_email == silent.organisation.email
    assert jugendclub.member_unreached and not jugendclub.can_invite_contact


def test_a_member_with_one_reachable_delegate_is_not_offered_its_general_address(db):
    body = BodyFactory()
    membership = MembershipFactory(body=body)
    DelegateFactory(membership=membership)
    DelegateFactory(membership=membership, person__email="")
    meeting = MeetingFactory(body=body)
    [gap] = invitation_gaps(meeting)
    assert gap.reason == "no_email" and not gap.member_unreached
    with pytest.raises(ValidationError, match="wird eingeladen"):
        meeting_invite_contact(meeting=meeting, membership=membership)


def test_general_address_gets_the_invitation_its_changes_and_the_cancellation(
    db, django_capture_on_commit_callbacks
):
    _body, meeting, silent, _mailless = _four_members(db)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_send_invitations(meeting=meeting) == 3
    assert len(mail.outbox) == 2  # the delegate without an address gets nothing
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        contact = meeting_invite_contact(meeting=meeting, membership=silent)
    [message] = mail.outbox
    assert message.to == [silent.organisation.email]
    assert "Kita Regenbogen" in message.body and "allgemeine Adresse" in message.body
    assert message.subject.startswith("Einladung")
    assert message.attachments[0][0] == "einladung.ics"
    contact.refresh_from_db()
    assert contact.sent_sequence == meeting.sequence
    gap = next(g for g in invitation_gaps(meeting) if g.membership == silent)
    assert gap.contact_invited and not gap.can_invite_contact

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, title="Netzwerktreffen (neuer Titel)")
    assert silent.organisation.email in [m.to[0] for m in mail.outbox]
    updated = next(m for m in mail.outbox if m.to == [silent.organisation.email])
    assert updated.subject.startswith("Geänderte Einladung")

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, reason="Krankheit")
    assert silent.organisation.email in [m.to[0] for m in mail.outbox]


def test_a_member_that_leaves_gets_a_cancellation_at_its_general_address(
    db, django_capture_on_commit_callbacks
):
    _body, meeting, silent, _mailless = _four_members(db)
    meeting_invite_contact(meeting=meeting, membership=silent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=silent)
    [message] = [m for m in mail.outbox if m.to == [silent.organisation.email]]
    assert message.attachments[0][0] == "absage.ics"
    assert not ContactInvitation.objects.filter(membership=silent).exists()


def test_refused_contact_invitations_say_why_and_write_nothing(db):
    _body, meeting, silent, mailless = _four_members(db)
    with pytest.raises(ValidationError, match="keine allgemeine E-Mail-Adresse"):
        meeting_invite_contact(meeting=meeting, membership=mailless.membership)
    other_body_member = MembershipFactory()
    with pytest.raises(ValidationError, match="kein Mitglied"):
        meeting_invite_contact(meeting=meeting, membership=other_body_member)
    meeting_invite_contact(meeting=meeting, membership=silent)
    with pytest.raises(ValidationError, match="bereits eingeladen"):
        meeting_invite_contact(meeting=meeting, membership=silent)
    meeting.status = MeetingStatus.HELD
    meeting.save()
    ContactInvitation.objects.all().delete()
    with pytest.raises(ValidationError, match="kommende"):
        meeting_invite_contact(meeting=meeting, membership=silent)
    assert not ContactInvitation.objects.exists()


def test_meeting_page_lists_who_is_not_reached_and_offers_the_general_address(world):
    meeting = world.meeting
    silent = MembershipFactory(
        body=world.body, organisation=OrganisationFactory(name="Kita Regenbogen")
    )
    client = world.client("coordinator")
    page = client.get(reverse("backoffice:networks:meeting", kwargs={"pk": meeting.pk}))
    html = page.content.decode()
    assert "Nicht erreicht" in html
    assert "Kita Regenbogen: Das Mitglied hat niemanden delegiert." in html
    assert silent.organisation.email in html
    # The sending itself says who is left out.
    response = client.post(
        reverse("backoffice:networks:invitations_send", kwargs={"pk": meeting.pk}), follow=True
    )
    text = response.content.decode()
    assert "Nicht erreicht: " in text and "Kita Regenbogen (keine delegierte Person)" in text, text
    response = client.post(
        reverse("backoffice:networks:invite_contact", kwargs={"pk": meeting.pk}),
        {"membership": silent.pk},
        follow=True,
    )
    assert "allgemeine Adresse" in response.content.decode()
    assert ContactInvitation.objects.filter(meeting=meeting, membership=silent).exists()


def test_the_contact_form_refuses_a_member_of_another_body_and_garbage(world):
    client = world.client("coordinator")
    url = reverse("backoffice:networks:invite_contact", kwargs={"pk": world.meeting.pk})
    for value in (MembershipFactory().pk, "abc", ""):
        response = client.post(url, {"membership": value}, follow=True)
        assert response.status_code == 200
        assert "Mitglied dieses Gremiums" in response.content.decode() or value == ""
    assert not ContactInvitation.objects.exists()


def test_members_may_not_invite_general_addresses(world):
    silent = MembershipFactory(body=world.body)
    url = reverse("backoffice:networks:invite_contact", kwargs={"pk": world.meeting.pk})
    for role in ("resident", "editor"):
        response = world.client(role).post(url, {"membership": silent.pk})
        assert response.status_code == 403
    assert not ContactInvitation.objects.exists()
