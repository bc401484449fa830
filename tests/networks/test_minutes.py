import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from quartier.networks.models import ActionItem, AgendaItem, MeetingStatus, Minutes
from quartier.networks.services import (
    action_item_add,
    action_item_set_status,
    agenda_item_propose,
    agenda_publish,
    minutes_approve,
    minutes_save,
)
from tests.factories.networks import DelegateFactory, MeetingFactory, MembershipFactory


def _past(body=None, days=30):
    kwargs = {"body": body} if body else {}
    start = timezone.now() - datetime.timedelta(days=days)
    return MeetingFactory(start=start, end=start + datetime.timedelta(hours=2), **kwargs)


def test_agenda_proposal_after_the_deadline_is_refused_with_a_message(db):
    meeting = MeetingFactory(agenda_deadline=timezone.now() - datetime.timedelta(hours=1))
    with pytest.raises(ValidationError) as info:
        agenda_item_propose(meeting=meeting, title="Spät", membership=None, user=None)
    assert "geschlossen" in " ".join(info.value.messages)
    # The coordination may still add it.
    item = agenda_item_propose(
        meeting=meeting, title="Spät", membership=None, user=None, by_coordinator=True
    )
    assert item.status == AgendaItem.Status.ACCEPTED


def test_minutes_drafted_then_approved_at_a_later_meeting(db):
    past = _past()
    minutes = minutes_save(meeting=past, text="Entwurf", visibility="public", user=None)
    past.refresh_from_db()
    assert past.status == MeetingStatus.HELD
    assert minutes.status == Minutes.Status.DRAFT
    with pytest.raises(ValidationError):
        minutes_approve(minutes=minutes, at_meeting=_past(body=past.body, days=60), user=None)
    # A later meeting still to come cannot approve them yet.
    upcoming = MeetingFactory(body=past.body)
    with pytest.raises(ValidationError) as info:
        minutes_approve(minutes=minutes, at_meeting=upcoming, user=None)
    assert "stattgefunden" in " ".join(info.value.messages)
    later = _past(body=past.body, days=2)
    minutes_approve(minutes=minutes, at_meeting=later, user=None)
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at_meeting == later
    with pytest.raises(ValidationError) as info:
        minutes_save(meeting=past, text="Änderung", visibility=None, user=None)
    assert "genehmigt" in " ".join(info.value.messages)


def test_open_action_items_are_carried_into_the_next_agenda_once(db):
    past = _past()
    owner = MembershipFactory(body=past.body)
    upcoming = MeetingFactory(body=past.body)
    item = action_item_add(meeting=past, title="Flyer drucken", owner=owner)
    carried = upcoming.agenda_items.get(action_item=item)
    assert "Flyer drucken" in carried.title
    agenda_publish(meeting=upcoming)
    assert upcoming.agenda_items.filter(action_item=item).count() == 1
    # Done items are not carried to later meetings.
    action_item_set_status(item=item, status=ActionItem.Status.DONE)
    later = MeetingFactory(
        body=past.body,
        start=upcoming.start + datetime.timedelta(days=90),
        end=upcoming.end + datetime.timedelta(days=90),
    )
    agenda_publish(meeting=later)
    assert not later.agenda_items.filter(action_item=item).exists()


def test_reminders_go_to_the_owners_delegates_once_a_day(db):
    past = _past()
    delegate = DelegateFactory(membership__body=past.body)
    due = timezone.localdate() + datetime.timedelta(days=2)
    action_item_add(meeting=past, title="Bericht", owner=delegate.membership, due_date=due)
    action_item_add(
        meeting=past,
        title="Später",
        owner=delegate.membership,
        due_date=due + datetime.timedelta(days=30),
    )
    call_command("remind_action_items", verbosity=0)
    assert [m.to for m in mail.outbox] == [[delegate.person.email]]
    assert "Bericht" in mail.outbox[0].subject
    call_command("remind_action_items", verbosity=0)
    assert len(mail.outbox) == 1


def test_approval_page_offers_only_held_meetings_and_refuses_a_future_one(world):
    from django.urls import reverse

    minutes = Minutes.objects.get(meeting=world.past_meeting)
    client = world.client("coordinator")
    page = reverse("backoffice:networks:meeting", kwargs={"pk": world.past_meeting.pk})
    content = client.get(page).content.decode()
    # world.meeting lies in the future: not offered, and the page says when approval is possible.
    assert 'name="at_meeting"' not in content
    assert "stattgefunden" in content
    url = reverse("backoffice:networks:minutes_approve", kwargs={"pk": world.past_meeting.pk})
    response = client.post(url, {"at_meeting": world.meeting.pk}, follow=True)
    assert "stattgefunden" in response.content.decode()
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.DRAFT
    held = _past(body=world.body, days=3)
    assert f'value="{held.pk}"' in client.get(page).content.decode()
    client.post(url, {"at_meeting": held.pk})
    minutes.refresh_from_db()
    assert minutes.status == Minutes.Status.APPROVED and minutes.approved_at_meeting == held
