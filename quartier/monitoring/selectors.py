"""Reads for the public monitoring views, with small numbers suppressed.

Suppression (docs/privacy-monitoring.md): a count between 1 and QUARTIER_STATS_MIN_COUNT - 1 is
not shown; neither is a rate whose numerator (value × denominator / base) is below the
threshold (and above 0), nor a rate whose denominator is below it or unknown. Zero is shown:
it identifies no one. Figures the source withheld are marked as such.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from quartier.areas.models import Area
from quartier.areas.selectors import ancestor_ids
from quartier.monitoring.models import Indicator, IndicatorKind, Value


def min_count() -> int:
    return int(getattr(settings, "QUARTIER_STATS_MIN_COUNT", 5))


@dataclass(frozen=True)
class Shown:
    """A figure as the public sees it: `text` the formatted number, or empty with a `note`."""

    text: str = ""
    note: str = ""

    @property
    def hidden(self) -> bool:
        return not self.text


NO_DATA = Shown(note="")


def _format(number: Decimal, kind: str) -> str:
    places = 0 if number == number.to_integral_value() else (1 if kind == IndicatorKind.RATE else 2)
    return number_format(number, decimal_pos=places, use_l10n=True, force_grouping=True)


def suppress(value: Value | None, denominator: Value | None, *, threshold: int) -> Shown:
    """How the public sees `value` (with the `denominator` value of its area and year, for a
    rate)."""
    if value is None:
        return Shown(note=_("no data"))
    if value.suppressed or value.value is None:
        return Shown(note=_("withheld by the source"))
    indicator = value.indicator
    hidden = Shown(note=_("fewer than %(n)d, not shown") % {"n": threshold})
    number = Decimal(str(value.value))
    if indicator.kind == IndicatorKind.COUNT:
        if 0 < number < threshold:
            return hidden
    else:
        if denominator is None or denominator.value is None or denominator.value < threshold:
            return hidden
        numerator = number * Decimal(str(denominator.value)) / Decimal(indicator.base or 100)
        if 0 < numerator < threshold:
            return hidden
    return Shown(text=_format(number, indicator.kind))


def comparison_area(area: Area) -> Area | None:
    """The area to compare with: of the areas above it that have figures, the nearest (the
    kind of the highest level number: a city before its Land)."""
    above = ancestor_ids([area.pk], include_self=False)
    if not above:
        return None
    return (
        Area.objects.public()
        .filter(pk__in=above, indicator_values__isnull=False)
        .select_related("kind")
        .distinct()
        .order_by("-kind__level", "name")
        .first()
    )


@dataclass
class Row:
    indicator: Indicator
    year: int
    here: Shown
    there: Shown | None


def area_table(area: Area) -> dict:
    """Each public indicator with a figure for `area`: the latest year, the area's figure and
    that of its comparison area, both suppressed for the public."""
    threshold = min_count()
    other = comparison_area(area)
    area_ids = [area.pk] + ([other.pk] if other else [])
    values = Value.objects.filter(area_id__in=area_ids).select_related("indicator")
    by_key = {(v.indicator_id, v.area_id, v.year): v for v in values}
    latest: dict[int, Value] = {}
    for value in by_key.values():
        if value.area_id != area.pk or not value.indicator.is_public:
            continue
        if value.indicator_id not in latest or value.year > latest[value.indicator_id].year:
            latest[value.indicator_id] = value

    def shown(value: Value | None) -> Shown:
        denominator = None
        if value is not None and value.indicator.denominator_id:
            denominator = by_key.get((value.indicator.denominator_id, value.area_id, value.year))
        return suppress(value, denominator, threshold=threshold)

    rows = [
        Row(
            indicator=value.indicator,
            year=value.year,
            here=shown(value),
            there=shown(by_key.get((value.indicator_id, other.pk, value.year))) if other else None,
        )
        for value in sorted(latest.values(), key=lambda v: (v.indicator.order, v.indicator.name))
    ]
    return {"area": area, "comparison": other, "rows": rows, "threshold": threshold}


def has_figures(area: Area) -> bool:
    return Value.objects.filter(area=area, indicator__is_public=True).exists()


def indicator_trend(area: Area, indicator: Indicator) -> dict:
    """Every year of `indicator` for `area` and its comparison area as a trend chart with its
    table, suppressed as in the tables: a hidden figure is a gap (its number never reaches the
    chart) with the reason in the table. Missing years between the first and last are gaps."""
    from quartier.core import charts

    threshold = min_count()
    other = comparison_area(area)
    areas = [area] + ([other] if other else [])
    indicator_ids = [indicator.pk] + (
        [indicator.denominator_id] if indicator.denominator_id else []
    )
    values = Value.objects.filter(
        area_id__in=[a.pk for a in areas], indicator_id__in=indicator_ids
    ).select_related("indicator")
    by_key = {(v.indicator_id, v.area_id, v.year): v for v in values}
    years = sorted({year for (ind, _area, year) in by_key if ind == indicator.pk})
    if not years:
        return {"area": area, "comparison": other, "indicator": indicator, "chart": None,
                "threshold": threshold}  # fmt: skip
    categories, _figures = charts.year_axis({year: True for year in years})
    series = []
    for place in areas:
        numbers, notes = [], []
        for label in categories:
            year = int(label)
            value = by_key.get((indicator.pk, place.pk, year))
            denominator = (
                by_key.get((indicator.denominator_id, place.pk, year))
                if indicator.denominator_id
                else None
            )
            shown = suppress(value, denominator, threshold=threshold)
            numbers.append(None if shown.hidden or value is None else value.value)
            notes.append(shown.note)
        series.append(charts.Series(place.name, numbers, notes))
    title = _("%(indicator)s in %(area)s") % {"indicator": indicator.name, "area": area.name}
    chart = charts.trend(title, categories, series, unit=indicator.unit, category_label=_("Year"))
    return {
        "area": area,
        "comparison": other,
        "indicator": indicator,
        "chart": chart,
        "threshold": threshold,
    }
