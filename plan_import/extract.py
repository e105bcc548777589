"""The text of an uploaded plan: a Word file, a PDF with a text layer, or plain text.

Only reading happens here. Uploads are checked for active content elsewhere
(``case_files.validation``, called by the review screen before this); what this
module promises is never to crash on bad bytes: anything it cannot read becomes an
``ExtractError`` whose message the editor can act on.

The text keeps one paragraph per line, in reading order, because the recogniser
works line by line. Tables are where official documents put things side by side
(issuing body | national motto, "Số: …" | place and date, "Nơi nhận:" | signer):
a row whose cells hold several paragraphs is such a layout row and is read cell
after cell, each paragraph on its own line; a row of one-line cells is a data row
and becomes one line, cells joined by " | " (``CELL_SEPARATOR``), which the
recogniser splits where it expects side-by-side parts.
"""

from __future__ import annotations

import io
import re

from django.utils.translation import gettext_lazy as _

CELL_SEPARATOR = " | "

# A text layer with fewer letters than this on average per page is a scan.
_MIN_LETTERS_PER_PAGE = 20
_COLUMN_GAP = re.compile(r"\s{3,}")
_STRUCTURAL_START = re.compile(
    r"^(?:[-+•–—*]\s|[IVXLC]+\s*[.)]|\d+(?:\.\d+)*\s*[.)]|[a-zđ]\s*\)|Căn cứ|Thực hiện|"
    r"Nơi nhận|Trên đây|KT\.|TM\.|TL\.|Số\s*:)"
)
_SENTENCE_END = re.compile(r"[.:!?]\s*$")
_LETTER = re.compile(r"[^\W\d_]")


class ExtractError(Exception):
    """A file the importer cannot read; ``message`` is shown to the editor as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(str(message))
        self.message = message


def text_of(name: str, data: bytes) -> str:
    """The text of the file ``name`` holding ``data``: one paragraph per line.

    The type is taken from the name's extension and checked against the bytes
    (a PDF renamed .docx is still read as a PDF), so a wrong extension is not an
    error the editor has to understand.
    """
    suffix = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if data.startswith(b"%PDF") or (suffix == "pdf" and b"%PDF" in data[:1024]):
        return _pdf_text(data)
    if data.startswith(b"PK") and suffix in ("docx", "docm", "dotx", ""):
        return _docx_text(data)
    if suffix == "docx":
        raise ExtractError(_("This Word file is damaged or is not really a .docx file."))
    if suffix == "pdf":
        raise ExtractError(_("This PDF file is damaged and cannot be read."))
    if suffix == "doc" or data.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractError(
            _(
                "Old Word files (.doc) cannot be read. Save the file as .docx in Word, "
                "or paste its text."
            )
        )
    if suffix in ("txt", "text", ""):
        return _plain_text(data)
    raise ExtractError(
        _("Only Word (.docx), PDF and plain text (.txt) files can be imported; or paste the text.")
    )


def _plain_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else the Windows Vietnamese code page."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    if b"\x00" in data:
        raise ExtractError(_("This file does not contain plain text."))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    return data.decode("cp1258", errors="replace")


# --- Word -----------------------------------------------------------------------------


def _docx_text(data: bytes) -> str:
    try:
        import docx
        from docx.oxml.ns import qn

        document = docx.Document(io.BytesIO(data))
        lines: list[str] = []
        _block_lines(document.element.body, lines, qn)
    except ExtractError:
        raise
    except Exception as error:  # python-docx and lxml raise many kinds on bad bytes
        raise ExtractError(_("This Word file is damaged or is not really a .docx file.")) from error
    return "\n".join(lines)


def _paragraph_text(element, qn) -> str:
    """A paragraph's text: its runs' text, tabs and line breaks (w:br) as written."""
    parts: list[str] = []
    for node in element.iter(qn("w:t"), qn("w:tab"), qn("w:br"), qn("w:cr")):
        if node.tag == qn("w:t"):
            parts.append(node.text or "")
        elif node.tag == qn("w:tab"):
            parts.append("\t")
        else:
            parts.append("\n")
    return "".join(parts)


def _block_lines(container, lines: list[str], qn) -> None:
    """Paragraphs and tables of ``container`` (the body or a cell) in document order."""
    for child in container.iterchildren():
        if child.tag == qn("w:p"):
            lines.extend(_paragraph_text(child, qn).split("\n"))
        elif child.tag == qn("w:tbl"):
            _table_lines(child, lines, qn)
        elif child.tag == qn("w:sdt"):
            content = child.find(qn("w:sdtContent"))
            if content is not None:
                _block_lines(content, lines, qn)


def _table_lines(table, lines: list[str], qn) -> None:
    for row in table.iterchildren(qn("w:tr")):
        cells = list(row.iterchildren(qn("w:tc")))
        cell_lines: list[list[str]] = []
        for cell in cells:
            own: list[str] = []
            _block_lines(cell, own, qn)
            cell_lines.append([line for line in own if line.strip()])
        filled = [cell for cell in cell_lines if cell]
        if not filled:
            continue
        if len(filled) == 1 or any(len(cell) > 1 for cell in filled):
            for cell in filled:  # a layout row: read down each cell in turn
                lines.extend(cell)
        else:  # a data row: one line
            lines.append(CELL_SEPARATOR.join(cell[0].strip() for cell in filled))
    lines.append("")


# --- PDF ------------------------------------------------------------------------------


def _pdf_text(data: bytes) -> str:
    try:
        import pypdf

        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ExtractError(
                _("This PDF is protected by a password. Remove the protection or paste its text.")
            )
        pages: list[str] = []
        last = len(reader.pages) - 1
        for index, page in enumerate(reader.pages):
            # Layout mode keeps columns apart but costs three times as much: only the
            # first and last pages have side-by-side parts (header, Nơi nhận | signer).
            try:
                mode = "layout" if index in (0, last) else "plain"
                pages.append(page.extract_text(extraction_mode=mode) or "")
            except Exception:
                pages.append(page.extract_text() or "")
    except ExtractError:
        raise
    except Exception as error:
        raise ExtractError(_("This PDF file is damaged and cannot be read.")) from error
    letters = sum(len(_LETTER.findall(page)) for page in pages)
    if not pages or letters < _MIN_LETTERS_PER_PAGE * len(pages):
        raise ExtractError(
            _(
                "This PDF has no text layer: it looks like a scan. Copy the text from the "
                "original Word file and paste it instead, or run character recognition first."
            )
        )
    return "\n".join(_unwrap(_columns(pages)))


def _columns(pages: list[str]) -> list[tuple[str, bool]]:
    """The PDF's lines in reading order, each with whether it was a full-width line.

    pypdf's layout mode (first and last page) keeps each line's horizontal position, so side-by-side
    columns show as text separated by a wide gap. Above the title (the header) and
    from "Nơi nhận" on (the footer) such lines are split at the gap and each column
    is read top to bottom, left column first. In between, the position tells where
    a line ends: a line reaching near the right margin was wrapped by the PDF, not
    ended by the writer, which ``_unwrap`` needs to know.
    """
    raw: list[str] = []
    widths: list[int] = []
    for page in pages:
        lines = [line.rstrip() for line in page.splitlines()]
        # The page's text width: its longest single-column line.
        width = max(
            (len(line) for line in lines if not _COLUMN_GAP.search(line.strip())), default=0
        )
        raw += lines
        widths += [width] * len(lines)
    kind_at = next(
        (
            i
            for i, line in enumerate(raw[:60])
            if re.match(r"^\s*(?:K[ẾÉỂẺE]\s*HO[ẠA]CH|CÔNG VĂN|QUYẾT ĐỊNH|BÁO CÁO|HƯỚNG DẪN)", line)
        ),
        0,
    )
    footer_at = next(
        (i for i in range(len(raw) - 1, -1, -1) if raw[i].strip().startswith("Nơi nhận")),
        len(raw),
    )
    out: list[tuple[str, bool]] = []
    out += [(line, False) for line in _split_columns(raw[:kind_at])]
    for line, width in zip(raw[kind_at:footer_at], widths[kind_at:footer_at], strict=True):
        if line.strip():
            out.append((line.strip(), len(line) >= 0.8 * width))
        else:
            out.append(("", False))
    out += [(line, False) for line in _split_columns(raw[footer_at:])]
    return out


def _split_columns(lines: list[str]) -> list[str]:
    """Side-by-side columns read one after the other (see ``_columns``)."""
    # Where the right column begins: the leftmost start of a fragment after a gap.
    right_starts = [
        len(line) - len(line.lstrip()) + match.end()
        for line in lines
        for match in [_COLUMN_GAP.search(line.strip())]
        if match
    ]
    if not right_starts:
        return [line.strip() for line in lines if line.strip()]
    split = min(right_starts)
    left: list[str] = []
    right: list[str] = []
    for line in lines:
        position = 0
        for fragment in re.split(r"(\s{3,})", line):
            if fragment.strip():
                (left if position < split else right).append(fragment.strip())
            position += len(fragment)
    return left + right


def _unwrap(lines: list[tuple[str, bool]]) -> list[str]:
    """Lines the PDF wrapped joined again into the writer's paragraphs.

    A full-width line not ending a sentence, followed by a line that starts no
    numbered item, bullet or known block, is one paragraph with it. (Lines the
    writer ended but that start with a small letter are joined later for every
    kind of file, in ``normalise``.)
    """
    out: list[str] = []
    joinable = False
    for text, full in lines:
        if not text:
            out.append("")
            joinable = False
            continue
        if out and joinable and not _STRUCTURAL_START.match(text):
            previous = out[-1]
            if previous.endswith("-") and not previous.endswith(" -") and text[:1].islower():
                out[-1] = previous + text
            else:
                out[-1] = previous + " " + text
        else:
            out.append(text)
        joinable = full and not _SENTENCE_END.search(text)
    return out
