"""The school's report screens: who may see them, the text form, submitting and versions."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from audit.models import AuditEntry
from reports import transitions
from reports.models import SchoolReport
from reports.periods import current_periods
from schools.roles import Role
from tests.conftest import build_school, build_staff
from tests.reports.conftest import build_staffed_school


@pytest.fixture
def hb(db):
    """School HB with a principal and a case worker (and a builder of its records)."""
    return build_staffed_school("HB")


@pytest.fixture
def semester(db):
    return current_periods()[0]


@pytest.fixture
def report(hb, semester) -> SchoolReport:
    return SchoolReport.objects.create(school=hb.school, period=semester, created_by=hb.principal)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def outsiders(school):
    """Users who must not reach the school's reports, each by a different road."""
    other = build_school("BK")
    return {
        "editor": build_staff("editor.hb", Role.EDITOR, school),
        "teacher": build_staff("teacher.hb", Role.STAFF, school),
        "district officer": build_staff("pgd.hb", Role.DISTRICT_OFFICER, school),
        "administrator": build_staff("admin.hb", Role.ADMINISTRATOR, school),
        "other school's principal": build_staff("ht.bk", Role.PRINCIPAL, other),
    }


def test_list_shows_each_period_with_a_start_button(hb):
    response = signed_in(hb.worker).get(reverse("reports:list"))
    assert response.status_code == 200
    text = response.content.decode()
    assert hb.school.name in text
    assert "Học kỳ I năm học" in text
    assert "Lập báo cáo" in text
    assert "Hạn" in text


def test_list_shows_the_state_and_the_days_left(hb, report):
    text = signed_in(hb.principal).get(reverse("reports:list")).content.decode()
    assert reverse("reports:detail", args=[report.pk]) in text
    assert "Bản nháp" in text
    assert "còn " in text or "quá hạn " in text or "hạn chót hôm nay" in text


@pytest.mark.parametrize("role", ["principal", "worker"])
def test_principal_and_case_worker_read_the_report(hb, report, role):
    user = getattr(hb, role)
    response = signed_in(user).get(reverse("reports:detail", args=[report.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Số lượt tư vấn" in text
    assert "Lượt tư vấn theo hình thức" in text
    assert "<svg" in text
    assert "Không ghi tên học sinh trong báo cáo." in text
    assert "Những việc đã làm tốt" in text
    assert AuditEntry.objects.filter(target=f"report:{report.pk}", action="view").exists()


def test_outsiders_get_404_everywhere(hb, report):
    names = ["detail", "submit", "print", "pdf", "xlsx"]
    for label, user in outsiders(hb.school).items():
        client = signed_in(user)
        for name in names:
            url = reverse(f"reports:{name}", args=[report.pk])
            assert client.get(url).status_code == 404, (label, name)
        assert (
            client.post(reverse("reports:detail", args=[report.pk]), {"went_well": "x"}).status_code
            == 404
        )
        assert client.post(reverse("reports:submit", args=[report.pk])).status_code == 404
    report.refresh_from_db()
    assert report.went_well == ""
    assert report.state == SchoolReport.State.DRAFT


@pytest.mark.parametrize("label", ["editor", "teacher", "district officer"])
def test_list_is_404_without_a_school_report_role(hb, label):
    user = outsiders(hb.school)[label]
    assert signed_in(user).get(reverse("reports:list")).status_code == 404


def test_other_schools_principal_sees_only_their_school(hb, report):
    user = outsiders(hb.school)["other school's principal"]
    text = signed_in(user).get(reverse("reports:list")).content.decode()
    assert hb.school.name not in text
    assert reverse("reports:detail", args=[report.pk]) not in text


def test_start_a_report_once(hb, semester):
    client = signed_in(hb.worker)
    data = {"school": hb.school.pk, "period": semester.pk}
    response = client.post(reverse("reports:create"), data)
    made = SchoolReport.objects.get(school=hb.school, period=semester)
    assert response.url == reverse("reports:detail", args=[made.pk])
    client.post(reverse("reports:create"), data)
    assert SchoolReport.objects.filter(school=hb.school).count() == 1


def test_cannot_start_a_report_for_another_school(hb, semester):
    other = build_school("BK")
    signed_in(hb.principal).post(
        reverse("reports:create"), {"school": other.pk, "period": semester.pk}
    )
    assert not SchoolReport.objects.filter(school=other).exists()


def test_text_saves(hb, report):
    data = {
        "number": "15",
        "went_well": "Tổ tư vấn trực phòng tư vấn đều đặn.",
        "difficulties": "Chưa có phòng riêng.",
        "proposals": "Đề nghị tập huấn thêm.",
    }
    response = signed_in(hb.worker).post(reverse("reports:detail", args=[report.pk]), data)
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.number == "15"
    assert report.proposals == "Đề nghị tập huấn thêm."


def test_text_with_an_error_is_shown_again_as_typed(hb, report):
    data = {
        "number": "///",
        "went_well": "Đã tổ chức tuần sinh hoạt đầu năm.",
        "difficulties": "",
        "proposals": "",
    }
    response = signed_in(hb.principal).post(reverse("reports:detail", args=[report.pk]), data)
    assert response.status_code == 400
    text = response.content.decode()
    assert "Hãy ghi số bằng chữ số" in text
    assert "Đã tổ chức tuần sinh hoạt đầu năm." in text
    report.refresh_from_db()
    assert report.went_well == ""


def test_submit_asks_for_confirmation_first(hb, report):
    response = signed_in(hb.principal).get(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 200
    assert "được chốt lại" in response.content.decode()
    report.refresh_from_db()
    assert report.state == SchoolReport.State.DRAFT


def test_submit_freezes_the_figures(hb, report, django_capture_on_commit_callbacks):
    hb.case(at_now(), "7A", "female")
    client = signed_in(hb.principal)
    response = client.post(reverse("reports:submit", args=[report.pk]))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.state == SchoolReport.State.SUBMITTED
    assert report.version == 1
    frozen = report.versions.get().figures
    assert frozen["totals"]["cases_opened"] == 1

    hb.case(at_now(), "8A", "male")  # after submitting
    text = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "phiên bản 1" in text
    assert report.versions.get().figures == frozen
    indicators = _indicator_value(text, "Số vụ việc tiếp nhận")
    assert indicators == "1"
    assert AuditEntry.objects.filter(target=f"report-submit:{report.pk}").exists()


def test_a_submitted_report_cannot_be_edited(hb, report):
    transitions.submit(report, hb.principal)
    response = signed_in(hb.principal).post(
        reverse("reports:detail", args=[report.pk]), {"went_well": "đổi"}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.went_well == ""


def test_only_a_principal_submits(hb, report):
    client = signed_in(hb.worker)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:submit", args=[report.pk]) not in page
    response = client.post(reverse("reports:submit", args=[report.pk]), follow=True)
    assert "Chỉ Hiệu trưởng của trường mới nộp được" in response.content.decode()
    report.refresh_from_db()
    assert report.state == SchoolReport.State.DRAFT
    assert report.version == 0


def test_resubmitting_after_return_makes_version_2(hb, report):
    officer = build_staff("pgd.canbo", Role.DISTRICT_OFFICER, hb.school)
    transitions.submit(report, hb.principal)
    transitions.return_report(report, officer, "Bổ sung phần khó khăn.")
    client = signed_in(hb.principal)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Bổ sung phần khó khăn." in page
    assert "Bị trả lại để chỉnh sửa" in page
    client.post(
        reverse("reports:detail", args=[report.pk]),
        {
            "number": "",
            "went_well": "",
            "difficulties": "Thiếu phòng tư vấn riêng.",
            "proposals": "",
        },
    )
    client.post(reverse("reports:submit", args=[report.pk]))
    report.refresh_from_db()
    assert report.state == SchoolReport.State.SUBMITTED
    assert report.version == 2
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Phiên bản 2: nộp lúc" in page
    assert "Phiên bản 1: nộp lúc" in page
    assert report.versions.get(version=2).difficulties == "Thiếu phòng tư vấn riêng."


# Helpers -----------------------------------------------------------------------------


def at_now():
    from django.utils import timezone

    return timezone.now()


def _indicator_value(html: str, label: str) -> str:
    """The number in the indicators' row labelled ``label``."""
    import re

    match = re.search(re.escape(label) + r"</th>\s*<td class=\"report-number\">(\d+)</td>", html)
    assert match, label
    return match[1]


PANEL_HEADING = "Báo cáo gửi Phòng GD&"


def test_principals_dashboard_says_when_the_report_is_due(hb, semester):
    text = signed_in(hb.principal).get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL_HEADING in text
    assert f"cần nộp trước ngày {semester.due_on:%d/%m/%Y}" in text


def test_dashboard_says_submitted_once_sent(hb, report):
    transitions.submit(report, hb.principal)
    text = signed_in(hb.principal).get(reverse("wagtailadmin_home")).content.decode()
    assert "đã nộp ngày" in text
    assert reverse("reports:detail", args=[report.pk]) in text


def test_case_worker_has_the_menu_but_not_the_principals_panel(hb):
    text = signed_in(hb.worker).get(reverse("wagtailadmin_home")).content.decode()
    assert PANEL_HEADING not in text
    assert reverse("reports:list") in text
