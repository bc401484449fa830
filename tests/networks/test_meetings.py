import datetime
import zoneinfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from icalendar import Calendar

from quartier.networks.models import Invitation, Meeting, MeetingStatus
from quartier.networks.services import (
    meeting_cancel,
    meeting_create,
    meeting_send_invitations,
    meeting_update,
    membership_end,
    series_create,
)
from tests.factories.networks import (
    BodyFactory,
    DelegateFactory,
    MeetingFactory,
)

BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _ics(message) -> Calendar:
    _name, content, mimetype = message.attachments[0]
    assert mimetype.startswith("text/calendar")
    return Calendar.from_ical(content)


def _event(calendar: Calendar):
    return next(c for c in calendar.walk("VEVENT"))


def _body_with_delegates(db, n=2):
    body = BodyFactory()
    delegates = [DelegateFactory(membership__body=body) for _ in range(n)]
    return body, delegates


def test_overlapping_meeting_of_the_same_body_is_refused(db):
    meeting = MeetingFactory()
    with pytest.raises(ValidationError) as info:
        meeting_create(
            body=meeting.body,
            title="Zweites Treffen",
            start=meeting.start + datetime.timedelta(minutes=30),
            end=meeting.end + datetime.timedelta(hours=1),
        )
    assert "bereits" in " ".join(info.value.messages)
    # Another body may meet at the same time; a cancelled meeting blocks nothing.
    meeting_create(body=BodyFactory(), title="Anderes", start=meeting.start, end=meeting.end)
    meeting_cancel(meeting=meeting)
    meeting_create(body=meeting.body, title="Ersatz", start=meeting.start, end=meeting.end)


def test_series_skips_dates_that_clash_and_reports_them(db):
    body = BodyFactory()
    first = datetime.datetime(2030, 1, 10, 15, 0, tzinfo=BERLIN)
    clash = datetime.datetime(2030, 4, 10, 14, 30, tzinfo=BERLIN)
    MeetingFactory(body=body, start=clash, end=clash + datetime.timedelta(hours=1))
    _series, created, skipped = series_create(
        body=body,
        title="Quartalstreffen",
        first_start=first,
        rrule="FREQ=MONTHLY;INTERVAL=3",
        duration_minutes=120,
    )
    assert len(created) + len(skipped) == 5
    assert skipped and skipped[0].month == 4


def test_invitations_carry_ics_request_with_stable_uid_and_rising_sequence(
    db, django_capture_on_commit_callbacks
):
    body, _delegates = _body_with_delegates(db)
    meeting = MeetingFactory(body=body)
    with django_capture_on_commit_callbacks(execute=True):
        assert meeting_send_invitations(meeting=meeting) == 2
    assert len(mail.outbox) == 2
    first = _ics(mail.outbox[0])
    assert first["METHOD"] == "REQUEST"
    event = _event(first)
    uid, sequence = str(event["UID"]), int(event["SEQUENCE"])
    assert "/netzwerke/antwort/" in mail.outbox[0].body

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(
            meeting=meeting,
            start=meeting.start + datetime.timedelta(hours=1),
            end=meeting.end + datetime.timedelta(hours=1),
        )
    updated = _event(_ics(mail.outbox[0]))
    assert str(updated["UID"]) == uid
    assert int(updated["SEQUENCE"]) == sequence + 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_cancel(meeting=meeting, reason="Krankheit")
    cancel = _ics(mail.outbox[0])
    assert cancel["METHOD"] == "CANCEL"
    assert str(_event(cancel)["UID"]) == uid
    assert int(_event(cancel)["SEQUENCE"]) == sequence + 2
    assert str(_event(cancel)["STATUS"]) == "CANCELLED"


def test_first_invitation_is_plain_even_after_changes_before_it(
    db, django_capture_on_commit_callbacks
):
    body, _delegates = _body_with_delegates(db, n=1)
    meeting = MeetingFactory(body=body)
    # Changed before anyone was invited: nothing to update in anyone's calendar.
    meeting_update(meeting=meeting, title="Neuer Titel")
    with django_capture_on_commit_callbacks(execute=True):
        meeting_send_invitations(meeting=meeting)
    first = mail.outbox[0]
    assert first.subject.startswith("Einladung:"), first.subject
    assert "geändert" not in first.subject.lower()
    assert "eingeladen" in first.body
    assert int(_event(_ics(first))["SEQUENCE"]) == 0
    assert _ics(first)["METHOD"] == "REQUEST"
    # A change after the invitation: now it says so, with a higher SEQUENCE.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, title="Noch ein Titel")
    update = mail.outbox[0]
    assert "Geänderte Einladung" in update.subject
    assert int(_event(_ics(update))["SEQUENCE"]) == 1
    # A delegate invited only now gets a plain invitation, not an "updated" one.
    DelegateFactory(membership__body=body)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_send_invitations(meeting=meeting)
    subjects = sorted(m.subject for m in mail.outbox)
    assert any(s.startswith("Einladung:") for s in subjects), subjects


def test_meeting_moved_across_dst_keeps_local_time_in_ics(db, django_capture_on_commit_callbacks):
    body, _delegates = _body_with_delegates(db, n=1)
    start = datetime.datetime(2030, 3, 20, 18, 0, tzinfo=BERLIN)  # winter time
    meeting = meeting_create(
        body=body, title="Treffen", start=start, end=start + datetime.timedelta(hours=2)
    )
    meeting_send_invitations(meeting=meeting)
    moved = datetime.datetime(2030, 4, 3, 18, 0, tzinfo=BERLIN)  # summer time
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_update(meeting=meeting, start=moved, end=moved + datetime.timedelta(hours=2))
    meeting.refresh_from_db()
    assert timezone.localtime(meeting.start).hour == 18
    assert meeting.start.astimezone(datetime.UTC).hour == 16
    content = mail.outbox[0].attachments[0][1]
    content = content.decode() if isinstance(content, bytes) else content
    assert "DTSTART;TZID=Europe/Berlin:20300403T180000" in content
    assert "BEGIN:VTIMEZONE" in content


def test_member_removed_mid_series_gets_no_more_invitations_but_history_stays(
    db, django_capture_on_commit_callbacks
):
    body, (keep, leave) = _body_with_delegates(db)
    past = MeetingFactory(
        body=body,
        start=timezone.now() - datetime.timedelta(days=30),
        end=timezone.now() - datetime.timedelta(days=30, hours=-2),
        status=MeetingStatus.HELD,
    )
    Invitation.objects.create(meeting=past, delegate=leave, attended=True)
    coming = MeetingFactory(body=body)
    meeting_send_invitations(meeting=coming)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        membership_end(membership=leave.membership)
    # The leaver gets a cancellation for the coming meeting, and the invitation is gone.
    assert [m.to for m in mail.outbox] == [[leave.person.email]]
    assert _ics(mail.outbox[0])["METHOD"] == "CANCEL"
    assert not coming.invitations.filter(delegate=leave).exists()
    assert past.invitations.filter(delegate=leave, attended=True).exists()
    later = MeetingFactory(
        body=body,
        start=coming.start + datetime.timedelta(days=90),
        end=coming.end + datetime.timedelta(days=90),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        meeting_send_invitations(meeting=later)
    assert [m.to for m in mail.outbox] == [[keep.person.email]]


def test_cancelled_meeting_cannot_be_changed(db):
    meeting = MeetingFactory()
    meeting_cancel(meeting=meeting)
    with pytest.raises(ValidationError):
        meeting_update(meeting=meeting, title="Neu")
    with pytest.raises(ValidationError):
        meeting_cancel(meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.CANCELLED
