"""Class lists as VnEdu and MISA EMIS export them, built with openpyxl for the import's tests.

Two layouts: VnEdu's (title rows above the header, "Họ và tên" in one column, the date of
birth as dd/mm/yyyy text, the ID as text) and MISA EMIS's (the header on the first row,
"Họ đệm" and "Tên" in two columns, the date of birth as an Excel date, the ID stored as a
number, which loses its leading zero).
"""

import datetime
import io
from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl import Workbook


@dataclass(frozen=True)
class Pupil:
    family_names: str
    given_name: str
    birth_date: datetime.date | str | None
    gender: str  # "Nam" / "Nữ" / ""
    class_name: str
    personal_id: str | int | None

    @property
    def full_name(self) -> str:
        return f"{self.family_names} {self.given_name}"


# Made-up names, never real children.
CLASS_6A = [
    Pupil("Nguyễn Thị", "Thử Một", datetime.date(2014, 3, 5), "Nữ", "6A", "001214000001"),
    Pupil("Trần Văn", "Thử Hai", datetime.date(2014, 7, 19), "Nam", "6A", "001214000002"),
    Pupil("Lê Minh", "Thử Ba", datetime.date(2014, 11, 30), "Nam", "6A", "001214000003"),
]


def _date_text(value) -> str:
    return value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else (value or "")


def vnedu_xlsx(pupils: Iterable[Pupil], *, title_rows: bool = True, extra_rows=()) -> bytes:
    """VnEdu's layout: school and title rows, then "STT | Họ và tên | Ngày sinh | Giới tính |
    Lớp | Mã định danh", dates and IDs as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "DanhSach"
    if title_rows:
        sheet.append(["SỞ GD&ĐT TỈNH GIẢ ĐỊNH"])
        sheet.append(["TRƯỜNG THCS THỬ NGHIỆM"])
        sheet.append([])
        sheet.append(["DANH SÁCH HỌC SINH LỚP 6A", None, None, "Năm học 2025-2026"])
    sheet.append(["STT", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp", "Mã định danh"])
    for number, pupil in enumerate(pupils, start=1):
        sheet.append(
            [
                number,
                pupil.full_name,
                _date_text(pupil.birth_date),
                pupil.gender,
                pupil.class_name,
                pupil.personal_id,
            ]
        )
    for row in extra_rows:
        sheet.append(list(row))
    sheet.append([])
    sheet.append([None, "Người lập danh sách"])
    return _bytes(book)


def misa_xlsx(pupils: Iterable[Pupil]) -> bytes:
    """MISA EMIS's layout: the header first, "STT | Mã định danh cá nhân | Họ đệm | Tên |
    Ngày sinh | Giới tính | Lớp"; dates as Excel dates, IDs as numbers."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet.append(["STT", "Số định danh cá nhân", "Họ đệm", "Tên", "Ngày sinh", "Giới tính", "Lớp"])
    for number, pupil in enumerate(pupils, start=1):
        personal_id = pupil.personal_id
        if isinstance(personal_id, str) and personal_id.isdigit():
            personal_id = int(personal_id)
        sheet.append(
            [
                number,
                personal_id,
                pupil.family_names,
                pupil.given_name,
                pupil.birth_date,
                pupil.gender,
                pupil.class_name,
            ]
        )
        if isinstance(pupil.birth_date, datetime.date):
            sheet.cell(row=sheet.max_row, column=5).number_format = "DD/MM/YYYY"
    return _bytes(book)


def _bytes(book: Workbook) -> bytes:
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
