"""The district officer's screens: who reaches them, what the overview and one school's
version show, accepting and returning, the exports, the menu and the dashboard."""

import io
import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import rollup
from reports.models import SchoolReport
from reports.periods import period
from schools.models import District
from schools.roles import Role
from tests.reports.test_rollup import figures_json, submitted

SMALL = "< 5"


@pytest.fixture
def district(db):
    return District.objects.create(name="Phòng Giáo dục và Đào tạo Hòa Vang", code="HV")


@pytest.fixture
def schools(make_school, district):
    return [
        make_school("HB", "Trường Hòa Bình", district=district),
        make_school("SM", "Trường Sơn Mai", district=district),
    ]


@pytest.fixture
def elsewhere(make_school):
    other = District.objects.create(name="Phòng Giáo dục và Đào tạo Khác", code="KH")
    return make_school("XA", "Trường Xa Lạ", district=other)


@pytest.fixture
def officer(make_staff, schools):
    return make_staff("pgd.canbo", Role.DISTRICT_OFFICER, *schools)


@pytest.fixture
def semester(db):
    return rollup.default_period()


@pytest.fixture
def client_of(client):
    def sign_in(user):
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def sent(schools, semester):
    hb, sm = schools
    return {
        "HB": submitted(
            hb,
            semester,
            figures_json(
                {"sessions": 30, "cases_opened": 3, "activities": 6},
                sessions_by_area=[("area:1", "Học tập", [27, 27]), ("area:2", "Tâm lý", [3, 3])],
            ),
        ),
        "SM": submitted(
            sm,
            semester,
            figures_json(
                {"sessions": 20, "cases_opened": 12, "activities": 2},
                sessions_by_area=[("area:1", "Học tập", [8, 8]), ("area:2", "Tâm lý", [12, 12])],
            ),
            state=SchoolReport.State.ACCEPTED,
        ),
    }


def all_urls(report_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("district:overview")),
        ("get", reverse("district:report", args=[report_pk])),
        ("post", reverse("district:accept", args=[report_pk])),
        ("post", reverse("district:return", args=[report_pk])),
        ("get", reverse("district:xlsx")),
        ("get", reverse("district:pdf")),
    ]


# Who reaches the screens -----------------------------------------------------------------


@pytest.mark.parametrize(
    "role", [Role.PRINCIPAL, Role.CASE_WORKER, Role.EDITOR, Role.STAFF, Role.ADMINISTRATOR]
)
def test_only_district_officers_reach_the_district_screens(
    role, schools, sent, make_staff, client_of
):
    someone = client_of(make_staff("nguoi.khac", role, *schools))
    for method, url in all_urls(sent["HB"].pk):
        assert getattr(someone, method)(url).status_code == 404, url


def test_a_report_of_another_districts_school_is_not_found(
    officer, elsewhere, semester, sent, client_of
):
    theirs = submitted(elsewhere, semester, figures_json({"sessions": 99}))
    client = client_of(officer)
    for method, url in all_urls(theirs.pk)[1:4]:
        assert getattr(client, method)(url, {"comment": "Sửa lại"}).status_code == 404, url
    theirs.refresh_from_db()
    assert theirs.state == SchoolReport.State.SUBMITTED
    page = client.get(reverse("district:overview")).content.decode()
    assert "Trường Xa Lạ" not in page


def test_a_draft_is_not_found(officer, schools, semester, client_of):
    draft = SchoolReport.objects.create(school=schools[0], period=semester)
    response = client_of(officer).get(reverse("district:report", args=[draft.pk]))
    assert response.status_code == 404


# The overview --------------------------------------------------------------------------------


def test_the_overview_shows_states_totals_and_hides_small_counts(officer, sent, client_of):
    response = client_of(officer).get(reverse("district:overview"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Báo cáo của các trường" in page
    assert "Đã nộp, chờ Phòng tiếp nhận" in page
    assert "Đã tiếp nhận" in page
    shown = response.context["rollup"]
    totals = {total.key: total.cell.text for total in shown.totals}
    assert totals["sessions"] == "50"
    assert totals["cases_opened"] == "15"
    schools_rows = {row.label: [c.text for c in row.cells] for row in shown.schools_table.rows}
    cases_column = rollup.SCHOOL_INDICATORS.index("cases_opened")
    assert schools_rows["Trường Hòa Bình"][cases_column] == SMALL
    assert schools_rows["Trường Sơn Mai"][cases_column] == "x"
    assert "từ 1 đến 4" in page
    assert f'href="{reverse("district:report", args=[sent["HB"].pk])}"' in page


def test_the_overview_of_another_period_is_chosen_by_its_id(officer, sent, client_of):
    earlier = period(2024, "year")
    response = client_of(officer).get(reverse("district:overview"), {"period": earlier.pk})
    assert response.context["period"] == earlier
    assert response.context["rollup"].counted == []


def test_an_unknown_period_falls_back_to_the_current_one(officer, sent, semester, client_of):
    response = client_of(officer).get(reverse("district:overview"), {"period": "abc"})
    assert response.context["period"] == semester


# One school's version, accept and return -------------------------------------------------------


def test_a_schools_version_shows_its_suppressed_figures_and_text(officer, sent, client_of):
    response = client_of(officer).get(reverse("district:report", args=[sent["HB"].pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Tổ tư vấn làm việc đều đặn." in page
    totals = {t.key: t.cell.text for t in response.context["figures"].totals}
    assert totals["cases_opened"] == SMALL
    assert "Tiếp nhận báo cáo" in page


def test_the_officer_accepts_a_submitted_report(officer, sent, client_of):
    client = client_of(officer)
    response = client.post(reverse("district:accept", args=[sent["HB"].pk]), follow=True)
    sent["HB"].refresh_from_db()
    assert sent["HB"].state == SchoolReport.State.ACCEPTED
    assert "Đã tiếp nhận báo cáo của Trường Hòa Bình." in response.content.decode()


def test_an_accepted_report_cannot_be_accepted_or_returned_again(officer, sent, client_of):
    client = client_of(officer)
    response = client.post(reverse("district:accept", args=[sent["SM"].pk]), follow=True)
    assert "Tiếp nhận báo cáo" not in response.content.decode().split("</header>")[-1]
    response = client.post(
        reverse("district:return", args=[sent["SM"].pk]), {"comment": "Sửa"}, follow=True
    )
    sent["SM"].refresh_from_db()
    assert sent["SM"].state == SchoolReport.State.ACCEPTED
    assert response.status_code == 200


def test_returning_needs_a_comment_and_keeps_what_was_typed(officer, sent, client_of):
    client = client_of(officer)
    response = client.post(reverse("district:return", args=[sent["HB"].pk]), {"comment": "  "})
    assert response.status_code == 400
    sent["HB"].refresh_from_db()
    assert sent["HB"].state == SchoolReport.State.SUBMITTED
    response = client.post(
        reverse("district:return", args=[sent["HB"].pk]),
        {"comment": "Bổ sung số liệu hoạt động tháng 12."},
        follow=True,
    )
    sent["HB"].refresh_from_db()
    assert sent["HB"].state == SchoolReport.State.RETURNED
    assert sent["HB"].return_comment == "Bổ sung số liệu hoạt động tháng 12."
    assert "Đã trả lại báo cáo của Trường Hòa Bình" in response.content.decode()


def test_the_officer_decides_after_reading_the_figures_and_the_text(officer, sent, client_of):
    page = client_of(officer).get(reverse("district:report", args=[sent["HB"].pk])).content.decode()
    decision = page.index("Tiếp nhận hoặc trả lại báo cáo")
    assert page.index("I. Kết quả thực hiện") < decision
    assert page.index("Tổ tư vấn làm việc đều đặn.") < decision
    assert page.index("III. Đề xuất, kiến nghị") < decision
    assert (
        decision
        < page.index("Tiếp nhận báo cáo</button>")
        < page.index("Trả lại trường kèm ý kiến")
    )
    # A comment left empty comes back where the officer was writing it.
    assert f'action="{reverse("district:return", args=[sent["HB"].pk])}#decision"' in page


def test_the_count_of_schools_reads_as_so_many_out_of_all(officer, schools, semester, client_of):
    submitted(schools[0], semester, figures_json({"sessions": 3}))
    page = client_of(officer).get(reverse("district:overview")).content.decode()
    assert "1 trong 2 trường (đã nộp hoặc đã được tiếp nhận)" in page
    assert "1/2 trường" not in page


def test_school_names_and_items_keep_a_readable_width(officer, sent, client_of):
    for url in (reverse("district:overview"), reverse("district:report", args=[sent["HB"].pk])):
        page = client_of(officer).get(url).content.decode()
        assert '.district-table th[scope="row"] { min-width: 12rem; }' in page
        assert ".report-chart-scroll { overflow-x: auto;" in page


def test_a_chart_scrolls_sideways_in_a_named_box_on_a_phone():
    table = rollup.ShownTable(
        key="sessions_by_area",
        title="Lượt tư vấn theo nội dung",
        headings=["Nội dung tư vấn", "Lượt tư vấn"],
        rows=[],
        total_row=None,
        chart_rows=[("Học tập", 35)],
    )
    html = render_to_string("reports/district/includes/table.html", {"table": table})
    box = re.search(r'<div class="district-figure__chart report-chart-scroll"[^>]*>', html)
    assert box, html
    assert 'tabindex="0"' in box.group(0)
    assert 'aria-label="Biểu đồ: Lượt tư vấn theo nội dung"' in box.group(0)


# Exports ------------------------------------------------------------------------------------------


def test_the_workbook_holds_the_suppressed_tables(officer, sent, semester, client_of):
    response = client_of(officer).get(reverse("district:xlsx"), {"period": semester.pk})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    totals = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True) if row}
    assert totals["Số vụ việc tiếp nhận"] == 15
    schools_sheet = next(s for s in book.worksheets if s["A1"].value == "Số liệu chính theo trường")
    rows = {row[0]: row for row in schools_sheet.iter_rows(values_only=True) if row and row[0]}
    cases_column = 1 + rollup.SCHOOL_INDICATORS.index("cases_opened")
    assert rows["Trường Hòa Bình"][cases_column] == SMALL


def test_the_pdf_reads_as_a_summary(officer, sent, semester, client_of):
    response = client_of(officer).get(reverse("district:pdf"), {"period": semester.pk})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "TỔNG HỢP" in text
    assert "Trường Hòa Bình" in text
    assert SMALL in text


# Menu and dashboard ------------------------------------------------------------------------------


def test_the_menu_and_dashboard_panel_are_the_officers(
    officer, sent, make_staff, schools, client_of
):
    page = client_of(officer).get(reverse("wagtailadmin_home")).content.decode()
    assert "Báo cáo của các trường" in page
    assert reverse("district:overview") in page
    assert "Hạn nộp:" in page
    principal = make_staff("ht.hb", Role.PRINCIPAL, schools[0])
    page = client_of(principal).get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("district:overview") not in page
