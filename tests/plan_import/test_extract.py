"""Reading the uploaded file: Word tables stay in their place in the text, a PDF's
text layer comes back in reading order, and what cannot be read is refused with a
message the editor can act on, never a crash."""

import io
import unicodedata

import docx
import pytest
from django.utils import translation

from plan_import.extract import ExtractError, text_of
from tests.plan_import.documents import docx_from_text, pdf_from_text, scan_like_pdf

PLAN = """TRƯỜNG TH MẪU ĐƠN
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KH-TH
Xã Mẫu, ngày 5 tháng 9 năm 2025
KẾ HOẠCH
Công tác xã hội năm học 2025 – 2026
I. MỤC TIÊU
Đoạn văn trước bảng.
Nơi nhận:
- Phòng GDĐT;
- Lưu: VT.
HIỆU TRƯỞNG
Nguyễn Thị Mẫu
"""


def lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def test_word_tables_are_read_in_document_order():
    data = docx_from_text(
        PLAN, extra_table=[["STT", "Chỉ tiêu", "Năm 2026"], ["1", "Tư vấn", "100%"]]
    )
    got = lines(text_of("ke-hoach.docx", data))
    # Header table: each side-by-side cell read top to bottom, left cell first.
    assert got[:5] == [
        "TRƯỜNG TH MẪU ĐƠN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 12/KH-TH | Xã Mẫu, ngày 5 tháng 9 năm 2025",
        "KẾ HOẠCH",
    ]
    # The data table sits after the paragraph before it, one line per row.
    at = got.index("Đoạn văn trước bảng.")
    assert got[at + 1 : at + 3] == ["STT | Chỉ tiêu | Năm 2026", "1 | Tư vấn | 100%"]
    # Nơi nhận | signer: the recipients' cell, then the signer's.
    assert got[-5:] == ["Nơi nhận:", "- Phòng GDĐT;", "- Lưu: VT.", "HIỆU TRƯỞNG", "Nguyễn Thị Mẫu"]


def test_word_merged_cells_are_read_once():
    document = docx.Document()
    table = document.add_table(rows=1, cols=3)
    table.cell(0, 0).merge(table.cell(0, 1)).text = "Gộp hai ô"
    table.cell(0, 2).text = "Ô ba"
    buffer = io.BytesIO()
    document.save(buffer)
    assert lines(text_of("a.docx", buffer.getvalue())) == ["Gộp hai ô | Ô ba"]


def test_pdf_text_layer_in_reading_order_with_wrapped_lines_joined():
    long_line = "Phối hợp với gia đình và chính quyền địa phương " * 4 + "để hỗ trợ học sinh."
    got = lines(
        text_of("ke-hoach.pdf", pdf_from_text(PLAN.replace("Đoạn văn trước bảng.", long_line)))
    )
    assert got[0] == "TRƯỜNG TH MẪU ĐƠN"
    assert "Số: 12/KH-TH" in got
    assert "Xã Mẫu, ngày 5 tháng 9 năm 2025" in got
    assert got.index("Số: 12/KH-TH") < got.index("KẾ HOẠCH")
    # The paragraph the PDF wrapped over several lines is one line again.
    assert long_line in got
    assert got[-5:] == ["Nơi nhận:", "- Phòng GDĐT;", "- Lưu: VT.", "HIỆU TRƯỞNG", "Nguyễn Thị Mẫu"]


def test_a_scan_without_text_layer_is_refused_with_advice_to_paste():
    with pytest.raises(ExtractError) as raised:
        text_of("scan.pdf", scan_like_pdf())
    # The editor reads it in Vietnamese (the default language).
    assert "bản quét" in str(raised.value.message)
    assert "dán" in str(raised.value.message)
    with translation.override("en"):
        assert "paste" in str(raised.value.message)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("plan.pdf", b"%PDF-1.7\n garbage \x00\xff" * 20),
        ("plan.docx", b"PK\x03\x04 not really a zip"),
        ("plan.docx", b"\x00\x01\x02 random"),
        ("plan.pdf", b""),
        ("plan.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100),
        ("plan.odt", b"anything"),
        ("plan.txt", b"\x00\x00\x00\x00binary"),
    ],
)
def test_bad_or_unknown_files_are_refused_not_crashed_on(name, data):
    with pytest.raises(ExtractError) as raised:
        text_of(name, data)
    assert str(raised.value.message)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("KẾ HOẠCH".encode("utf-8-sig"), "KẾ HOẠCH"),
        ("KẾ HOẠCH".encode("utf-16"), "KẾ HOẠCH"),
        # Windows-1258 writes tone marks as combining characters.
        ("KÊ\u0301 HOA\u0323CH".encode("cp1258"), "KẾ HOẠCH"),
    ],
)
def test_plain_text_in_the_encodings_offices_use(data, expected):
    assert unicodedata.normalize("NFC", text_of("plan.txt", data)) == expected
