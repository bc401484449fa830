"""The Netzwerkkatalog: offers (HSDS "service"), their places, schedules and classifications.

Ids are UUIDs so that records keep their identity across HSDS export and import.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core import geocoding
from quartier.core.models import TimeStampedModel
from quartier.core.vocabulary import LocalizedName

_MIDNIGHT = datetime.time(0, 0)


class Taxonomy(models.Model):
    """A vocabulary of topics: our German social-space taxonomy, or one that HSDS users share."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    uri = models.URLField(_("URI"), blank=True)
    version = models.CharField(_("version"), max_length=30, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(LocalizedName, models.Model):
    """A topic (Frühe Hilfen, Erziehungsberatung, ...) in a hierarchy within its taxonomy."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    taxonomy = models.ForeignKey(
        Taxonomy, on_delete=models.CASCADE, related_name="terms", verbose_name=_("taxonomy")
    )
    code = models.CharField(_("code"), max_length=60)
    name = models.CharField(_("name (German)"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("broader term"),
    )
    legal_basis = models.CharField(
        _("legal basis"), max_length=100, blank=True, help_text=_("For example: § 28 SGB VIII")
    )
    term_uri = models.URLField(_("term URI"), blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        ordering = ["taxonomy", "position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["taxonomy", "code"], name="taxonomyterm_unique_code")
        ]

    def __str__(self) -> str:
        return self.localized_name


class TermMapping(models.Model):
    """How a term of our taxonomy maps onto a term of an exchange taxonomy (HSDS users')."""

    class Relation(models.TextChoices):
        EXACT = "exact", _("same meaning")
        BROADER = "broader", _("target is broader")
        NARROWER = "narrower", _("target is narrower")
        RELATED = "related", _("related")

    source = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="mappings_out")
    target = models.ForeignKey(TaxonomyTerm, on_delete=models.CASCADE, related_name="mappings_in")
    relation = models.CharField(max_length=10, choices=Relation.choices, default=Relation.EXACT)

    class Meta:
        verbose_name = _("term mapping")
        verbose_name_plural = _("term mappings")
        constraints = [
            models.UniqueConstraint(fields=["source", "target"], name="termmapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source} → {self.target} ({self.relation})"


class TargetGroup(LocalizedName, models.Model):
    """Who an offer is for: children 0-3, young people, parents, seniors, ... (data, not code)."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name


class Language(LocalizedName, models.Model):
    """A language an offer is available in (ISO 639-1 code where there is one)."""

    code = models.CharField(_("code"), max_length=12, unique=True)
    # HSDS sets no limit; real directories have names that are a sentence.
    name = models.TextField(_("name (German)"))
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name


class Location(TimeStampedModel):
    """A place where offers are given (HSDS "location"), with its accessibility."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="locations",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=250, blank=True)
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(_("postcode"), max_length=10, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    # Where the point came from (core/geocoding.py): "" for none, or one from before this field.
    position_source = models.CharField(
        _("source of the position"),
        max_length=20,
        choices=geocoding.Source.choices,
        blank=True,
        default="",
    )
    wheelchair_accessible = models.BooleanField(_("barrier-free (wheelchair)"), default=False)
    accessibility = models.TextField(_("accessibility of the place"), blank=True)
    transport = models.TextField(_("public transport"), blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        ordering = ["name", "street"]
        indexes = [models.Index(fields=["lat", "lon"], name="location_point_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(lat__isnull=True) & Q(lon__isnull=True))
                | (Q(lat__gte=-90, lat__lte=90) & Q(lon__gte=-180, lon__lte=180)),
                name="location_point_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name or self.address_line

    @property
    def address_line(self) -> str:
        place = " ".join(part for part in (self.postcode, self.city) if part)
        return ", ".join(part for part in (self.street, place) if part)

    @property
    def has_point(self) -> bool:
        return self.lat is not None and self.lon is not None

    @property
    def position_estimated(self) -> bool:
        """A point guessed from something coarser than the address (the postcode area)."""
        return self.has_point and self.position_source in geocoding.ESTIMATED


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("active")
    PAUSED = "paused", _("paused")
    ENDED = "ended", _("ended")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("draft")
    IN_REVIEW = "in_review", _("in review")
    PUBLISHED = "published", _("published")


class Cost(models.TextChoices):
    FREE = "free", _("free of charge")
    FEE = "fee", _("with a fee")
    ON_REQUEST = "on_request", _("on request")


class OfferQuerySet(models.QuerySet):
    def published(self) -> OfferQuerySet:
        return self.filter(review_state=ReviewState.PUBLISHED)

    def public(self) -> OfferQuerySet:
        """What residents see: published, not ended (Offer.is_public for a loaded offer)."""
        return self.published().exclude(status=OfferStatus.ENDED)


class Offer(TimeStampedModel):
    """An offer (Angebot; HSDS "service") of an organisation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        related_name="offers",
        verbose_name=_("organisation"),
    )
    name = models.CharField(_("name"), max_length=250)
    alternate_name = models.CharField(_("other name"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    easy_language_description = models.TextField(
        _("description in easy language (Leichte Sprache)"), blank=True
    )
    url = models.URLField(_("website"), blank=True)
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.ACTIVE
    )
    review_state = models.CharField(
        _("review state"),
        max_length=12,
        choices=ReviewState.choices,
        default=ReviewState.DRAFT,
        db_index=True,
    )
    cost = models.CharField(_("cost"), max_length=12, choices=Cost.choices, default=Cost.FREE)
    fees_description = models.CharField(_("fees"), max_length=250, blank=True)
    access_walk_in = models.BooleanField(_("walk-in"), default=False)
    access_appointment = models.BooleanField(_("by appointment"), default=False)
    access_referral = models.BooleanField(_("by referral"), default=False)
    application_process = models.TextField(_("how to get it"), blank=True)
    min_age = models.PositiveSmallIntegerField(_("from age"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("to age"), null=True, blank=True)
    topics = models.ManyToManyField(
        TaxonomyTerm, related_name="offers", verbose_name=_("topics"), blank=True
    )
    target_groups = models.ManyToManyField(
        TargetGroup, related_name="offers", verbose_name=_("target groups"), blank=True
    )
    languages = models.ManyToManyField(
        Language, related_name="offers", verbose_name=_("languages"), blank=True
    )
    areas = models.ManyToManyField(
        "areas.Area", related_name="offers", verbose_name=_("areas served"), blank=True
    )
    locations = models.ManyToManyField(
        Location,
        through="OfferLocation",
        related_name="offers",
        verbose_name=_("locations"),
        blank=True,
    )
    contacts = models.ManyToManyField(
        "directory.Person", related_name="offers", verbose_name=_("contact persons"), blank=True
    )
    last_verified = models.DateField(_("last verified"), null=True, blank=True, db_index=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    # When editors were last reminded that the entry is stale (see tasks.remind_stale_offers).
    stale_reminder_sent_at = models.DateTimeField(
        _("stale reminder sent"), null=True, blank=True, editable=False
    )
    # Who last asked for review, and in which language, for the mail about the decision
    # (services.offer_submit; the mails in mail.py).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name=_("submitted for review by"),
    )
    submitted_language = models.CharField(max_length=8, blank=True, editable=False)
    # The reviewer's reason when the offer was last sent back, shown to its editors.
    review_note = models.TextField(_("note from the review"), blank=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["stale_reminder_sent_at", "submitted_language"],
        m2m_fields=[topics, target_groups, languages, areas],
    )
    objects = OfferQuerySet.as_manager()

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["name"]
        indexes = [models.Index(fields=["review_state", "status"], name="offer_visibility_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_age__isnull=True)
                | Q(max_age__isnull=True)
                | Q(max_age__gte=models.F("min_age")),
                name="offer_age_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_public(self) -> bool:
        """OfferQuerySet.public() for this one offer: published and not ended."""
        return Offer.public_state(self.review_state, self.status)

    @staticmethod
    def public_state(review_state: str, status: str) -> bool:
        """is_public for an offer read as plain values (the search's result summaries)."""
        return review_state == ReviewState.PUBLISHED and status != OfferStatus.ENDED

    def get_absolute_url(self) -> str:
        return reverse("offers:detail", kwargs={"pk": self.pk})


class OfferLocation(models.Model):
    """An offer at a location (HSDS "service_at_location")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="offer_locations")
    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="offer_locations")
    # Free text without a length limit, as in HSDS (imports carry long ones).
    description = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("offer at a location")
        verbose_name_plural = _("offers at locations")
        constraints = [
            models.UniqueConstraint(fields=["offer", "location"], name="offerlocation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.offer} @ {self.location}"


class ScheduleKind(models.TextChoices):
    WEEKLY = "weekly", _("regular opening hours")
    DATE = "date", _("single date")
    CLOSED = "closed", _("closed (holidays)")


class Schedule(models.Model):
    """When an offer is open.

    - weekly: `weekday` (0 = Monday) from `opens_at` to `closes_at`, optionally only between
      `valid_from` and `valid_to` (term times). A `closes_at` at or before `opens_at` is past
      midnight (night shelters, hotlines: 16:00–24:00, 22:00–06:00 until the next morning);
      such hours count as open on both days (search/indexing.py).
    - date: an irregular date (`valid_from`) with its hours.
    - closed: closed from `valid_from` to `valid_to` (holiday closure); overrides the others.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="schedules")
    location = models.ForeignKey(
        Location, on_delete=models.CASCADE, null=True, blank=True, related_name="schedules"
    )
    kind = models.CharField(max_length=10, choices=ScheduleKind.choices)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    opens_at = models.TimeField(_("opens"), null=True, blank=True)
    closes_at = models.TimeField(_("closes"), null=True, blank=True)
    valid_from = models.DateField(_("from"), null=True, blank=True)
    valid_to = models.DateField(_("to"), null=True, blank=True)
    description = models.TextField(_("note"), blank=True)  # no limit, as in HSDS

    class Meta:
        verbose_name = _("schedule")
        verbose_name_plural = _("schedules")
        ordering = ["kind", "weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="weekly") | Q(weekday__gte=0, weekday__lte=6),
                name="schedule_weekly_has_weekday",
            ),
            models.CheckConstraint(
                condition=~Q(kind__in=["date", "closed"]) | Q(valid_from__isnull=False),
                name="schedule_dated_has_date",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="schedule_dates_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.get_kind_display()}"

    @property
    def overnight(self) -> bool:
        """Closes after midnight (a closing time of 00:00 is the end of the day)."""
        return bool(
            self.opens_at
            and self.closes_at
            and self.closes_at <= self.opens_at
            and self.closes_at != _MIDNIGHT
        )

    @property
    def hours_label(self) -> str:
        """The hours as shown: 09:00–12:00, 16:00–24:00, 22:00–06:00 (until the next
        morning)."""
        opens = f"{self.opens_at:%H:%M}" if self.opens_at else ""
        if not self.closes_at:
            closes = ""
        elif self.closes_at == _MIDNIGHT and self.opens_at:
            closes = "24:00"
        else:
            closes = f"{self.closes_at:%H:%M}"
        label = f"{opens}–{closes}"
        if self.overnight:
            return str(_("%(hours)s (until the next morning)") % {"hours": label})
        return label


class RevisionState(models.TextChoices):
    PENDING = "pending", _("awaiting review")
    APPROVED = "approved", _("approved")
    REJECTED = "rejected", _("rejected")
    WITHDRAWN = "withdrawn", _("replaced by a newer edit")


class OfferRevisionQuerySet(models.QuerySet):
    def pending(self) -> OfferRevisionQuerySet:
        return self.filter(state=RevisionState.PENDING)


class OfferRevision(models.Model):
    """An edit of a published offer by an editor, waiting for review.

    `data` holds the complete edited offer in the form of `services.offer_snapshot`; the
    published offer stays unchanged until a reviewer approves, then `data` is applied in one
    transaction. At most one pending revision per offer (a newer edit withdraws the older).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="revisions")
    data = models.JSONField(_("edited content"))
    state = models.CharField(
        _("state"),
        max_length=10,
        choices=RevisionState.choices,
        default=RevisionState.PENDING,
        db_index=True,
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_note = models.TextField(_("note from the review"), blank=True)
    # The submitter's language, for the mail about the decision.
    language = models.CharField(max_length=8, blank=True, editable=False)

    objects = OfferRevisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("pending change")
        verbose_name_plural = _("pending changes")
        ordering = ["-submitted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["offer"],
                condition=Q(state="pending"),
                name="offerrevision_one_pending_per_offer",
            )
        ]

    def __str__(self) -> str:
        return f"{self.offer}: {self.get_state_display()}"
