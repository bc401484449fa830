"""Meetings: series with a recurrence rule, single meetings, host rotation, agenda, invitations."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel
from quartier.networks.models.bodies import Body, Delegate, Membership

DEFAULT_RRULE = "FREQ=MONTHLY;INTERVAL=3"


class MeetingSeries(TimeStampedModel):
    """A recurring meeting: an iCalendar RRULE anchored at a local start (Europe/Berlin).

    `first_start` is stored as an aware datetime; occurrences are computed in local wall time,
    so a 16:00 meeting stays at 16:00 across daylight-saving changes.
    """

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="series", verbose_name=_("body")
    )
    title = models.CharField(_("title"), max_length=250)
    rrule = models.CharField(
        _("recurrence (iCalendar RRULE)"),
        max_length=500,
        default=DEFAULT_RRULE,
        help_text=_("For example FREQ=MONTHLY;INTERVAL=3 (quarterly)."),
    )
    first_start = models.DateTimeField(_("first meeting starts"))
    duration_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=120)
    is_public = models.BooleanField(_("public meetings"), default=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["body", "first_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=5), name="meetingseries_duration_min"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")
    HELD = "held", _("held")


class MeetingKind(models.TextChoices):
    MEETING = "meeting", _("meeting")
    JOINT_EVENT = "event", _("joint event")


class MeetingQuerySet(models.QuerySet):
    def public(self) -> MeetingQuerySet:
        return self.filter(is_public=True, body__is_public=True)

    def not_cancelled(self) -> MeetingQuerySet:
        return self.exclude(status=MeetingStatus.CANCELLED)

    def overlapping(self, body_id: int, start, end, *, exclude_pk=None) -> MeetingQuerySet:
        found = self.not_cancelled().filter(body_id=body_id, start__lt=end, end__gt=start)
        return found.exclude(pk=exclude_pk) if exclude_pk else found


class Meeting(TimeStampedModel):
    """One meeting of a body. `uid` and `sequence` identify it to calendar clients (RFC 5545):
    the UID never changes, the sequence rises with every change that is sent out.

    The location is a copy of the host's place when the host accepts, so the history stays right
    when the organisation moves.
    """

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="meetings", verbose_name=_("body")
    )
    series = models.ForeignKey(
        MeetingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
        verbose_name=_("series"),
    )
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(
        _("kind"), max_length=10, choices=MeetingKind.choices, default=MeetingKind.MEETING
    )
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"), max_length=10, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    is_public = models.BooleanField(_("public"), default=True)
    uid = models.CharField(_("calendar UID"), max_length=200, unique=True, editable=False)
    sequence = models.PositiveIntegerField(_("calendar sequence"), default=0, editable=False)
    host = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_meetings",
        verbose_name=_("host"),
    )
    location_name = models.CharField(_("place"), max_length=250, blank=True)
    location_room = models.CharField(_("room"), max_length=200, blank=True)
    location_street = models.CharField(_("street and number"), max_length=200, blank=True)
    location_postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    location_city = models.CharField(_("city"), max_length=100, blank=True)
    location_note = models.CharField(_("how to find it"), max_length=300, blank=True)
    location_lat = models.FloatField(_("latitude"), null=True, blank=True)
    location_lon = models.FloatField(_("longitude"), null=True, blank=True)
    agenda_deadline = models.DateTimeField(_("agenda proposals until"), null=True, blank=True)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    invitations_sent_at = models.DateTimeField(_("invitations sent"), null=True, blank=True)
    cancelled_reason = models.CharField(_("reason for cancelling"), max_length=300, blank=True)

    objects = MeetingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["start"]
        indexes = [
            models.Index(fields=["body", "start"], name="meeting_body_start_idx"),
            models.Index(fields=["start"], name="meeting_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="meeting_end_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        if not self.uid:
            self.uid = f"{uuid.uuid4()}@quartier"
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("networks:meeting", kwargs={"pk": self.pk})

    @property
    def is_cancelled(self) -> bool:
        return self.status == MeetingStatus.CANCELLED

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.location_postcode, self.location_city) if part)
        return ", ".join(part for part in (self.location_street, place) if part)

    @property
    def location_text(self) -> str:
        parts = (self.location_name, self.location_room, self.address_line)
        return ", ".join(part for part in parts if part)


class HostTurn(TimeStampedModel):
    """The host rotation's history: who was asked to host which meeting and how they answered."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("asked")
        ACCEPTED = "accepted", _("accepted")
        PASSED = "passed", _("passed")
        WITHDRAWN = "withdrawn", _("withdrawn (left the body or meeting changed)")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="host_turns", verbose_name=_("meeting")
    )
    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="host_turns", verbose_name=_("member")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("host turn")
        verbose_name_plural = _("host turns")
        ordering = ["meeting__start", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "membership"], name="hostturn_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.membership.organisation} – {self.meeting} ({self.get_status_display()})"


class AgendaItem(TimeStampedModel):
    """An item on a meeting's agenda; members propose, coordinators accept and order."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("proposed")
        ACCEPTED = "accepted", _("on the agenda")
        REJECTED = "rejected", _("not taken up")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items", verbose_name=_("meeting")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PROPOSED
    )
    is_public = models.BooleanField(_("public"), default=True)
    proposed_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_agenda_items",
        verbose_name=_("proposed by"),
    )
    proposed_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by (login)"),
    )
    action_item = models.ForeignKey(
        "networks.ActionItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="agenda_items",
        verbose_name=_("carried-over action item"),
    )
    result = models.TextField(_("result"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["meeting", "position", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "action_item"],
                condition=Q(action_item__isnull=False),
                name="agendaitem_action_item_once",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Invitation(TimeStampedModel):
    """A delegate's invitation to a meeting, their answer (RSVP) and their attendance."""

    class Answer(models.TextChoices):
        NONE = "none", _("no answer yet")
        YES = "yes", _("attends")
        NO = "no", _("does not attend")
        MAYBE = "maybe", _("maybe")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("meeting")
    )
    delegate = models.ForeignKey(
        Delegate, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("delegate")
    )
    answer = models.CharField(
        _("answer"), max_length=10, choices=Answer.choices, default=Answer.NONE
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    sent_sequence = models.IntegerField(_("last sent sequence"), default=-1)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["meeting", "delegate"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "delegate"], name="invitation_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.delegate.person} – {self.meeting}"


class ContactInvitation(TimeStampedModel):
    """An invitation to a member organisation's general address (its public e-mail), sent on
    request when the member has no delegated person: the meeting still reaches the member.

    The address is read from the organisation when a mail goes out (it is public, not
    personal), so nothing here needs a retention rule of its own.
    """

    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        related_name="contact_invitations",
        verbose_name=_("meeting"),
    )
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="contact_invitations",
        verbose_name=_("member"),
    )
    sent_sequence = models.IntegerField(_("last sent sequence"), default=-1)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation to a general address")
        verbose_name_plural = _("invitations to general addresses")
        ordering = ["meeting", "membership"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "membership"], name="contactinvitation_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership.organisation} – {self.meeting}"


def _new_token() -> str:
    import secrets

    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret of a person's private calendar feed; revoking sets `revoked_at`."""

    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="calendar_tokens",
        verbose_name=_("person"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("calendar feed token")
        verbose_name_plural = _("calendar feed tokens")
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(revoked_at__isnull=True),
                name="calendartoken_one_active",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({'revoked' if self.revoked_at else 'active'})"
