from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from quartier.core import geo
from quartier.core.models import TimeStampedModel
from quartier.core.vocabulary import LocalizedPlural


class AreaKind(LocalizedPlural, models.Model):
    """A kind of area, as data: Bundesland, Landkreis, Sozialraum, Stadtteil, Programmgebiet...

    `level` orders kinds from large (0) to small; it is a hint for display and pickers, not a
    rule: a Programmgebiet may sit beside a Stadtteil.
    """

    slug = models.SlugField(_("key"), max_length=50, unique=True)
    name = models.CharField(_("name (German)"), max_length=100)
    name_plural = models.CharField(_("plural"), max_length=100, blank=True)
    name_en = models.CharField(_("name (English)"), max_length=100, blank=True)
    name_plural_en = models.CharField(_("plural (English)"), max_length=100, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), default=0)

    class Meta:
        verbose_name = _("kind of area")
        verbose_name_plural = _("kinds of area")
        ordering = ["level", "name"]

    def __str__(self) -> str:
        return self.localized_name


class AreaQuerySet(models.QuerySet):
    def bbox_contains(self, lat: float, lon: float) -> AreaQuerySet:
        """Areas whose bounding box contains the point: the cheap, indexed first step."""
        return self.filter(
            bbox_south__lte=lat, bbox_north__gte=lat, bbox_west__lte=lon, bbox_east__gte=lon
        )

    def containing_point(self, lat: float, lon: float) -> list[Area]:
        """Areas whose boundary contains the point: bounding box in SQL, then shapely."""
        candidates = self.bbox_contains(lat, lon).select_related("kind")
        return [area for area in candidates if geo.contains_point(area.boundary, lat, lon)]

    def search(self, text: str) -> AreaQuerySet:
        text = (text or "").strip()
        if not text:
            return self.none()
        return self.filter(Q(name__icontains=text) | Q(official_key__startswith=text))

    def public(self) -> AreaQuerySet:
        return self.filter(is_public=True)


class Area(TimeStampedModel):
    """A place the work is organised in, in one hierarchy of many kinds.

    An area may have several parents (see AreaLink): the Sozialraum Hermeskeil covers the
    Verbandsgemeinde Hermeskeil and part of Kell am See.
    """

    kind = models.ForeignKey(
        AreaKind, on_delete=models.PROTECT, related_name="areas", verbose_name=_("kind")
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("address"), max_length=200, unique=True)
    official_key = models.CharField(
        _("official key (AGS/ARS)"),
        max_length=12,
        blank=True,
        db_index=True,
        help_text=_("Amtlicher Gemeindeschlüssel or Regionalschlüssel, digits only."),
    )
    description = models.TextField(_("description"), blank=True)
    boundary = models.JSONField(
        _("boundary (GeoJSON)"),
        null=True,
        blank=True,
        help_text=_("A GeoJSON Polygon or MultiPolygon in WGS 84 (lon, lat)."),
    )
    boundary_note = models.CharField(
        _("note on the boundary"),
        max_length=300,
        blank=True,
        help_text=_("For example: approximate, drawn by hand from the district map."),
    )
    centre_lat = models.FloatField(_("centre latitude"), null=True, blank=True)
    centre_lon = models.FloatField(_("centre longitude"), null=True, blank=True)
    # Bounding box of the boundary, kept by clean()/services: the indexed pre-filter.
    bbox_west = models.FloatField(null=True, blank=True, editable=False)
    bbox_south = models.FloatField(null=True, blank=True, editable=False)
    bbox_east = models.FloatField(null=True, blank=True, editable=False)
    bbox_north = models.FloatField(null=True, blank=True, editable=False)
    is_public = models.BooleanField(_("public"), default=True)
    parents = models.ManyToManyField(
        "self",
        through="AreaLink",
        # Without through_fields Django takes AreaLink's first foreign key (parent) as the
        # source, and `area.parents` would list the children.
        through_fields=("child", "parent"),
        symmetrical=False,
        related_name="children",
        verbose_name=_("parent areas"),
        blank=True,
    )

    history = HistoricalRecords(
        excluded_fields=["bbox_west", "bbox_south", "bbox_east", "bbox_north"]
    )
    objects = AreaQuerySet.as_manager()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["name"]
        indexes = [
            models.Index(
                fields=["bbox_south", "bbox_north", "bbox_west", "bbox_east"], name="area_bbox_idx"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(centre_lat__isnull=True) | Q(centre_lat__gte=-90, centre_lat__lte=90),
                name="area_centre_lat_range",
            ),
            models.CheckConstraint(
                condition=Q(centre_lon__isnull=True) | Q(centre_lon__gte=-180, centre_lon__lte=180),
                name="area_centre_lon_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind})" if self.kind_id else self.name

    def get_absolute_url(self) -> str:
        return reverse("areas:detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.official_key and not self.official_key.isdigit():
            raise ValidationError({"official_key": _("The official key consists of digits only.")})
        if self.boundary:
            geometry = geo.geometry_from_geojson(self.boundary)  # raises with a clear message
            self.set_bbox(geometry.bounds)
            if self.centre_lat is None or self.centre_lon is None:
                point = geometry.representative_point()
                self.centre_lat, self.centre_lon = round(point.y, 6), round(point.x, 6)
        else:
            self.set_bbox(None)
        if (self.centre_lat is None) != (self.centre_lon is None):
            raise ValidationError(_("Give both latitude and longitude of the centre, or neither."))

    def set_bbox(self, bounds: Iterable[float] | None) -> None:
        if bounds is None:
            self.bbox_west = self.bbox_south = self.bbox_east = self.bbox_north = None
        else:
            self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north = bounds

    @property
    def has_centre(self) -> bool:
        return self.centre_lat is not None and self.centre_lon is not None


class Coverage(models.TextChoices):
    FULL = "full", _("completely")
    PARTIAL = "partial", _("partly")


class AreaLink(models.Model):
    """`child` lies in `parent`, completely or partly."""

    parent = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="child_links", verbose_name=_("parent area")
    )
    child = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="parent_links", verbose_name=_("area")
    )
    coverage = models.CharField(
        _("coverage"), max_length=10, choices=Coverage.choices, default=Coverage.FULL
    )

    # Links are part of an area's record: their changes show on the area's history page.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area link")
        verbose_name_plural = _("area links")
        constraints = [
            models.UniqueConstraint(fields=["parent", "child"], name="arealink_unique"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("child")), name="arealink_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child.name} ⊂ {self.parent.name} ({self.get_coverage_display()})"
