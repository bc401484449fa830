"""A choropleth drawn on the server as SVG: areas coloured by the class of their figure.

The companion of core/charts.py (kept apart for size; same rules): an image with a text
alternative (role="img", <title>, <desc>), a legend inside the SVG that names the classes and
the method of the breaks, the class number written on each area so colour is not the only cue,
a hatch for areas without a figure, and a data table beside it. No style attributes, no script,
no third-party request (no map tiles); WeasyPrint draws the same SVG.

Boundaries are GeoJSON Polygons or MultiPolygons in WGS 84 (lon, lat), projected
equirectangularly with the longitude scaled by the cosine of the middle latitude: over a city
the distortion is far below what anyone sees, and it needs no projection library.

A region without a figure (None: no data, or withheld for privacy: the caller passes None so
the number never reaches the markup) is hatched, takes no part in the breaks, and its note
shows in the table.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from quartier.core.charts import AXIS, Number, _chart_id, _f, _number, format_number, places_for

QUANTILE = "quantile"
EQUAL = "equal"
METHODS = (QUANTILE, EQUAL)
MAX_CLASSES = 7
WIDTH = 640
MAP_HEIGHT_MAX = 480
MARGIN = 8
LEGEND_ROW = 22
# Sequential blues (ColorBrewer "Blues"), light to dark, per number of classes. The boundaries
# are drawn in dark grey, so even the lightest class stands out from the white page; from the
# middle class on, the class number is written in white (contrast at least 4.5:1).
PALETTES = {
    1: ("#6baed6",),
    2: ("#bdd7e7", "#2171b5"),
    3: ("#deebf7", "#9ecae1", "#2171b5"),
    4: ("#eff3ff", "#bdd7e7", "#6baed6", "#08519c"),
    5: ("#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08306b"),
    6: ("#eff3ff", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"),
    7: ("#f7fbff", "#deebf7", "#c6dbef", "#9ecae1", "#4292c6", "#2171b5", "#08306b"),
}
DARK_FROM = {1: 0, 2: 1, 3: 2, 4: 3, 5: 3, 6: 4, 7: 5}  # first class with white text
NO_DATA_FILL = "url(#{id}-hatch)"
STROKE = "#4a4a4a"


@dataclass(frozen=True)
class Region:
    """One area of the map: its name, boundary (GeoJSON, or None: only in the table), figure
    (None: no figure, with `note` saying why) and an optional link for the table."""

    label: str
    geometry: dict[str, Any] | None
    value: Number | None
    note: str = ""
    href: str = ""


@dataclass(frozen=True)
class Classes:
    """Class breaks: `uppers[i]` is the upper bound of class i (inclusive); class 0 starts at
    `low`. Fewer classes than asked when the figures have fewer distinct values."""

    method: str
    low: float
    uppers: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.uppers)

    def of(self, value: float) -> int:
        for index, upper in enumerate(self.uppers):
            if value <= upper + 1e-9 * max(1.0, abs(upper)):
                return index
        return len(self.uppers) - 1

    def bounds(self, index: int) -> tuple[float, float]:
        return (self.low if index == 0 else self.uppers[index - 1], self.uppers[index])


def class_breaks(values: Sequence[Number | None], *, classes: int = 5, method: str = QUANTILE):
    """Breaks for the figures (None ignored); None without any figure.

    - quantile: each class holds about the same number of areas; the upper bound of class i
      (1-based) is the figure at position ceil(i × n / classes) of the sorted figures, so
      every bound is a figure of the map.
    - equal: classes of equal width between the lowest and the highest figure.
    Bounds that coincide (ties, or fewer distinct figures than classes) merge their classes;
    equal intervals may leave a class empty, as the method does.
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}")
    numbers = sorted(n for n in (_number(v) for v in values) if n is not None)
    if not numbers:
        return None
    classes = max(1, min(classes, MAX_CLASSES))
    if method == QUANTILE:
        classes = min(classes, len(set(numbers)))
    low, high = numbers[0], numbers[-1]
    if method == QUANTILE:
        m = len(numbers)
        uppers = [numbers[math.ceil(i * m / classes) - 1] for i in range(1, classes + 1)]
    else:
        step = (high - low) / classes
        uppers = [low + i * step for i in range(1, classes)] + [high]
    unique: list[float] = []
    for upper in uppers:
        if not unique or upper > unique[-1]:
            unique.append(upper)
    return Classes(method=method, low=low, uppers=tuple(unique))


def method_label(method: str) -> str:
    if method == EQUAL:
        return _("equal intervals (classes of the same width)")
    return _("quantiles (about the same number of areas per class)")


def class_label(classes: Classes, index: int, places: int) -> str:
    low, high = classes.bounds(index)
    values = {"low": format_number(low, places), "high": format_number(high, places)}
    if low == high:
        return values["high"]
    if index == 0:
        return _("%(low)s to %(high)s") % values
    return _("over %(low)s to %(high)s") % values


def describe_classes(classes: Classes, places: int) -> str:
    """The sentence beside the map: how many classes, by which method, which bounds."""
    bounds = "; ".join(f"{i + 1}: {class_label(classes, i, places)}" for i in range(classes.count))
    return ngettext(
        "%(count)d class by %(method)s: %(bounds)s.",
        "%(count)d classes by %(method)s: %(bounds)s.",
        classes.count,
    ) % {
        "count": classes.count,
        "method": method_label(classes.method),
        "bounds": bounds,
    }


class _Projection:
    """Equirectangular, the longitude scaled by cos(middle latitude), fitted into the width."""

    def __init__(self, rings: list[list[tuple[float, float]]]) -> None:
        lons = [lon for ring in rings for lon, _lat in ring]
        lats = [lat for ring in rings for _lon, lat in ring]
        self.west, self.east = min(lons), max(lons)
        self.south, self.north = min(lats), max(lats)
        self.kx = math.cos(math.radians((self.south + self.north) / 2))
        span_x = max((self.east - self.west) * self.kx, 1e-9)
        span_y = max(self.north - self.south, 1e-9)
        inner = WIDTH - 2 * MARGIN
        self.scale = min(inner / span_x, (MAP_HEIGHT_MAX - 2 * MARGIN) / span_y)
        self.offset_x = MARGIN + (inner - span_x * self.scale) / 2
        self.height = math.ceil(span_y * self.scale + 2 * MARGIN)

    def point(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.offset_x + (lon - self.west) * self.kx * self.scale
        y = MARGIN + (self.north - lat) * self.scale
        return x, y


def _polygons(geometry: dict[str, Any] | None) -> list[list[list[tuple[float, float]]]]:
    """The polygons (each a list of rings of (lon, lat)) of a GeoJSON geometry or Feature;
    anything unreadable is no polygon (the region stays in the table)."""
    if not isinstance(geometry, dict):
        return []
    if geometry.get("type") == "Feature":
        geometry = geometry.get("geometry") or {}
    kind, coordinates = geometry.get("type"), geometry.get("coordinates")
    polygons: Any = (
        [coordinates] if kind == "Polygon" else coordinates if kind == "MultiPolygon" else []
    )
    result = []
    try:
        for polygon in polygons or []:
            rings = []
            for ring in polygon:
                points = [(float(p[0]), float(p[1])) for p in ring]
                if len(points) >= 3 and all(math.isfinite(c) for p in points for c in p):
                    rings.append(points)
            if rings:
                result.append(rings)
    except (TypeError, ValueError, IndexError):
        return []
    return result


def _path(polygons: list[list[list[tuple[float, float]]]], projection: _Projection) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [projection.point(lon, lat) for lon, lat in ring]
            parts.append("M" + " L".join(f"{_f(x)} {_f(y)}" for x, y in points) + " Z")
    return " ".join(parts)


def _centre(polygons: list[list[list[tuple[float, float]]]]) -> tuple[float, float]:
    """A point inside the largest polygon (shapely's representative point), for the label."""
    from shapely.geometry import Polygon

    best = max((Polygon(rings[0], rings[1:]) for rings in polygons), key=lambda shape: shape.area)
    try:
        point = best.representative_point()
    except Exception:  # an invalid ring: fall back to the middle of its box
        west, south, east, north = best.bounds
        return (west + east) / 2, (south + north) / 2
    return point.x, point.y


@dataclass(frozen=True)
class MapChart:
    """The map, the sentence on its classes and the table ({{ chart }} renders all three)."""

    svg: SafeString
    caption: str
    table: SafeString
    classes: Classes | None

    def __html__(self) -> SafeString:
        return mark_safe(
            '<figure class="chart-figure chart-map-figure">'
            f'<div class="chart-with-table">{self.svg}{self.table}</div>'
            f"<figcaption>{escape(self.caption)}</figcaption></figure>"
        )

    def __str__(self) -> str:
        return self.__html__()


def choropleth(
    title: str,
    regions: Sequence[Region],
    *,
    classes: int = 5,
    method: str = QUANTILE,
    unit: str = "",
    value_label: str = "",
    region_label: str = "",
    places: int | None = None,
) -> MapChart:
    """The map of `regions` coloured by the class of their figure, with legend and table."""
    numbers = [_number(region.value) for region in regions]
    places = places_for(numbers) if places is None else places
    breaks = class_breaks(numbers, classes=classes, method=method)
    if breaks is not None:  # equal intervals: bounds may need more places than the figures
        places = max(places, places_for([breaks.low, *breaks.uppers]))
    chart_id = _chart_id("map", title, [r.label for r in regions], numbers)
    shapes = [
        (_polygons(region.geometry), region, n) for region, n in zip(regions, numbers, strict=True)
    ]
    drawn = [item for item in shapes if item[0]]
    if breaks is not None:
        caption = describe_classes(breaks, places)
    else:
        caption = _("No area has a figure to show.")
    missing = len(regions) - len(drawn)
    if missing:
        caption += " " + _("Areas without a boundary are only in the table: %(count)d.") % {
            "count": missing
        }
    svg = _svg(chart_id, title, drawn, breaks, places, unit)
    table = _table(title, regions, numbers, breaks, places, unit, value_label, region_label)
    return MapChart(svg=svg, caption=caption, table=table, classes=breaks)


def _svg(chart_id, title, drawn, breaks, places, unit) -> SafeString:
    count = breaks.count if breaks else 0
    palette = PALETTES.get(count, ())
    rings = [ring for polygons, _r, _n in drawn for polygon in polygons for ring in polygon]
    legend_rows = count + 1  # the classes and "no figure"
    projection = _Projection(rings) if rings else None
    map_height = projection.height if projection is not None else 0
    height = map_height + 12 + legend_rows * LEGEND_ROW + 8
    parts = [
        f'<defs><pattern id="{chart_id}-hatch" patternUnits="userSpaceOnUse" width="8" '
        f'height="8" patternTransform="rotate(45)"><rect width="8" height="8" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="8" stroke="#767676" stroke-width="2"/></pattern></defs>'
    ]
    hatch = NO_DATA_FILL.format(id=chart_id)
    labels = []
    suffix = f" {unit}" if unit else ""
    for polygons, region, number in drawn:
        assert projection is not None
        if number is None or breaks is None:
            fill, text = hatch, f"{region.label}: {region.note or _('no figure')}"
            index = None
        else:
            index = breaks.of(number)
            fill = palette[index]
            text = f"{region.label}: {format_number(number, places)}{suffix}"
        parts.append(
            f'<path class="chart-area" d="{_path(polygons, projection)}" fill="{fill}" '
            f'fill-rule="evenodd" stroke="{STROKE}" stroke-width="1">'
            f"<title>{escape(text)}</title></path>"
        )
        if index is not None:
            x, y = projection.point(*_centre(polygons))
            colour = "#ffffff" if index >= DARK_FROM[count] else "#1a1a1a"
            labels.append(
                f'<text class="chart-area-class" x="{_f(x)}" y="{_f(y)}" text-anchor="middle" '
                f'dominant-baseline="middle" font-size="12" font-weight="bold" '
                f'fill="{colour}" aria-hidden="true">{index + 1}</text>'
            )
    parts.extend(labels)
    y = map_height + 12
    entries = [
        (palette[i], str(i + 1), class_label(breaks, i, places) + suffix)
        for i in range(count)
        if breaks is not None
    ]
    entries.append((hatch, "", _("no figure")))
    for fill, number_text, label in entries:
        parts.append(
            f'<rect x="{MARGIN}" y="{_f(y)}" width="28" height="16" fill="{fill}" '
            f'stroke="{STROKE}" stroke-width="1"/>'
        )
        if number_text:
            index = int(number_text) - 1
            colour = "#ffffff" if index >= DARK_FROM[count] else "#1a1a1a"
            parts.append(
                f'<text x="{MARGIN + 14}" y="{_f(y + 8)}" text-anchor="middle" '
                f'dominant-baseline="middle" font-size="11" font-weight="bold" '
                f'fill="{colour}">{number_text}</text>'
            )
        parts.append(
            f'<text class="chart-legend" x="{MARGIN + 38}" y="{_f(y + 8)}" '
            f'dominant-baseline="middle" font-size="12" fill="{AXIS}">{escape(label)}</text>'
        )
        y += LEGEND_ROW
    desc = _describe(drawn, breaks, places, unit)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-map" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" '
        f'focusable="false" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'font-family="sans-serif"><title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(parts) + "</svg>")


def _describe(drawn, breaks, places, unit) -> str:
    """The text alternative: the method and, per class, its bounds and its areas."""
    if breaks is None:
        return _("Map of %(count)d areas; none has a figure.") % {"count": len(drawn)}
    members: dict[int, list[str]] = {}
    without = []
    for _shape, region, number in drawn:
        if number is None:
            without.append(region.label)
        else:
            members.setdefault(breaks.of(number), []).append(region.label)
    suffix = f" {unit}" if unit else ""
    parts = [
        ngettext(
            "Map of %(count)d areas in %(classes)d class by %(method)s.",
            "Map of %(count)d areas in %(classes)d classes by %(method)s.",
            breaks.count,
        )
        % {"count": len(drawn), "classes": breaks.count, "method": method_label(breaks.method)}
    ]
    for index in range(breaks.count):
        names = ", ".join(members.get(index, [])) or "–"
        parts.append(f"{index + 1} ({class_label(breaks, index, places)}{suffix}): {names}.")
    if without:
        parts.append(_("No figure: %(names)s.") % {"names": ", ".join(without)})
    return " ".join(parts)


def _table(title, regions, numbers, breaks, places, unit, value_label, region_label) -> SafeString:
    suffix = f" ({unit})" if unit else ""
    area_label = region_label or _("Area")
    class_heading = _("Class")
    head = (
        f'<thead><tr><th scope="col">{escape(area_label)}</th>'
        f'<th scope="col">{escape(value_label or title)}{escape(suffix)}</th>'
        f'<th scope="col">{escape(class_heading)}</th></tr></thead>'
    )
    rows = []
    for region, number in zip(regions, numbers, strict=True):
        name = str(escape(region.label))
        if region.href:
            name = f'<a href="{escape(region.href)}">{name}</a>'
        if number is None or breaks is None:
            note = region.note or _("no figure")
            cells = f'<td><span class="muted">{escape(note)}</span></td><td>–</td>'
        else:
            cells = (
                f'<td class="number">{escape(format_number(number, places))}</td>'
                f'<td class="number">{breaks.of(number) + 1}</td>'
            )
        rows.append(f'<tr><th scope="row">{name}</th>{cells}</tr>')
    return mark_safe(
        f'<table class="chart-table"><caption>{escape(title)}</caption>{head}'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
