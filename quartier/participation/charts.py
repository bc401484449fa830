"""A small server-rendered SVG bar chart (no script, no third-party request).

Every chart has a <title> and <desc> and is shown with a data table beside it (the template's
job). Kept small on purpose: a shared chart helper in core may replace it later.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

WIDTH = 480
ROW = 28
LABEL = 180
BAR_MAX = WIDTH - LABEL - 60


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    share: float  # 0..100


def bars_svg(bars: list[Bar], *, title: str, desc: str, chart_id: str) -> SafeString:
    height = max(ROW, ROW * len(bars)) + 8
    biggest = max((bar.value for bar in bars), default=0) or 1
    rows = format_html_join(
        "",
        '<g class="chart-row"><text x="0" y="{}" class="chart-label">{}</text>'
        '<rect x="{}" y="{}" width="{}" height="{}" class="chart-bar"></rect>'
        '<text x="{}" y="{}" class="chart-value">{} ({}\u00a0%)</text></g>',
        (
            (
                index * ROW + 18,
                bar.label[:28] + ("…" if len(bar.label) > 28 else ""),
                LABEL,
                index * ROW + 4,
                round(BAR_MAX * bar.value / biggest),
                ROW - 10,
                LABEL + round(BAR_MAX * bar.value / biggest) + 6,
                index * ROW + 18,
                bar.value,
                f"{bar.share:.0f}",
            )
            for index, bar in enumerate(bars)
        ),
    )
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="{}-title {}-desc" width="100%">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        chart_id,
        chart_id,
        chart_id,
        title,
        chart_id,
        desc,
        rows,
    )
