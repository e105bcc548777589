"""The report's workbook and the display it is built from, on figures built by
``compute_school_figures`` and on a hand-made older version."""

import io

import pytest
from openpyxl import load_workbook

from reports import display
from reports.exports import report_filename, report_workbook
from reports.figures import TABLES, compute_school_figures
from reports.models import SchoolReport
from tests.reports.conftest import KNOWN


@pytest.fixture
def known_report(known_semester) -> tuple[SchoolReport, dict]:
    report = SchoolReport.objects.create(school=known_semester.school, period=known_semester.period)
    figures = compute_school_figures(
        known_semester.school, known_semester.period, as_of=known_semester.as_of
    )
    return report, figures


def rows_of(sheet) -> list[tuple]:
    return list(sheet.iter_rows(values_only=True))


def test_workbook_holds_every_indicator_and_table(known_report):
    report, figures = known_report
    book = load_workbook(io.BytesIO(report_workbook(report, figures)))
    assert book.worksheets[0].title == "Chỉ tiêu"
    assert len(book.worksheets) == 1 + len(TABLES)
    indicators = {row[0]: row[1:] for row in rows_of(book.worksheets[0]) if row[0]}
    assert indicators["Số lượt tư vấn"][0] == KNOWN["totals"]["sessions"]
    assert indicators["Số vụ việc tiếp nhận"][0] == KNOWN["totals"]["cases_opened"]
    assert indicators["Chuyển gửi trong 12 giờ làm việc"] == (3, "3/5 đúng hạn (60%)")
    assert indicators["Rà soát đúng hạn"] == (2, "2/4 đúng hạn (50%)")

    by_form = book.worksheets[1]
    rows = rows_of(by_form)
    assert rows[0][0] == "Lượt tư vấn theo hình thức"
    assert rows[1] == ("Hình thức tư vấn", "Lượt tư vấn", "Người tham gia")
    assert rows[-1] == ("Tổng cộng", 7, 42)


def test_gender_tables_have_row_totals(known_report):
    report, figures = known_report
    book = load_workbook(io.BytesIO(report_workbook(report, figures)))
    title = "Vụ việc tiếp nhận theo khối lớp và giới tính"
    sheet = next(sheet for sheet in book.worksheets if sheet["A1"].value == title)
    rows = rows_of(sheet)
    assert rows[1][-1] == "Tổng cộng"
    total = next(row for row in rows if row[0] == "Tổng cộng")
    assert total[-1] == KNOWN["totals"]["cases_opened"]


def test_cases_by_category_has_no_totals_row_and_says_why(known_report):
    _report, figures = known_report
    table = next(t for t in display.tables(figures) if t.key == "cases_by_category")
    assert table.totals is None
    assert "được tính ở mỗi loại" in table.note


def test_a_formula_in_a_label_stays_text(known_report):
    report, figures = known_report
    figures["tables"]["sessions_by_area"]["rows"][0]["label"] = '=HYPERLINK("http://x")'
    book = load_workbook(io.BytesIO(report_workbook(report, figures)))
    labels = [row[0] for sheet in book.worksheets for row in rows_of(sheet)]
    assert '\'=HYPERLINK("http://x")' in labels


def test_an_older_version_without_some_keys_still_shows(db):
    figures = {
        "schema": 1,
        "totals": {"sessions": 4},
        "tables": {
            "sessions_by_form": {
                "columns": ["participants", "sessions"],
                "rows": [{"key": "individual", "label": "Cá nhân", "values": [5, 4]}],
            }
        },
    }
    indicators = {item.key: item.value for item in display.indicators(figures)}
    assert indicators["sessions"] == 4
    assert indicators["cases_opened"] == 0
    (table,) = display.tables(figures)
    # Columns follow the version's own order, with their labels.
    assert table.columns == ["Người tham gia", "Lượt tư vấn"]
    assert table.rows[0].values == [5, 4]


def test_the_file_name_names_school_and_period_only(known_report):
    report, _figures = known_report
    assert report_filename(report, "xlsx") == "bao-cao-al-2026-hk1.xlsx"
