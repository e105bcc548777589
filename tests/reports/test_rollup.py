"""The district's roll-up (reports.rollup), from hand-made frozen figures: what is
summed, what is counted, how each school's state reads, the trend, the overdue work,
and that every count is suppressed, one figure hidden alike wherever it is shown."""

import datetime

import pytest
from django.utils import timezone

from reports import figures, rollup
from reports.models import ReportingPeriod, SchoolReport, SchoolReportVersion
from reports.periods import period

SMALL = "< 5"


def figures_json(totals: dict | None = None, **tables) -> dict:
    """A frozen figures JSON: every total (0 unless given) and every table, with the
    rows given as ``table=[(key, label, [values…]), …]``."""
    return {
        "schema": figures.SCHEMA,
        "totals": {key: (totals or {}).get(key, 0) for key in figures.TOTALS},
        "tables": {
            key: {
                "columns": list(columns),
                "rows": [
                    {"key": row_key, "label": label, "values": list(values)}
                    for row_key, label, values in tables.get(key, [])
                ],
            }
            for key, (_title, columns) in figures.TABLES.items()
        },
    }


def submitted(
    school,
    reporting_period: ReportingPeriod,
    data: dict,
    *,
    state: str = SchoolReport.State.SUBMITTED,
    when: datetime.datetime | None = None,
) -> SchoolReport:
    """A report of ``school`` sent with ``data`` as its figures (version 1)."""
    when = when or timezone.now()
    report = SchoolReport.objects.create(
        school=school,
        period=reporting_period,
        state=state,
        version=1,
        submitted_at=when,
        decided_at=when if state != SchoolReport.State.SUBMITTED else None,
        went_well="Tổ tư vấn làm việc đều đặn.",
    )
    SchoolReportVersion.objects.create(
        report=report, version=1, figures=data, submitted_at=when, went_well=report.went_well
    )
    return report


def texts(table: rollup.ShownTable) -> list[list[str]]:
    return [[row.label, *(cell.text for cell in row.cells)] for row in table.all_rows]


def column(table: rollup.ShownTable, heading: str) -> list[str]:
    index = table.headings.index(heading)
    return [row.cells[index - 1].text for row in table.all_rows]


@pytest.fixture
def semester(db) -> ReportingPeriod:
    return period(2026, "semester_1")


@pytest.fixture
def schools(make_school):
    return [make_school("HB", "Trường Hòa Bình"), make_school("SM", "Trường Sơn Mai")]


def test_totals_are_summed_over_the_schools_that_sent_their_figures(semester, schools):
    hb, sm = schools
    submitted(hb, semester, figures_json({"sessions": 30, "activities": 7}))
    submitted(
        sm,
        semester,
        figures_json({"sessions": 12, "activities": 9}),
        state=SchoolReport.State.ACCEPTED,
    )
    shown = rollup.build_rollup(schools, semester)
    by_key = {total.key: total.cell.text for total in shown.totals}
    assert by_key["sessions"] == "42"
    assert by_key["activities"] == "16"
    assert [school.code for school in shown.counted] == ["HB", "SM"]


def test_a_returned_report_and_a_draft_are_not_counted(semester, schools, make_school):
    hb, sm = schools
    tq = make_school("TQ")
    submitted(hb, semester, figures_json({"sessions": 30}))
    submitted(sm, semester, figures_json({"sessions": 50}), state=SchoolReport.State.RETURNED)
    SchoolReport.objects.create(school=tq, period=semester)  # a draft: never sent
    shown = rollup.build_rollup([*schools, tq], semester)
    assert {total.key: total.cell.text for total in shown.totals}["sessions"] == "30"
    assert [school.code for school in shown.counted] == ["HB"]


def test_rows_are_matched_by_key_and_named_as_the_latest_report_names_them(semester, schools):
    hb, sm = schools
    earlier = timezone.now() - datetime.timedelta(days=2)
    submitted(
        hb,
        semester,
        figures_json(
            {"sessions": 20},
            sessions_by_area=[("area:1", "Học tập (tên cũ)", [20, 20])],
            sessions_by_grade=[("6", "Lớp 6", [10, 10, 0, 0])],
        ),
        when=earlier,
    )
    submitted(
        sm,
        semester,
        figures_json(
            {"sessions": 15},
            sessions_by_area=[("area:2", "Tâm lý", [5, 5]), ("area:1", "Học tập", [10, 10])],
            sessions_by_grade=[("6", "Lớp 6", [5, 5, 0, 5])],
        ),
    )
    shown = rollup.build_rollup(schools, semester)
    assert shown.areas_table.headings == ["Trường", "Học tập", "Tâm lý", "Tổng cộng"]
    assert texts(shown.areas_table) == [
        ["Trường Hòa Bình", "20", "0", "20"],
        ["Trường Sơn Mai", "10", "5", "15"],
        ["Tổng cộng toàn phòng", "30", "5", "35"],
    ]
    by_grade = next(t for t in shown.tables if t.key == "sessions_by_grade")
    assert texts(by_grade)[0] == ["Lớp 6", "15", "15", "0", "5", "35"]


def hidden(text: str) -> bool:
    return text in (SMALL, "x")


def test_a_small_count_is_hidden_and_cannot_be_worked_out_from_the_totals(
    semester, schools, make_school
):
    hb, sm = schools
    tq = make_school("TQ", "Trường Tân Quy")
    for school, areas in ((hb, [3, 0]), (sm, [31, 9]), (tq, [50, 0])):
        submitted(
            school,
            semester,
            figures_json(
                {"sessions": sum(areas)},
                sessions_by_area=[
                    ("area:1", "Học tập", [areas[0], areas[0]]),
                    ("area:2", "Tâm lý", [areas[1], areas[1]]),
                ],
            ),
        )
    shown = rollup.build_rollup([hb, sm, tq], semester)
    rows = [row[1:] for row in texts(shown.areas_table)]
    assert rows == [
        [SMALL, "0", SMALL],
        ["x", "x", "x"],
        ["50", "0", "50"],
        ["x", "x", "93"],
    ]
    # No row or column (with its total) hides exactly one cell.
    for line in [*rows, *zip(*rows, strict=True)]:
        assert sum(1 for text in line if hidden(text)) != 1
    # A school's sessions are one figure in every table: hidden alike.
    sessions = column(shown.schools_table, str(figures.TOTALS["sessions"]))
    assert sessions == [row[-1] for row in rows]
    totals = {total.key: total.cell.text for total in shown.totals}
    assert totals["sessions"] == sessions[-1] == "93"


def test_a_rate_is_not_shown_when_either_count_is_hidden(semester, schools):
    hb, _sm = schools
    submitted(hb, semester, figures_json({"referrals": 9, "referrals_on_time": 2}))
    shown = rollup.build_rollup([hb], semester)
    by_key = {total.key: total for total in shown.totals}
    assert by_key["referrals_on_time"].cell.text == SMALL
    assert by_key["referrals_on_time"].rate == ""


def test_a_rate_is_shown_when_both_counts_are(semester, schools):
    hb, _sm = schools
    submitted(hb, semester, figures_json({"referrals": 10, "referrals_on_time": 8}))
    by_key = {total.key: total for total in rollup.build_rollup([hb], semester).totals}
    assert by_key["referrals_on_time"].rate == "8/10 đúng hạn (80%)"


def test_nothing_sent_gives_empty_tables_and_zero_totals(semester, schools):
    shown = rollup.build_rollup(schools, semester)
    assert shown.counted == []
    assert shown.schools_table is None
    assert {total.cell.text for total in shown.totals} == {"0"}


def test_each_school_reads_its_state_and_date_and_late_ones_are_overdue(
    semester, schools, make_school
):
    hb, sm = schools
    tq, pl, nd = make_school("TQ"), make_school("PL"), make_school("ND")
    sent = timezone.now() - datetime.timedelta(days=3)
    submitted(hb, semester, figures_json(), when=sent)
    submitted(sm, semester, figures_json(), state=SchoolReport.State.ACCEPTED, when=sent)
    submitted(pl, semester, figures_json(), state=SchoolReport.State.RETURNED, when=sent)
    SchoolReport.objects.create(school=tq, period=semester, went_well="Bản nháp bí mật")
    after_due = semester.due_on + datetime.timedelta(days=1)
    statuses = {
        status.school.code: status
        for status in rollup.school_statuses([hb, sm, tq, pl, nd], semester, today=after_due)
    }
    assert {code: status.label for code, status in statuses.items()} == {
        "HB": "Đã nộp, chờ Phòng tiếp nhận",
        "SM": "Đã tiếp nhận",
        "TQ": "Đang soạn",
        "PL": "Bị trả lại để chỉnh sửa",
        "ND": "Chưa bắt đầu",
    }
    assert {code for code, status in statuses.items() if status.overdue} == {"TQ", "PL", "ND"}
    assert statuses["HB"].day == SchoolReport.objects.get(school=hb).submitted_at
    # A draft is never opened by the district.
    assert statuses["TQ"].report_id is None
    assert statuses["HB"].report_id is not None
    before_due = semester.due_on
    assert not any(
        status.overdue for status in rollup.school_statuses([tq, nd], semester, today=before_due)
    )


def test_the_state_counts_follow_the_work(semester, schools):
    hb, _sm = schools
    submitted(hb, semester, figures_json())
    counts = {
        state: n
        for state, _label, n in rollup.status_counts(rollup.school_statuses(schools, semester))
    }
    assert counts == {"none": 1, "draft": 0, "returned": 0, "submitted": 1, "accepted": 0}


def test_trends_show_the_last_four_periods_with_reports_oldest_first(schools):
    hb, sm = schools
    for year in (2023, 2024, 2025):
        for kind in ("semester_1", "year"):
            submitted(hb, period(year, kind), figures_json({"sessions": year - 2000}))
    submitted(sm, period(2025, "year"), figures_json({"sessions": 2}))
    trend = rollup.trends(schools)
    assert [row.label for row in trend.rows] == [
        "Học kỳ I năm học 2024–2025",
        "Năm học 2024–2025",
        "Học kỳ I năm học 2025–2026",
        "Năm học 2025–2026",
    ]
    sessions = [row.cells[0].text for row in trend.rows]
    # 25 + 2 in the last: the district total is not small, so it shows.
    assert sessions == ["24", "24", "25", "27"]
    assert trend.charts


def test_trend_hides_a_small_total_and_the_rate_of_a_small_count(schools):
    hb, _sm = schools
    submitted(
        hb,
        period(2025, "semester_1"),
        figures_json({"sessions": 3, "referrals": 2, "referrals_on_time": 2, "activities": 8}),
    )
    (row,) = rollup.trends([hb]).rows
    assert [cell.text for cell in row.cells] == [SMALL, "0", "x", "8"]


def test_overdue_work_is_counted_per_school_and_suppressed(schools, monkeypatch):
    hb, sm = schools
    monkeypatch.setattr(figures, "overdue_by_school", lambda ids, **kw: {hb.pk: 2, sm.pk: 7})
    table = rollup.overdue_table(schools)
    assert texts(table) == [
        ["Trường Hòa Bình", SMALL],
        ["Trường Sơn Mai", "x"],
        ["Tổng cộng toàn phòng", "9"],
    ]


def test_overdue_work_not_yet_countable_leaves_the_table_out(schools, monkeypatch):
    def not_yet(ids, **kw):
        raise NotImplementedError

    monkeypatch.setattr(figures, "overdue_by_school", not_yet)
    assert rollup.overdue_table(schools) is None


def test_one_schools_figures_are_suppressed_too():
    data = figures_json(
        {"sessions": 12, "session_participants": 40, "cases_opened": 2},
        sessions_by_form=[("individual", "Cá nhân", [10, 10]), ("group", "Nhóm", [2, 30])],
    )
    shown = rollup.school_figures(data)
    totals = {total.key: total.cell.text for total in shown.totals}
    assert totals["cases_opened"] == SMALL
    assert totals["sessions"] == "12"
    by_form = next(table for table in shown.tables if table.key == "sessions_by_form")
    assert texts(by_form) == [
        ["Cá nhân", "x", "10"],
        ["Nhóm", SMALL, "30"],
        ["Tổng cộng", "12", "40"],
    ]
    # The chart leaves out what the table hides.
    assert by_form.chart_rows == []
    assert by_form.chart_left_out
