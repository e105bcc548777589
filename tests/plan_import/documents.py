"""Word and PDF files made from plain text, and the seed plans, for the importer's tests.

The importer's tests need real .docx and .pdf files, but committing binary fixtures
would hide what they say; so they are made here from text. The layout follows an
official document (Nghị định 30/2020/NĐ-CP) the way offices really type it: the
issuing body and the national motto side by side in a two-column table above the
title ("Số: …" beside the place and date), and "Nơi nhận:" beside the signer's
block in another table at the end. Markdown ``**bold**`` left by converters becomes
bold runs, and ``[bookmark: …]`` artefacts are dropped, since a real Word file
holds those as formatting, not text.

The seeds are four real plans (../shared/seeds next to the checkout; in CI the
shared folder is linked at /tmp/shared). Tests that need them skip when neither
place has them, saying where they looked.
"""

from __future__ import annotations

import dataclasses
import html
import io
import os
import re
from pathlib import Path

import pytest

# tests/plan_import/documents.py → parents[2] is the checkout, parents[3] its folder.
_CANDIDATES = [
    Path(os.environ["PLAN_IMPORT_SEEDS"]) if os.environ.get("PLAN_IMPORT_SEEDS") else None,
    Path(__file__).resolve().parents[3] / "shared" / "seeds",
    Path("/tmp/shared/seeds"),
]
SEEDS_DIR: Path = next(
    (path for path in _CANDIDATES if path is not None and path.is_dir()),
    Path(__file__).resolve().parents[3] / "shared" / "seeds",
)
UNSEEN_DIR: Path = Path(__file__).resolve().parent / "unseen"

_BOOKMARK = re.compile(r"\[bookmark: [^\]]*\]")
_BOLD = re.compile(r"\*\*(.+?)\*\*", re.S)
_KIND_WORD = re.compile(r"^\s*(KẾ HOẠCH|KÉ HOẠCH|CÔNG VĂN|QUYẾT ĐỊNH|BÁO CÁO|HƯỚNG DẪN)\s*$")


def seed_texts() -> dict[str, str]:
    """The seed plans as {file stem: text}; skips the calling test when there are none."""
    files = sorted(SEEDS_DIR.glob("*.txt")) if SEEDS_DIR.is_dir() else []
    if not files:
        pytest.skip(
            f"No seed plans found (looked in {', '.join(str(p) for p in _CANDIDATES if p)})"
        )
    return {path.stem: path.read_text(encoding="utf-8") for path in files}


def seed_text(prefix: str) -> str:
    """The seed whose name starts with ``prefix`` ("000", "003", …)."""
    for name, text in seed_texts().items():
        if name.startswith(prefix):
            return text
    pytest.skip(f"Seed {prefix} not found in {SEEDS_DIR}")
    raise AssertionError  # pragma: no cover (skip raises)


def unseen_texts() -> dict[str, str]:
    """The fictitious plans written for these tests, as {file stem: text}."""
    return {
        path.stem: path.read_text(encoding="utf-8") for path in sorted(UNSEEN_DIR.glob("*.txt"))
    }


@dataclasses.dataclass
class Layout:
    """A plan's text cut into the parts a real file lays out side by side."""

    issuer: list[str]  # header, left column: parent body, issuing body
    motto: list[str]  # header, right column: CỘNG HÒA … / Độc lập - Tự do - Hạnh phúc
    number: list[str]  # header, second row left: "Số: …"
    place_date: list[str]  # header, second row right: "TP. …, ngày … tháng … năm …"
    body: list[str]  # everything between
    recipients: list[str]  # footer, left: "Nơi nhận:" and its "- …;" lines
    signer: list[str]  # footer, right: authority lines, "(Đã ký)", the name


def layout_of(text: str) -> Layout:
    """Where each line of ``text`` would sit in a real file (see the module docstring)."""
    text = _BOOKMARK.sub("", text)
    lines = text.splitlines()
    kind_at = next((i for i, line in enumerate(lines) if _KIND_WORD.match(line)), None)
    head, rest = (lines[:kind_at], lines[kind_at:]) if kind_at is not None else ([], lines)
    layout = Layout([], [], [], [], [], [], [])
    # Lines already typed as table rows ("A | B") are taken cell by cell.
    head = [cell for raw in head for cell in raw.split(" | ")]
    for raw in head:
        line = raw.strip()
        if not line:
            continue
        if "CỘNG HÒA" in line.upper() or line.startswith("Độc lập"):
            motto, _, tail = line.partition("Độc lập")
            layout.motto += [part for part in (motto.strip(), tail and "Độc lập" + tail) if part]
        elif line.startswith("Số"):
            layout.number.append(line)
        elif ", ngày" in line or line.startswith("ngày"):
            layout.place_date.append(line)
        else:
            # "UBND TP X **PHÒNG GIÁO DỤC**": the bold part is its own line in the file.
            parts = [part.strip() for part in re.split(r"(\*\*.+?\*\*)", line) if part.strip()]
            layout.issuer += parts
    footer_at = next(
        (i for i, line in enumerate(rest) if line.strip().startswith("Nơi nhận")), None
    )
    if footer_at is None:
        layout.body = rest
        return layout
    layout.body = rest[:footer_at]
    for cell in [cell for row in rest[footer_at:] for cell in row.split(" | ")]:
        line = cell.strip().strip("|").strip()
        if not line:
            continue
        if line.startswith(("Nơi nhận", "-", "+")):
            layout.recipients.append(line)
        else:
            layout.signer.append(line)
    return layout


def _add_runs(paragraph, line: str) -> None:
    """``line`` as runs, ``**…**`` parts bold (as the converter that wrote them saw them)."""
    position = 0
    for match in _BOLD.finditer(line):
        if match.start() > position:
            paragraph.add_run(line[position : match.start()])
        paragraph.add_run(match.group(1)).bold = True
        position = match.end()
    if position < len(line) or not line:
        paragraph.add_run(line[position:])


def _fill_cell(cell, lines: list[str]) -> None:
    first = True
    for line in lines or [""]:
        paragraph = cell.paragraphs[0] if first else cell.add_paragraph()
        first = False
        _add_runs(paragraph, line)


def docx_from_text(
    text: str, *, tables: bool = True, extra_table: list[list[str]] | None = None
) -> bytes:
    """A Word file saying ``text``.

    With ``tables`` (the default) the header and the footer are laid out in
    two-column tables as in a real office file; without, every line is a paragraph.
    ``extra_table`` (rows of cells) is added as a table after the body, to test that
    tables keep their place in the reading order.
    """
    import docx

    document = docx.Document()
    if not tables:
        for line in _BOOKMARK.sub("", text).splitlines():
            _add_runs(document.add_paragraph(), line.strip())
        if extra_table:
            add_table(document, extra_table)
        return _saved(document)
    layout = layout_of(text)
    if layout.issuer or layout.motto or layout.number or layout.place_date:
        table = document.add_table(rows=2, cols=2)
        _fill_cell(table.cell(0, 0), layout.issuer)
        _fill_cell(table.cell(0, 1), layout.motto)
        _fill_cell(table.cell(1, 0), layout.number)
        _fill_cell(table.cell(1, 1), layout.place_date)
    for line in layout.body:
        _add_runs(document.add_paragraph(), line.strip())
    if extra_table:
        add_table(document, extra_table)
    if layout.recipients or layout.signer:
        table = document.add_table(rows=1, cols=2)
        _fill_cell(table.cell(0, 0), layout.recipients)
        _fill_cell(table.cell(0, 1), layout.signer)
    return _saved(document)


def add_table(document, rows: list[list[str]]) -> None:
    """A plain table of one paragraph per cell (an indicators table, say)."""
    table = document.add_table(rows=len(rows), cols=max(len(row) for row in rows))
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.cell(r, c).text = value


def _saved(document) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


_PDF_STYLE = """
@font-face { font-family: "Plan Serif"; src: url("fonts/DejaVuSerif.ttf"); }
@font-face { font-family: "Plan Serif"; src: url("fonts/DejaVuSerif-Bold.ttf"); font-weight: bold; }
@page { size: A4; margin: 20mm 20mm 20mm 30mm; }
body { font-family: "Plan Serif"; font-size: 11pt; }
p { margin: 0 0 4pt 0; }
table { width: 100%; border-collapse: collapse; }
td { vertical-align: top; text-align: center; font-size: 10pt; }
td:first-child { width: 40%; }
"""


def _html_line(line: str) -> str:
    escaped = html.escape(line.strip())
    escaped = _BOLD.sub(r"<b>\1</b>", escaped)
    return f"<p>{escaped or '&nbsp;'}</p>" if line.strip() else ""


def _html_cell(lines: list[str]) -> str:
    return "<td>" + "".join(_html_line(line) for line in lines) + "</td>"


def pdf_from_text(text: str, *, tables: bool = True) -> bytes:
    """A text-layer PDF saying ``text``, drawn by WeasyPrint with the bundled DejaVu font.

    Same layout as :func:`docx_from_text`. The font is the project's own (so every
    Vietnamese letter has a glyph and a text layer); no page-number footer, so the
    text layer holds only the plan.
    """
    from weasyprint import CSS, HTML

    from config.pdf import static_files_fetcher, static_source

    root = static_source("fonts/DejaVuSerif.ttf").parent.parent
    fetcher = static_files_fetcher(root)
    parts: list[str] = []
    if tables:
        layout = layout_of(text)
        if layout.issuer or layout.motto or layout.number or layout.place_date:
            parts.append(
                "<table><tr>"
                + _html_cell(layout.issuer)
                + _html_cell(layout.motto)
                + "</tr><tr>"
                + _html_cell(layout.number)
                + _html_cell(layout.place_date)
                + "</tr></table>"
            )
        parts += [_html_line(line) for line in layout.body]
        if layout.recipients or layout.signer:
            parts.append(
                "<table><tr>"
                + _html_cell(layout.recipients)
                + _html_cell(layout.signer)
                + "</tr></table>"
            )
    else:
        parts += [_html_line(line) for line in _BOOKMARK.sub("", text).splitlines()]
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    document = HTML(
        string="<html><body>" + "".join(parts) + "</body></html>",
        base_url=root.as_uri() + "/",
        url_fetcher=fetcher,
    )
    return document.write_pdf(
        stylesheets=[
            CSS(
                string=_PDF_STYLE,
                base_url=root.as_uri() + "/",
                url_fetcher=fetcher,
                font_config=fonts,
            )
        ],
        font_config=fonts,
    )


def scan_like_pdf() -> bytes:
    """A PDF with a page but no text layer, as a scanner makes (a drawn box, no glyphs)."""
    from weasyprint import HTML

    return HTML(
        string='<html><body><div style="width:12cm;height:8cm;background:#888"></div></body></html>'
    ).write_pdf()
