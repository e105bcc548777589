"""A report's figures (the JSON of ``reports.figures``) as what screens, print and
exports show: the indicators with their labels and rates, and each table with its
column labels, totals and chart.

It reads only the figures JSON, never a record, so the district shows a school's
submitted version with the same code. Keys the JSON lacks (an older version) show as
0; keys it has that the code no longer knows are left out.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reports.charts import bar_chart
from reports.figures import TABLES, TOTALS

__all__ = ["FigureTable", "Indicator", "indicators", "tables"]

# A rate is "part/whole" of two totals: shown beside the part ("5/6 đúng hạn").
RATES: dict[str, str] = {
    "referrals_on_time": "referrals",
    "plans_approved_on_time": "plans_approved",
    "reviews_on_time": "reviews_due",
}

# Tables whose columns split one count (by gender): a row has a total, and the chart
# shows it. In the others the columns are different measures, and the chart shows the
# first (sessions, cases opened, activities).
SPLIT_TABLES = frozenset({"sessions_by_grade", "cases_by_grade"})

# A case with several issue categories counts in each: a column's sum would count it
# twice, so this table has no totals row, and says why.
NO_TOTALS = {
    "cases_by_category": _("A case with several kinds of issue is counted under each of them."),
}

# The heading of each table's first column: what its rows are.
ROW_HEADINGS = {
    "sessions_by_form": _("Form of counselling"),
    "sessions_by_area": _("Counselling content"),
    "sessions_by_grade": _("Grade"),
    "cases_by_category": _("Kind of issue"),
    "cases_by_grade": _("Grade"),
    "activities_by_area": _("Counselling content"),
}

# Tables listing every grade of the school system (1 to 12): a school has only a few,
# so a row with nothing in any column is left out of what is shown (the figures JSON
# keeps it), and a note says so.
EMPTY_ROWS_HIDDEN = frozenset({"sessions_by_grade", "cases_by_grade"})

# What a bar counts, for the chart's values.
CHART_UNITS = {
    "sessions_by_form": _("sessions"),
    "sessions_by_area": _("sessions"),
    "sessions_by_grade": _("sessions"),
    "cases_by_category": _("cases"),
    "cases_by_grade": _("cases"),
    "activities_by_area": _("activities"),
}


@dataclass
class Indicator:
    key: str
    label: str
    value: int
    rate: str = ""


@dataclass
class FigureRow:
    label: str
    values: list[int]
    total: int | None = None


@dataclass
class FigureTable:
    key: str
    title: str
    columns: list[str]
    rows: list[FigureRow]
    totals: list[int] | None
    grand_total: int | None
    note: str = ""
    row_heading: str = ""
    chart_rows: list[tuple[str, int]] = field(default_factory=list)
    chart_unit: str = ""
    chart_font: str = "inherit"

    @property
    def chart(self) -> SafeString:
        return bar_chart(self.title, self.chart_rows, unit=self.chart_unit, font=self.chart_font)

    @property
    def has_row_totals(self) -> bool:
        return self.grand_total is not None


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def first_capital(label: str) -> str:
    """A reference item written in lower case ("bị xâm hại") as it heads a row: "Bị xâm hại"."""
    label = label.strip()
    return label[:1].upper() + label[1:]


def rate_text(part: int, whole: int) -> str:
    """ "5/6 on time (83%)", or "" when nothing was due."""
    if not whole:
        return ""
    return gettext("%(part)s/%(whole)s on time (%(percent)s%%)") % {
        "part": part,
        "whole": whole,
        "percent": round(100 * part / whole),
    }


def indicators(figures: dict) -> list[Indicator]:
    """The table of indicators, in the order of ``TOTALS``."""
    totals = figures.get("totals") or {}
    shown = []
    for key, label in TOTALS.items():
        value = _int(totals.get(key))
        rate = ""
        if key in RATES:
            rate = rate_text(value, _int(totals.get(RATES[key])))
        shown.append(Indicator(key=key, label=str(label), value=value, rate=rate))
    return shown


def _table(key: str, data: dict) -> FigureTable:
    title, column_labels = TABLES[key]
    known = list(column_labels)
    # The frozen version says which columns it has, in its order.
    columns = [column for column in data.get("columns") or known if column in column_labels]
    positions = {column: index for index, column in enumerate(data.get("columns") or known)}
    split = key in SPLIT_TABLES
    hidden = False
    rows = []
    for row in data.get("rows") or []:
        raw = row.get("values") or []
        values = [
            _int(raw[positions[column]]) if positions[column] < len(raw) else 0
            for column in columns
        ]
        if key in EMPTY_ROWS_HIDDEN and not any(values):
            hidden = True
            continue
        rows.append(
            FigureRow(
                label=first_capital(str(row.get("label") or row.get("key") or "")),
                values=values,
                total=sum(values) if split else None,
            )
        )
    totals = None
    if key not in NO_TOTALS:
        totals = [sum(row.values[index] for row in rows) for index in range(len(columns))]
    chart_rows = [
        (row.label, row.total if split else (row.values[0] if row.values else 0)) for row in rows
    ]
    return FigureTable(
        key=key,
        title=str(title),
        columns=[str(column_labels[column]) for column in columns],
        rows=rows,
        totals=totals,
        grand_total=sum(row.total or 0 for row in rows) if split else None,
        note=" ".join(
            str(note)
            for note in (
                NO_TOTALS.get(key, ""),
                gettext("Grades without any figures are not listed.") if hidden else "",
            )
            if note
        ),
        row_heading=str(ROW_HEADINGS.get(key) or gettext("Item")),
        chart_rows=chart_rows,
        chart_unit=str(CHART_UNITS.get(key, "")),
    )


# The printed report's font (print-record.css), named for the charts of the PDF.
PRINT_FONT = "Record Serif, serif"


def tables(figures: dict, *, for_print: bool = False) -> list[FigureTable]:
    """Every table of ``TABLES`` the figures hold, in the contract's order."""
    found = figures.get("tables") or {}
    shown = [_table(key, found[key]) for key in TABLES if isinstance(found.get(key), dict)]
    if for_print:
        for table in shown:
            table.chart_font = PRINT_FONT
    return shown


def column_headings(table: FigureTable) -> list[str]:
    """The table's header: the rows' heading, the columns, and "Total" where rows have one."""
    headings = [table.row_heading or gettext("Item"), *table.columns]
    if table.has_row_totals:
        headings.append(gettext("Total"))
    return headings
