"""Venues (a Stadtteilbüro, a community centre), their rooms, and bookings of those rooms.

No double booking is enforced by the database: every booking is expanded into `Occupancy`
rows, one per 15-minute cell in UTC (its own time plus the room's buffer), and
`UniqueConstraint(room, cell_start)` lets only one booking hold a cell. See
docs/adr/0004-no-double-booking.md.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel
from quartier.venues.validators import validate_image_size


class VenueQuerySet(models.QuerySet):
    def active(self) -> VenueQuerySet:
        return self.filter(is_active=True)


class Venue(TimeStampedModel):
    """A house with rooms to lend, run by an organisation (its managers manage the venue)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200, unique=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.PROTECT,
        related_name="venues",
        verbose_name=_("run by"),
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="venues",
        verbose_name=_("area"),
    )
    description = models.TextField(_("description"), blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    house_rules = models.TextField(_("house rules"), blank=True)
    email = models.EmailField(
        _("booking e-mail"), blank=True, help_text=_("Receives new booking requests.")
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = VenueQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("venues:venue", kwargs={"slug": self.slug})

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)


class OpeningHours(models.Model):
    """One opening window on a weekday. `closes` at or before `opens` means: past midnight.

    A venue without any windows is treated as always open (rooms lent by arrangement).
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("venue")
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("opens"))
    closes = models.TimeField(_("closes"))

    class Meta:
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        ordering = ["venue", "weekday", "opens"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="openinghours_weekday"),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosingDay(models.Model):
    """Days (a holiday, the summer break) on which no room of the venue can be booked."""

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="closing_days", verbose_name=_("venue")
    )
    first_day = models.DateField(_("first day"))
    last_day = models.DateField(_("last day"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("closing day")
        verbose_name_plural = _("closing days")
        ordering = ["venue", "first_day"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_day__gte=models.F("first_day")), name="closingday_order"
            ),
        ]

    def __str__(self) -> str:
        if self.first_day == self.last_day:
            return f"{self.first_day:%d.%m.%Y} {self.reason}".strip()
        return f"{self.first_day:%d.%m.%Y}–{self.last_day:%d.%m.%Y} {self.reason}".strip()


class ApprovalPolicy(models.TextChoices):
    ALL = "all", _("Every booking needs approval")
    EXTERNAL = "external", _("Bookings by others than the venue's staff need approval")
    PUBLIC = "public", _("Only public requests need approval")


class RoomQuerySet(models.QuerySet):
    def active(self) -> RoomQuerySet:
        return self.filter(is_active=True, venue__is_active=True)


class Room(TimeStampedModel):
    """A room with its equipment and its booking rules.

    Who may book: the venue's staff always; staff of the organisations in `bookable_by`;
    anyone else (residents, groups without an account) by public request when
    `public_requests` is on; members and coordinators of the bodies in `bookable_by_bodies`
    (networks app: delegates and staff of current member organisations).
    """

    venue = models.ForeignKey(
        Venue, on_delete=models.CASCADE, related_name="rooms", verbose_name=_("venue")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    capacity = models.PositiveIntegerField(_("capacity (people)"), default=10)
    equipment = models.TextField(_("equipment"), blank=True)
    barrier_free = models.BooleanField(_("barrier-free access"), default=False)
    accessibility_notes = models.CharField(_("accessibility notes"), max_length=300, blank=True)
    has_kitchen = models.BooleanField(_("kitchen"), default=False)
    house_rules = models.TextField(
        _("house rules"), blank=True, help_text=_("In addition to the venue's house rules.")
    )
    is_active = models.BooleanField(_("bookable"), default=True)
    # Booking rules.
    bookable_by = models.ManyToManyField(
        "directory.Organisation",
        blank=True,
        related_name="bookable_rooms",
        verbose_name=_("organisations that may book"),
    )
    bookable_by_bodies = models.ManyToManyField(
        "networks.Body",
        blank=True,
        related_name="bookable_rooms",
        verbose_name=_("bodies whose members may book"),
        help_text=_(
            "Delegates and staff of current member organisations and the body's coordinators."
        ),
    )
    public_requests = models.BooleanField(
        _("residents and groups may request"),
        default=True,
        help_text=_("Shows a public request form; requests always need approval."),
    )
    lead_time_hours = models.PositiveIntegerField(
        _("lead time (hours)"), default=24, validators=[MaxValueValidator(24 * 90)]
    )
    max_length_minutes = models.PositiveIntegerField(
        _("longest booking (minutes)"),
        default=8 * 60,
        validators=[MinValueValidator(15), MaxValueValidator(7 * 24 * 60)],
    )
    buffer_minutes = models.PositiveIntegerField(
        _("buffer after each booking (minutes)"),
        default=0,
        validators=[MaxValueValidator(240)],
        help_text=_("Time to air and tidy the room; rounded up to 15 minutes."),
    )
    booking_window_days = models.PositiveIntegerField(
        _("bookable up to (days ahead)"),
        default=365,
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    approval = models.CharField(
        _("approval"), max_length=20, choices=ApprovalPolicy.choices, default="external"
    )

    objects = RoomQuerySet.as_manager()

    class Meta:
        verbose_name = _("room")
        verbose_name_plural = _("rooms")
        ordering = ["venue", "name"]
        constraints = [
            models.UniqueConstraint(fields=["venue", "slug"], name="room_unique_slug"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.venue.name})"

    def get_absolute_url(self) -> str:
        return reverse("venues:room", kwargs={"venue": self.venue.slug, "slug": self.slug})


class RoomPhoto(models.Model):
    room = models.ForeignKey(
        Room, on_delete=models.CASCADE, related_name="photos", verbose_name=_("room")
    )
    image = models.ImageField(
        _("image"),
        upload_to="venues/rooms/%Y/",
        validators=[
            FileExtensionValidator(["jpg", "jpeg", "png", "webp"]),
            validate_image_size,
        ],
    )
    alt_text = models.CharField(
        _("description for screen readers"), max_length=250, help_text=_("What the photo shows.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["room", "position", "pk"]

    def __str__(self) -> str:
        return self.alt_text


class BookingStatus(models.TextChoices):
    # A public request whose e-mail address is not confirmed yet: it holds no slot (issue 19).
    UNCONFIRMED = "unconfirmed", _("awaiting e-mail confirmation")
    REQUESTED = "requested", _("requested")
    CONFIRMED = "confirmed", _("confirmed")
    REJECTED = "rejected", _("rejected")
    CANCELLED = "cancelled", pgettext_lazy("booking", "cancelled")


ACTIVE_STATUSES = (BookingStatus.REQUESTED, BookingStatus.CONFIRMED)


class BookingSource(models.TextChoices):
    BACKOFFICE = "backoffice", _("back office")
    PUBLIC = "public", _("public request")
    EVENT = "event", _("event")
    API = "api", _("API")


class BookingQuerySet(models.QuerySet):
    def active(self) -> BookingQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)


class Booking(TimeStampedModel):
    """A booking of a room: one slot, or a series (RRULE in local wall time) with exceptions.

    A requested booking already holds its cells, so approving it can never conflict. An
    anonymous public request is stored UNCONFIRMED and holds nothing until the requester
    confirms the address by the mailed link (services.booking_confirm_request); unconfirmed
    requests are deleted after QUARTIER_VENUES_CONFIRM_HOURS (retention.py).
    Personal data: `requester_*` (public requests) is never shown publicly and is erased
    `VENUES_REQUESTER_RETENTION_DAYS` after the last occurrence or the decision
    (docs/privacy-venues.md).
    """

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    room = models.ForeignKey(
        Room, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("room")
    )
    title = models.CharField(_("title"), max_length=200)
    notes = models.TextField(_("notes"), blank=True)
    attendees = models.PositiveIntegerField(_("expected attendees"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=BookingStatus.choices, default="requested"
    )
    source = models.CharField(
        _("source"), max_length=20, choices=BookingSource.choices, default="backoffice"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    recurrence = models.CharField(
        _("repeats (RRULE)"), max_length=300, blank=True, help_text=_("For example FREQ=WEEKLY")
    )
    recurrence_until = models.DateField(_("repeats until"), null=True, blank=True)
    # For series without end: occurrences are held up to here and extended daily.
    expanded_until = models.DateTimeField(_("held until"), null=True, blank=True)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("for organisation"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="room_bookings",
        verbose_name=_("booked by"),
    )
    requester_name = models.CharField(_("name"), max_length=200, blank=True)
    requester_email = models.EmailField(_("e-mail"), blank=True)
    requester_phone = models.CharField(_("phone"), max_length=40, blank=True)
    requester_group = models.CharField(_("group or initiative"), max_length=200, blank=True)
    consent_at = models.DateTimeField(_("consent given"), null=True, blank=True)
    email_confirmed_at = models.DateTimeField(
        _("e-mail address confirmed"), null=True, blank=True, editable=False
    )
    # core.ConsentRecord with the text the requester agreed to (deleted with the booking).
    consents = GenericRelation("core.ConsentRecord")
    personal_data_erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.TextField(_("reason"), blank=True)

    objects = BookingQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        ordering = ["start"]
        constraints = [
            models.CheckConstraint(condition=Q(end__gt=models.F("start")), name="booking_order"),
        ]
        indexes = [models.Index(fields=["room", "status", "start"], name="booking_room_idx")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_recurring(self) -> bool:
        return bool(self.recurrence)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def duration(self):
        return self.end - self.start

    @property
    def contact_email(self) -> str:
        if self.requester_email:
            return self.requester_email
        return self.created_by.email if self.created_by_id and self.created_by else ""


class BookingException(models.Model):
    """An occurrence of a series that does not take place (holiday, moved meeting)."""

    booking = models.ForeignKey(
        Booking, on_delete=models.CASCADE, related_name="exceptions", verbose_name=_("booking")
    )
    occurrence_start = models.DateTimeField(_("occurrence"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("exception")
        verbose_name_plural = _("exceptions")
        ordering = ["occurrence_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["booking", "occurrence_start"], name="bookingexception_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.booking}: {self.occurrence_start:%Y-%m-%d %H:%M}"


class Occupancy(models.Model):
    """One 15-minute cell (UTC) of a room held by one occurrence of a booking.

    The unique constraint on (room, cell_start) is what makes double booking impossible, on
    SQLite and PostgreSQL alike, also for two requests committed at the same moment.
    """

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="occupancies")
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="occupancies")
    cell_start = models.DateTimeField()
    occurrence_start = models.DateTimeField()
    occurrence_end = models.DateTimeField()
    is_buffer = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("occupied slot")
        verbose_name_plural = _("occupied slots")
        constraints = [
            models.UniqueConstraint(fields=["room", "cell_start"], name="occupancy_one_per_cell"),
        ]
        indexes = [models.Index(fields=["booking", "occurrence_start"], name="occupancy_occ_idx")]

    def __str__(self) -> str:
        return f"{self.room_id} {self.cell_start:%Y-%m-%d %H:%M}"
