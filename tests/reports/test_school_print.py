"""The printed report, its PDF and its XLSX: the official layout, the figures, Vietnamese."""

from __future__ import annotations

import io
import os
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from counselling.models import CounsellingArea
from reports import transitions
from reports.models import SchoolReport
from reports.periods import current_periods
from schools.models import District
from tests.reports.conftest import build_staffed_school

ENGLISH = re.compile(
    r"\b(Report|Indicator|Total|Sessions|Page|Draft|Semester|School year|Principal|Recipients)\b"
)


@pytest.fixture
def report(db) -> SchoolReport:
    """HB's semester I report, submitted, with a few sessions and a case behind its figures."""
    hb = build_staffed_school("HB")
    district = District.objects.create(code="TN", name="Phòng GD&ĐT huyện Thử Nghiệm")
    hb.school.district = district
    hb.school.place_name = "Thử Nghiệm"
    hb.school.name = "Trường THCS Hoa Ban"
    hb.school.save()
    hb.principal.first_name = "Nguyễn Thị Lan"
    hb.principal.save()
    today = timezone.localdate()
    area = CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk").first()
    hb.entry(today, area, "individual", 1, 7, "female")
    hb.entry(today, area, "group", 6, 8, "mixed")
    hb.case(timezone.now(), "7A", "female")
    report = SchoolReport.objects.create(
        school=hb.school,
        period=current_periods()[0],
        number="15",
        went_well="Tổ tư vấn trực phòng tư vấn đều đặn vào giờ ra chơi.",
        difficulties="Chưa có phòng tư vấn riêng.",
        proposals="Đề nghị Phòng tổ chức tập huấn kỹ năng tư vấn.",
    )
    transitions.submit(report, hb.principal)
    report.principal = hb.principal
    return report


def client_for(report) -> Client:
    client = Client()
    client.force_login(report.principal)
    return client


def test_print_page_has_the_administrative_layout(report):
    response = client_for(report).get(reverse("reports:print", args=[report.pk]))
    assert response.status_code == 200
    text = response.content.decode()
    for words in [
        "PHÒNG GD&amp;ĐT HUYỆN THỬ NGHIỆM",
        "TRƯỜNG THCS HOA BAN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 15/BC-HB",
        "Thử Nghiệm, ngày",
        "BÁO CÁO",
        "Sơ kết công tác xã hội và tư vấn học đường học kỳ I, năm học 2026–2027",
        "Kính gửi: Phòng GD&amp;ĐT huyện Thử Nghiệm",
        "I. KẾT QUẢ THỰC HIỆN",
        "II. ĐÁNH GIÁ",
        "III. ĐỀ XUẤT, KIẾN NGHỊ",
        "Nơi nhận:",
        "HIỆU TRƯỞNG",
        "Nguyễn Thị Lan",
        "Chưa có phòng tư vấn riêng.",
    ]:
        assert words in text, words
    assert AuditEntry.objects.filter(target=f"report-print:{report.pk}", action="print").exists()


def test_pdf_holds_the_figures_in_vietnamese(report):
    from pypdf import PdfReader

    response = client_for(report).get(reverse("reports:pdf", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "bao-cao-hb-" in response["Content-Disposition"]
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if os.environ.get("REPORT_PDF_OUT"):
        with open(os.environ["REPORT_PDF_OUT"], "wb") as out:
            out.write(content)
    pages = PdfReader(io.BytesIO(content)).pages
    text = "\n".join(page.extract_text() for page in pages)
    flat = " ".join(text.split())
    for words in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BÁO CÁO",
        "Số lượt tư vấn",
        "Lượt tư vấn theo hình thức",
        "Kính gửi",
        "HIỆU TRƯỞNG",
        f"Trang 1/{len(pages)}",
    ]:
        assert words in flat, words
    assert not ENGLISH.search(flat), ENGLISH.search(flat)
    assert AuditEntry.objects.filter(target=f"report-pdf:{report.pk}", action="pdf").exists()


def test_xlsx_has_indicators_and_a_sheet_per_table(report):
    from openpyxl import load_workbook

    response = client_for(report).get(reverse("reports:xlsx", args=[report.pk]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    book = load_workbook(io.BytesIO(response.content))
    first = book.worksheets[0]
    assert first.title == "Chỉ tiêu"
    rows = {row[0]: row[1] for row in first.iter_rows(values_only=True) if row and row[0]}
    assert rows["Số lượt tư vấn"] == 2
    assert rows["Số lượt học sinh được tư vấn"] == 7
    assert rows["Số vụ việc tiếp nhận"] == 1
    assert len(book.worksheets) == 1 + 6
    by_form = next(
        sheet for sheet in book.worksheets if sheet["A1"].value == "Lượt tư vấn theo hình thức"
    )
    values = list(by_form.iter_rows(values_only=True))
    assert values[1][0] == "Hình thức tư vấn"
    assert values[-1][0] == "Tổng cộng"
    assert values[-1][1:3] == (2, 7)
    assert AuditEntry.objects.filter(target=f"report-xlsx:{report.pk}", action="export").exists()


def test_a_draft_prints_as_a_draft(report):
    draft = SchoolReport.objects.create(school=report.school, period=current_periods()[1])
    text = client_for(report).get(reverse("reports:print", args=[draft.pk])).content.decode()
    assert "DỰ THẢO – chưa nộp Phòng GD&" in text
    assert "Số: ……/BC-HB" in text


def test_without_a_district_the_recipient_is_left_to_write_by_hand(report):
    report.school.district = None
    report.school.save()
    text = client_for(report).get(reverse("reports:print", args=[report.pk])).content.decode()
    assert "Kính gửi: Phòng Giáo dục và Đào tạo …………" in text
