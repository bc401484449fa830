"""Public events, registrations with a waitlist, volunteer shifts and imported iCal feeds.

Times are stored as aware datetimes (UTC in the database) and shown in Europe/Berlin; an event
may cross midnight or a daylight-saving change, its duration is real elapsed time.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel
from quartier.core.vocabulary import LocalizedName


class Category(LocalizedName, models.Model):
    """A kind of event (Stadtteilfest, Markt, Aktionstag, Infoabend...), as data."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("event category")
        verbose_name_plural = _("event categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("scheduled")
    CANCELLED = "cancelled", _("cancelled")


class EventQuerySet(models.QuerySet):
    def published(self) -> EventQuerySet:
        return self.filter(is_published=True)

    def public(self) -> EventQuerySet:
        """Published and not cancelled: what may be announced as news (alerts)."""
        return self.published().exclude(status=EventStatus.CANCELLED)

    def overlapping(self, start, end) -> EventQuerySet:
        """Events that take place (partly) in [start, end)."""
        return self.filter(starts_at__lt=end, ends_at__gt=start)

    def upcoming(self, now=None) -> EventQuerySet:
        return self.filter(ends_at__gte=now or timezone.now())


def _new_uid() -> str:
    return f"{uuid.uuid4()}@quartier"


class Event(TimeStampedModel):
    """A public event. `uid` and `sequence` make its iCal identity: calendars that subscribed
    to our feed see changes (SEQUENCE raised) and cancellations (STATUS:CANCELLED)."""

    uid = models.CharField(_("iCal UID"), max_length=255, unique=True, default=_new_uid)
    sequence = models.PositiveIntegerField(_("iCal sequence"), default=0)
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("address"), max_length=230, unique=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("category"),
    )
    # The offers' topic vocabulary (what the event is about); `category` says what kind of
    # event it is. Filters include the narrower topics (selectors.topic_subtree_ids).
    topics = models.ManyToManyField(
        "offers.TaxonomyTerm", blank=True, related_name="events", verbose_name=_("topics")
    )
    target_groups = models.ManyToManyField(
        "offers.TargetGroup", blank=True, related_name="events", verbose_name=_("target groups")
    )
    organisations = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="events",
        verbose_name=_("organised by"),
    )
    bodies = models.ManyToManyField(
        "networks.Body",
        blank=True,
        related_name="events",
        verbose_name=_("organised by bodies"),
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="events", verbose_name=_("areas")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    all_day = models.BooleanField(_("all day"), default=False)
    place_name = models.CharField(_("place"), max_length=200, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    room = models.ForeignKey(
        "venues.Room",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("room"),
        help_text=_("The room is booked for the event's time; a conflict refuses the event."),
    )
    booking = models.OneToOneField(
        "venues.Booking",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        editable=False,
        verbose_name=_("room booking"),
    )
    accessibility = models.TextField(
        _("accessibility"),
        blank=True,
        help_text=_("Step-free access, accessible toilet, induction loop, sign language ..."),
    )
    is_free = models.BooleanField(_("free of charge"), default=True)
    cost = models.CharField(_("cost"), max_length=200, blank=True)
    image = models.ImageField(_("image"), upload_to="events/%Y/", blank=True)
    image_alt = models.CharField(_("image description (alt text)"), max_length=250, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    is_published = models.BooleanField(_("published"), default=True)
    # When the event was first published (services, importer): event alerts announce an event
    # once, when this passes, however often it is changed or unpublished and published again.
    first_published_at = models.DateTimeField(
        _("first published"), null=True, blank=True, editable=False
    )
    registration_required = models.BooleanField(_("registration required"), default=False)
    capacity = models.PositiveIntegerField(_("places"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(_("registration closes"), null=True, blank=True)
    source_feed = models.ForeignKey(
        "IcalFeed",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("imported from"),
    )
    source_uid = models.CharField(_("UID in the source feed"), max_length=255, blank=True)
    source_recurrence_id = models.CharField(
        _("occurrence in the source"), max_length=40, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )

    objects = EventQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        indexes = [
            models.Index(fields=["starts_at", "ends_at"], name="event_time_idx"),
            models.Index(fields=["first_published_at"], name="event_first_published_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_required=False) | Q(capacity__isnull=False),
                name="event_registration_has_capacity",
            ),
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180)),
                name="event_point_valid",
            ),
            models.UniqueConstraint(
                fields=["source_feed", "source_uid", "source_recurrence_id"],
                condition=Q(source_feed__isnull=False),
                name="event_unique_source_uid",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", kwargs={"slug": self.slug})

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.place_name, self.street, place) if part)

    def registration_open(self, now=None) -> bool:
        now = now or timezone.now()
        if not self.registration_required or self.is_cancelled or self.starts_at <= now:
            return False
        return self.registration_closes_at is None or now < self.registration_closes_at


class RegistrationStatus(models.TextChoices):
    # Asked for anonymously: holds nothing (no place, no waiting-list position) until the
    # link mailed to the address confirms it; deleted when it expires (retention.py).
    PENDING = "pending", _("awaiting e-mail confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    WAITLISTED = "waitlisted", _("on the waiting list")
    CANCELLED = "cancelled", _("cancelled")


class Registration(models.Model):
    """A person's registration for an event. Personal data: never shown publicly; deleted
    `QUARTIER_EVENTS_RETENTION_DAYS` after the event (tasks.purge_expired_personal_data).

    A confirmed registration holds a seat number; the unique (event, seat) constraint lets the
    database refuse a second holder of the same seat whatever happens in Python. A pending one
    (the address not yet confirmed, issue 19) holds neither a seat nor a waiting-list position;
    `confirmed_at` is when the address was confirmed and orders the waiting list.
    """

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("event")
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail"))
    status = models.CharField(_("status"), max_length=12, choices=RegistrationStatus.choices)
    seat = models.PositiveIntegerField(_("seat"), null=True, blank=True)
    created_at = models.DateTimeField(_("registered"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # core.ConsentRecord of the registration form's consent (deleted with the registration).
    consents = GenericRelation("core.ConsentRecord")

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "seat"],
                condition=Q(seat__isnull=False),
                name="registration_unique_seat",
            ),
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=~Q(status="cancelled"),
                name="registration_unique_active_email",
            ),
            models.CheckConstraint(
                condition=Q(status="confirmed", seat__isnull=False)
                | (~Q(status="confirmed") & Q(seat__isnull=True)),
                name="registration_seat_iff_confirmed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_status_display()})"


class ShiftKind(models.TextChoices):
    SETUP = "setup", _("set-up")
    STAND = "stand", _("stand")
    CLEANUP = "cleanup", _("clean-up")


class Shift(models.Model):
    """A helper shift at an event: set-up, a stand, clean-up."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ShiftKind.choices)
    title = models.CharField(_("title"), max_length=150, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    needed = models.PositiveSmallIntegerField(_("helpers needed"), default=2)

    class Meta:
        verbose_name = _("helper shift")
        verbose_name_plural = _("helper shifts")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="shift_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.get_kind_display()


class ShiftSignup(models.Model):
    """A volunteer's sign-up. Public pages show the first name only and only with the helper's
    consent (`show_name`), the others as a count; the e-mail is used for the confirmation and
    the reminder and deleted with the sign-up after the retention period. Until the address is
    confirmed by the mailed link (`confirmed_at`), a sign-up takes no place in the shift."""

    shift = models.ForeignKey(
        Shift, on_delete=models.CASCADE, related_name="signups", verbose_name=_("shift")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("login"),
    )
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80, blank=True)
    email = models.EmailField(_("e-mail"))
    show_name = models.BooleanField(_("first name shown on the event page"), default=False)
    created_at = models.DateTimeField(_("signed up"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("e-mail address confirmed"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("reminder sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("shift sign-up")
        verbose_name_plural = _("shift sign-ups")
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["shift", "email"], name="shiftsignup_unique_email"),
        ]

    def __str__(self) -> str:
        return self.first_name


class IcalFeed(TimeStampedModel):
    """A member organisation's own calendar, pulled into the public calendar on a schedule."""

    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="ical_feeds",
        verbose_name=_("organisation"),
    )
    url = models.URLField(_("feed address (iCal)"), max_length=500)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category for imported events"),
    )
    areas = models.ManyToManyField(
        "areas.Area", blank=True, related_name="+", verbose_name=_("areas for imported events")
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_run_at = models.DateTimeField(_("last run"), null=True, blank=True)
    last_success_at = models.DateTimeField(_("last success"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    last_count = models.PositiveIntegerField(_("events in the last import"), default=0)

    class Meta:
        verbose_name = _("iCal feed")
        verbose_name_plural = _("iCal feeds")
        ordering = ["organisation__name", "url"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "url"], name="icalfeed_unique_url"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.url}"
