"""The four seed plans (real documents) read from .txt, and from the .docx and .pdf
made from them, give the number, date, bodies, title, each legal basis, the parts'
tree, the recipients and the signer their text says.

Seeds 000–002 were converted without their header: they have no number, date or
issuing body, and the recogniser must leave those empty rather than invent them.
Seed 001 stops in "Nơi nhận" (the signer's block is cut off in the source), so its
signer is empty too.
"""

import datetime
import re

import pytest

from plan_import.extract import text_of
from plan_import.recognise import recognise
from tests.plan_import.documents import docx_from_text, pdf_from_text, seed_text

FORMATS = ["txt", "docx", "pdf"]


def recognised(prefix: str, fmt: str):
    text = seed_text(prefix)
    if fmt == "txt":
        return recognise(text_of("plan.txt", text.encode("utf-8")))
    if fmt == "docx":
        return recognise(text_of("plan.docx", docx_from_text(text)))
    return recognise(text_of("plan.pdf", pdf_from_text(text)))


def tree(plan) -> list[tuple[str, str, list[tuple[str, str]]]]:
    return [
        (s.number, s.heading, [(c.number, c.heading) for c in s.clauses]) for s in plan.sections
    ]


def bases(plan) -> list[tuple[str, str, str, datetime.date | None, str]]:
    return [(b.verb, b.kind, b.number, b.date, b.issuer) for b in plan.legal_bases]


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_000_no_header_three_bases_two_on_one_line_and_arabic_sections(fmt):
    plan = recognised("000", fmt)
    assert (plan.document_number, plan.issue_date, plan.issuing_body) == ("", None, "")
    assert plan.kind == "plan"
    assert plan.title == "CÔNG TÁC XÃ HỘI TRONG TRƯỜNG HỌC NĂM 2023"
    assert bases(plan) == [
        (
            "Căn cứ",
            "Thông tư",
            "33/2018/TT-BGDĐT",
            datetime.date(2018, 12, 28),
            "Bộ Giáo dục và Đào tạo",
        ),
        ("Căn cứ", "công văn", "01/UBND-VX", datetime.date(2023, 1, 3), "UBND huyện Mường Chà"),
        (
            "Thực hiện",
            "Công văn",
            "11/PGDĐT-THCS",
            datetime.date(2022, 9, 21),
            "Phòng GD&ĐT Mường Chà",
        ),
    ]
    assert plan.legal_bases[1].title.startswith("V/v thực hiện công tác xã hội")
    assert plan.preamble.endswith("với các nội dung sau:")
    # No Roman level: 1., 2. are the sections and 1.1., 1.2. their clauses.
    assert tree(plan) == [
        ("1.", "Mục đích, yêu câu", [("1.1.", "Mục đích"), ("1.2.", "Yêu cầu")]),
        (
            "2.",
            "Nhiệm vụ",
            [
                ("2.1.", "Công tác chỉ đạo, điều hành"),
                ("2.2.", "Công tác rà soát, phát hiện nguy cơ"),
                ("2.3.", "Công tác phòng ngừa"),
                ("2.4.", "Công tác can thiệp, trợ giúp"),
                ("2.5.", "Công tác hỗ trợ phát triển"),
            ],
        ),
        (
            "3.",
            "Tổ chức thực hiện",
            [
                ("3.1.", "Ban giám hiệu"),
                ("3.2.", "Giáo viên, nhân viên"),
                ("3.3.", "Ban đại diện cha mẹ học sinh"),
            ],
        ),
        ("4.", "Đội thiếu niên, Đoàn thanh niên", []),
        ("5.", "Học sinh", []),
    ]
    bullets = plan.sections[1].clauses[3].points
    assert bullets[0].number == ""
    assert bullets[0].text.startswith("Tiếp nhận thông báo và đánh giá ban đầu")
    assert plan.closing.startswith("Trên đây là Kế hoạch")
    assert (plan.period_label.lower(), plan.period_start_year, plan.period_end_year) == (
        "năm 2023",
        2023,
        2023,
    )
    # No "Nơi nhận" and no signer in this seed.
    assert (plan.recipients, plan.signer_authority, plan.signer_name) == ([], "", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_001_title_on_two_lines_roman_sections_and_a_truncated_end(fmt):
    plan = recognised("001", fmt)
    assert (plan.document_number, plan.issue_date) == ("", None)
    assert plan.title == "CÔNG TÁC XÃ HỘI VÀ TƯ VẤN TÂM LÝ TRƯỜNG HỌC Năm 2024"
    assert (plan.period_start_year, plan.period_end_year) == (2024, 2024)
    assert bases(plan) == [
        (
            "Căn cứ",
            "Thông tư",
            "33/2018/TT-BGDĐT",
            datetime.date(2018, 12, 28),
            "Bộ Giáo dục và Đào tạo",
        ),
        (
            "Căn cứ",
            "Thông tư",
            "31/2017/TT-BGDĐT",
            datetime.date(2017, 12, 28),
            "Bộ Giáo dục và Đào tạo",
        ),
        (
            "Căn cứ",
            "Văn bản",
            "5594/SGDĐT-CTTT",
            datetime.date(2023, 10, 2),
            "Sở Giáo dục và Đào tạo",
        ),
    ]
    assert tree(plan) == [
        ("I.", "MỤC ĐÍCH – YÊU CẦU", [("1.", "Mục đích"), ("2.", "Yêu cầu")]),
        ("II.", "NỘI DUNG TRỌNG TÂM", []),
        (
            "III.",
            "TỔ CHỨC THỰC HIỆN",
            [("1.", "Phòng giáo dục và đào tạo"), ("2.", "Các cơ sở giáo dục")],
        ),
    ]
    assert plan.sections[1].text.startswith("Các cơ sở giáo dục trên địa bàn Quận 11")
    assert plan.recipients == ["Các trường CL-NCL"]
    # The source ends inside "Nơi nhận": no signer to find.
    assert (plan.signer_authority, plan.signer_name) == ("", "")


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_002_basis_and_preamble_in_one_sentence_indicators_and_signer(fmt):
    plan = recognised("002", fmt)
    assert (
        plan.title == "Thực hiện Chương trình Công tác xã hội trong trường học giai đoạn 2021-2025"
    )
    assert (plan.period_label, plan.period_start_year, plan.period_end_year) == (
        "giai đoạn 2021-2025",
        2021,
        2025,
    )
    assert bases(plan) == [
        (
            "Thực hiện",
            "Quyết định",
            "588/QĐ-UBND",
            datetime.date(2021, 3, 24),
            "Ủy ban nhân dân tỉnh An Giang",
        ),
    ]
    assert plan.preamble.startswith("Sở Giáo dục và Đào tạo xây dựng kế hoạch")
    assert [(s.number, s.heading) for s in plan.sections] == [
        ("I.", "MỤC TIÊU"),
        ("II.", "CÁC HOẠT ĐỘNG TRỌNG TÂM"),
        ("III.", "TỔ CHỨC THỰC HIỆN"),
    ]
    assert [c.number for c in plan.sections[1].clauses] == [f"{n}." for n in range(1, 9)]
    # Item 7 is broken over a blank line in the source ("… triển khai" / "văn bản; …").
    assert "triển khai văn bản; công tác thông tin" in plan.sections[1].clauses[6].text
    assert [(i.target, i.year) for i in plan.indicators] == [
        ("80%", None),
        ("100%", None),
        ("100%", None),
        ("100%", None),
        ("ít nhất 85%", None),
    ]
    assert plan.recipients[0] == "Bộ GDĐT (Vụ GDCTHSSV, GDTC)"
    assert plan.recipients[-1] == "Lưu: VT, CTTT."
    assert len(plan.recipients) == 9
    assert plan.signer_authority == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
    assert plan.signer_name == "Võ Bình Thu"


@pytest.mark.parametrize("fmt", FORMATS)
def test_seed_003_full_header_milestones_and_signer_on_one_line(fmt):
    plan = recognised("003", fmt)
    assert (plan.document_number, plan.number_blank) == ("619/KH-GDĐT", False)
    assert (plan.parent_body, plan.issuing_body) == (
        "UBND TP THÁI NGUYÊN",
        "PHÒNG GIÁO DỤC VÀ ĐÀO TẠO",
    )
    assert (plan.issue_place, plan.issue_date) == ("TP. Thái Nguyên", datetime.date(2021, 6, 10))
    assert plan.kind == "plan"  # written "KÉ HOẠCH" in the source
    assert plan.title.startswith("Thực hiện Chương trình phát triển công tác xã hội")
    assert plan.title.endswith("trên địa bàn thành phố Thái Nguyên")
    assert (plan.period_start_year, plan.period_end_year) == (2021, 2030)
    assert bases(plan) == [
        (
            "Thực hiện",
            "Kế hoạch",
            "138/KH-UBND",
            datetime.date(2021, 6, 4),
            "UBND thành phố Thái Nguyên",
        ),
    ]
    assert [(s.number, s.heading) for s in plan.sections] == [
        ("I.", "MỤC TIÊU"),
        ("II.", "NHIỆM VỤ VÀ GIẢI PHÁP"),
        ("III.", "KINH PHÍ THỰC HIỆN"),
        ("IV.", "TỔ CHỨC THỰC HIỆN"),
    ]
    assert [c.number for c in plan.sections[1].clauses] == [f"{n}." for n in range(1, 8)]
    assert [p.number for p in plan.sections[1].clauses[0].points] == ["a)", "b)", "c)", "d)"]
    assert [m.year for m in plan.milestones] == ["2021–2025", "2026–2030", "2021–2025", "2026–2030"]
    targets = {(i.target, i.year) for i in plan.indicators}
    assert {("60%", 2025), ("90%", 2030), ("ít nhất từ 01 đến 02 cán bộ", 2025)} <= targets
    assert plan.recipients == [
        "UBND thành phố (Báo cáo)",
        "Trường mầm non, tiểu học, THCS",
        "Luu: VT.",
    ]
    assert plan.signer_authority == "KT. TRƯỞNG PHÒNG\nPHÓ TRƯỞNG PHÒNG"
    assert plan.signer_name == "Nguyễn Thị Phương Lan"


_FIXED = {
    "kế",
    "hoạch",
    "ké",
    "số",
    "nơi",
    "nhận",
    "cộng",
    "hòa",
    "xã",
    "hội",
    "chủ",
    "nghĩa",
    "việt",
    "nam",
    "độc",
    "lập",
    "tự",
    "do",
    "hạnh",
    "phúc",
}


def strings(value) -> str:
    """Every string in the result, separated by spaces (its repr would glue "\\n" to words)."""
    if isinstance(value, dict):
        return " ".join(strings(item) for item in value.values())
    if isinstance(value, list):
        return " ".join(strings(item) for item in value)
    return str(value) if value is not None else ""


def words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[^\W_]+", text)}


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003"])
@pytest.mark.parametrize("fmt", FORMATS)
def test_no_word_of_a_seed_is_lost(prefix, fmt):
    """Every word of the source is somewhere in the result (fields, text or leftovers);
    only the fixed words of the layout (kind word, motto, "Số", "Nơi nhận") may go."""
    text = re.sub(r"\[bookmark: [^\]]*\]", "", seed_text(prefix))
    plan = recognised(prefix, fmt)
    kept = words(strings(plan.as_json()))
    assert words(text) - kept - _FIXED == set()
