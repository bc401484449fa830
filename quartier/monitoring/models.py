"""Statistical indicators per area and year (social-space monitoring).

Only aggregated figures as statistics offices publish them: no personal data. Public views hide
small numbers (see selectors.suppress).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from quartier.core.models import TimeStampedModel


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("count")
    RATE = "rate", _("rate")


class Indicator(TimeStampedModel):
    """An indicator as data: residents, children under three, households receiving basic income
    support, child poverty rate... A rate names the count it relates to (`denominator`) and its
    base (per 100, per 1,000): the numerator behind a rate is value × denominator / base."""

    slug = models.SlugField(
        _("key"), max_length=80, unique=True, help_text=_("The column or code used in CSV files.")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    unit = models.CharField(_("unit"), max_length=50, blank=True)
    kind = models.CharField(
        _("kind"), max_length=10, choices=IndicatorKind.choices, default=IndicatorKind.COUNT
    )
    denominator = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="rates",
        verbose_name=_("denominator"),
        help_text=_("For a rate: the count it relates to."),
    )
    base = models.PositiveIntegerField(
        _("per"), default=100, help_text=_("For a rate: 100 for a percentage, 1000 per thousand.")
    )
    source = models.CharField(_("source"), max_length=300, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_public = models.BooleanField(_("public"), default=True)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == IndicatorKind.RATE:
            if self.denominator_id is None:
                raise ValidationError({"denominator": _("A rate needs a denominator.")})
            if self.denominator.kind != IndicatorKind.COUNT:
                raise ValidationError({"denominator": _("The denominator must be a count.")})
            if self.base == 0:
                raise ValidationError({"base": _("The base must be at least 1.")})
        elif self.denominator_id is not None:
            raise ValidationError({"denominator": _("Only a rate has a denominator.")})


class Value(TimeStampedModel):
    """One figure of an indicator for an area and a year. `suppressed`: the statistics office
    withheld it ("." "-" "x" in its tables); then `value` is empty."""

    indicator = models.ForeignKey(
        Indicator, on_delete=models.CASCADE, related_name="values", verbose_name=_("indicator")
    )
    area = models.ForeignKey(
        "areas.Area",
        on_delete=models.CASCADE,
        related_name="indicator_values",
        verbose_name=_("area"),
    )
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=3, null=True, blank=True)
    suppressed = models.BooleanField(_("withheld by the source"), default=False)

    class Meta:
        verbose_name = _("value")
        verbose_name_plural = _("values")
        ordering = ["indicator", "area", "year"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "area", "year"], name="monitoring_value_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(suppressed=True, value__isnull=True)
                | models.Q(suppressed=False, value__isnull=False),
                name="monitoring_value_or_suppressed",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} {self.area} {self.year}"
