"""Fictitious plans written for these tests (tests/plan_import/unseen/), in the same
layout as the seeds but with what the seeds lack: an unnumbered "Số: /KH-UBND", a
blank day, NFD text, typographic dashes, a header and footer typed as table rows,
"đ)" and "e)" points, "+" bullets, a data table and sentences broken across lines.
The rules were not tuned on these, so they show whether the rules generalise."""

import datetime
import unicodedata

import pytest

from plan_import.extract import text_of
from plan_import.normalise import normalise
from plan_import.recognise import recognise
from tests.plan_import.documents import docx_from_text, pdf_from_text, unseen_texts

FORMATS = ["txt", "docx", "pdf"]


def read(stem: str, fmt: str):
    text = unseen_texts()[stem]
    data = {
        "txt": lambda: text.encode("utf-8"),
        "docx": lambda: docx_from_text(unicodedata.normalize("NFC", text)),
        "pdf": lambda: pdf_from_text(unicodedata.normalize("NFC", text)),
    }[fmt]()
    return recognise(text_of(f"plan.{fmt}", data))


@pytest.mark.parametrize("fmt", FORMATS)
def test_unnumbered_plan_with_a_blank_day(fmt):
    plan = read("01_hoa_sen_blank_number", fmt)
    assert (plan.document_number, plan.number_blank) == ("/KH-UBND", True)
    assert plan.issue_date is None
    assert plan.date_text == "Hoa Sen, ngày … tháng 4 năm 2026"
    assert (plan.parent_body, plan.issuing_body) == (
        "UBND XÃ HOA SEN GIẢ ĐỊNH",
        "TRƯỜNG TIỂU HỌC HOA SEN THỬ NGHIỆM",
    )
    assert plan.title == "Tổ chức các hoạt động tư vấn tâm lý cho học sinh năm học 2025 – 2026"
    assert (plan.period_start_year, plan.period_end_year) == (2025, 2026)
    assert [(b.number, b.date) for b in plan.legal_bases] == [
        ("31/2017/TT-BGDĐT", datetime.date(2017, 12, 18)),
        ("12/KH-PGDĐT", datetime.date(2025, 9, 5)),
    ]
    assert [(s.number, s.heading) for s in plan.sections] == [
        ("I.", "MỤC ĐÍCH – YÊU CẦU"),
        ("II.", "NỘI DUNG VÀ BIỆN PHÁP"),
        ("III.", "TỔ CHỨC THỰC HIỆN"),
    ]
    points = plan.sections[1].clauses[0].points
    assert [p.number for p in points] == ["a)", "b)", "c)", "d)", "đ)", "e)"]
    # "… trong học tập" / "và trong các mối quan hệ …" is one sentence again.
    assert (
        plan.sections[0]
        .clauses[0]
        .text.startswith("Giúp học sinh nhận biết và chia sẻ những khó khăn trong học tập và trong")
    )
    assert [i.target for i in plan.indicators] == ["100%", "Ít nhất 90%"]
    assert plan.recipients == ["Phòng GDĐT (báo cáo)", "Giáo viên chủ nhiệm", "Lưu: VT."]
    assert (plan.signer_authority, plan.signer_name) == ("HIỆU TRƯỞNG", "Trần Thị Mẫu Đơn")
    assert plan.leftovers == ["(Đã ký)"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_nfd_plan_typed_in_tables(fmt):
    plan = read("02_binh_minh_table_nfd", fmt)
    assert plan.document_number == "27/KH-THCSBM"
    assert plan.issue_date == datetime.date(2025, 9, 15)
    assert plan.issue_place == "Vùng Thử"
    assert plan.issuing_body == "TRƯỜNG THCS BÌNH MINH MẪU"
    assert plan.title == "Thực hiện công tác xã hội trong trường học giai đoạn 2025—2027"
    assert (plan.period_start_year, plan.period_end_year) == (2025, 2027)
    # Two bases on one line (";"), then a third on its own.
    assert [(b.verb, b.kind, b.number, b.issuer) for b in plan.legal_bases] == [
        ("Căn cứ", "Thông tư", "33/2018/TT-BGDĐT", "Bộ Giáo dục và Đào tạo"),
        ("Căn cứ", "Quyết định", "45/QĐ-UBND", "UBND huyện Vùng Thử"),
        ("Thực hiện", "Công văn", "88/PGDĐT-THCS", "Phòng GD&ĐT huyện Vùng Thử"),
    ]
    assert [s.heading for s in plan.sections] == ["MỤC TIÊU", "NHIỆM VỤ", "KINH PHÍ"]
    assert [(m.year, m.activities) for m in plan.milestones] == [
        ("2025–2026", "Thành lập tổ công tác xã hội của trường."),
        ("2026–2027", "Mở rộng câu lạc bộ “Bạn giúp bạn” ra toàn trường."),
    ]
    assert [(i.description, i.target) for i in plan.indicators] == [
        ("Học sinh được tư vấn khi có nhu cầu", "100%"),
        ("Lớp có học sinh làm cộng tác viên", "80%"),
    ]
    assert plan.recipients == ["Phòng GD&ĐT", "Lưu: VT."]
    assert plan.signer_authority == "KT. HIỆU TRƯỞNG\nPHÓ HIỆU TRƯỞNG"
    assert plan.signer_name == "Lê Văn Thử"


@pytest.mark.parametrize("fmt", FORMATS)
def test_arabic_parts_dotted_number_and_spaces_for_a_date(fmt):
    plan = read("03_an_lac_arabic_quyet_dinh", fmt)
    assert (plan.document_number, plan.number_blank) == ("/KH-THPTAL", True)
    assert plan.issue_date is None
    assert plan.date_text == "An Lạc, ngày tháng năm 2026"
    assert (plan.parent_body, plan.issuing_body) == (
        "SỞ GIÁO DỤC VÀ ĐÀO TẠO TỈNH MẪU",
        "TRƯỜNG THPT AN LẠC GIẢ ĐỊNH",
    )
    assert plan.title == "Phòng, chống bạo lực học đường năm 2026"
    assert [(b.kind, b.number, b.issuer) for b in plan.legal_bases] == [
        ("Nghị định", "80/2017/NĐ-CP", "Chính phủ")
    ]
    # "Căn cứ tình hình thực tế …" cites no document: it is the preamble, not a basis.
    assert plan.preamble.startswith("Căn cứ tình hình thực tế")
    assert [(s.number, s.heading, [c.number for c in s.clauses]) for s in plan.sections] == [
        ("1.", "Mục đích", []),
        ("2.", "Nội dung", ["2.1.", "2.2."]),
        ("3.", "Tổ chức thực hiện", []),
    ]
    assert [p.text for p in plan.sections[1].clauses[0].points] == [
        "Tổ chức 02 buổi ngoại khóa cho toàn trường;",
        "Phát tờ rơi tại các lớp.",
    ]
    assert plan.signer_authority == "TM. BAN GIÁM HIỆU\nHIỆU TRƯỞNG"
    assert plan.signer_name == "Phạm Minh Giả"


# --- The tricky rules, one at a time --------------------------------------------------


def test_nfd_input_is_read_as_nfc():
    text = unicodedata.normalize("NFD", "KẾ HOẠCH\nPhòng chống đuối nước\nI. MỤC TIÊU\n")
    plan = recognise(text)
    assert plan.title == "Phòng chống đuối nước"
    assert plan.sections[0].heading == "MỤC TIÊU"


@pytest.mark.parametrize(
    ("line", "day_blank"),
    [
        ("Xã Mẫu, ngày … tháng 4 năm 2026", True),
        ("Xã Mẫu, ngày .... tháng 4 năm 2026", True),
        ("Xã Mẫu, ngày    tháng   năm 2026", True),
        ("Xã Mẫu, ngày 3 tháng 4 năm 2026", False),
    ],
)
def test_blank_dates_keep_the_line_and_give_no_date(line, day_blank):
    plan = recognise(f"TRƯỜNG TH MẪU\nSố: 5/KH-TH\n{line}\nKẾ HOẠCH\nTên kế hoạch\n")
    assert plan.issue_place == "Xã Mẫu"
    assert plan.date_text.startswith("Xã Mẫu, ngày")
    assert (plan.issue_date is None) is day_blank


@pytest.mark.parametrize("dash", ["-", "–", "—", "−"])
def test_any_dash_in_bullets_and_year_spans(dash):
    plan = recognise(
        f"KẾ HOẠCH\nCông tác xã hội giai đoạn 2026 {dash} 2030\nI. NỘI DUNG\n"
        f"1. Hoạt động\n{dash} Lập tổ tư vấn.\n"
    )
    assert (plan.period_start_year, plan.period_end_year) == (2026, 2030)
    assert plan.sections[0].clauses[0].points[0].text == "Lập tổ tư vấn."


def test_a_sentence_broken_across_lines_and_a_blank_line_is_joined():
    assert normalise("Phối hợp với gia đình,\n\nnhà trường và\nxã hội.\nTiếp theo") == [
        "Phối hợp với gia đình, nhà trường và xã hội.",
        "Tiếp theo",
    ]


def test_a_point_in_lower_case_is_not_joined_to_the_line_before():
    assert normalise("1. Nội dung\na) Việc một\nđ) Việc năm") == [
        "1. Nội dung",
        "a) Việc một",
        "đ) Việc năm",
    ]


def test_converter_artefacts_and_odd_spaces_go():
    lines = normalise("[bookmark: _GoBack]KẾ\u00a0HOẠCH\u200b\n\t**4.** Việc\u202fbốn")
    assert lines == ["KẾ HOẠCH", "4. Việc bốn"]


def test_several_bases_on_one_line_each_with_its_own_number_date_and_issuer():
    plan = recognise(
        "KẾ HOẠCH\nTên\n"
        "Căn cứ Luật Trẻ em năm 2016; Căn cứ Thông tư số: 33/2018/TT- BGDĐT ngày 26 tháng 12 "
        "năm 2018 của Bộ Giáo dục và Đào tạo;  Thực hiện Công văn 9/PGDĐT –THCS ngày "
        "1/9/2025 của Phòng GD&ĐT huyện Mẫu V/v triển khai.\nI. MỤC TIÊU\n"
    )
    assert [(b.verb, b.number, b.date, b.issuer) for b in plan.legal_bases] == [
        ("Căn cứ", "", None, ""),
        ("Căn cứ", "33/2018/TT-BGDĐT", datetime.date(2018, 12, 26), "Bộ Giáo dục và Đào tạo"),
        ("Thực hiện", "9/PGDĐT-THCS", datetime.date(2025, 9, 1), "Phòng GD&ĐT huyện Mẫu"),
    ]
    assert plan.legal_bases[0].title == "Luật Trẻ em năm 2016"
    assert plan.legal_bases[2].title == "V/v triển khai"


def test_what_no_rule_takes_is_kept_in_order():
    plan = recognise(
        "TRƯỜNG TH MẪU\nGhi chú lạ ở đầu\nKẾ HOẠCH\nTên\nI. MỤC TIÊU\nNơi nhận:\n- Lưu: VT.\n"
        "HIỆU TRƯỞNG\n(Đã ký và đóng dấu)\nNguyễn Văn Mẫu\n"
    )
    assert plan.leftovers == ["Ghi chú lạ ở đầu", "(Đã ký và đóng dấu)"]
    assert plan.signer_name == "Nguyễn Văn Mẫu"


@pytest.mark.parametrize(
    ("word", "kind"),
    [
        ("KẾ HOẠCH", "plan"),
        ("KÉ HOẠCH", "plan"),
        ("QUYẾT ĐỊNH", "decision"),
        ("BÁO CÁO", "report"),
        ("HƯỚNG DẪN", "guidance"),
        ("CÔNG VĂN", "official_letter"),
    ],
)
def test_kind_words(word, kind):
    plan = recognise(f"TRƯỜNG TH MẪU\n{word}\nVề công tác xã hội\n")
    assert (plan.kind, plan.title) == (kind, "Về công tác xã hội")
