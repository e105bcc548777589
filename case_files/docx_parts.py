"""What a Word document fetches, embeds or runs: its relationships, parts and field codes.

A DOCX runs nothing by itself, but Word follows what the package points to:
a remote template (the classic way to load macros into a "clean" document), an
OLE object (a program wrapped in a document), a frame, picture or sub-document
fetched from a web address or a ``\\\\host`` share (which also hands the share
the Windows sign-in hash), or a DDE field that starts a program. Each is
refused with its own reason:

* ``docx_macros``: macros and ActiveX (parts, content types, relationships);
* ``docx_ole``: anything embedded (``word/embeddings/``, ``oleObject`` or
  ``package`` relationships, OLE compound files, ``.bin`` parts other than
  Word's printer settings). Charts' data sheets live there too: such a
  document is refused, and the message says to paste the chart as a picture;
  an embedded file cannot be checked here, and an embedded workbook may carry
  its own links and objects;
* ``docx_template``: an ``attachedTemplate`` that is not on the reader's own
  drive (``C:\\...``, what Word writes for a school's own template, is allowed);
* ``docx_external``: any other external relationship (frame, sub-document,
  linked picture, external object…) and ``INCLUDEPICTURE``/``INCLUDETEXT``/
  ``LINK``/``IMPORT`` fields that point outside the reader's own drive;
* ``docx_link``: a clicked hyperlink to anything but ``http:``, ``https:`` or
  ``mailto:``. **Web and e-mail hyperlinks are allowed**: Word opens them only
  when clicked (with Ctrl held, by default), and school documents are full of
  them;
* ``docx_dde``: ``DDE``/``DDEAUTO`` fields, which start programs.

XML is read with defusedxml (no DTD, no entities) and field codes are streamed
with ``iterparse``, so a large document is never held as a whole tree.
"""

from __future__ import annotations

import posixpath
import re
import zipfile

from defusedxml.common import DefusedXmlException
from defusedxml.ElementTree import iterparse

__all__ = ["OLE_MAGIC", "Damaged", "find_fetched_or_embedded", "is_local_path"]

MACROS = "docx_macros"
OLE = "docx_ole"
TEMPLATE = "docx_template"
EXTERNAL = "docx_external"
LINK = "docx_link"
DDE = "docx_dde"
DAMAGED = "docx_damaged"

PRIORITY = (MACROS, DDE, OLE, TEMPLATE, EXTERNAL, LINK)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_SAFE_SCHEMES = ("http:", "https:", "mailto:")
_MACRO_TYPES = {
    "vbaProject",
    "vbaData",
    "wordVbaData",
    "control",
    "activeXControl",
    "activeXControlBinary",
    "keyMapCustomizations",
    "attachedToolbars",
}
_OLE_TYPES = {"oleObject", "package"}
_PRINTER_SETTINGS = re.compile(r"^word/printersettings/printersettings\d*\.bin$")
_LOCAL_PATH = re.compile(r"^(?:file:/{2,3})?[A-Za-z]:[\\/|]")
_FIELD = re.compile(r'^\s*(\w+)\s*"?([^"\s]*)', re.UNICODE)
_FETCHING_FIELDS = {"INCLUDEPICTURE", "INCLUDETEXT", "LINK", "IMPORT"}


class Damaged(Exception):
    """XML that does not parse or declares a DTD; the caller says "damaged"."""


def is_local_path(target: str) -> bool:
    """A path on the reader's own drive (``C:\\…``, ``file:///C:/…``) or relative to the file.

    Anything with a scheme, ``\\\\host`` or ``//host`` reaches another computer.
    """
    target = target.strip().replace("\\\\", "\\")
    if _LOCAL_PATH.match(target):
        return True
    if target.startswith(("\\", "/")):
        return False
    return not re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", target)


def _relationship_codes(archive: zipfile.ZipFile, name: str) -> set[str]:
    codes: set[str] = set()
    with archive.open(name) as part:
        for _event, element in iterparse(part, events=("end",), forbid_dtd=True):
            if not element.tag.endswith("Relationship"):
                continue
            kind = element.get("Type", "").rstrip("/").rsplit("/", 1)[-1]
            target = element.get("Target", "")
            external = element.get("TargetMode", "").lower() == "external"
            if kind in _MACRO_TYPES:
                codes.add(MACROS)
            elif kind in _OLE_TYPES:
                codes.add(EXTERNAL if external else OLE)
            elif kind == "attachedTemplate":
                if not (external and is_local_path(target)):
                    codes.add(TEMPLATE)
            elif external and kind == "hyperlink":
                if not target.strip().lower().startswith(_SAFE_SCHEMES):
                    codes.add(LINK)
            elif external:
                codes.add(EXTERNAL)
            element.clear()
    return codes


def _field_code(instruction: str) -> str | None:
    match = _FIELD.match(instruction)
    if not match:
        return None
    field, target = match.group(1).upper(), match.group(2)
    if field in ("DDE", "DDEAUTO"):
        return DDE
    if field in _FETCHING_FIELDS and target and not is_local_path(target):
        return EXTERNAL
    return None


def _field_codes(archive: zipfile.ZipFile, name: str) -> set[str]:
    """Each field's instruction, joined across the runs Word splits it into."""
    codes: set[str] = set()
    instruction: list[str] | None = None
    with archive.open(name) as part:
        for event, element in iterparse(part, events=("start", "end"), forbid_dtd=True):
            tag = element.tag
            if event == "start":
                if tag == f"{_W}fldSimple":
                    code = _field_code(element.get(f"{_W}instr", ""))
                    if code:
                        codes.add(code)
                elif tag == f"{_W}fldChar":
                    kind = element.get(f"{_W}fldCharType")
                    if kind == "begin":
                        instruction = []
                    elif instruction is not None:  # separate or end: the instruction is whole
                        code = _field_code("".join(instruction))
                        if code:
                            codes.add(code)
                        instruction = None
                continue
            if tag == f"{_W}instrText" and instruction is not None:
                instruction.append(element.text or "")
            elif tag == f"{_W}p":
                element.clear()
    if instruction:
        code = _field_code("".join(instruction))
        if code:
            codes.add(code)
    return codes


def _part_codes(name: str) -> set[str]:
    lowered = name.lower()
    if lowered.endswith("vbaproject.bin") or lowered.startswith("word/activex/"):
        return {MACROS}
    embedded = "/embeddings/" in f"/{lowered}" or lowered.endswith(".bin")
    return {OLE} if embedded and not _PRINTER_SETTINGS.match(lowered) else set()


def find_fetched_or_embedded(archive: zipfile.ZipFile, names: list[str]) -> str | None:
    """The one reason to refuse the package, or ``None``; ``docx_damaged`` for broken XML."""
    codes: set[str] = set()
    for name in names:
        codes |= _part_codes(name)
    try:
        for name in names:
            lowered = name.lower()
            if lowered.endswith(".rels"):
                codes |= _relationship_codes(archive, name)
            elif lowered.startswith("word/") and lowered.endswith(".xml"):
                directory = posixpath.dirname(lowered)
                if directory in ("word", "word/glossary"):
                    codes |= _field_codes(archive, name)
    except (DefusedXmlException, SyntaxError) as exc:  # ParseError is a SyntaxError
        raise Damaged from exc
    for code in PRIORITY:
        if code in codes:
            return code
    return None
