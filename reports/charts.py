"""Charts drawn on the server as SVG: they show without JavaScript, print in black and
white, and go into the PDF as they are (WeasyPrint draws SVG).

A chart is never the only way to read its numbers: the screens and the printed
report put the data table next to it, which is what a screen reader reads and what
the district copies from. The chart is therefore a titled image (``role="img"``,
named by its ``<title>``), and each bar carries its own label and value as text.
"""

from __future__ import annotations

import itertools
import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

__all__ = ["bar_chart"]

# Drawn in user units; the SVG scales to its container's width (a 360 px phone too).
WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 70
BAR_HEIGHT = 18
ROW_GAP = 8
TITLE_HEIGHT = 28
LABEL_CHARS = 34

# Unique ids within one rendering process: two charts of the same title on one page
# must not share the id their aria-labelledby points at.
_ids = itertools.count(1)


def _short(label: str) -> str:
    """A label cut to fit its column; the full label is in the bar's own title and the table."""
    return label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1].rstrip() + "…"


def _chart_id(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:24] or "chart"
    return f"chart-{slug}-{next(_ids)}"


def bar_chart(
    title: str, rows: list[tuple[str, int]], *, unit: str = "", font: str = "inherit"
) -> SafeString:
    """A horizontal bar chart of ``rows`` (label, value), one bar per row, as SVG markup.

    ``unit`` follows each value ("12 lượt"). Bars are scaled to the largest value;
    a row of 0 has no bar but keeps its label and value, so a table and its chart
    always list the same rows. ``font`` is the text's font family: the page's on
    screen; the PDF names its bundled font, since WeasyPrint's SVG inherits none.
    """
    title = str(title)
    chart_id = _chart_id(title)
    title_id = f"{chart_id}-title"
    # On each text: WeasyPrint's SVG does not pass the root's font on to its texts.
    face = f'font-family="{escape(font)}"'
    largest = max((value for _label, value in rows), default=0)
    bar_room = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TITLE_HEIGHT + len(rows) * (BAR_HEIGHT + ROW_GAP) + ROW_GAP

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" id="{chart_id}" '
        f'role="img" aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        'font-size="13">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<text x="0" y="18" {face} font-weight="bold">{escape(title)}</text>',
    ]
    for index, (label, value) in enumerate(rows):
        label = str(label)
        value = int(value or 0)
        top = TITLE_HEIGHT + index * (BAR_HEIGHT + ROW_GAP) + ROW_GAP // 2
        middle = top + BAR_HEIGHT / 2 + 4.5
        length = round(bar_room * value / largest, 1) if largest else 0
        shown = f"{value} {unit}".strip()
        parts.append(
            f'<g class="report-chart__bar"><title>{escape(label)}: {escape(shown)}</title>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{middle}" {face} text-anchor="end">'
            f"{escape(_short(label))}</text>"
        )
        # Outlined as well as filled, so a bar survives a printer that drops fills.
        parts.append(
            f'<rect x="{LABEL_WIDTH}" y="{top}" width="{length}" height="{BAR_HEIGHT}" '
            f'fill="#4a6f8a" stroke="#1b1b1b" stroke-width="0.6"/>'
        )
        parts.append(
            f'<text x="{LABEL_WIDTH + length + 6}" y="{middle}" {face}>{escape(shown)}</text>'
        )
        parts.append("</g>")
    parts.append("</svg>")
    return mark_safe("".join(parts))
