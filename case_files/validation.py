"""What may be attached to a case, decided by the file's content, never by its name.

A school's case file receives photos from phones and scanned forms, and a file
from outside is the easiest way to attack the one computer that holds the
children's records. So the name and the browser's content type count for
nothing: the first bytes say what a file claims to be, and its structure must
then prove it. Only four kinds pass:

* **PDF**: starts with ``%PDF-``, ends with ``%%EOF``, parses, and does nothing
  by itself and reaches nothing outside: no script, launch, remote file or
  share, form submission, embedded file or automatic action; a link a person
  clicks to a web or e-mail address is allowed (:mod:`case_files.pdf_actions`);
* **JPEG, PNG**: opened with Pillow under a pixel cap (decompression bombs),
  verified, then *re-encoded*: what is stored is a fresh image without EXIF
  (a phone's GPS position of a child's home), without text chunks, turned the
  way EXIF said, so nothing appended after the image data survives;
* **DOCX**: a zip with the parts of a Word document, no macros or ActiveX, no
  embedded object, remote template, external frame/picture/sub-document or DDE
  field, hyperlinks only to web and e-mail addresses
  (:mod:`case_files.docx_parts`), no path leaving the archive, and a bounded
  uncompressed size and ratio.

Any file carrying a second format's signature (a zip, a program) is refused as
a polyglot, whatever else it is; web content (HTML, script, SVG with script) is
looked for in the whole file, and in every unpacked part of a DOCX
(:mod:`case_files.web_content`). Each refusal is one ``ValidationError``
with one message in the user's words, so the form can say what is wrong.
"""

from __future__ import annotations

import hashlib
import io
import re
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps, UnidentifiedImageError

from case_files import docx_parts, pdf_actions
from case_files.web_content import ALL_MARKERS, ELEMENT_MARKERS, WebContentScanner, has_web_content

__all__ = [
    "MAX_IMAGE_PIXELS",
    "MESSAGES",
    "CheckedFile",
    "Kind",
    "max_bytes",
    "validate_bytes",
    "validate_upload",
]

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
# A 40-megapixel photo is larger than any phone takes; the cap keeps a crafted
# image from making Pillow allocate gigabytes.
MAX_IMAGE_PIXELS = 40_000_000
# A Word document with photos rarely unpacks to more than a few times its size.
DOCX_MAX_UNCOMPRESSED = 100 * 1024 * 1024
DOCX_MAX_RATIO = 100
DOCX_RATIO_FLOOR = 1024 * 1024  # small parts may compress very well; only big ones count
DOCX_MAX_ENTRIES = 5000


class Kind:
    """The accepted formats: extension used in the download name, and content type."""

    PDF = ("pdf", "application/pdf")
    JPEG = ("jpg", "image/jpeg")
    PNG = ("png", "image/png")
    DOCX = (
        "docx",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


MESSAGES = {
    "required": _("Choose a file to attach."),
    "empty": _("The file is empty."),
    "too_large": _("The file is larger than %(limit)s MB. Please attach a smaller file."),
    "program": _(
        "This file is a program, not a document. Only PDF, JPEG, PNG and Word (DOCX) "
        "files can be attached."
    ),
    "web_page": _("This file is a web page or a script, not a document or a photo."),
    "web_content": _(
        "This file has web page code (HTML or a script) hidden inside it. Save it again "
        "as a plain PDF, photo or Word file."
    ),
    "unknown": _(
        "This kind of file cannot be attached. Only PDF, JPEG, PNG and Word (DOCX) "
        "files are accepted."
    ),
    "polyglot": _(
        "This file has another file hidden inside it (for example a ZIP archive or a "
        "program). Save it again as a plain PDF, photo or Word file."
    ),
    "pdf_damaged": _("The PDF file is damaged or incomplete."),
    "pdf_script": _(
        "The PDF file contains a script (JavaScript) or a form that runs code. "
        "Print it to a new PDF or scan the paper instead."
    ),
    "pdf_launch": _(
        "The PDF file tries to start a program or open a file on the computer. "
        "Print it to a new PDF or scan the paper instead."
    ),
    "pdf_remote": _(
        "The PDF file opens a file or a shared folder on another computer, or has a link "
        "that is not a web or e-mail address. Print it to a new PDF or scan the paper instead."
    ),
    "pdf_submit": _(
        "The PDF file contains a form that sends what is typed into it to an outside "
        "address. Print it to a new PDF or scan the paper instead."
    ),
    "pdf_embedded": _(
        "The PDF file has other files attached inside it. Attach each file on its own, "
        "or print the PDF to a new PDF."
    ),
    "pdf_auto_uri": _(
        "The PDF file opens a web address by itself as soon as it is opened. "
        "Print it to a new PDF or scan the paper instead."
    ),
    "pdf_auto_action": _(
        "The PDF file does something by itself when it is opened or read (an automatic "
        "action). Print it to a new PDF or scan the paper instead."
    ),
    "pdf_encrypted": _(
        "The PDF file is protected by a password, so its content cannot be checked. "
        "Remove the password and try again."
    ),
    "image_damaged": _("The photo is damaged or is not really a JPEG or PNG image."),
    "image_too_big": _(
        "The photo has too many pixels (more than %(megapixels)s megapixels). "
        "Please attach a smaller photo."
    ),
    "docx_damaged": _("The file is not a valid Word (DOCX) document."),
    "docx_macros": _(
        "The Word file contains macros or ActiveX controls. Save it as a plain Word "
        "document (.docx) and try again."
    ),
    "docx_bomb": _("The Word file unpacks to far more data than a document holds (a “zip bomb”)."),
    "docx_paths": _("The Word file contains file paths that point outside the document."),
    "docx_ole": _(
        "The Word file has an object or another file embedded in it (for example a "
        "program, an Excel sheet or a chart's data). Paste it as a picture or as text, or "
        "save the document as PDF, and try again."
    ),
    "docx_template": _(
        "The Word file loads its template from the internet or a network folder when it is "
        "opened. Save it as PDF, or copy its content into a new Word document, and try again."
    ),
    "docx_external": _(
        "The Word file fetches content (a picture, a frame, another document or an object) "
        "from the internet or a network folder when it is opened. Save it as PDF, or copy "
        "its content into a new Word document, and try again."
    ),
    "docx_link": _(
        "The Word file has a link to a file on another computer or to a script. Only links "
        "to web pages and e-mail addresses are accepted. Remove the link and try again."
    ),
    "docx_dde": _(
        "The Word file contains a field that starts another program (DDE). Save it as PDF "
        "and try again."
    ),
}


@dataclass(frozen=True)
class CheckedFile:
    """A file that passed: the bytes to store (re-encoded for images) and what they are."""

    data: bytes
    extension: str
    content_type: str

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def max_bytes() -> int:
    return int(getattr(settings, "CASE_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _refuse(code: str, **params) -> ValidationError:
    return ValidationError(MESSAGES[code], code=code, params=params or None)


def _too_large() -> ValidationError:
    limit = max_bytes() / (1024 * 1024)
    return _refuse("too_large", limit=f"{limit:g}")


# Signatures ---------------------------------------------------------------------

PDF_MAGIC = b"%PDF-"
JPEG_MAGIC = b"\xff\xd8\xff"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
ZIP_MAGIC = b"PK\x03\x04"

# Programs: Windows (MZ), Linux (ELF), scripts (#!), macOS (Mach-O), Java classes.
_PROGRAM_MAGICS = (
    b"MZ",
    b"\x7fELF",
    b"#!",
    b"\xfe\xed\xfa\xce",
    b"\xfe\xed\xfa\xcf",
    b"\xce\xfa\xed\xfe",
    b"\xcf\xfa\xed\xfe",
    b"\xca\xfe\xba\xbe",
)
_WEB_START = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*<(?:!doctype\s+html|html|script|svg|\?xml|\?php|body|head|iframe)",
    re.IGNORECASE,
)
# Archives whose signature inside another file marks a polyglot.
_ARCHIVE_MAGICS = (b"Rar!\x1a\x07", b"7z\xbc\xaf\x27\x1c")


def _has_zip(data: bytes) -> bool:
    # A zip needs a local header and its end-of-directory record; both together do
    # not occur by chance in compressed image or PDF data.
    return ZIP_MAGIC in data and b"PK\x05\x06" in data


def _hides_other_format(data: bytes, *, allow_zip: bool = False) -> bool:
    if not allow_zip and _has_zip(data):
        return True
    return any(magic in data for magic in _ARCHIVE_MAGICS)


# Entry points ----------------------------------------------------------------------


def validate_upload(upload: UploadedFile | None) -> CheckedFile:
    """Check an uploaded file: one ``ValidationError`` with one message, or what to store.

    The size is checked before the content is read: an upload over the limit was
    already cut short by :class:`case_files.upload.SizeLimitUploadHandler`.
    """
    if upload is None:
        raise _refuse("required")
    if getattr(upload, "too_large", False) or (upload.size or 0) > max_bytes():
        raise _too_large()
    if not upload.size:
        raise _refuse("empty")
    upload.seek(0)
    data = upload.read(max_bytes() + 1)
    return validate_bytes(data)


def validate_bytes(data: bytes) -> CheckedFile:
    """Check a file's content; see the module docstring for what passes."""
    if not data:
        raise _refuse("empty")
    if len(data) > max_bytes():
        raise _too_large()
    if data.startswith(_PROGRAM_MAGICS):
        raise _refuse("program")
    if _WEB_START.match(data[:1024]):
        raise _refuse("web_page")
    if data.startswith(PDF_MAGIC):
        return _check_pdf(data)
    if data.startswith(JPEG_MAGIC):
        return _check_image(data, "JPEG")
    if data.startswith(PNG_MAGIC):
        return _check_image(data, "PNG")
    if data.startswith(ZIP_MAGIC):
        return _check_docx(data)
    raise _refuse("unknown")


# PDF -----------------------------------------------------------------------------------


def _check_pdf(data: bytes) -> CheckedFile:
    if _hides_other_format(data):
        raise _refuse("polyglot")
    if b"%%EOF" not in data[-1024:]:
        raise _refuse("pdf_damaged")
    code = pdf_actions.find_active_content(data)
    if code:
        raise _refuse(code)
    if has_web_content(data, ALL_MARKERS):
        raise _refuse("web_content")
    return CheckedFile(data, *Kind.PDF)


# Images --------------------------------------------------------------------------------


def _open_image(data: bytes, expected: str) -> Image.Image:
    """Open under the pixel cap; Pillow's bomb warning and error both refuse."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            image = Image.open(io.BytesIO(data), formats=[expected])
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse("image_too_big", megapixels=MAX_IMAGE_PIXELS // 1_000_000) from exc
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
            raise _refuse("image_damaged") from exc
    width, height = image.size
    if width < 1 or height < 1 or width * height > MAX_IMAGE_PIXELS:
        raise _refuse("image_too_big", megapixels=MAX_IMAGE_PIXELS // 1_000_000)
    return image


def _check_image(data: bytes, expected: str) -> CheckedFile:
    if _hides_other_format(data) or PDF_MAGIC in data:
        raise _refuse("polyglot")
    # The stored copy is re-encoded, but the original must not be a web page either.
    if has_web_content(data, ALL_MARKERS):
        raise _refuse("web_content")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            _open_image(data, expected).verify()
            image = _open_image(data, expected)
            image.load()
            image = ImageOps.exif_transpose(image)
            if "transparency" in image.info or image.mode in ("P", "PA"):
                image = image.convert("RGBA")
            # Nothing read from the file travels on: no EXIF (GPS), comment, text
            # chunk or colour profile, as Pillow would copy some of them from ``info``.
            image.info = {}
            out = io.BytesIO()
            if expected == "JPEG":
                if image.mode not in ("RGB", "L"):
                    image = image.convert("RGB")
                # A fresh image: no exif=, no icc_profile=, so no metadata is carried over.
                image.save(out, "JPEG", quality=90, optimize=True)
                kind = Kind.JPEG
            else:
                if image.mode not in ("RGB", "RGBA", "L", "LA"):
                    image = image.convert("RGBA")
                image.save(out, "PNG", optimize=True)
                kind = Kind.PNG
        except ValidationError:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise _refuse("image_too_big", megapixels=MAX_IMAGE_PIXELS // 1_000_000) from exc
        except (OSError, SyntaxError, ValueError, TypeError, EOFError) as exc:
            raise _refuse("image_damaged") from exc
    return CheckedFile(out.getvalue(), *kind)


# DOCX ------------------------------------------------------------------------------------

_MACRO_CONTENT_TYPE = re.compile(rb"macroEnabled|vbaProject|activeX", re.IGNORECASE)


def _unsafe_path(name: str) -> bool:
    normal = name.replace("\\", "/")
    if normal.startswith("/") or re.match(r"^[A-Za-z]:", normal):
        return True
    return ".." in normal.split("/")


def _check_docx(data: bytes) -> CheckedFile:
    if any(magic in data for magic in _ARCHIVE_MAGICS):
        raise _refuse("polyglot")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError) as exc:
        raise _refuse("docx_damaged") from exc
    if not entries or len(entries) > DOCX_MAX_ENTRIES:
        raise _refuse("docx_damaged")
    names = {entry.filename for entry in entries}
    if any(_unsafe_path(name) for name in names):
        raise _refuse("docx_paths")
    if "[Content_Types].xml" not in names or "word/document.xml" not in names:
        raise _refuse("docx_damaged")
    lowered = {name.lower() for name in names}
    if any(n.endswith("vbaproject.bin") or n.startswith("word/activex/") for n in lowered):
        raise _refuse("docx_macros")
    total = sum(entry.file_size for entry in entries)
    if total > DOCX_MAX_UNCOMPRESSED:
        raise _refuse("docx_bomb")
    for entry in entries:
        if entry.file_size > DOCX_RATIO_FLOOR and entry.file_size > DOCX_MAX_RATIO * max(
            entry.compress_size, 1
        ):
            raise _refuse("docx_bomb")
    try:
        if _MACRO_CONTENT_TYPE.search(archive.read("[Content_Types].xml")):
            raise _refuse("docx_macros")
        # Reading every part checks its CRC; zipfile stops at each part's declared
        # size, which the total above has bounded. The same pass looks for OLE
        # objects and web content, one chunk at a time, never a whole part.
        unpacked = 0
        ole = web = False
        for entry in entries:
            scanner = WebContentScanner(ELEMENT_MARKERS)
            with archive.open(entry) as part:
                first = True
                while chunk := part.read(1024 * 1024):
                    if first:
                        ole = ole or chunk.startswith(docx_parts.OLE_MAGIC)
                        first = False
                    unpacked += len(chunk)
                    if unpacked > DOCX_MAX_UNCOMPRESSED:
                        raise _refuse("docx_bomb")
                    web = scanner.feed(chunk) or web
        code = docx_parts.find_fetched_or_embedded(archive, [entry.filename for entry in entries])
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        NotImplementedError,
        ValueError,
        OSError,
        EOFError,
        docx_parts.Damaged,
    ) as exc:
        raise _refuse("docx_damaged") from exc
    if code:
        raise _refuse(code)
    if ole:
        raise _refuse("docx_ole")
    # Parts unpacked above; the raw file for anything stored beside or after them.
    if web or has_web_content(data, ELEMENT_MARKERS):
        raise _refuse("web_content")
    return CheckedFile(data, *Kind.DOCX)
