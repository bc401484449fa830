"""Residents' concerns (Anliegen): what a resident reports, where it went, what happened.

Personal data: the reporter's optional name and e-mail address (only with consent to replies),
kept out of the history tables and deleted `QUARTIER_CONCERNS_CONTACT_RETENTION_DAYS` after the
concern was closed (retention.py, docs/privacy-concerns.md); photos, re-encoded without their
metadata and never public. Public pages and APIs show category, description, area, status,
the rounded place and public answers only.
"""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core.models import TimeStampedModel
from quartier.core.vocabulary import LocalizedName

# Public coordinates are rounded to this many decimals (about 100 m): a concern reported from
# a front door does not point at that door on the public map or in Open311.
PUBLIC_DECIMALS = 3


class Status(models.TextChoices):
    RECEIVED = "received", _("received")
    IN_PROGRESS = "in_progress", _("in progress")
    FORWARDED = "forwarded", _("forwarded")
    SOLVED = "solved", _("solved")
    NOT_OURS = "not_ours", _("not ours")
    MERGED = "merged", _("merged into another concern")


CLOSED = (Status.SOLVED, Status.NOT_OURS, Status.MERGED)


class Source(models.TextChoices):
    WEB = "web", _("web form")
    OPEN311 = "open311", _("Open311 client")
    STAFF = "staff", _("entered by staff")


class Category(LocalizedName, models.Model):
    """What a concern is about; the Open311 service (`slug` is its service_code)."""

    slug = models.SlugField(_("key"), max_length=60, unique=True)
    name = models.CharField(_("name (German)"), max_length=120)
    description = models.CharField(_("description"), max_length=300, blank=True)
    group = models.CharField(_("group"), max_length=120, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("concern category")
        verbose_name_plural = _("concern categories")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.localized_name


class AttributeType(models.TextChoices):
    STRING = "string", "string"
    NUMBER = "number", "number"
    DATETIME = "datetime", "datetime"
    TEXT = "text", "text"
    SINGLE = "singlevaluelist", "singlevaluelist"
    MULTI = "multivaluelist", "multivaluelist"


class CategoryAttribute(models.Model):
    """An extra question of a category (an Open311 service definition's attribute).

    `values` lists the choices of a list type as [{"key": ..., "name": ...}].
    """

    category = models.ForeignKey(
        Category, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("category")
    )
    code = models.SlugField(_("code"), max_length=60)
    description = models.CharField(_("question"), max_length=300)
    datatype = models.CharField(
        _("type"), max_length=20, choices=AttributeType.choices, default=AttributeType.STRING
    )
    required = models.BooleanField(_("required"), default=False)
    values = models.JSONField(_("choices"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("category attribute")
        verbose_name_plural = _("category attributes")
        ordering = ["category", "position", "code"]
        constraints = [
            models.UniqueConstraint(fields=["category", "code"], name="concerns_attribute_code")
        ]

    def __str__(self) -> str:
        return f"{self.category} – {self.code}"


class RoutingRule(models.Model):
    """Area and category to the responsible body, organisation or contact person.

    A rule for an area covers the areas below it; an empty area or category matches any. The
    most specific rule wins (category named, then the deepest area); no rule: the default
    inbox, flagged.
    """

    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("area"),
    )
    category = models.ForeignKey(
        Category,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rules",
        verbose_name=_("category"),
    )
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")
        ordering = ["area__name", "category__name", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body__isnull=False)
                | Q(organisation__isnull=False)
                | Q(person__isnull=False),
                name="concerns_rule_has_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.area or _('any area')} / {self.category or _('any category')}"

    @property
    def target(self):
        return self.body or self.organisation or self.person


def new_key() -> str:
    return secrets.token_urlsafe(32)


def hash_key(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class ConcernQuerySet(models.QuerySet):
    def public(self) -> ConcernQuerySet:
        """Shown on the public map, list and in Open311: not merged into another."""
        return self.exclude(status=Status.MERGED)

    def open(self) -> ConcernQuerySet:
        return self.exclude(status__in=CLOSED)

    def in_bbox(self, west: float, south: float, east: float, north: float) -> ConcernQuerySet:
        return self.filter(lat__gte=south, lat__lte=north, lon__gte=west, lon__lte=east)


class Concern(TimeStampedModel):
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="concerns", verbose_name=_("category")
    )
    description = models.TextField(_("description"))
    area = models.ForeignKey(
        "areas.Area", on_delete=models.PROTECT, related_name="+", verbose_name=_("area")
    )
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address or place"), max_length=300, blank=True)
    attributes = models.JSONField(_("answers to the category's questions"), default=dict)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    # Routing: where the rules sent it (none: the default inbox, flagged).
    body = models.ForeignKey(
        "networks.Body",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("body"),
    )
    organisation = models.ForeignKey(
        "directory.Organisation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    person = models.ForeignKey(
        "directory.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("contact person"),
    )
    flagged = models.BooleanField(_("no routing rule matched"), default=False)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("merged into"),
    )
    agenda_item = models.ForeignKey(
        "networks.AgendaItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    api_client = models.ForeignKey(
        "concerns.ApiClient",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Open311 client"),
    )
    # Personal data (only with consent to replies); never in the history, purged after closing.
    reporter_name = models.CharField(_("name"), max_length=150, blank=True)
    reporter_email = models.EmailField(_("e-mail address"), blank=True)
    contact_consent = models.BooleanField(_("consented to replies by e-mail"), default=False)
    contact_purged_at = models.DateTimeField(_("contact data deleted"), null=True, blank=True)
    language = models.CharField(_("language"), max_length=10, default="de")
    notified_at = models.DateTimeField(_("coordinators told"), null=True, blank=True)
    # Consent to replies (core.ConsentRecord, time and text version), gone with the row.
    consents = GenericRelation("core.ConsentRecord")

    history = HistoricalRecords(excluded_fields=["reporter_name", "reporter_email"])
    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-created_at", "-pk"]
        permissions = [("view_inbox", "Can see the concerns inbox")]
        indexes = [
            models.Index(fields=["lat", "lon"], name="concern_point_idx"),
            models.Index(fields=["status", "created_at"], name="concern_status_idx"),
            models.Index(fields=["area", "status"], name="concern_area_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(lat__isnull=True) | Q(lat__gte=-90, lat__lte=90),
                name="concern_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(lon__isnull=True) | Q(lon__gte=-180, lon__lte=180),
                name="concern_lon_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.category}"

    @property
    def number(self) -> str:
        """The short number residents quote on the phone: year and serial."""
        year = self.created_at.year if self.created_at else ""
        return f"{year}-{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    @property
    def public_lat(self) -> float | None:
        return None if self.lat is None else round(self.lat, PUBLIC_DECIMALS)

    @property
    def public_lon(self) -> float | None:
        return None if self.lon is None else round(self.lon, PUBLIC_DECIMALS)

    @property
    def target(self):
        return self.body or self.organisation or self.person

    @property
    def summary(self) -> str:
        text = " ".join(self.description.split())
        return text if len(text) <= 140 else text[:139] + "…"

    def get_absolute_url(self) -> str:
        return reverse("concerns:detail", kwargs={"pk": self.pk})


def _photo_path(instance: Photo, filename: str) -> str:
    return f"concerns/{instance.concern_id}/{secrets.token_hex(8)}.jpg"


class Photo(models.Model):
    """A photo of the concern, re-encoded as JPEG without metadata; never public."""

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="photos", verbose_name=_("concern")
    )
    image = models.FileField(_("photo"), upload_to=_photo_path, max_length=300)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)

    class Meta:
        verbose_name = _("photo")
        verbose_name_plural = _("photos")
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.concern_id}/{self.pk}"


class Update(models.Model):
    """One step on a concern's timeline: an answer, a status change, a forward, a merge.

    Public ones (`is_public`) show on the tracking page and in Open311's status_notes.
    """

    concern = models.ForeignKey(
        Concern, on_delete=models.CASCADE, related_name="updates", verbose_name=_("concern")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    status = models.CharField(_("new status"), max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("text"), blank=True)
    is_public = models.BooleanField(_("public"), default=False)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)

    class Meta:
        verbose_name = _("concern update")
        verbose_name_plural = _("concern updates")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.concern_id}: {self.status or self.text[:40]}"


class NotifyChoice(models.TextChoices):
    AT_ONCE = "at_once", _("at once, one mail per concern")
    DAILY = "daily", _("once a day, a digest")
    NEVER = "never", _("not by mail")


class CoordinatorSetting(models.Model):
    """How a member of staff hears of new concerns they are responsible for."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="concern_setting",
        verbose_name=_("account"),
    )
    notify = models.CharField(
        _("tell me of new concerns"),
        max_length=10,
        choices=NotifyChoice.choices,
        default=NotifyChoice.AT_ONCE,
    )
    last_digest_at = models.DateTimeField(_("last digest"), null=True, blank=True)

    class Meta:
        verbose_name = _("concern notification setting")
        verbose_name_plural = _("concern notification settings")

    def __str__(self) -> str:
        return f"{self.user_id}: {self.notify}"


class ApiClient(models.Model):
    """A third-party app allowed to post concerns through Open311 with its api_key.

    The key is shown once when created; only its hash is stored.
    """

    name = models.CharField(_("name"), max_length=200)
    contact = models.CharField(_("contact of the app's operator"), max_length=300, blank=True)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["key_hash"])

    class Meta:
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
