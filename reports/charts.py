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

__all__ = ["MIN_WIDTH_PX", "bar_chart", "wrap"]

# Drawn in user units; the SVG scales to its container's width. The screens give it a
# minimum width (MIN_WIDTH_PX) inside a sideways-scrolling box, so that its text never
# shrinks below 11 px on a 360 px phone.
WIDTH = 640
FONT_SIZE = 13
MIN_TEXT_PX = 11
MIN_WIDTH_PX = -(-WIDTH * MIN_TEXT_PX // FONT_SIZE)  # 542: 13 units drawn as 11 px
LABEL_WIDTH = 250
BAR_HEIGHT = 18
ROW_GAP = 8
LINE_HEIGHT = 15
TITLE_HEIGHT = 28
# What one character takes, at most, in user units (Vietnamese letters with their
# marks in a sans-serif or serif face of 13 units average well under this).
CHAR_WIDTH = 7.4
# Characters on one line of a label: a long label takes two lines, never more.
LABEL_CHARS = int((LABEL_WIDTH - 12) // CHAR_WIDTH)
LABEL_LINES = 2
# Room between a bar's end and its value text, and after the text.
VALUE_GAP = 6
VALUE_MARGIN = 4
TITLE_CHARS = int(WIDTH // (CHAR_WIDTH + 0.6))

# Unique ids within one rendering process: two charts of the same title on one page
# must not share the id their aria-labelledby points at.
_ids = itertools.count(1)


def wrap(text: str, width: int = LABEL_CHARS, lines: int = LABEL_LINES) -> list[str]:
    """``text`` broken at spaces into at most ``lines`` lines of ``width`` characters; only
    a text too long even for those is cut, with "…" (the full text is in the bar's title)."""
    words = text.split()
    shown: list[str] = []
    current = ""
    for word in words:
        candidate = f"{current} {word}" if current else word
        if len(candidate) <= width or not current:
            current = candidate
            continue
        shown.append(current)
        current = word
    if current:
        shown.append(current)
    if len(shown) > lines:
        rest = " ".join(shown[lines - 1 :])
        shown = [*shown[: lines - 1], rest[: width - 1].rstrip() + "…"]
    return [line if len(line) <= width else line[: width - 1].rstrip() + "…" for line in shown]


def _text_width(text: str) -> float:
    return len(text) * CHAR_WIDTH


def _chart_id(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:24] or "chart"
    return f"chart-{slug}-{next(_ids)}"


def _tspans(lines: list[str], x: float, first_y: float) -> str:
    return "".join(
        f'<tspan x="{x}" y="{round(first_y + index * LINE_HEIGHT, 1)}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )


def bar_chart(
    title: str, rows: list[tuple[str, int]], *, unit: str = "", font: str = "inherit"
) -> SafeString:
    """A horizontal bar chart of ``rows`` (label, value), one bar per row, as SVG markup.

    ``unit`` follows each value ("12 lượt"). Bars are scaled to the largest value and
    leave room for the longest value text at the right; a long label wraps onto a
    second line. A row of 0 has no bar but keeps its label and value, so a table and
    its chart always list the same rows. ``font`` is the text's font family: the
    page's on screen; the PDF names its bundled font, since WeasyPrint's SVG inherits
    none.
    """
    title = str(title)
    chart_id = _chart_id(title)
    title_id = f"{chart_id}-title"
    # On each text: WeasyPrint's SVG does not pass the root's font on to its texts.
    face = f'font-family="{escape(font)}"'
    shown_rows = []
    for label, value in rows:
        value = int(value or 0)
        shown_rows.append((str(label), value, f"{value} {unit}".strip()))
    largest = max((value for _label, value, _shown in shown_rows), default=0)
    value_room = max((_text_width(shown) for *_rest, shown in shown_rows), default=0)
    bar_room = WIDTH - LABEL_WIDTH - VALUE_GAP - value_room - VALUE_MARGIN
    title_lines = wrap(title, TITLE_CHARS, 2)
    top = TITLE_HEIGHT + (len(title_lines) - 1) * (LINE_HEIGHT + 2)
    body = []
    for label, value, shown in shown_rows:
        lines = wrap(label)
        row_height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT) + ROW_GAP
        bar_top = top + ROW_GAP / 2 + (row_height - ROW_GAP - BAR_HEIGHT) / 2
        middle = round(bar_top + BAR_HEIGHT / 2 + 4.5, 1)
        first_line = round(middle - (len(lines) - 1) * LINE_HEIGHT / 2, 1)
        length = round(bar_room * value / largest, 1) if largest else 0
        body.append(f'<g class="report-chart__bar"><title>{escape(label)}: {escape(shown)}</title>')
        body.append(
            f'<text x="{LABEL_WIDTH - 8}" y="{first_line}" {face} text-anchor="end">'
            f"{_tspans(lines, LABEL_WIDTH - 8, first_line)}</text>"
        )
        # Outlined as well as filled, so a bar survives a printer that drops fills.
        body.append(
            f'<rect x="{LABEL_WIDTH}" y="{round(bar_top, 1)}" width="{length}" '
            f'height="{BAR_HEIGHT}" fill="#4a6f8a" stroke="#1b1b1b" stroke-width="0.6"/>'
        )
        body.append(
            f'<text x="{round(LABEL_WIDTH + length + VALUE_GAP, 1)}" y="{middle}" {face}>'
            f"{escape(shown)}</text>"
        )
        body.append("</g>")
        top += row_height
    height = round(top + ROW_GAP / 2)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" id="{chart_id}" '
        f'role="img" aria-labelledby="{title_id}" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" preserveAspectRatio="xMinYMin meet" '
        f'font-size="{FONT_SIZE}">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<text x="0" y="18" {face} font-weight="bold">{_tspans(title_lines, 0, 18)}</text>',
        *body,
        "</svg>",
    ]
    return mark_safe("".join(parts))
