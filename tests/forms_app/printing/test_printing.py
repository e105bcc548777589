"""The print page and the PDF of the four records (Mẫu 01–04).

The PDFs are read back with pypdf: what matters is what a reader of the paper
sees, so the assertions are on the extracted text, Vietnamese letters and tone
marks included. Official titles and form words are asserted in Vietnamese (the
suite runs in the default language); labels the forms share with the screens
are compared with their translation in the running catalogue.
"""

import datetime
import io
import logging
import re
import unicodedata

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from pypdf import PdfReader

from config import pdf
from forms_app.cases.opening import open_case
from forms_app.forms.intake import FamilyForm, InformantConsentForm, LearnerForm
from forms_app.models import (
    Case,
    CaseEvent,
    CaseState,
    Gender,
    IntakeReport,
    IssueCategory,
    TemplateCode,
)
from forms_app.printing import layout
from forms_app.printing.sections import Table
from forms_app.wizards import WIZARDS
from tests.forms_app.factories import make_case

# Fictitious people and facts.
LEARNER = "Nguyễn Thị Ánh Tuyết"
CONDITION = "Em thường xuyên bị bạn cùng lớp trêu chọc, hay khóc và ngại đến trường"
CONSEQUENCES = "Có nguy cơ bỏ học, trầm cảm kéo dài"
MOTHER = "Trần Thị Hồng Nhung"
INFORMANT = "Lê Thị Hương Giang"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Hòa Bản"  # the school's place name (conftest.py)
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
# The official titles: Vietnamese translations of the English msgids (site/locale).
TITLES = {
    "01": "BÁO CÁO TIẾP NHẬN THÔNG TIN",
    "02": "BÁO CÁO ĐÁNH GIÁ MỨC ĐỘ, NGUY CƠ TỔN HẠI VÀ NHU CẦU CỦA NGƯỜI HỌC",
    "03": "KẾ HOẠCH CAN THIỆP, TRỢ GIÚP NGƯỜI HỌC",
    "04": "BÁO CÁO RÀ SOÁT, ĐÁNH GIÁ TÌNH TRẠNG CỦA NGƯỜI HỌC SAU CAN THIỆP, TRỢ GIÚP",
}


def intake(school, worker, *, consented: bool = True, **learner) -> IntakeReport:
    """An intake report as the wizard stores it: identity on the case, the rest in answers."""
    received_at = timezone.now() - datetime.timedelta(hours=2)
    learner = {
        "learner_name": LEARNER,
        "learner_birth_date": datetime.date(2013, 5, 14),
        "learner_gender": Gender.FEMALE,
        "learner_class": "7A",
        **learner,
    }
    case = open_case(school, worker, received_at=received_at, **learner)
    case.categories.set(IssueCategory.objects.filter(name="bị bắt nạt"))
    answers = {
        "source": {"channel": "in_person"},
        "learner": {
            "place": "Lớp học và sân trường",
            "current_condition": CONDITION,
            "likely_consequences": CONSEQUENCES,
        },
        "family": {
            "father_name": "",
            "mother_name": MOTHER,
            "mother_age": 38,
            "mother_occupation": "Buôn bán nhỏ",
            "situation": "Bố đi làm ăn xa, mẹ một mình nuôi hai con",
            "carer": "Mẹ và bà ngoại",
        },
        "support_so_far": {"support_so_far": "Giáo viên chủ nhiệm đã trò chuyện riêng với em"},
        "first_assessment": {
            "needs": "Cần hỗ trợ tâm lý và can thiệp với nhóm bạn trêu chọc",
            "notes": "Đã báo cáo Hiệu trưởng trong buổi sáng",
        },
    }
    if consented:
        answers["informant"] = {
            "name": INFORMANT,
            "phone": "0900000000",
            "address": "Thôn Giả Định",
            "relation": "Cô giáo bộ môn",
        }
    return IntakeReport.objects.create(
        case=case,
        received_at=received_at,
        urgency=IntakeReport.Urgency.URGENT,
        referral_suggested=False,
        informant_consented=consented,
        answers=answers,
        author=worker,
    )


def pdf_text(content: bytes) -> str:
    """The PDF's text as a reader sees it: NFC-normalised, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return " ".join(unicodedata.normalize("NFC", text).split())


def html_text(response) -> str:
    return " ".join(unicodedata.normalize("NFC", response.content.decode()).split())


def print_url(code: str, pk: int) -> str:
    return reverse("forms_app:record_print", args=[code, pk])


def pdf_url(code: str, pk: int) -> str:
    return reverse("forms_app:record_pdf", args=[code, pk])


def get_pdf(client, code: str, pk: int) -> str:
    response = client.get(pdf_url(code, pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


# Mẫu 01 ------------------------------------------------------------------------------


def test_pdf_is_a_private_attachment_named_by_case_reference_not_by_child(client, school, worker):
    report = intake(school, worker)
    client.force_login(worker)

    response = client.get(pdf_url("01", report.pk))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert report.case.reference in disposition
    assert "01" in disposition
    for part in ("Nguyen", "Tuyet", "Tuyết", "Ánh"):
        assert part not in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


def test_intake_pdf_prints_the_official_layout_with_its_diacritics(client, school, worker):
    report = intake(school, worker)
    client.force_login(worker)

    text = get_pdf(client, "01", report.pk)

    # Header, place and date, marker and title.
    assert "PHÒNG GD&ĐT HUYỆN THỬ NGHIỆM" in text
    assert "TRƯỜNG THCS HOA BAN" in text
    assert NATION in text
    assert MOTTO in text
    assert f"Số: {report.case.reference}/BC-TN" in text
    created = timezone.localdate(report.created_at)
    day = f"{created.day:02d}" if created.day < 10 else str(created.day)
    assert f"ngày {day} tháng" in text
    assert f"năm {created.year}" in text
    assert "Mẫu số 01" in text
    assert TITLES["01"] in text
    # Sections, labels and answers, accents intact.
    assert "1. Nguồn tiếp nhận thông tin" in text
    assert "2. Thông tin người học" in text
    assert "7. Ghi thêm" in text
    assert LEARNER in text
    assert "14/05/2013" in text
    assert CONDITION in text
    assert CONSEQUENCES in text
    assert "bị bắt nạt" in text
    assert MOTHER in text
    assert "Bố đi làm ăn xa, mẹ một mình nuôi hai con" in text
    assert INFORMANT in text
    assert "Cần hỗ trợ tâm lý và can thiệp với nhóm bạn trêu chọc" in text
    assert "Đã báo cáo Hiệu trưởng trong buổi sáng" in text
    assert str(LearnerForm.base_fields["current_condition"].label) in text
    # The father's name was not known: it says so rather than leaving a blank.
    assert f"{FamilyForm.base_fields['father_name'].label}: {gettext('Not known')}" in text
    # Signature and foot.
    assert "NGƯỜI TIẾP NHẬN" in text
    assert "(Ký, ghi rõ họ tên)" in text
    assert "Vũ Thị Thu Hà" in text
    assert report.legal_basis in text
    assert report.template_version in text
    assert "Trang 1/" in text


def test_print_page_shows_the_same_record_with_print_button_and_pdf_link(client, school, worker):
    report = intake(school, worker)
    client.force_login(worker)

    response = client.get(print_url("01", report.pk))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    text = html_text(response)
    for expected in (MOTTO, NATION, TITLES["01"], LEARNER, CONDITION, INFORMANT, "Mẫu số 01"):
        assert expected in text
    assert f'href="{pdf_url("01", report.pk)}"' in text
    assert "data-print" in text
    assert "js/print.js" in text
    assert "css/print-record.css" in text
    # No inline script: the page works under a strict Content-Security-Policy.
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", text, flags=re.S)
    assert scripts
    for attributes, body in scripts:
        assert "src=" in attributes
        assert not body.strip()


def test_informant_without_consent_prints_that_nothing_was_recorded(client, school, worker):
    report = intake(school, worker, consented=False)
    client.force_login(worker)

    text = get_pdf(client, "01", report.pk)

    assert f"5. {gettext('Informant')}" in text
    assert str(InformantConsentForm.title) in text
    assert gettext(
        "The informant did not agree to give their details; nothing about them was recorded."
    ) in " ".join(text.split())
    assert INFORMANT not in text
    assert "0900000000" not in text


def test_unknown_learner_facts_read_not_known(client, school, worker):
    report = intake(
        school,
        worker,
        learner_name="",
        learner_birth_date=None,
        learner_gender=Gender.UNKNOWN,
        learner_class="",
    )
    client.force_login(worker)

    text = get_pdf(client, "01", report.pk)

    not_known = gettext("Not known")
    for name in ("name", "birth_date", "gender", "learner_class"):
        assert f"{LearnerForm.base_fields[name].label}: {not_known}" in text


def test_estimated_age_is_printed_when_the_birth_date_is_not_known(client, school, worker):
    report = intake(school, worker, learner_birth_date=None, learner_age_estimate=12)
    client.force_login(worker)

    text = get_pdf(client, "01", report.pk)

    assert f"{LearnerForm.base_fields['age_estimate'].label}: 12" in text


# Mẫu 02–04 ---------------------------------------------------------------------------


@pytest.fixture
def reviewed_case(school, worker, principal) -> Case:
    return make_case(school, worker, principal, state=CaseState.REVIEWED, learner_name=LEARNER)


def test_assessment_pdf_prints_title_learner_and_rated_criteria(client, reviewed_case, worker):
    assessment = reviewed_case.assessments.get()
    client.force_login(worker)

    text = get_pdf(client, "02", assessment.pk)

    assert TITLES["02"] in text
    assert "Mẫu số 02" in text
    assert MOTTO in text
    assert f"Số: {reviewed_case.reference}/BC-ĐG" in text
    assert LEARNER in text
    assert "khả năng người gây tổn hại còn tiếp cận người học" in text
    assert "Ghi chú thử nghiệm" in text
    assert "NGƯỜI ĐÁNH GIÁ" in text
    assert "Vũ Thị Thu Hà" in text


def test_approved_plan_pdf_names_the_principal_and_the_approval(client, reviewed_case, worker):
    plan = reviewed_case.plans.get()
    client.force_login(worker)

    text = get_pdf(client, "03", plan.pk)

    assert TITLES["03"] in text
    assert "Mẫu số 03" in text
    assert "Em đến lớp đều đặn và thấy an toàn" in text
    assert "Tham vấn cá nhân hằng tuần" in text
    assert "NGƯỜI LẬP KẾ HOẠCH" in text
    assert "PHÊ DUYỆT CỦA HIỆU TRƯỞNG" in text
    decided = plan.decided_at.astimezone(timezone.get_current_timezone())
    assert f"Đã phê duyệt ngày {decided:%d/%m/%Y}" in text
    assert "Phạm Đức Thắng" in text
    assert "Vũ Thị Thu Hà" in text


def test_submitted_plan_leaves_the_principal_block_for_a_hand_signature(
    client, school, worker, principal
):
    case = make_case(school, worker, principal, state=CaseState.PLAN_SUBMITTED)
    plan = case.plans.get()
    client.force_login(principal)

    text = get_pdf(client, "03", plan.pk)

    assert "PHÊ DUYỆT CỦA HIỆU TRƯỞNG" in text
    assert "Đã phê duyệt" not in text
    assert "Phạm Đức Thắng" not in text


def test_returned_plan_says_it_was_returned(client, school, worker, principal):
    case = make_case(school, worker, principal, state=CaseState.PLAN_RETURNED)
    plan = case.plans.get()
    client.force_login(worker)

    text = get_pdf(client, "03", plan.pk)

    decided = plan.decided_at.astimezone(timezone.get_current_timezone())
    assert f"Trả lại ngày {decided:%d/%m/%Y}" in text
    assert "Đã phê duyệt" not in text
    assert "Phạm Đức Thắng" in text


def test_review_pdf_prints_results_and_reviewer(client, reviewed_case, worker):
    review = reviewed_case.reviews.get()
    client.force_login(worker)

    text = get_pdf(client, "04", review.pk)

    assert TITLES["04"] in text
    assert "Mẫu số 04" in text
    assert f"Số: {reviewed_case.reference}/BC-RS" in text
    assert LEARNER in text
    assert "Em đến lớp đều đặn và thấy an toàn" in text
    assert "NGƯỜI RÀ SOÁT" in text
    assert "Vũ Thị Thu Hà" in text


def test_a_template_without_its_own_description_prints_its_answers(
    client, monkeypatch, school, worker
):
    """Until a template's wizard describes its record, the answers are printed as they are."""

    class Placeholder:
        form_list = [("notes", LearnerForm)]

    case = make_case(school, worker, state=CaseState.ASSESSED, learner_name=LEARNER)
    assessment = case.assessments.get()
    assessment.answers = {
        "notes": {"current_condition": CONDITION},
        "needs": {"items": [{"domain": {"id": 1, "name": "tâm lý"}, "note": "Cần tư vấn"}]},
    }
    assessment.save()
    monkeypatch.setitem(WIZARDS, TemplateCode.ASSESSMENT, Placeholder)
    client.force_login(worker)

    text = get_pdf(client, "02", assessment.pk)

    assert f"1. {LearnerForm.title}" in text
    assert f"{LearnerForm.base_fields['current_condition'].label}: {CONDITION}" in text
    assert "2. needs" in text
    assert "tâm lý" in text
    assert "Cần tư vấn" in text
    assert TITLES["02"] in text


def test_generic_description_turns_lists_of_items_into_tables(school, worker):
    class Placeholder:
        form_list: list = []

    case = make_case(school, worker, state=CaseState.ASSESSED)
    assessment = case.assessments.get()

    sections = layout.generic_sections(Placeholder, assessment)

    harm = next(section for section in sections if section.title.endswith("harm"))
    table = harm.items[0]
    assert isinstance(table, Table)
    # Column order is the stored key order, which PostgreSQL's jsonb does not keep.
    assert sorted(table.columns) == ["criterion", "level", "note"]
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert {
        "criterion": "mức độ tổn hại hiện tại",
        "level": "medium",
        "note": "Ghi chú thử nghiệm",
    } in rows


# Who may read ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_another_schools_worker_gets_404(client, school, worker, worker_b, url):
    report = intake(school, worker)
    client.force_login(worker_b)

    assert client.get(url("01", report.pk)).status_code == 404


@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_editor_of_the_school_gets_404(client, school, worker, editor, url):
    """No case role, no case: the same answer as for a record that does not exist."""
    report = intake(school, worker)
    client.force_login(editor)

    response = client.get(url("01", report.pk))

    assert response.status_code == 404
    assert LEARNER not in response.content.decode()


@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_unknown_template_record_or_mismatch_is_404(client, school, worker, url):
    report = intake(school, worker)
    client.force_login(worker)

    assert client.get(url("05", report.pk)).status_code == 404
    assert client.get(url("xx", report.pk)).status_code == 404
    assert client.get(url("01", report.pk + 1000)).status_code == 404
    # The intake's id under another template names no record of that template.
    assert client.get(url("03", report.pk)).status_code == 404


@pytest.mark.parametrize("url", [print_url, pdf_url])
def test_anonymous_is_sent_to_sign_in(client, school, worker, url):
    report = intake(school, worker)

    response = client.get(url("01", report.pk))

    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_printing_changes_nothing(client, school, worker):
    report = intake(school, worker)
    case = report.case
    events = CaseEvent.objects.filter(case=case).count()
    client.force_login(worker)

    client.get(print_url("01", report.pk))
    client.get(pdf_url("01", report.pk))

    assert CaseEvent.objects.filter(case=case).count() == events
    assert Case.objects.get(pk=case.pk).updated_at == case.updated_at
    assert client.post(print_url("01", report.pk)).status_code == 405
    assert client.post(pdf_url("01", report.pk)).status_code == 405


# Layout details ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (datetime.date(2026, 3, 5), "Hòa Bản, ngày 05 tháng 3 năm 2026"),
        (datetime.date(2026, 2, 14), "Hòa Bản, ngày 14 tháng 02 năm 2026"),
        (datetime.date(2026, 11, 20), "Hòa Bản, ngày 20 tháng 11 năm 2026"),
    ],
    ids=["early-day", "february", "no-padding"],
)
def test_place_and_date_pad_days_and_early_months_as_official_documents_do(
    make_school, date, expected
):
    school = make_school("XX", "Trường X", place_name="Hòa Bản")

    assert layout.place_and_date(school, date) == expected


def test_date_line_without_a_place_leaves_dots_never_the_schools_name(make_school):
    school = make_school("XX", "Trường THCS Xuân Thủy", place_name="  ")

    line = layout.place_and_date(school, datetime.date(2026, 3, 5))

    assert line == f"{layout.PLACE_BLANK}, ngày 05 tháng 3 năm 2026"
    assert "Xuân Thủy" not in line


def test_printed_record_dates_itself_at_the_schools_place(client, school, worker):
    report = intake(school, worker)
    client.force_login(worker)

    text = get_pdf(client, "01", report.pk)

    created = timezone.localdate(report.created_at)
    assert layout.place_and_date(school, created) in text
    assert f"{PLACE}, ngày " in text
    assert f"{school.name}, ngày" not in text


def test_pdf_renderer_loads_only_the_bundled_static_files(settings):
    root = pdf.static_source(pdf.STYLESHEET).parent.parent
    fetcher = pdf.static_files_fetcher(root)

    font = fetcher.fetch((root / "fonts" / "DejaVuSerif.ttf").as_uri())
    assert font.read(4) == b"\x00\x01\x00\x00"
    font.close()
    for url in ("http://example.com/x.css", "file:///etc/passwd", (root / "..").as_uri()):
        with pytest.raises(ValueError, match="bundled static files"):
            fetcher.fetch(url)


def test_pdf_embeds_the_bundled_font_without_missing_resources(caplog, monkeypatch, school, worker):
    """The fonts come from site/static/fonts, whatever the server has; nothing fails to load.

    A font WeasyPrint cannot load is only a debug message, and the text would
    silently fall back to another font.
    """
    report = intake(school, worker)
    fetched = []
    make_fetcher = pdf.static_files_fetcher

    def recording_fetcher(root):
        fetcher = make_fetcher(root)
        fetch = fetcher.fetch

        def record(url, headers=None):
            fetched.append(url)
            return fetch(url, headers)

        fetcher.fetch = record
        return fetcher

    monkeypatch.setattr(pdf, "static_files_fetcher", recording_fetcher)

    with caplog.at_level("DEBUG", logger="weasyprint"):
        content = layout.render_pdf(None, "01", report)

    failures = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("weasyprint")
        and (record.levelno >= logging.WARNING or "Failed" in record.getMessage())
    ]
    assert failures == []
    static = pdf.static_source("fonts/DejaVuSerif.ttf").parent.as_uri()
    for name in ("DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf"):
        assert f"{static}/{name}" in fetched
    fonts = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]).split("+")[-1])
    # The family of the @font-face rules: a system font would keep its own name.
    assert fonts == {"Record-Serif", "Record-Serif-Bold", "Record-Serif-Italic"}
