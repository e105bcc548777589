"""Importing a class list exported from VnEdu or MISA EMIS: upload, preview, confirm."""

import datetime
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from audit.models import AuditEntry
from learners.excel import read_class_list
from learners.importing import SESSION_KEY
from learners.models import Learner
from schools.roles import Role
from tests.learners.class_lists import CLASS_6A, Pupil, misa_xlsx, vnedu_xlsx

IMPORT = reverse("learners:import")
PREVIEW = reverse("learners:import_preview")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(client, content: bytes, name: str = "danh-sach.xlsx"):
    """Post the file as the upload page does (with its one school, a hidden field)."""
    school = client.get(IMPORT).context["form"]["school"].value()
    return client.post(IMPORT, {"school": school, "file": SimpleUploadedFile(name, content, XLSX)})


def counts(response) -> tuple[int, int, int, int]:
    plan = response.context["plan"]
    return len(plan.new), len(plan.updated), len(plan.unchanged), len(plan.bad)


def as_file(content: bytes, name: str = "danh-sach.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, XLSX)


@pytest.mark.parametrize("build", [vnedu_xlsx, misa_xlsx], ids=["vnedu", "misa"])
def test_both_layouts_read_the_same_learners(build):
    rows, bad = read_class_list(as_file(build(CLASS_6A)))
    assert bad == []
    assert [(r.full_name, r.birth_date, r.gender, r.class_name, r.personal_id) for r in rows] == [
        (p.full_name, p.birth_date, "female" if p.gender == "Nữ" else "male", "6A", p.personal_id)
        for p in CLASS_6A
    ]


def test_the_class_is_read_from_the_title_when_no_column_names_it():
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỌC SINH LỚP 7B"])
    sheet.append(["STT", "HỌ VÀ TÊN", "NGÀY SINH"])
    sheet.append([1, "Phạm Thị Thử", "02/09/2013"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, bad = read_class_list(as_file(buffer.getvalue()))
    assert bad == []
    assert rows[0].class_name == "7B"
    assert rows[0].birth_date == datetime.date(2013, 9, 2)


def test_upload_preview_confirm_writes_the_list_in_one_go(client_as, administrator, school):
    client = client_as(administrator)
    response = upload(client, vnedu_xlsx(CLASS_6A))
    assert response.status_code == 302
    assert response.url == PREVIEW
    assert Learner.objects.count() == 0  # nothing written before confirming

    preview = client.get(PREVIEW)
    assert preview.status_code == 200
    assert counts(preview) == (3, 0, 0, 0)
    assert "Nguyễn Thị Thử Một" in preview.content.decode()

    # The file is not sent again: the preview was kept on the server.
    response = client.post(PREVIEW, {"confirm": "1"})
    assert response.status_code == 302
    learners = Learner.objects.filter(school=school).order_by("pk")
    assert [(x.full_name, x.class_name, x.personal_id) for x in learners] == [
        (p.full_name, "6A", p.personal_id) for p in CLASS_6A
    ]
    assert learners[0].birth_date == datetime.date(2014, 3, 5)
    assert learners[0].gender == "female"
    assert SESSION_KEY not in client.session
    # Confirming twice does nothing more: the kept rows are gone.
    assert client.post(PREVIEW, {"confirm": "1"}).url == IMPORT
    assert Learner.objects.count() == 3
    actions = list(
        AuditEntry.objects.filter(target="learner-import").values_list("action", flat=True)
    )
    assert actions == ["upload", "view", "create"]


def test_the_preview_is_kept_encrypted_on_the_server(client_as, administrator, school):
    client = client_as(administrator)
    upload(client, vnedu_xlsx(CLASS_6A))
    kept = client.session[SESSION_KEY]
    assert "Thử" not in kept
    assert "001214000001" not in kept


def test_a_second_import_matches_by_id_then_by_name_and_date_of_birth(
    client_as, administrator, school, learner_of
):
    one, two, three = CLASS_6A
    # On the list already: the first by ID (now in 6B), the second by name and date of
    # birth without an ID yet, the third exactly as in the file.
    learner_of(school, one.full_name, "6A", personal_id=one.personal_id, birth_date=one.birth_date)
    by_name = learner_of(school, two.full_name, "6A", birth_date=two.birth_date, gender="male")
    learner_of(
        school,
        three.full_name,
        "6A",
        personal_id=three.personal_id,
        birth_date=three.birth_date,
        gender="male",
        on_roll=True,
    )
    moved = Pupil(one.family_names, one.given_name, one.birth_date, "Nữ", "6B", one.personal_id)
    new = Pupil("Đỗ Văn", "Thử Bốn", datetime.date(2014, 1, 1), "Nam", "6A", "001214000004")
    client = client_as(administrator)
    upload(client, misa_xlsx([moved, two, three, new]))
    assert counts(client.get(PREVIEW)) == (1, 2, 1, 0)
    client.post(PREVIEW, {"confirm": "1"})
    assert Learner.objects.count() == 4
    by_name.refresh_from_db()
    assert by_name.personal_id == two.personal_id
    assert {x.class_name for x in Learner.objects.filter(Learner.named(one.full_name))} == {"6B"}


def test_bad_rows_are_listed_with_their_row_and_a_reason_and_the_rest_imports(
    client_as, administrator, school
):
    bad_pupils = [
        Pupil("Sai", "Mã Số", datetime.date(2014, 1, 2), "Nam", "6A", "00121400001"),  # 11 digits
        Pupil("Sai", "Ngày Sinh", "31/02/2014", "Nữ", "6A", "001214000011"),
        Pupil("Sai", "Giới Tính", datetime.date(2014, 1, 3), "Khác", "6A", "001214000012"),
        Pupil("Trùng", "Mã Số", datetime.date(2014, 1, 4), "Nam", "6A", CLASS_6A[0].personal_id),
    ]
    client = client_as(administrator)
    upload(client, vnedu_xlsx([*CLASS_6A, *bad_pupils], extra_rows=[[8, "", "01/01/2014"]]))
    preview = client.get(PREVIEW)
    assert counts(preview) == (3, 0, 0, 5)
    bad = {row.number: row.reason for row in preview.context["plan"].bad}
    # Four title rows and the header: the first learner is on row 6.
    assert set(bad) == {"9", "10", "11", "12", "13"}
    assert "11" in bad["9"]  # must have 12 digits, it has 11
    assert "31/02/2014" in bad["10"]
    assert "Khác" in bad["11"]
    assert "6" in bad["12"]  # the same ID as row 6
    html = preview.content.decode()
    assert "00121400001" in html
    client.post(PREVIEW, {"confirm": "1"})
    assert Learner.objects.count() == 3


def test_a_formula_is_never_evaluated_but_refused(client_as, administrator, school):
    book = Workbook()
    sheet = book.active
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Lớp"])
    sheet.append([1, '=HYPERLINK("http://example.invalid","x")', "01/01/2014", "6A"])
    sheet.append([2, "Hồ Thị Thử", "01/01/2014", "6A"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows, bad = read_class_list(as_file(buffer.getvalue()))
    assert [row.full_name for row in rows] == ["Hồ Thị Thử"]
    assert [row.number for row in bad] == ["2"]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("danh-sach.xlsx", b"STT,Ho va ten\n1,Nguyen Van A\n"),
        ("danh-sach.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("danh-sach.xlsx", b"PK\x03\x04 not really a zip"),
    ],
    ids=["csv-renamed", "old-xls", "broken-zip"],
)
def test_what_is_not_an_xlsx_is_refused_with_a_clear_message(
    client_as, administrator, school, name, content
):
    client = client_as(administrator)
    response = upload(client, content, name)
    assert response.status_code == 200
    assert response.context["form"].has_error("file")
    assert SESSION_KEY not in client.session
    assert Learner.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(client_as, administrator, school):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    response = upload(client_as(administrator), buffer.getvalue())
    assert response.context["form"].has_error("file", "not_xlsx")


def test_a_file_over_the_size_limit_is_refused(client_as, administrator, school, monkeypatch):
    monkeypatch.setattr("learners.excel.MAX_UPLOAD_BYTES", 1000)
    response = upload(client_as(administrator), vnedu_xlsx(CLASS_6A))
    assert response.context["form"].has_error("file", "too_large")


def test_a_sheet_without_a_header_row_says_what_is_missing(client_as, administrator, school):
    book = Workbook()
    book.active.append(["Một", "bảng", "khác"])
    buffer = io.BytesIO()
    book.save(buffer)
    response = upload(client_as(administrator), buffer.getvalue())
    assert response.context["form"].has_error("file", "no_header")


def test_an_id_stored_as_a_number_gets_back_its_leading_zero():
    rows, bad = read_class_list(as_file(misa_xlsx(CLASS_6A[:1])))
    assert bad == []
    assert rows[0].personal_id == "001214000001"


def test_a_kept_preview_is_not_confirmed_by_someone_no_longer_keeping_the_list(
    client_as, administrator, school
):
    client = client_as(administrator)
    upload(client, vnedu_xlsx(CLASS_6A))
    from schools.models import Membership

    Membership.objects.filter(user=administrator).update(role=Role.EDITOR)
    assert client.post(PREVIEW, {"confirm": "1"}).status_code == 404
    assert Learner.objects.count() == 0
