"""Reads for the maps of the monitoring: the areas below an enclosing area (one kind of them)
and an indicator's figures over them as a choropleth (core/choropleth.py).

The public map suppresses small numbers as the tables do (selectors.suppress), and a hidden
figure takes no part in the class breaks (a break must not give it away); the back-office map
shows every figure. Every read here is a fixed number of queries, however many areas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from quartier.areas.models import Area, AreaKind
from quartier.areas.selectors import descendant_ids
from quartier.core import choropleth
from quartier.monitoring.models import Indicator, Value
from quartier.monitoring.selectors import min_count, suppress


class MapInputError(Exception):
    """An option that does not fit the data (a kind of area or a year without figures)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class Regions:
    """The areas of one kind below `scope`, and the kinds there are to choose from."""

    scope: Area
    kind: AreaKind | None
    kinds: list[AreaKind]
    areas: list[Area]


def regions_below(scope: Area, *, kind_slug: str = "", public: bool = True) -> Regions:
    """The areas below `scope` of the kind `kind_slug` (default: the largest kind there, the
    one with the smallest level). Two queries. Raises MapInputError for a kind not found."""
    below = descendant_ids([scope.pk], include_self=False)
    queryset = Area.objects.filter(pk__in=below).select_related("kind").order_by("name")
    if public:
        queryset = queryset.public()
    areas = list(queryset)
    kinds = sorted({a.kind for a in areas}, key=lambda k: (k.level, k.name))
    if kind_slug:
        chosen = next((k for k in kinds if k.slug == kind_slug), None)
        if chosen is None:
            raise MapInputError("kind", _("There are no areas of this kind below %(area)s.")
                                % {"area": scope.name})  # fmt: skip
    else:
        chosen = kinds[0] if kinds else None
    shown = [a for a in areas if chosen is not None and a.kind_id == chosen.pk]
    return Regions(scope=scope, kind=chosen, kinds=kinds, areas=shown)


def years_with_figures(indicator: Indicator, areas: list[Area]) -> list[int]:
    years = (
        Value.objects.filter(indicator=indicator, area_id__in=[a.pk for a in areas])
        .values_list("year", flat=True)
        .distinct()
    )
    return sorted(set(years), reverse=True)


def pick_year(indicator: Indicator, areas: list[Area], year: int | None) -> tuple[int | None, list]:
    """The year asked for (it must have figures) or the latest one with figures."""
    years = years_with_figures(indicator, areas)
    if year is None:
        return (years[0] if years else None), years
    if year not in years:
        raise MapInputError("year", _("There are no figures of this indicator for %(year)d.")
                            % {"year": year})  # fmt: skip
    return year, years


def indicator_map(
    indicator: Indicator,
    regions: Regions,
    *,
    year: int | None = None,
    method: str = choropleth.QUANTILE,
    classes: int = 5,
    suppressed: bool = True,
    link: bool = True,
) -> dict[str, Any]:
    """The choropleth of `indicator` over `regions` for `year` (default: the latest with
    figures), suppressed for the public unless `suppressed` is False. Three queries."""
    threshold = min_count()
    year, years = pick_year(indicator, regions.areas, year)
    context: dict[str, Any] = {
        "scope": regions.scope,
        "kind": regions.kind,
        "kinds": regions.kinds,
        "indicator": indicator,
        "year": year,
        "years": years,
        "threshold": threshold,
        "suppressed": suppressed,
        "chart": None,
    }
    if year is None:
        return context
    ids = [indicator.pk] + ([indicator.denominator_id] if indicator.denominator_id else [])
    values = Value.objects.filter(
        indicator_id__in=ids, area_id__in=[a.pk for a in regions.areas], year=year
    )
    by_key: dict[tuple[int | None, int], Value] = {}
    for value in values:
        if value.indicator_id == indicator.pk:
            value.indicator = indicator  # suppress() reads it: no query per figure
        by_key[(value.indicator_id, value.area_id)] = value
    items = []
    for area in regions.areas:
        found = by_key.get((indicator.pk, area.pk))
        if suppressed:
            denominator = by_key.get((indicator.denominator_id, area.pk))
            shown = suppress(found, denominator, threshold=threshold)
            number = None if shown.hidden or found is None else found.value
            note = shown.note
        else:
            number = found.value if found is not None else None
            note = (
                _("no data")
                if found is None
                else _("withheld by the source")
                if found.suppressed
                else ""
            )
        href = area.get_absolute_url() if link and area.is_public else ""
        items.append(choropleth.Region(area.name, area.boundary, number, note, href))
    title = _("%(indicator)s in the areas of %(area)s, %(year)d") % {
        "indicator": indicator.name,
        "area": regions.scope.name,
        "year": year,
    }
    context["chart"] = choropleth.choropleth(
        title,
        items,
        classes=classes,
        method=method,
        unit=indicator.unit,
        value_label=indicator.name,
        region_label=str(regions.kind) if regions.kind else "",
    )
    return context
