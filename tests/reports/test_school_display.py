"""What the report's screens show of its figures: a heading per table, items with a
capital letter, no list of empty grades, and a layout that reads on a phone."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.urls import reverse

from reports import display
from reports.charts import MIN_WIDTH_PX
from reports.models import SchoolReport
from reports.periods import current_periods, period
from tests.reports.conftest import build_staffed_school
from tests.reports.test_rollup import figures_json

GRADES = [(str(n), f"Khối {n}", [0, 0, 0]) for n in range(1, 13)]


def lower_secondary(**grades: list[int]) -> list[tuple[str, str, list[int]]]:
    return [(key, label, grades.get(f"g{key}", values)) for key, label, values in GRADES]


@pytest.fixture
def figures():
    return figures_json(
        {"sessions": 9, "cases_opened": 2},
        cases_by_grade=lower_secondary(g6=[1, 0, 0], g8=[0, 1, 0]),
        cases_by_category=[
            ("category:1", "bị xâm hại", [1, 1, 0, 1]),
            ("category:2", "khác", [1, 0, 1, 0]),
        ],
        sessions_by_form=[("individual", "Cá nhân", [9, 9])],
    )


def table(figures, key) -> display.FigureTable:
    return next(t for t in display.tables(figures) if t.key == key)


@pytest.mark.parametrize(
    ("key", "heading"),
    [
        ("sessions_by_form", "Hình thức tư vấn"),
        ("sessions_by_area", "Nội dung tư vấn"),
        ("sessions_by_grade", "Khối lớp"),
        ("cases_by_category", "Loại vấn đề"),
        ("cases_by_grade", "Khối lớp"),
        ("activities_by_area", "Nội dung tư vấn"),
    ],
)
def test_each_table_heads_its_rows_with_what_they_are(figures, key, heading):
    assert display.column_headings(table(figures, key))[0] == heading


def test_items_written_in_lower_case_show_with_a_capital(figures):
    by_category = table(figures, "cases_by_category")
    assert [row.label for row in by_category.rows] == ["Bị xâm hại", "Khác"]
    assert "Bị xâm hại" in str(by_category.chart)
    # The figures JSON keeps the name as it was written.
    assert figures["tables"]["cases_by_category"]["rows"][0]["label"] == "bị xâm hại"


def test_grades_with_nothing_are_not_listed_and_a_note_says_so(figures):
    by_grade = table(figures, "cases_by_grade")
    assert [row.label for row in by_grade.rows] == ["Khối 6", "Khối 8"]
    assert by_grade.totals == [1, 1, 0]
    assert by_grade.grand_total == 2
    assert "Các khối không có số liệu không được liệt kê." in by_grade.note
    assert len(figures["tables"]["cases_by_grade"]["rows"]) == 12


def test_a_table_of_forms_keeps_its_rows_of_zero(figures):
    figures["tables"]["sessions_by_form"]["rows"].append(
        {"key": "group", "label": "Nhóm", "values": [0, 0]}
    )
    by_form = table(figures, "sessions_by_form")
    assert [row.label for row in by_form.rows] == ["Cá nhân", "Nhóm"]
    assert "không được liệt kê" not in by_form.note


def test_no_note_when_every_grade_has_figures():
    full = figures_json(cases_by_grade=[("6", "Khối 6", [1, 0, 0]), ("7", "Khối 7", [0, 2, 0])])
    assert table(full, "cases_by_grade").note == ""


# The pages ------------------------------------------------------------------------------------


@pytest.fixture
def hb(db):
    return build_staffed_school("HB")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail_page(hb) -> str:
    report = SchoolReport.objects.create(
        school=hb.school, period=current_periods()[0], created_by=hb.principal
    )
    return signed_in(hb.principal).get(reverse("reports:detail", args=[report.pk])).content.decode()


def test_the_report_page_reads_on_a_phone(hb):
    page = detail_page(hb)
    # Each chart sits in a box that scrolls sideways, can be reached by keyboard and is named.
    boxes = re.findall(r'<div class="report-figure__chart report-chart-scroll"[^>]*>', page)
    assert len(boxes) == 6
    assert all('tabindex="0"' in box and 'aria-label="Biểu đồ: ' in box for box in boxes)
    assert ".report-chart-scroll { overflow-x: auto;" in page
    assert f"min-width: {MIN_WIDTH_PX}px" in page
    assert 'th[scope="row"] { min-width: 12rem; }' in page


def test_the_report_page_has_the_print_pages_headings_and_words(hb):
    page = detail_page(hb)
    assert "II. Đánh giá và III." not in page
    assert page.index("II. Đánh giá") < page.index("Những việc đã làm tốt")
    assert page.index("Những việc đã làm tốt") < page.index("III. Đề xuất, kiến nghị")
    assert ">In báo cáo</a>" in page


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("semester_1", "Sơ kết công tác xã hội và tư vấn học đường học kỳ I, năm học 2026–2027"),
        ("year", "Tổng kết công tác xã hội và tư vấn học đường năm học 2026–2027"),
    ],
)
def test_the_printed_title_names_the_review_with_an_en_dash(hb, kind, title):
    report = SchoolReport.objects.create(
        school=hb.school, period=period(2026, kind), created_by=hb.principal
    )
    page = signed_in(hb.principal).get(reverse("reports:print", args=[report.pk]))
    text = page.content.decode()
    assert title in text
    assert "2026-2027" not in text
    assert ">In báo cáo</button>" in text
    assert "@media screen and (max-width: 600px)" in text


def menu_label(page: str, name: str) -> str:
    """The label of the sidebar's item ``name`` (the sidebar is drawn from JSON)."""
    found = re.search(rf'"name": "{name}", "label": ("(?:[^"\\]|\\.)*")', page)
    assert found, name
    return json.loads(found.group(1))


def test_the_menu_is_not_confused_with_wagtails_reports(hb):
    client = signed_in(hb.worker)
    assert menu_label(
        client.get(reverse("wagtailadmin_home")).content.decode(), "school-reports"
    ) == ("Báo cáo sơ kết, tổng kết")
    listing = client.get(reverse("reports:list")).content.decode()
    assert "<title>Báo cáo sơ kết, tổng kết" in listing
