"""Bodies (Gremien), their kinds and topics, memberships of organisations and their delegates."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel
from quartier.core.vocabulary import LocalizedName, LocalizedPlural


class Visibility(models.TextChoices):
    MEMBERS = "members", _("members only")
    PUBLIC = "public", _("public")


class BodyKind(LocalizedPlural, models.Model):
    """A kind of body, as data: Netzwerk, Arbeitskreis, Runder Tisch, Lokales Bündnis, ..."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    name_plural = models.CharField(_("plural"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_plural_en = models.CharField(_("plural (English)"), max_length=120, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("kind of body")
        verbose_name_plural = _("kinds of body")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name


class Topic(LocalizedName, models.Model):
    """A topic a body works on (Jugend, Kita, Schule, Wohnen, ...): a small shared vocabulary."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name


class BodyQuerySet(models.QuerySet):
    def public(self) -> BodyQuerySet:
        return self.filter(is_public=True)

    def active(self) -> BodyQuerySet:
        return self.filter(dissolved_on__isnull=True)

    def in_areas(self, area_ids) -> BodyQuerySet:
        return self.filter(areas__in=area_ids).distinct()


class Body(TimeStampedModel):
    """A Gremium: a network, working group, round table or local alliance of organisations.

    Everything here is public when `is_public` is set, except `internal_notes`.
    """

    kind = models.ForeignKey(
        BodyKind, on_delete=models.PROTECT, related_name="bodies", verbose_name=_("kind")
    )
    name = models.CharField(_("name"), max_length=250)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    slug = models.SlugField(_("address"), max_length=250, unique=True)
    description = models.TextField(_("description"), blank=True)
    areas = models.ManyToManyField(
        "areas.Area", related_name="bodies", verbose_name=_("areas of work"), blank=True
    )
    topics = models.ManyToManyField(
        Topic, related_name="bodies", verbose_name=_("topics"), blank=True
    )
    coordinating_organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="coordinated_bodies",
        verbose_name=_("coordinating organisation"),
    )
    contact_persons = models.ManyToManyField(
        "directory.Person",
        related_name="body_contacts",
        verbose_name=_("public contact persons"),
        blank=True,
    )
    contact_email = models.EmailField(
        _("contact e-mail"),
        blank=True,
        help_text=_("Messages from the contact form go here (public on the body's page)."),
    )
    website = models.URLField(_("website"), blank=True)
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    dissolved_on = models.DateField(_("dissolved on"), null=True, blank=True)
    is_public = models.BooleanField(
        _("public"), default=True, help_text=_("The body has a public page and public feeds.")
    )
    minutes_visibility = models.CharField(
        _("minutes are visible to"),
        max_length=10,
        choices=Visibility.choices,
        default=Visibility.MEMBERS,
    )
    default_meeting_minutes = models.PositiveSmallIntegerField(
        _("usual length of a meeting (minutes)"), default=120
    )
    agenda_deadline_days = models.PositiveSmallIntegerField(
        _("agenda proposals close (days before the meeting)"), default=7
    )
    internal_notes = models.TextField(_("internal notes"), blank=True)

    history = HistoricalRecords()
    objects = BodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("body")
        verbose_name_plural = _("bodies")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(dissolved_on__isnull=True)
                | Q(founded_on__isnull=True)
                | Q(dissolved_on__gte=models.F("founded_on")),
                name="body_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("networks:body", kwargs={"slug": self.slug})


class MembershipRole(models.TextChoices):
    COORDINATION = "coordination", _("coordination")
    SPEAKER = "speaker", _("speaker")
    MEMBER = "member", _("member")
    GUEST = "guest", _("guest")


class MembershipQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )


class Membership(TimeStampedModel):
    """An organisation's membership in a body; ended memberships stay for the history.

    `room_capacity` is the membership's "we have a room for N people" flag for the host
    rotation (empty: no suitable room); the room is at the organisation's address.
    """

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("body")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="body_memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(
        _("role"), max_length=20, choices=MembershipRole.choices, default=MembershipRole.MEMBER
    )
    start_date = models.DateField(_("member since"), null=True, blank=True)
    end_date = models.DateField(_("member until"), null=True, blank=True)
    room_capacity = models.PositiveSmallIntegerField(
        _("room for how many people"),
        null=True,
        blank=True,
        help_text=_("Leave empty if the organisation cannot host meetings."),
    )
    room_name = models.CharField(_("room"), max_length=200, blank=True)
    room_note = models.CharField(
        _("how to find the room, accessibility"), max_length=300, blank=True
    )

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["body", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organisation"],
                condition=Q(end_date__isnull=True),
                name="membership_one_open_per_organisation",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
            ),
        ]
        indexes = [models.Index(fields=["body", "end_date"], name="membership_body_end_idx")]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.body} ({self.get_role_display()})"

    def is_current(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        started = self.start_date is None or self.start_date <= on
        return started and (self.end_date is None or self.end_date >= on)


class DelegateQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None) -> DelegateQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on)).filter(
            Q(membership__end_date__isnull=True) | Q(membership__end_date__gte=on)
        )


class Delegate(TimeStampedModel):
    """A person a member organisation sends to the body (OParl: a Membership of a Person)."""

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="delegates", verbose_name=_("membership")
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        related_name="body_delegations",
        verbose_name=_("person"),
    )
    is_deputy = models.BooleanField(_("deputy"), default=False)
    may_sign = models.BooleanField(
        _("may sign for the organisation"),
        default=False,
        help_text=_("Signs joint statements of the body on behalf of the member organisation."),
    )
    start_date = models.DateField(_("since"), null=True, blank=True)
    end_date = models.DateField(_("until"), null=True, blank=True)

    history = HistoricalRecords()
    objects = DelegateQuerySet.as_manager()

    class Meta:
        verbose_name = _("delegate")
        verbose_name_plural = _("delegates")
        ordering = ["membership", "is_deputy", "person__family_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "person"],
                condition=Q(end_date__isnull=True),
                name="delegate_one_open_per_person",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="delegate_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.membership.organisation})"


class JoinRequest(TimeStampedModel):
    """An organisation asks to join a body; coordinators accept or decline with a message."""

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")
        WITHDRAWN = "withdrawn", _("withdrawn")

    body = models.ForeignKey(
        Body, on_delete=models.CASCADE, related_name="join_requests", verbose_name=_("body")
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="body_join_requests",
        verbose_name=_("organisation"),
    )
    reason = models.TextField(_("why the organisation wants to join"), max_length=2000)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_message = models.TextField(_("message to the organisation"), blank=True)

    class Meta:
        verbose_name = _("request to join")
        verbose_name_plural = _("requests to join")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["body", "organisation"],
                condition=Q(status="pending"),
                name="joinrequest_one_pending",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.body} ({self.get_status_display()})"


class OrganisationRequestQuerySet(models.QuerySet):
    def open(self) -> OrganisationRequestQuerySet:
        return self.filter(status=OrganisationRequest.Status.OPEN)

    def decided(self) -> OrganisationRequestQuerySet:
        return self.exclude(status=OrganisationRequest.Status.OPEN)


class OrganisationRequest(TimeStampedModel):
    """An organisation that is not on the platform yet asks to be added, to join a body.

    Sent from the public join page (no login); the body's planners, coordinators and the
    admins accept it (the organisation is added to the directory and asks to join the body)
    or decline it with a reason; the requester is told by mail. The contact data is the
    requester's own, given with consent: once the request is decided (and the answer queued
    with the address), the name, address and message are emptied; what is left (the
    organisation's name and website, the decision) goes with the request after
    `retention.ORGANISATION_REQUEST_DAYS`.
    """

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DECLINED = "declined", _("declined")

    body = models.ForeignKey(
        Body,
        on_delete=models.CASCADE,
        related_name="organisation_requests",
        verbose_name=_("body"),
    )
    organisation_name = models.CharField(_("name of the organisation"), max_length=250)
    website = models.URLField(_("website"), blank=True)
    contact_name = models.CharField(_("your name"), max_length=200, blank=True)
    contact_email = models.EmailField(_("your e-mail address"), blank=True)
    message = models.TextField(_("what the organisation does"), max_length=2000, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation added"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decline_reason = models.TextField(_("reason for declining"), max_length=2000, blank=True)
    consents = GenericRelation("core.ConsentRecord")

    objects = OrganisationRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("request to add an organisation")
        verbose_name_plural = _("requests to add an organisation")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open", decided_at__isnull=True)
                | (~Q(status="open") & Q(decided_at__isnull=False)),
                name="organisationrequest_decided_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_name} → {self.body}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN
