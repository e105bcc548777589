"""One school report as an XLSX workbook: a sheet of indicators, then a sheet per table.

It holds the figures only (counts, never a record), with the headings in the
reader's language. Text cells pass through ``config.exports.safe_cell``, so nothing
typed into a label can run as a formula; counts are numbers, so the district can
add them up.
"""

from __future__ import annotations

import io
import re

from django.http import HttpResponse
from django.utils.translation import gettext, pgettext

from config.exports import XLSX_CONTENT_TYPE, download_response, safe_cell
from reports import display
from reports.models import SchoolReport

__all__ = ["report_filename", "report_workbook", "xlsx_response"]

# Characters Excel refuses in a sheet's name, and its length limit.
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_SHEET_LENGTH = 31


def text_cell(value) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value))


def sheet_title(title: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", title).strip("' ")[:_SHEET_LENGTH] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        suffix = f" ({number})"
        name = base[: _SHEET_LENGTH - len(suffix)] + suffix
        number += 1
    used.add(name.lower())
    return name


def report_workbook(report: SchoolReport, figures: dict) -> bytes:
    """The workbook of ``report`` with ``figures`` (the live or the frozen ones)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    used: set[str] = set()
    sheet.title = sheet_title(gettext("Indicators"), used)
    sheet.append([text_cell(report.school.name)])
    sheet.append([text_cell(report.period.label)])
    sheet.append([])
    sheet.append(
        [
            text_cell(gettext("Indicator")),
            text_cell(pgettext("report", "Number")),
            text_cell(gettext("Rate")),
        ]
    )
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for item in display.indicators(figures):
        sheet.append([text_cell(item.label), item.value, text_cell(item.rate)])
    sheet.column_dimensions["A"].width = 55
    sheet.column_dimensions["C"].width = 28

    for table in display.tables(figures):
        sheet = workbook.create_sheet(sheet_title(table.title, used))
        sheet.append([text_cell(table.title)])
        sheet["A1"].font = bold
        sheet.append([text_cell(heading) for heading in display.column_headings(table)])
        for cell in sheet[2]:
            cell.font = bold
        for row in table.rows:
            values = [*row.values, *([row.total] if table.has_row_totals else [])]
            sheet.append([text_cell(row.label), *values])
        if table.totals is not None:
            totals = [*table.totals, *([table.grand_total] if table.has_row_totals else [])]
            sheet.append([text_cell(gettext("Total")), *totals])
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        if table.note:
            sheet.append([])
            sheet.append([text_cell(table.note)])
        sheet.column_dimensions["A"].width = 40

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_filename(report: SchoolReport, extension: str) -> str:
    """ "bao-cao-hb-2026-hk1.xlsx": the school's code and the period, nothing else."""
    kind = "hk1" if report.period.kind == report.period.Kind.SEMESTER_1 else "nam-hoc"
    return f"bao-cao-{report.school.code.lower()}-{report.period.school_year}-{kind}.{extension}"


def xlsx_response(report: SchoolReport, figures: dict) -> HttpResponse:
    return download_response(
        report_workbook(report, figures), XLSX_CONTENT_TYPE, report_filename(report, "xlsx")
    )
