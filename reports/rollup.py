"""What the district reads: its schools' submitted figures rolled up, each school's
state for a period, the trend over periods and the overdue work, every count
suppressed (reports.suppression).

By construction it reads only the reports' own rows (state and dates of
``SchoolReport``, the frozen ``figures`` JSON of the latest submitted
``SchoolReportVersion``), schools, periods and the per-school count of overdue work
(``reports.figures.overdue_by_school``): never a case, a log entry, an activity or a
learner. No table goes below school × content area; grades, genders and issue
categories are shown for the district as a whole.

The figures of one roll-up are suppressed together: the district's sessions are the
total of the schools table, of the content-area table and of the grade table, so a
count hidden in one is hidden in all (one cell, several lines).
"""

from __future__ import annotations

import datetime
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from reports import display, figures, suppression
from reports.charts import bar_chart
from reports.models import ReportingPeriod, SchoolReport, SchoolReportVersion
from reports.periods import current_periods
from schools.models import School

# A school's figures count in the roll-up once sent and not returned.
COUNTED_STATES = (SchoolReport.State.SUBMITTED, SchoolReport.State.ACCEPTED)

# The indicators of the schools table (a school per row).
SCHOOL_INDICATORS: tuple[str, ...] = (
    "sessions",
    "session_participants",
    "cases_opened",
    "cases_closed",
    "cases_open",
    "referrals",
    "referrals_on_time",
    "overdue",
    "activities",
)

# Rates as part/whole of two totals.
RATES: dict[str, str] = dict(display.RATES)

# A table column whose sum is one of the totals (the same cell, so one suppression).
COLUMN_TOTALS: dict[str, dict[str, str]] = {
    "sessions_by_form": {"sessions": "sessions", "participants": "session_participants"},
    "sessions_by_area": {"sessions": "sessions", "participants": "session_participants"},
    "activities_by_area": {"activities": "activities", "participants": "activity_participants"},
}
# A table whose grand total is one of the totals.
GRAND_TOTALS: dict[str, str] = {"sessions_by_grade": "sessions", "cases_by_grade": "cases_opened"}

TREND_PERIODS = 4


# Shown values ------------------------------------------------------------------------


@dataclass
class ShownRow:
    label: str
    cells: list[suppression.Cell]


@dataclass
class ShownTable:
    """A table as the district sees it: every cell a suppressed ``Cell``."""

    key: str
    title: str
    headings: list[str]
    rows: list[ShownRow]
    total_row: ShownRow | None = None
    note: str = ""
    chart_rows: list[tuple[str, int]] = field(default_factory=list)
    chart_unit: str = ""
    chart_left_out: bool = False

    @property
    def chart(self) -> SafeString | str:
        if not self.chart_rows:
            return ""
        return bar_chart(self.title, self.chart_rows, unit=self.chart_unit)

    @property
    def all_rows(self) -> list[ShownRow]:
        return [*self.rows, *([self.total_row] if self.total_row else [])]


@dataclass
class ShownTotal:
    key: str
    label: str
    cell: suppression.Cell
    rate: str = ""


class _Cells:
    """The cells of one roll-up and the lines a reader can add up, suppressed at once."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.lines: list[list[Hashable]] = []
        self.hidden: dict[Hashable, str] = {}

    def put(self, key: Hashable, value: int) -> Hashable:
        self.values[key] = int(value or 0)
        return key

    def shared(self, shared: Hashable | None, own: Hashable, value: int) -> Hashable:
        """``shared`` when it holds the same number (one figure, one cell), else ``own``."""
        if shared is not None and self.values.get(shared) == int(value or 0):
            return shared
        return self.put(own, value)

    def grid(self, grid: suppression.Grid) -> suppression.Grid:
        self.lines.extend(grid.lines())
        return grid

    def run(self) -> None:
        self.hidden = suppression.suppress(self.values, self.lines)

    def cell(self, key: Hashable) -> suppression.Cell:
        return suppression.cell(self.values, self.hidden, key)

    def row(self, label: str, keys: Iterable[Hashable]) -> ShownRow:
        return ShownRow(label=label, cells=[self.cell(key) for key in keys])


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


def _total_key(key: str) -> tuple:
    return ("total", key)


def _rate(cells: _Cells, key: str) -> str:
    """ "5/6 on time (83%)" when neither count is hidden; nothing otherwise, since a rate
    of a hidden count gives the count back."""
    whole_key = RATES.get(key)
    if whole_key is None:
        return ""
    part, whole = _total_key(key), _total_key(whole_key)
    if part in cells.hidden or whole in cells.hidden:
        return ""
    return display.rate_text(cells.values[part], cells.values[whole])


@dataclass
class _Pending:
    """A table whose cells are in ``cells`` but not yet suppressed."""

    key: str
    title: str
    headings: list[str]
    row_labels: list[str]
    grid: suppression.Grid
    total_label: str = ""
    note: str = ""
    chart_unit: str = ""
    chart: bool = True


def _figure_table(cells: _Cells, scope: str, table: display.FigureTable) -> _Pending:
    """One table of a figures JSON (a school's, or the district's summed), its cells put
    into ``cells`` with their lines."""
    _title, labels = figures.TABLES[table.key]
    column_keys = {str(label): key for key, label in labels.items()}
    keys = [
        [cells.put((scope, table.key, r, c), value) for c, value in enumerate(row.values)]
        for r, row in enumerate(table.rows)
    ]
    grid = suppression.Grid(keys=keys)
    if table.has_row_totals:
        grid.row_total_keys = [
            cells.put((scope, table.key, r, "total"), row.total or 0)
            for r, row in enumerate(table.rows)
        ]
    if table.totals is not None:
        links = COLUMN_TOTALS.get(table.key, {})
        grid.column_total_keys = []
        for c, (heading, value) in enumerate(zip(table.columns, table.totals, strict=True)):
            linked = links.get(column_keys.get(heading, ""))
            grid.column_total_keys.append(
                cells.shared(
                    _total_key(linked) if linked else None, (scope, table.key, "total", c), value
                )
            )
        if table.has_row_totals:
            linked = GRAND_TOTALS.get(table.key)
            grid.grand_total_key = cells.shared(
                _total_key(linked) if linked else None,
                (scope, table.key, "total", "total"),
                table.grand_total or 0,
            )
    cells.grid(grid)
    return _Pending(
        key=table.key,
        title=table.title,
        headings=display.column_headings(table),
        row_labels=[row.label for row in table.rows],
        grid=grid,
        total_label=gettext("Total"),
        note=table.note,
        chart_unit=table.chart_unit,
    )


def _render(cells: _Cells, pending: _Pending) -> ShownTable:
    grid = pending.grid
    rows = []
    chart_rows: list[tuple[str, int]] = []
    left_out = False
    for r, label in enumerate(pending.row_labels):
        keys = list(grid.keys[r])
        if grid.row_total_keys is not None:
            keys.append(grid.row_total_keys[r])
        rows.append(cells.row(label, keys))
        if not pending.chart or not keys:
            continue
        # The chart draws the row's total (split tables) or its first column.
        chart_key = keys[-1] if grid.row_total_keys is not None else keys[0]
        if chart_key in cells.hidden:
            left_out = True
        else:
            chart_rows.append((label, cells.values[chart_key]))
    total_row = None
    if grid.column_total_keys is not None:
        keys = list(grid.column_total_keys)
        if grid.grand_total_key is not None:
            keys.append(grid.grand_total_key)
        total_row = cells.row(pending.total_label, keys)
    return ShownTable(
        key=pending.key,
        title=pending.title,
        headings=pending.headings,
        rows=rows,
        total_row=total_row,
        note=pending.note,
        chart_rows=chart_rows,
        chart_unit=pending.chart_unit,
        chart_left_out=left_out,
    )


def _totals(cells: _Cells, totals: dict) -> list[Hashable]:
    return [cells.shared(None, _total_key(key), _int(totals.get(key))) for key in figures.TOTALS]


def _shown_totals(cells: _Cells) -> list[ShownTotal]:
    return [
        ShownTotal(
            key=key,
            label=str(label),
            cell=cells.cell(_total_key(key)),
            rate=_rate(cells, key),
        )
        for key, label in figures.TOTALS.items()
    ]


# One school's submitted version -------------------------------------------------------


@dataclass
class SchoolFigures:
    totals: list[ShownTotal]
    tables: list[ShownTable]


def school_figures(data: dict) -> SchoolFigures:
    """A school's frozen figures, suppressed as the district must see them."""
    cells = _Cells()
    _totals(cells, data.get("totals") or {})
    pending = [_figure_table(cells, "school", table) for table in display.tables(data)]
    cells.run()
    return SchoolFigures(
        totals=_shown_totals(cells), tables=[_render(cells, item) for item in pending]
    )


# Merging schools' figures ---------------------------------------------------------------


def merge_figures(all_figures: list[dict]) -> dict:
    """The district's figures JSON: totals summed, table rows matched by key and summed,
    each row's label from the latest (``all_figures`` is oldest first)."""
    totals = {
        key: sum(_int((f.get("totals") or {}).get(key)) for f in all_figures)
        for key in figures.TOTALS
    }
    tables: dict[str, dict] = {}
    for key, (_title, labels) in figures.TABLES.items():
        columns = list(labels)
        rows: dict[str, dict] = {}
        for data in all_figures:
            table = (data.get("tables") or {}).get(key)
            if not isinstance(table, dict):
                continue
            positions = {column: i for i, column in enumerate(table.get("columns") or columns)}
            for row in table.get("rows") or []:
                row_key = str(row.get("key") or row.get("label") or "")
                merged = rows.setdefault(
                    row_key, {"key": row_key, "label": "", "values": [0] * len(columns)}
                )
                merged["label"] = str(row.get("label") or row_key)
                raw = row.get("values") or []
                for c, column in enumerate(columns):
                    position = positions.get(column)
                    if position is not None and position < len(raw):
                        merged["values"][c] += _int(raw[position])
        tables[key] = {"columns": columns, "rows": list(rows.values())}
    return {"schema": figures.SCHEMA, "totals": totals, "tables": tables}


# A school's state for a period ---------------------------------------------------------


@dataclass
class SchoolStatus:
    school: School
    state: str  # "none", or a SchoolReport.State
    label: str
    day: datetime.datetime | datetime.date | None
    overdue: bool
    report_id: int | None  # set when the district may open its submitted version
    version: int = 0


STATE_LABELS = {
    "none": _("Not started"),
    SchoolReport.State.DRAFT: _("Being written"),
    SchoolReport.State.SUBMITTED: _("Submitted, waiting for the district"),
    SchoolReport.State.ACCEPTED: _("Accepted"),
    SchoolReport.State.RETURNED: _("Returned for changes"),
}
STATE_ORDER = ("none", "draft", "returned", "submitted", "accepted")


def school_statuses(
    schools: list[School], period: ReportingPeriod, *, today: datetime.date | None = None
) -> list[SchoolStatus]:
    """Each school's state for ``period``: the report's state and dates only, never a
    draft's content (the texts are not even read). One query."""
    today = today or timezone.localdate()
    reports = {
        report.school_id: report
        for report in SchoolReport.objects.filter(
            school__in=[school.pk for school in schools], period=period
        ).only("id", "school_id", "period_id", "state", "version", "submitted_at", "decided_at")
    }
    late = today > period.due_on
    found = []
    for school in schools:
        report = reports.get(school.pk)
        if report is None:
            state, day = "none", None
        else:
            state = report.state
            day = {
                SchoolReport.State.SUBMITTED: report.submitted_at,
                SchoolReport.State.ACCEPTED: report.decided_at,
                SchoolReport.State.RETURNED: report.decided_at,
            }.get(report.state)
        found.append(
            SchoolStatus(
                school=school,
                state=state,
                label=str(STATE_LABELS[state]),
                day=day,
                overdue=late and state not in COUNTED_STATES,
                report_id=report.pk if report is not None and report.version else None,
                version=report.version if report is not None else 0,
            )
        )
    return found


def status_counts(statuses: list[SchoolStatus]) -> list[tuple[str, str, int]]:
    """(state, label, number of schools) in the order of the work."""
    return [
        (state, str(STATE_LABELS[state]), sum(1 for status in statuses if status.state == state))
        for state in STATE_ORDER
    ]


# The roll-up -----------------------------------------------------------------------------


def latest_figures(school_ids: Iterable[int], period_ids: Iterable[int]) -> list[dict]:
    """The figures of each counted report's latest version (one query), oldest first:
    dicts with school_id, period_id, submitted_at, figures."""
    return list(
        SchoolReportVersion.objects.filter(
            report__school_id__in=sorted(school_ids),
            report__period_id__in=sorted(period_ids),
            report__state__in=COUNTED_STATES,
            version=F("report__version"),
        )
        .order_by("submitted_at", "pk")
        .values("report__school_id", "report__period_id", "submitted_at", "figures")
    )


@dataclass
class Rollup:
    period: ReportingPeriod
    schools: list[School]
    counted: list[School]
    totals: list[ShownTotal]
    schools_table: ShownTable | None
    areas_table: ShownTable | None
    tables: list[ShownTable]

    def all_tables(self) -> list[ShownTable]:
        return [t for t in (self.schools_table, self.areas_table) if t] + self.tables


def _schools_table(cells: _Cells, counted: list[School], by_school: dict[int, dict]) -> _Pending:
    keys = [
        [
            cells.put(
                ("school", school.pk, key),
                _int((by_school[school.pk].get("totals") or {}).get(key)),
            )
            for key in SCHOOL_INDICATORS
        ]
        for school in counted
    ]
    grid = suppression.Grid(keys=keys, column_total_keys=[_total_key(k) for k in SCHOOL_INDICATORS])
    cells.grid(grid)
    return _Pending(
        key="schools",
        title=gettext("Main figures by school"),
        headings=[gettext("School"), *(str(figures.TOTALS[k]) for k in SCHOOL_INDICATORS)],
        row_labels=[school.name for school in counted],
        grid=grid,
        total_label=gettext("District total"),
        chart=False,
    )


def _sessions_by_area(data: dict) -> dict[str, int]:
    """A school's sessions per content area key, from its figures."""
    table = (data.get("tables") or {}).get("sessions_by_area") or {}
    columns = table.get("columns") or ["sessions"]
    position = columns.index("sessions") if "sessions" in columns else 0
    found = {}
    for row in table.get("rows") or []:
        values = row.get("values") or []
        found[str(row.get("key"))] = _int(values[position]) if position < len(values) else 0
    return found


def _areas_table(
    cells: _Cells, counted: list[School], by_school: dict[int, dict], merged: dict
) -> _Pending:
    """School × content area (sessions): the finest the district ever sees."""
    area_rows = merged["tables"]["sessions_by_area"]["rows"]
    area_keys = [row["key"] for row in area_rows]
    keys, row_totals = [], []
    for school in counted:
        values = _sessions_by_area(by_school[school.pk])
        keys.append([cells.put(("area", school.pk, key), values.get(key, 0)) for key in area_keys])
        row_totals.append(
            cells.shared(
                ("school", school.pk, "sessions"),
                ("area", school.pk, "total"),
                sum(values.get(key, 0) for key in area_keys),
            )
        )
    column_totals = [
        cells.put(("area", "total", key), sum(cells.values[row[c]] for row in keys))
        for c, key in enumerate(area_keys)
    ]
    grand = cells.shared(
        _total_key("sessions"),
        ("area", "total", "total"),
        sum(cells.values[key] for key in column_totals),
    )
    grid = suppression.Grid(
        keys=keys, row_total_keys=row_totals, column_total_keys=column_totals, grand_total_key=grand
    )
    cells.grid(grid)
    return _Pending(
        key="schools_by_area",
        title=gettext("Counselling sessions by school and content area"),
        headings=[gettext("School"), *(row["label"] for row in area_rows), gettext("Total")],
        row_labels=[school.name for school in counted],
        grid=grid,
        total_label=gettext("District total"),
        chart=False,
    )


def build_rollup(
    schools: list[School], period: ReportingPeriod, versions: list[dict] | None = None
) -> Rollup:
    """The roll-up of ``period`` over ``schools`` (their counted versions, oldest first;
    read here when not given)."""
    if versions is None:
        versions = latest_figures([s.pk for s in schools], [period.pk])
    wanted = {school.pk for school in schools}
    mine = [
        v
        for v in versions
        if v["report__period_id"] == period.pk and v["report__school_id"] in wanted
    ]
    by_school = {v["report__school_id"]: v["figures"] or {} for v in mine}
    counted = [school for school in schools if school.pk in by_school]
    merged = merge_figures([v["figures"] or {} for v in mine])

    cells = _Cells()
    _totals(cells, merged["totals"])
    pending = []
    if counted:
        pending.append(_schools_table(cells, counted, by_school))
        pending.append(_areas_table(cells, counted, by_school, merged))
    pending.extend(
        _figure_table(cells, "district", table)
        for table in display.tables(merged)
        if table.key != "sessions_by_area"
    )
    cells.run()
    shown = [_render(cells, item) for item in pending]
    by_key = {table.key: table for table in shown}
    return Rollup(
        period=period,
        schools=schools,
        counted=counted,
        totals=_shown_totals(cells),
        schools_table=by_key.get("schools"),
        areas_table=by_key.get("schools_by_area"),
        tables=[t for t in shown if t.key not in ("schools", "schools_by_area")],
    )


# Trends -----------------------------------------------------------------------------------

TREND_INDICATORS: tuple[str, ...] = ("sessions", "cases_opened", "referrals_on_time", "activities")


@dataclass
class Trend:
    periods: list[ReportingPeriod]
    headings: list[str]
    rows: list[ShownRow]  # a period per row
    charts: list[SafeString]


def trend_periods(
    school_ids: Iterable[int], *, limit: int = TREND_PERIODS
) -> list[ReportingPeriod]:
    """The last ``limit`` periods with a counted report of these schools, oldest first."""
    found = list(
        ReportingPeriod.objects.filter(
            reports__school_id__in=sorted(school_ids),
            reports__state__in=COUNTED_STATES,
            reports__version__gt=0,
        )
        .distinct()
        .order_by("-ends_on", "-starts_on")[:limit]
    )
    return list(reversed(found))


def trends(schools: list[School]) -> Trend:
    """The district totals of a few indicators over the last periods, suppressed as each
    period's roll-up suppresses them."""
    periods = trend_periods([s.pk for s in schools])
    versions = latest_figures([s.pk for s in schools], [p.pk for p in periods])
    headings = [pgettext("report", "Period")]
    for key in TREND_INDICATORS:
        headings.append(
            gettext("Referrals made within 12 working hours (%)")
            if key == "referrals_on_time"
            else str(figures.TOTALS[key])
        )
    rows = []
    series: dict[str, list[tuple[str, int]]] = {key: [] for key in TREND_INDICATORS}
    for period in periods:
        rollup = build_rollup(schools, period, versions)
        by_key = {total.key: total for total in rollup.totals}
        row_cells = []
        for key in TREND_INDICATORS:
            total = by_key[key]
            if key == "referrals_on_time":
                row_cells.append(_percent_cell(by_key["referrals_on_time"], by_key["referrals"]))
                continue
            row_cells.append(total.cell)
            if not total.cell.hidden:
                series[key].append((period.label, int(total.cell.text)))
        rows.append(ShownRow(label=period.label, cells=row_cells))
    charts = [
        bar_chart(str(figures.TOTALS[key]), series[key])
        for key in ("sessions", "cases_opened", "activities")
        if series[key]
    ]
    return Trend(periods=periods, headings=headings, rows=rows, charts=charts)


def _percent_cell(part: ShownTotal, whole: ShownTotal) -> suppression.Cell:
    if part.cell.hidden or whole.cell.hidden:
        return suppression.Cell(text=suppression.HIDDEN_TEXT, hidden=True)
    whole_value = int(whole.cell.text)
    if not whole_value:
        return suppression.Cell(text="–", hidden=False)
    return suppression.Cell(text=f"{round(100 * int(part.cell.text) / whole_value)}%", hidden=False)


# Overdue work --------------------------------------------------------------------------------


def overdue_table(schools: list[School]) -> ShownTable | None:
    """Per school, the cases with overdue work now (counts only), suppressed; None when
    the count cannot be read."""
    try:
        counts = figures.overdue_by_school([school.pk for school in schools])
    except NotImplementedError:
        return None
    cells = _Cells()
    keys = [[cells.put(("overdue", school.pk), counts.get(school.pk, 0))] for school in schools]
    total = cells.put(("overdue", "total"), sum(counts.get(school.pk, 0) for school in schools))
    cells.grid(suppression.Grid(keys=keys, column_total_keys=[total]))
    cells.run()
    return ShownTable(
        key="overdue",
        title=gettext("Cases with overdue work, by school (now)"),
        headings=[gettext("School"), str(figures.TOTALS["overdue"])],
        rows=[cells.row(school.name, row) for school, row in zip(schools, keys, strict=True)],
        total_row=cells.row(gettext("District total"), [total]),
    )


# Which period -----------------------------------------------------------------------------------


def default_period(today: datetime.date | None = None) -> ReportingPeriod:
    """The period the district works on now: the first of this school year not yet past
    its due date, else the year's report."""
    today = today or timezone.localdate()
    periods = current_periods(today)
    for period in periods:
        if today <= period.due_on:
            return period
    return periods[-1]
