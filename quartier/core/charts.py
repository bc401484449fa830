"""Small charts drawn on the server as SVG: bar, grouped bar and line (trend) charts.

Every chart is an image with a text alternative (role="img", <title> and <desc>) and must sit
beside the table of its figures (`data_table`, or `Chart` which renders both in a <figure>).
No style attributes (the Content-Security-Policy forbids them): colours are presentation
attributes (fill, stroke), sizes come from CSS classes in quartier.css. No third-party request,
no script; WeasyPrint draws the same SVG in PDFs.

Values are aligned with the categories (years, names); None is a gap (a missing year, or a
figure withheld for privacy: the caller passes None, so the number never reaches the markup).
Numbers are formatted for the active language (German: 1.234,5).
"""

from __future__ import annotations

import contextvars
import hashlib
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.signals import request_started
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

Number = int | float | Decimal

WIDTH = 640
HEIGHT = 300
MARGIN_LEFT = 72
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 40
LEGEND_ROW = 22
MAX_LABELS = 12
# Distinct colours (each at least 4.5:1 on white) and dash patterns, so series differ without
# colour too.
COLOURS = ("#0b5a7a", "#b35900", "#1e6b33", "#6b3fa0", "#a1121f", "#4a4a4a")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
AXIS = "#4a4a4a"
GRID = "#c4cad0"
TARGET = "#a1121f"
BASELINE = "#4a4a4a"


@dataclass(frozen=True)
class Series:
    """One row of figures aligned with the chart's categories; None is a gap. `notes` (same
    length, optional) say in the table why a figure is missing ("withheld", "no data")."""

    label: str
    values: Sequence[Number | None]
    notes: Sequence[str] = ()

    def numbers(self) -> list[float | None]:
        return [_number(value) for value in self.values]

    def note(self, index: int) -> str:
        return self.notes[index] if index < len(self.notes) else ""


@dataclass(frozen=True)
class Reference:
    """A horizontal line across a line chart: the target or the baseline."""

    label: str
    value: Number
    kind: str = "target"  # target or baseline


def _number(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, ArithmeticError):
        return None
    return number if math.isfinite(number) else None


def places_for(values: Iterable[float | None]) -> int:
    """Decimal places that show every figure: 0 for whole numbers, else up to 2."""
    places = 0
    for value in values:
        if value is None:
            continue
        for candidate in (0, 1, 2):
            if abs(round(value, candidate) - value) < 1e-9 * max(1.0, abs(value)):
                places = max(places, candidate)
                break
        else:
            places = 2
    return places


def format_number(value: Number | None, places: int = 0) -> str:
    """A figure in the active language's format (German: 1.234,56); empty for a gap."""
    number = _number(value)
    if number is None:
        return ""
    rounded = round(number, places)
    if rounded == 0:
        rounded = 0.0  # no "-0"
    return number_format(
        Decimal(repr(rounded)), decimal_pos=places, use_l10n=True, force_grouping=True
    )


def nice_step(span: float, count: int = 5) -> float:
    """A step of 1, 2, 2.5 or 5 × 10^k that divides `span` into about `count` parts."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def axis_range(
    values: Iterable[float | None], *, include_zero: bool = False, whole: bool = False
) -> tuple[float, float, float]:
    """(low, high, step) of a value axis with round ticks around `values` (`whole`: the
    figures are whole numbers, so are the ticks)."""
    numbers = [v for v in values if v is not None]
    if include_zero or not numbers:
        numbers.append(0.0)
    low, high = min(numbers), max(numbers)
    if low == high:
        # A single figure or all the same: show it against zero (or 0 to 1 for all zeros).
        low, high = min(low, 0.0), max(high, 0.0)
        if low == high:
            high = low + 1.0
    step = nice_step(high - low)
    if whole and step < 1:
        step = 1.0
    low = math.floor(low / step + 1e-9) * step
    high = math.ceil(high / step - 1e-9) * step
    if high <= low:
        high = low + step
    return low, high, step


def _ticks(low: float, high: float, step: float) -> list[float]:
    count = round((high - low) / step)
    return [low + i * step for i in range(min(count, 50) + 1)]


def _tick_places(step: float) -> int:
    return 0 if step >= 1 else min(3, max(1, -math.floor(math.log10(step) + 1e-9)))


def _f(value: float) -> str:
    """A coordinate for the markup (never NaN: callers pass finite numbers)."""
    return f"{value:.1f}"


# How often each chart's digest was used, counted per request (reset when one starts): two
# charts of the same figures on one page get different ids, and the same page gives the same
# ids every time it is rendered (a process-wide counter made GET and HEAD differ in length).
_IDS_SEEN: contextvars.ContextVar[dict[str, int] | None] = contextvars.ContextVar(
    "chart_ids_seen", default=None
)


def _reset_ids(**kwargs: Any) -> None:
    _IDS_SEEN.set({})


request_started.connect(_reset_ids, dispatch_uid="quartier.core.charts.reset_ids")


def _chart_id(*parts: Any) -> str:
    """An id for the chart's title and description, unique on its page."""
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:8]
    seen = _IDS_SEEN.get()
    if seen is None:
        seen = {}
        _IDS_SEEN.set(seen)
    seen[digest] = seen.get(digest, 0) + 1
    return f"chart-{digest}" if seen[digest] == 1 else f"chart-{digest}-{seen[digest]}"


@dataclass
class _Frame:
    """Plot area and the value axis."""

    low: float
    high: float
    step: float
    legend_rows: int = 0
    width: int = WIDTH
    height: int = HEIGHT
    unit: str = ""
    parts: list[str] = field(default_factory=list)

    @property
    def left(self) -> float:
        return MARGIN_LEFT

    @property
    def right(self) -> float:
        return self.width - MARGIN_RIGHT

    @property
    def top(self) -> float:
        return MARGIN_TOP

    @property
    def bottom(self) -> float:
        return self.height - MARGIN_BOTTOM - self.legend_rows * LEGEND_ROW

    def y(self, value: float) -> float:
        value = min(max(value, self.low), self.high)
        return self.bottom - (value - self.low) / (self.high - self.low) * (self.bottom - self.top)

    def value_axis(self) -> None:
        places = _tick_places(self.step)
        for tick in _ticks(self.low, self.high, self.step):
            y = _f(self.y(tick))
            self.parts.append(
                f'<line class="chart-grid" x1="{_f(self.left)}" x2="{_f(self.right)}" '
                f'y1="{y}" y2="{y}" stroke="{GRID}" stroke-width="1"/>'
            )
            self.parts.append(
                f'<text class="chart-tick" x="{_f(self.left - 6)}" y="{y}" text-anchor="end" '
                f'dominant-baseline="middle" font-size="12" fill="{AXIS}">'
                f"{escape(format_number(tick, places))}</text>"
            )
        if self.unit:
            self.parts.append(
                f'<text class="chart-unit" x="4" y="{_f(self.top - 4)}" font-size="11" '
                f'fill="{AXIS}">{escape(self.unit)}</text>'
            )
        zero = 0.0 if self.low <= 0 <= self.high else self.low
        y = _f(self.y(zero))
        self.parts.append(
            f'<line class="chart-axis" x1="{_f(self.left)}" x2="{_f(self.right)}" y1="{y}" '
            f'y2="{y}" stroke="{AXIS}" stroke-width="1"/>'
        )

    def category_labels(self, categories: Sequence[str], centres: Sequence[float]) -> None:
        every = max(1, math.ceil(len(categories) / MAX_LABELS))
        for index, (label, x) in enumerate(zip(categories, centres, strict=True)):
            if index % every and index != len(categories) - 1:
                continue
            self.parts.append(
                f'<text class="chart-label" x="{_f(x)}" y="{_f(self.bottom + 18)}" '
                f'text-anchor="middle" font-size="12" fill="{AXIS}">{escape(label)}</text>'
            )

    def legend(self, entries: Sequence[tuple[str, str, str, str]]) -> None:
        """(label, colour, dash, shape) per entry; shape "bar" or "line"."""
        y0 = self.height - self.legend_rows * LEGEND_ROW - 4
        x = self.left
        row = 0
        for label, colour, dash, shape in entries:
            width = 34 + 7 * len(label)
            if x + width > self.right and x > self.left:
                row += 1
                x = self.left
            y = y0 + row * LEGEND_ROW + 6
            if shape == "bar":
                self.parts.append(
                    f'<rect x="{_f(x)}" y="{_f(y - 6)}" width="14" height="12" fill="{colour}"/>'
                )
            else:
                dashed = f' stroke-dasharray="{dash}"' if dash else ""
                self.parts.append(
                    f'<line x1="{_f(x)}" x2="{_f(x + 22)}" y1="{_f(y)}" y2="{_f(y)}" '
                    f'stroke="{colour}" stroke-width="2.5"{dashed}/>'
                )
            self.parts.append(
                f'<text class="chart-legend" x="{_f(x + 28)}" y="{_f(y)}" '
                f'dominant-baseline="middle" font-size="12" fill="{AXIS}">{escape(label)}</text>'
            )
            x += width


def _legend_rows(labels: Sequence[str]) -> int:
    rows, x = 1, 0
    room = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    for label in labels:
        width = 34 + 7 * len(label)
        if x + width > room and x > 0:
            rows += 1
            x = 0
        x += width
    return rows


def _svg(chart_id: str, title: str, desc: str, frame: _Frame, kind: str) -> SafeString:
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'viewBox="0 0 {frame.width} {frame.height}" width="{frame.width}" '
        f'height="{frame.height}" role="img" focusable="false" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="sans-serif">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>'
    )
    return mark_safe(head + "".join(frame.parts) + "</svg>")


def _describe(categories: Sequence[str], series: Sequence[Series], places: int, unit: str) -> str:
    """The text alternative: each series' figures in words (the table has them too)."""
    parts = []
    suffix = f" {unit}" if unit else ""
    for item in series:
        shown = [
            f"{category}: {format_number(value, places)}{suffix}"
            for category, value in zip(categories, item.numbers(), strict=False)
            if value is not None
        ]
        text = "; ".join(shown) if shown else _("no figures")
        parts.append(f"{item.label}: {text}" if item.label else text)
    return ". ".join(parts) + "."


def _check(categories: Sequence[str], series: Sequence[Series]) -> None:
    for item in series:
        if len(item.values) != len(categories):
            raise ValueError(f"{item.label!r}: {len(item.values)} values, {len(categories)} labels")


def grouped_bar_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    desc: str = "",
    places: int | None = None,
) -> SafeString:
    """Bars per category, one per series, from the zero line (negative figures go down)."""
    categories = [str(c) for c in categories]
    _check(categories, series)
    numbers = [item.numbers() for item in series]
    flat = [v for row in numbers for v in row]
    places = places_for(flat) if places is None else places
    low, high, step = axis_range(flat, include_zero=True, whole=places == 0)
    legend = len(series) > 1
    rows = _legend_rows([s.label for s in series]) if legend else 0
    frame = _Frame(low, high, step, legend_rows=rows, unit=unit)
    frame.value_axis()
    n = max(len(categories), 1)
    band = (frame.right - frame.left) / n
    group = band * 0.8
    bar = group / max(len(series), 1)
    zero = frame.y(0.0)
    centres = []
    for index, category in enumerate(categories):
        start = frame.left + index * band + (band - group) / 2
        centres.append(frame.left + (index + 0.5) * band)
        for position, (item, row) in enumerate(zip(series, numbers, strict=True)):
            value = row[index]
            if value is None:
                continue
            y = frame.y(value)
            top, height = min(y, zero), abs(zero - y)
            label = f"{item.label}, {category}" if item.label else category
            frame.parts.append(
                f'<rect class="chart-bar" x="{_f(start + position * bar + 1)}" y="{_f(top)}" '
                f'width="{_f(max(bar - 2, 1))}" height="{_f(max(height, 0.5))}" '
                f'fill="{COLOURS[position % len(COLOURS)]}"><title>{escape(label)}: '
                f"{escape(format_number(value, places))}</title></rect>"
            )
    frame.category_labels(categories, centres)
    if legend:
        frame.legend(
            [(s.label, COLOURS[i % len(COLOURS)], "", "bar") for i, s in enumerate(series)]
        )
    desc = desc or _describe(categories, series, places, unit)
    return _svg(_chart_id("bar", title, categories, numbers), title, desc, frame, "bar")


def bar_chart(
    title: str,
    categories: Sequence[str],
    values: Sequence[Number | None],
    *,
    label: str = "",
    unit: str = "",
    desc: str = "",
    places: int | None = None,
) -> SafeString:
    """One bar per category."""
    return grouped_bar_chart(
        title, categories, [Series(label, values)], unit=unit, desc=desc, places=places
    )


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    references: Sequence[Reference] = (),
    unit: str = "",
    desc: str = "",
    places: int | None = None,
) -> SafeString:
    """Lines over evenly spaced categories (years); a gap (None) breaks the line, a figure
    between two gaps is a dot. `references`: horizontal target or baseline lines."""
    categories = [str(c) for c in categories]
    _check(categories, series)
    numbers = [item.numbers() for item in series]
    flat = [v for row in numbers for v in row]
    refs: list[tuple[Reference, float]] = []
    for reference in references:
        number = _number(reference.value)
        if number is not None:
            refs.append((reference, number))
    places = places_for(flat + [v for _r, v in refs]) if places is None else places
    low, high, step = axis_range(flat + [v for _r, v in refs], whole=places == 0)
    entries = [
        (s.label, COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)], "line")
        for i, s in enumerate(series)
    ]
    entries += [
        (
            f"{r.label}: {format_number(v, places)}",
            TARGET if r.kind == "target" else BASELINE,
            "4 4" if r.kind == "target" else "1 3",
            "line",
        )
        for r, v in refs
    ]
    legend = len(entries) > 1
    rows = _legend_rows([e[0] for e in entries]) if legend else 0
    frame = _Frame(low, high, step, legend_rows=rows, unit=unit)
    frame.value_axis()
    n = len(categories)
    inner = frame.right - frame.left - 20

    def x_of(index: int) -> float:
        return frame.left + 10 + (inner * index / (n - 1) if n > 1 else inner / 2)

    for ref, level in refs:
        y = _f(frame.y(level))
        colour = TARGET if ref.kind == "target" else BASELINE
        dash = "4 4" if ref.kind == "target" else "1 3"
        frame.parts.append(
            f'<line class="chart-{escape(ref.kind)}" x1="{_f(frame.left)}" x2="{_f(frame.right)}" '
            f'y1="{y}" y2="{y}" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}">'
            f"<title>{escape(ref.label)}: {escape(format_number(level, places))}</title></line>"
        )
    for position, (item, row) in enumerate(zip(series, numbers, strict=True)):
        colour = COLOURS[position % len(COLOURS)]
        dash = DASHES[position % len(DASHES)]
        dashed = f' stroke-dasharray="{dash}"' if dash else ""
        run: list[tuple[float, float]] = []
        for index, value in enumerate([*row, None]):
            if value is not None:
                run.append((x_of(index), frame.y(value)))
                continue
            if len(run) > 1:
                points = " ".join(f"{_f(x)},{_f(y)}" for x, y in run)
                frame.parts.append(
                    f'<polyline class="chart-line" points="{points}" fill="none" '
                    f'stroke="{colour}" stroke-width="2.5"{dashed}/>'
                )
            run = []
        for index, value in enumerate(row):
            if value is None:
                continue
            label = f"{item.label}, {categories[index]}" if item.label else categories[index]
            frame.parts.append(
                f'<circle class="chart-point" cx="{_f(x_of(index))}" cy="{_f(frame.y(value))}" '
                f'r="3.5" fill="{colour}"><title>{escape(label)}: '
                f"{escape(format_number(value, places))}</title></circle>"
            )
    frame.category_labels(categories, [x_of(i) for i in range(n)])
    if legend:
        frame.legend(entries)
    if not desc:
        desc = _describe(categories, series, places, unit)
        for ref, level in refs:
            desc += f" {ref.label}: {format_number(level, places)}."
    chart_id = _chart_id("line", title, categories, numbers, [v for _r, v in refs])
    return _svg(chart_id, title, desc, frame, "line")


def data_table(
    caption: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    category_label: str = "",
    unit: str = "",
    places: int | None = None,
    references: Sequence[Reference] = (),
) -> SafeString:
    """The table of a chart's figures: categories as rows, one column per series (a gap shows
    its note or a dash)."""
    categories = [str(c) for c in categories]
    _check(categories, series)
    numbers = [item.numbers() for item in series]
    refs = [(r, _number(r.value)) for r in references]
    if places is None:
        places = places_for([v for row in numbers for v in row] + [v for _r, v in refs])
    suffix = f" ({unit})" if unit else ""
    head = "".join(
        f'<th scope="col">{escape(s.label or caption)}{escape(suffix)}</th>' for s in series
    )
    rows = []
    for index, category in enumerate(categories):
        cells = []
        for item, row in zip(series, numbers, strict=True):
            value = row[index]
            if value is None:
                note = item.note(index)
                cells.append(f'<td><span class="muted">{escape(note or "–")}</span></td>')
            else:
                cells.append(f'<td class="number">{escape(format_number(value, places))}</td>')
        rows.append(f'<tr><th scope="row">{escape(category)}</th>{"".join(cells)}</tr>')
    foot = "".join(
        f'<tr><th scope="row">{escape(r.label)}</th>'
        f'<td class="number" colspan="{max(len(series), 1)}">'
        f"{escape(format_number(v, places))}</td></tr>"
        for r, v in refs
        if v is not None
    )
    html = (
        f'<table class="chart-table"><caption>{escape(caption)}</caption>'
        f'<thead><tr><th scope="col">{escape(category_label)}</th>{head}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody>" + (f"<tfoot>{foot}</tfoot>" if foot else "") + "</table>"
    )
    return mark_safe(html)


@dataclass(frozen=True)
class Chart:
    """A chart with its data table, rendered together in a <figure> ({{ chart }})."""

    svg: SafeString
    table: SafeString

    def __html__(self) -> SafeString:
        return mark_safe(f'<figure class="chart-figure">{self.svg}{self.table}</figure>')

    def __str__(self) -> str:
        return self.__html__()


def trend(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    references: Sequence[Reference] = (),
    unit: str = "",
    category_label: str = "",
    places: int | None = None,
) -> Chart:
    """A line chart and its table."""
    return Chart(
        line_chart(title, categories, series, references=references, unit=unit, places=places),
        data_table(
            title,
            categories,
            series,
            category_label=category_label,
            unit=unit,
            places=places,
            references=references,
        ),
    )


def bars(
    title: str,
    categories: Sequence[str],
    series: Sequence[Series],
    *,
    unit: str = "",
    category_label: str = "",
    places: int | None = None,
) -> Chart:
    """A (grouped) bar chart and its table."""
    return Chart(
        grouped_bar_chart(title, categories, series, unit=unit, places=places),
        data_table(
            title, categories, series, category_label=category_label, unit=unit, places=places
        ),
    )


def year_axis(
    figures: dict[int, Any], *, first: int | None = None, last: int | None = None
) -> tuple[list[str], list[Any]]:
    """Years from the first to the last (missing years included, as gaps) and their figures."""
    years = sorted(figures)
    if not years and (first is None or last is None):
        return [], []
    start = min([*years, *([first] if first is not None else [])])
    end = max([*years, *([last] if last is not None else [])])
    if end - start > 60:
        start = end - 60
    span = range(start, end + 1)
    return [str(year) for year in span], [figures.get(year) for year in span]
