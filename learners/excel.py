"""Reading a class list exported from VnEdu or MISA EMIS (.xlsx) into rows.

The school information systems export a sheet per class or one for the school, with
title rows above a header row ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Lớp",
"Mã định danh"…), whose words vary between systems and versions. Headers are
matched folded (no case, no diacritics, single spaces), so "HỌ VÀ TÊN" and
"Ho va ten" are the same column. Every row is checked on its own: a bad row is
reported with its number and a reason in Vietnamese, never silently dropped, and
the good rows still come through.

The file is untrusted: its size is limited, it must be a real .xlsx (a zip that
openpyxl opens in read-only mode; openpyxl parses through defusedxml when it is
installed, as it is here), the zip may not unpack to more than a limit, and a
formula is never evaluated: openpyxl does not evaluate, and a cell holding one is
refused as a bad row rather than read from a value cached by whoever made the file.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forms_app.models import Gender

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# A class list's worth, and a whole large school's; more is not a class list.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024
MAX_ROWS = 5000
# The header row is looked for among the first rows of each sheet (title rows above it).
HEADER_SEARCH_ROWS = 30
PERSONAL_ID_DIGITS = 12

# Folded header text → the column it names.
HEADERS: dict[str, str] = {
    "stt": "number",
    "so thu tu": "number",
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ho va ten hoc sinh": "full_name",
    "ho ten hoc sinh": "full_name",
    "ten hoc sinh": "full_name",
    "ho dem": "family_names",
    "ho va ten dem": "family_names",
    "ho va dem": "family_names",
    "ho lot": "family_names",
    "ten": "given_name",
    "ngay sinh": "birth_date",
    "ngay thang nam sinh": "birth_date",
    "gioi tinh": "gender",
    "lop": "class_name",
    "lop hoc": "class_name",
    "ten lop": "class_name",
    "ma dinh danh": "personal_id",
    "ma dinh danh ca nhan": "personal_id",
    "so dinh danh ca nhan": "personal_id",
    "so dinh danh": "personal_id",
    "ma dinh danh hoc sinh": "personal_id",
    "so cccd": "personal_id",
    "so can cuoc": "personal_id",
    "so can cuoc cong dan": "personal_id",
}
GENDERS: dict[str, str] = {"nam": Gender.MALE, "nu": Gender.FEMALE}
# "DANH SÁCH HỌC SINH LỚP 6A" above the header names the class when no column does.
TITLE_CLASS = re.compile(r"\blop\s*:?\s*(\d{1,2}\s*[a-z]?\d{0,2})\b")
DATE_TEXT = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")

XLSX_ONLY = gettext_lazy(
    "This is not an Excel .xlsx file. Export the class list from VnEdu or MISA EMIS as "
    "Excel (.xlsx), or open it in Excel and save it as “Excel Workbook (.xlsx)”."
)


def fold(text: Any) -> str:
    """Header text without case, diacritics or extra spaces: "HỌ VÀ TÊN" → "ho va ten"."""
    decomposed = unicodedata.normalize("NFD", str(text or ""))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    stripped = stripped.replace("đ", "d").replace("Đ", "D").casefold()
    return " ".join(re.sub(r"[^\w]+", " ", stripped).split())


@dataclass
class ClassListRow:
    """One learner as a row of the file gives them (a blank cell is ``""`` or None)."""

    number: str  # where in the file: "12", or "6A · 12" for a workbook of several sheets
    full_name: str
    birth_date: datetime.date | None
    gender: str
    class_name: str
    personal_id: str

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "full_name": self.full_name,
            "birth_date": self.birth_date.isoformat() if self.birth_date else "",
            "gender": self.gender,
            "class_name": self.class_name,
            "personal_id": self.personal_id,
        }

    @classmethod
    def from_json(cls, data: dict) -> ClassListRow:
        birth = data.get("birth_date") or ""
        return cls(
            number=str(data["number"]),
            full_name=data["full_name"],
            birth_date=datetime.date.fromisoformat(birth) if birth else None,
            gender=data.get("gender", ""),
            class_name=data.get("class_name", ""),
            personal_id=data.get("personal_id", ""),
        )


@dataclass(frozen=True)
class BadRow:
    """A row that cannot be taken, with why, in words a school's staff act on."""

    number: str
    reason: str


class _RowError(Exception):
    pass


def check_upload(upload) -> None:
    """Refuse what is not a small, real .xlsx before anything parses it."""
    name = (getattr(upload, "name", "") or "").lower()
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB; a class list is much smaller.")
            % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)},
            code="too_large",
        )
    if name.endswith(".xls"):
        raise ValidationError(
            _(
                "This is an old Excel 97–2003 file (.xls). Open it in Excel and save it "
                "as “Excel Workbook (.xlsx)”, then upload that file."
            ),
            code="xls",
        )
    upload.seek(0)
    if not zipfile.is_zipfile(upload):
        raise ValidationError(XLSX_ONLY, code="not_xlsx")
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
            names = {member.filename for member in members}
            unpacked = sum(member.file_size for member in members)
    except (zipfile.BadZipFile, OSError) as error:
        raise ValidationError(XLSX_ONLY, code="not_xlsx") from error
    if "[Content_Types].xml" not in names or not any(n.startswith("xl/") for n in names):
        raise ValidationError(XLSX_ONLY, code="not_xlsx")
    if unpacked > MAX_UNPACKED_BYTES or len(members) > 2000:
        raise ValidationError(
            _("The file unpacks to far more than a class list; it was not read."),
            code="too_large",
        )
    upload.seek(0)


def read_class_list(upload: IO[bytes]) -> tuple[list[ClassListRow], list[BadRow]]:
    """The learners of every sheet that has a header row, and the rows that could not
    be taken. Raises ``ValidationError`` when the file as a whole cannot be read."""
    # Imported here: only this screen needs openpyxl.
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    check_upload(upload)
    try:
        # read_only streams the sheets; data_only=False gives a formula as its text,
        # so it is seen and refused, never taken from a cached result.
        workbook = load_workbook(upload, read_only=True, data_only=False, keep_links=False)
    except InvalidFileException as error:
        raise ValidationError(XLSX_ONLY, code="not_xlsx") from error
    except Exception as error:
        # A malformed part of an untrusted zip fails in whichever parser reads it.
        raise ValidationError(XLSX_ONLY, code="not_xlsx") from error
    try:
        sheets = list(workbook.worksheets)
        rows: list[ClassListRow] = []
        bad: list[BadRow] = []
        found_header = False
        for sheet in sheets:
            label = sheet.title if len(sheets) > 1 else ""
            sheet_rows = sheet.iter_rows(values_only=True)
            result = _read_sheet(sheet_rows, label)
            if result is None:
                continue
            found_header = True
            rows.extend(result[0])
            bad.extend(result[1])
            if len(rows) + len(bad) > MAX_ROWS:
                raise ValidationError(
                    _("The file has more than %(count)s rows; upload one class or grade at a time.")
                    % {"count": MAX_ROWS},
                    code="too_many_rows",
                )
    except ValidationError:
        raise
    except Exception as error:
        # A malformed part of an untrusted file fails in whatever parser reads it.
        raise ValidationError(XLSX_ONLY, code="not_xlsx") from error
    finally:
        workbook.close()
    if not found_header:
        raise ValidationError(
            _(
                "No header row was found. The class list needs a row with the column "
                "names, at least “Họ và tên” (or “Họ đệm” and “Tên”) and one of “Ngày sinh”, "
                "“Lớp” or “Mã định danh”."
            ),
            code="no_header",
        )
    _mark_repeated_ids(rows, bad)
    return rows, bad


def _columns(values: Iterable[Any]) -> dict[str, int]:
    """The known columns of a row (their first occurrence), by what they hold."""
    found: dict[str, int] = {}
    for index, value in enumerate(values):
        column = HEADERS.get(fold(value))
        if column and column not in found:
            found[column] = index
    return found


def _is_header(columns: dict[str, int]) -> bool:
    has_name = "full_name" in columns or {"family_names", "given_name"} <= columns.keys()
    others = columns.keys() & {"birth_date", "class_name", "personal_id", "gender"}
    return has_name and bool(others)


def _read_sheet(
    sheet_rows: Iterator[tuple], label: str
) -> tuple[list[ClassListRow], list[BadRow]] | None:
    title_class = ""
    columns: dict[str, int] | None = None
    for line, values in enumerate(sheet_rows, start=1):
        if line > HEADER_SEARCH_ROWS:
            return None
        found = _columns(values)
        if _is_header(found):
            columns = found
            break
        for value in values:
            match = TITLE_CLASS.search(fold(value))
            if match and not title_class:
                title_class = match.group(1).replace(" ", "").upper()
    if columns is None:
        return None
    rows: list[ClassListRow] = []
    bad: list[BadRow] = []
    header_line = line
    for line, values in enumerate(sheet_rows, start=header_line + 1):
        number = f"{label} · {line}" if label else str(line)
        try:
            row = _row(values, columns, number, title_class)
        except _RowError as error:
            bad.append(BadRow(number, str(error)))
            continue
        if row is not None:
            rows.append(row)
        if len(rows) + len(bad) > MAX_ROWS:
            break
    return rows, bad


def _cell(values: tuple, columns: dict[str, int], column: str) -> Any:
    index = columns.get(column)
    if index is None or index >= len(values):
        return None
    value = values[index]
    if isinstance(value, str):
        if value.startswith("="):
            raise _RowError(
                _(
                    "A cell holds a formula (%(formula)s), not a value. In Excel, copy the "
                    "column and paste it back as values, then upload the file again."
                )
                % {"formula": value[:40]}
            )
        value = " ".join(value.split())
    return value


def _row(
    values: tuple, columns: dict[str, int], number: str, title_class: str
) -> ClassListRow | None:
    full_name = _cell(values, columns, "full_name")
    if full_name is None or full_name == "":
        parts = [_cell(values, columns, "family_names"), _cell(values, columns, "given_name")]
        full_name = " ".join(str(part) for part in parts if part not in (None, ""))
    full_name = str(full_name or "").strip()
    birth = _cell(values, columns, "birth_date")
    personal = _cell(values, columns, "personal_id")
    if not full_name:
        if birth in (None, "") and personal in (None, ""):
            return None  # a blank line, a total or a signature under the list
        raise _RowError(_("The full name is missing."))
    if len(full_name) > 255:
        raise _RowError(_("The full name is longer than 255 characters."))
    class_cell = _cell(values, columns, "class_name")
    gender_cell = _cell(values, columns, "gender")
    if all(value in (None, "") for value in (birth, personal, class_cell, gender_cell)):
        if "number" in columns and not isinstance(_cell(values, columns, "number"), int | float):
            return None  # a line under the list ("Người lập danh sách"), not a learner
        raise _RowError(
            _("Only a name, without a date of birth, class or personal ID: is it a learner?")
        )
    class_name = str(class_cell or title_class).strip()
    if len(class_name) > 32:
        raise _RowError(
            _("The class “%(value)s” is longer than 32 characters.") % {"value": class_name}
        )
    return ClassListRow(
        number=number,
        full_name=full_name,
        birth_date=_birth_date(birth),
        gender=_gender(gender_cell),
        class_name=class_name,
        personal_id=_personal_id(personal),
    )


def _birth_date(value: Any) -> datetime.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.datetime):
        date = value.date()
    elif isinstance(value, datetime.date):
        date = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        # A date Excel keeps as a number without a date format.
        from openpyxl.utils.datetime import from_excel

        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError) as error:
            raise _RowError(_bad_date(value)) from error
        date = converted.date() if isinstance(converted, datetime.datetime) else converted
    else:
        match = DATE_TEXT.fullmatch(str(value).strip())
        if match is None:
            raise _RowError(_bad_date(value))
        day, month, year = (int(part) for part in match.groups())
        try:
            date = datetime.date(year, month, day)
        except ValueError as error:
            raise _RowError(_bad_date(value)) from error
    today = timezone.localdate()
    if date > today or date.year < today.year - 40:
        raise _RowError(_bad_date(value))
    return date


def _bad_date(value: Any) -> str:
    shown = value.strftime("%d/%m/%Y") if isinstance(value, datetime.date) else str(value)
    return _(
        "The date of birth “%(value)s” is not a real date; write it as day/month/year, "
        "e.g. 05/09/2013."
    ) % {"value": shown[:40]}


def _gender(value: Any) -> str:
    if value in (None, ""):
        return ""
    gender = GENDERS.get(fold(value))
    if gender is None:
        raise _RowError(
            _("The gender “%(value)s” is not “Nam” or “Nữ”.") % {"value": str(value)[:20]}
        )
    return gender


def _personal_id(value: Any) -> str:
    if value in (None, ""):
        return ""
    if isinstance(value, bool):
        raise _RowError(_bad_id(str(value)))
    if isinstance(value, int | float):
        if isinstance(value, float) and not value.is_integer():
            raise _RowError(_bad_id(str(value)))
        digits = str(int(value))
        # Stored as a number, the ID lost its leading zeros (every province code
        # starts with 0: 001–096); a text cell keeps them, and is taken as written.
        if len(digits) < PERSONAL_ID_DIGITS:
            digits = digits.zfill(PERSONAL_ID_DIGITS)
    else:
        text = str(value).strip()
        if re.fullmatch(r"\d+(?:[.,]\d+)?[eE]\+?\d+", text):
            raise _RowError(
                _(
                    "The personal ID “%(value)s” was turned into a number in scientific "
                    "notation by Excel; format the column as text and type it again."
                )
                % {"value": text[:20]}
            )
        digits = re.sub(r"[\s.\-']", "", text)
    if not digits.isdigit() or len(digits) != PERSONAL_ID_DIGITS:
        raise _RowError(_bad_id(digits))
    return digits


def _bad_id(value: str) -> str:
    count = sum(ch.isdigit() for ch in value)
    return _("The personal ID “%(value)s” must have exactly 12 digits (it has %(count)s).") % {
        "value": value[:20],
        "count": count,
    }


def _mark_repeated_ids(rows: list[ClassListRow], bad: list[BadRow]) -> None:
    """A personal ID twice in the file: the later row is refused, naming the first."""
    first: dict[str, str] = {}
    kept = []
    for row in rows:
        if row.personal_id and row.personal_id in first:
            bad.append(
                BadRow(
                    row.number,
                    _("The personal ID is the same as on row %(row)s.")
                    % {"row": first[row.personal_id]},
                )
            )
            continue
        if row.personal_id:
            first[row.personal_id] = row.number
        kept.append(row)
    rows[:] = kept
