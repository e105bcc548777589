"""The importer's screens: who may import where, refusals in Vietnamese, review, the draft."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from wagtail.models import WorkflowState

from pages.models import PlanIndexPage, PlanPage
from plan_import.models import PlanImport, forget_stale
from plan_import.result import RecognisedPlan
from schools.roles import Role
from tests.pages.factories import publish
from tests.plan_import.documents import docx_from_text, pdf_from_text

pytestmark = pytest.mark.django_db

PLAN = """UBND XÃ HƯ CẤU
TRƯỜNG THCS HƯ CẤU
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 15/KH-THCS
Hư Cấu, ngày 05 tháng 9 năm 2025
KẾ HOẠCH
Công tác xã hội trường học năm học 2025-2026
Căn cứ Thông tư số 33/2018/TT-BGDĐT ngày 28/12/2018 của Bộ Giáo dục và Đào tạo hướng dẫn \
công tác xã hội trong trường học;
Căn cứ Kế hoạch số 7/KH-PGDĐT ngày 01/9/2025 của Phòng Giáo dục và Đào tạo về công tác xã \
hội năm học 2025-2026;
Trường THCS Hư Cấu xây dựng kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
a) Phát hiện sớm học sinh có nguy cơ.
b) Giữ bí mật thông tin của học sinh.
II. TỔ CHỨC THỰC HIỆN
1. Tổ tư vấn
Xây dựng lịch trực hằng tuần.
Trên đây là Kế hoạch công tác xã hội năm học 2025-2026 của Trường THCS Hư Cấu./.
Nơi nhận:
- Phòng GD&ĐT (để b/c);
- Lưu: VT.
HIỆU TRƯỞNG
Nguyễn Văn Thử
"""


@pytest.fixture
def index(school) -> PlanIndexPage:
    return publish(school.root_page, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))


@pytest.fixture
def editor(school, make_staff):
    return make_staff("bientap", Role.EDITOR, school)


def start_url(index) -> str:
    return reverse("plan_import:start", kwargs={"index_id": index.pk})


def upload(client, index, name: str, data: bytes, **extra):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(start_url(index), {"file": SimpleUploadedFile(name, data), **extra})


def review_form(client, row: PlanImport) -> dict:
    """What the review screen's form posts as it stands (every field, hidden ones too)."""
    html = client.get(reverse("plan_import:review", kwargs={"pk": row.pk})).content.decode()
    data: dict = {}
    for tag in re.findall(r"<(?:input|select|textarea)\b[^>]*>(?:[^<]*</textarea>)?", html):
        name = re.search(r'name="([^"]+)"', tag)
        if name is None or name[1] == "csrfmiddlewaretoken":
            continue
        if tag.startswith("<textarea"):
            value = re.search(r">\n?([^<]*)</textarea>", tag)[1]
        elif tag.startswith("<select"):
            continue
        else:
            if 'type="checkbox"' in tag and "checked" not in tag:
                continue
            found = re.search(r'value="([^"]*)"', tag)
            value = found[1] if found else ""
        import html as html_module

        data[name[1]] = html_module.unescape(value)
    data["kind"] = "plan"
    return data


def imported(client, index, text: str = PLAN) -> PlanImport:
    response = client.post(start_url(index), {"text": text})
    assert response.status_code == 302
    return PlanImport.objects.latest("pk")


# Who may import where ---------------------------------------------------------------------


def test_an_editor_opens_the_import_screen_of_their_schools_plans(client, index, editor):
    client.force_login(editor)

    response = client.get(start_url(index))

    assert response.status_code == 200
    assert "Nhập kế hoạch từ tệp Word hoặc PDF" in response.content.decode()


def test_the_plan_index_offers_the_import_to_whoever_may_add_a_plan(client, index, editor):
    client.force_login(editor)

    html = client.get(reverse("wagtailadmin_explore", args=[index.pk])).content.decode()

    assert start_url(index) in html
    assert "Nhập từ tệp Word hoặc PDF" in html


def test_staff_without_page_rights_get_not_found(client, school, index, make_staff):
    client.force_login(make_staff("ctxh", Role.CASE_WORKER, school))

    assert client.get(start_url(index)).status_code == 404
    assert client.post(start_url(index), {"text": PLAN}).status_code == 404
    assert not PlanImport.objects.exists()


def test_another_schools_editor_cannot_import_into_this_schools_plans(
    client, index, other_school, make_staff
):
    client.force_login(make_staff("bientap.bk", Role.EDITOR, other_school))

    assert client.get(start_url(index)).status_code == 404
    assert client.post(start_url(index), {"text": PLAN}).status_code == 404
    assert not PlanImport.objects.exists()


def test_a_page_that_is_not_a_plan_index_is_not_found(client, school, editor):
    client.force_login(editor)

    url = reverse("plan_import:start", kwargs={"index_id": school.root_page_id})

    assert client.get(url).status_code == 404


def test_an_import_is_its_uploaders_alone(client, school, index, editor, make_staff):
    client.force_login(editor)
    row = imported(client, index)
    review = reverse("plan_import:review", kwargs={"pk": row.pk})
    colleague = make_staff("bientap2", Role.EDITOR, school)

    client.force_login(colleague)

    assert client.get(review).status_code == 404
    assert client.post(review, {"title": "Của tôi"}).status_code == 404
    assert not PlanPage.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, index):
    response = client.get(start_url(index))

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/admin/login/")


# The document ----------------------------------------------------------------------------


def test_a_word_file_is_read_and_kept_for_the_review(client, index, editor):
    client.force_login(editor)
    data = docx_from_text(PLAN)

    response = upload(client, index, "Kế hoạch 15.docx", data)

    row = PlanImport.objects.get()
    assert response.headers["Location"] == reverse("plan_import:review", kwargs={"pk": row.pk})
    assert (row.user, row.parent_id, row.file_name) == (editor, index.pk, "Kế hoạch 15.docx")
    assert bytes(row.original) == data
    assert row.plan.document_number == "15/KH-THCS"


def test_a_pdf_file_is_read(client, index, editor):
    client.force_login(editor)

    upload(client, index, "ke-hoach.pdf", pdf_from_text(PLAN))

    assert PlanImport.objects.get().plan.title.startswith("Công tác xã hội trường học")


def test_a_file_that_is_not_word_or_pdf_is_refused_in_vietnamese(client, index, editor):
    client.force_login(editor)
    picture = io.BytesIO()
    Image.new("RGB", (4, 4)).save(picture, "PNG")

    response = upload(client, index, "anh.png", picture.getvalue())

    assert response.status_code == 400
    assert "Chỉ đọc được tệp Word (.docx) và PDF" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_program_is_refused_whatever_its_name(client, index, editor):
    client.force_login(editor)

    response = upload(client, index, "ke-hoach.pdf", b"MZ\x90\x00" + b"\x00" * 200)

    assert response.status_code == 400
    assert "Tệp này là một chương trình" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, index, editor, settings):
    settings.CASE_FILE_MAX_BYTES = 2000
    client.force_login(editor)

    response = upload(client, index, "ke-hoach.docx", docx_from_text(PLAN))

    assert response.status_code == 400
    assert "Tệp lớn hơn" in response.content.decode()
    assert not PlanImport.objects.exists()


def test_pasted_text_is_kept_when_the_form_is_refused(client, index, editor):
    client.force_login(editor)

    response = upload(client, index, "anh.png", b"not a document", text=PLAN)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Chọn tệp hoặc dán văn bản, không cả hai." in html
    assert "Căn cứ Thông tư số 33/2018/TT-BGDĐT" in html
    assert not PlanImport.objects.exists()


def test_an_empty_form_asks_for_a_file_or_text(client, index, editor):
    client.force_login(editor)

    response = client.post(start_url(index), {"text": "   "})

    assert response.status_code == 400
    assert "Chọn tệp Word hoặc PDF, hoặc dán nội dung kế hoạch." in response.content.decode()


# The review -----------------------------------------------------------------------------------


def test_the_review_shows_each_value_beside_its_source_line(client, index, editor):
    client.force_login(editor)
    cited = publish(
        index,
        PlanPage(
            title="Kế hoạch của Phòng",
            slug="kh-7",
            issuing_body="Phòng GDĐT",
            document_number="7/KH-PGDĐT",
        ),
    )
    row = imported(client, index)

    html = client.get(reverse("plan_import:review", kwargs={"pk": row.pk})).content.decode()

    assert 'value="15/KH-THCS"' in html
    assert "<q>Số: 15/KH-THCS</q>" in html
    assert "<q>Hư Cấu, ngày 05 tháng 9 năm 2025</q>" in html
    assert f"Trùng với văn bản trên trang: {cited.title}" in html
    assert "MỤC ĐÍCH, YÊU CẦU" in html


def test_lines_not_recognised_are_shown_as_kept(client, index, editor):
    client.force_login(editor)
    row = imported(client, index)
    row.recognised = {**row.recognised, "leftovers": ["Dòng không rõ thuộc phần nào"]}
    row.save()

    html = client.get(reverse("plan_import:review", kwargs={"pk": row.pk})).content.decode()

    assert "Phần chưa nhận dạng — sẽ được giữ nguyên trong nội dung" in html
    assert "Dòng không rõ thuộc phần nào" in html


def test_a_corrected_value_reaches_the_draft_which_is_not_published(client, index, editor):
    client.force_login(editor)
    row = imported(client, index)
    data = review_form(client, row)
    data["title"] = "Kế hoạch công tác xã hội trường học năm học 2025–2026"
    data["signer_name"] = "Nguyễn Thị Sửa"

    response = client.post(reverse("plan_import:review", kwargs={"pk": row.pk}), data)

    page = PlanPage.objects.get()
    assert response.status_code == 302
    assert response.headers["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])
    [message] = get_messages(response.wsgi_request)
    assert str(message).startswith("Đã tạo bản nháp “Kế hoạch công tác xã hội")
    assert page.title == "Kế hoạch công tác xã hội trường học năm học 2025–2026"
    assert page.signer_name == "Nguyễn Thị Sửa"
    assert page.get_parent().pk == index.pk
    assert not page.live
    assert not WorkflowState.objects.filter(object_id=str(page.pk)).exists()
    row.refresh_from_db()
    assert (row.status, row.created_page_id) == (PlanImport.Status.CREATED, page.pk)
    assert row.recognised["signer_name"] == "Nguyễn Thị Sửa"


def test_a_removed_legal_basis_is_left_out_of_the_draft(client, index, editor):
    client.force_login(editor)
    row = imported(client, index)
    data = review_form(client, row)
    data["bases-0-DELETE"] = "on"

    client.post(reverse("plan_import:review", kwargs={"pk": row.pk}), data)

    assert [b.number for b in PlanPage.objects.get().legal_bases.all()] == ["7/KH-PGDĐT"]


def test_the_uploaded_file_becomes_the_signed_original(client, index, editor):
    client.force_login(editor)
    upload(client, index, "ke-hoach-15.docx", docx_from_text(PLAN))
    row = PlanImport.objects.get()

    client.post(reverse("plan_import:review", kwargs={"pk": row.pk}), review_form(client, row))

    attachment = PlanPage.objects.get().attachments.get()
    assert attachment.is_signed_original
    assert attachment.document.title == "ke-hoach-15.docx"
    row.refresh_from_db()
    assert row.original is None


def test_a_bad_date_comes_back_in_vietnamese_with_every_correction_kept(client, index, editor):
    client.force_login(editor)
    row = imported(client, index)
    data = review_form(client, row)
    data["issue_date"] = "31/02/2025"
    data["signer_name"] = "Nguyễn Thị Sửa"

    response = client.post(reverse("plan_import:review", kwargs={"pk": row.pk}), data)

    html = response.content.decode()
    assert response.status_code == 400
    assert "Ghi ngày theo ngày/tháng/năm, ví dụ 05/09/2025." in html
    assert 'value="31/02/2025"' in html
    assert 'value="Nguyễn Thị Sửa"' in html
    assert not PlanPage.objects.exists()


def test_creating_twice_makes_one_draft(client, index, editor):
    client.force_login(editor)
    row = imported(client, index)
    data = review_form(client, row)
    url = reverse("plan_import:review", kwargs={"pk": row.pk})

    client.post(url, data)
    again = client.post(url, data)

    page = PlanPage.objects.get()
    assert again.headers["Location"] == reverse("wagtailadmin_pages:edit", args=[page.pk])


def test_pending_imports_older_than_a_day_are_forgotten(index, editor):
    old = PlanImport.objects.create(
        user=editor, parent=index, recognised=RecognisedPlan().as_json()
    )
    PlanImport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    fresh = PlanImport.objects.create(
        user=editor, parent=index, recognised=RecognisedPlan().as_json()
    )

    assert forget_stale() == 1
    assert list(PlanImport.objects.values_list("pk", flat=True)) == [fresh.pk]
