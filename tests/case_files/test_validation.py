"""The content check alone: what passes, what is refused, and with which message."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from case_files import pdf_actions, validation
from case_files.upload import SizeLimitUploadHandler, TooLargeUpload
from tests.case_files import samples


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as caught:
        validation.validate_bytes(data)
    return caught.value.code


def test_pdf_and_docx_are_kept_byte_for_byte():
    for data, content_type in (
        (samples.pdf(), "application/pdf"),
        (samples.docx(), validation.Kind.DOCX[1]),
    ):
        checked = validation.validate_bytes(data)
        assert checked.data == data
        assert checked.content_type == content_type


def test_jpeg_is_re_encoded_without_exif_gps_or_comment_and_turned_upright():
    original = samples.jpeg_with_gps()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(samples.GPS_IFD)

    checked = validation.validate_bytes(original)

    image = Image.open(io.BytesIO(checked.data))
    assert image.format == "JPEG"
    assert image.size == (32, 64)  # orientation 6 applied, so no viewer turns it again
    assert dict(image.getexif()) == {}
    assert "comment" not in image.info
    assert samples.CHILD.encode("utf-8") not in checked.data
    assert checked.content_type == "image/jpeg"
    assert checked.extension == "jpg"


def test_png_is_re_encoded_without_its_text_chunks():
    original = samples.png_with_text()
    assert samples.CHILD.encode("utf-8") in original

    checked = validation.validate_bytes(original)

    image = Image.open(io.BytesIO(checked.data))
    assert image.format == "PNG"
    assert image.size == (30, 20)
    assert samples.CHILD.encode("utf-8") not in checked.data
    assert "Author" not in image.info


REFUSALS = [
    ("decompression bomb", samples.png_claiming(30_000, 30_000), "image_too_big"),
    ("over the pixel cap", samples.png_claiming(7_000, 7_000), "image_too_big"),
    ("JPEG + ZIP", samples.jpeg() + samples.zip_of({"payload.txt": b"x"}), "polyglot"),
    ("PDF with JavaScript", samples.pdf(javascript="app.alert(1)"), "pdf_script"),
    (
        "PDF with an escaped JavaScript name",
        samples.raw_pdf("/OpenAction << /S /J#61vaScript /J#53 (app.alert(1)) >> "),
        "pdf_script",
    ),
    (
        "PDF launching a program",
        samples.raw_pdf("/OpenAction << /S /Launch /F (cmd.exe) >> "),
        "pdf_launch",
    ),
    ("PDF + ZIP", samples.pdf() + samples.zip_of({"payload.txt": b"x"}), "polyglot"),
    ("PDF cut short", samples.pdf()[:-200], "pdf_damaged"),
    ("program named .pdf", samples.EXE, "program"),
    ("ELF named .png", samples.ELF, "program"),
    ("script", b"#!/bin/sh\nrm -rf /\n", "program"),
    ("web page named .jpg", samples.HTML, "web_page"),
    ("zip bomb", samples.docx({"word/media/pad.bin": bytes(20_000_000)}), "docx_bomb"),
    ("macros", samples.docx({"word/vbaProject.bin": b"\xd0\xcf\x11\xe0"}), "docx_macros"),
    ("path leaving the archive", samples.docx({"../../evil.txt": b"x"}), "docx_paths"),
    ("zip that is no document", samples.zip_of({"a.txt": b"x"}), "docx_damaged"),
    ("truncated JPEG", samples.jpeg()[:150], "image_damaged"),
    ("GIF", b"GIF89a" + bytes(40), "unknown"),
    ("empty", b"", "empty"),
]


@pytest.mark.parametrize(("name", "data", "code"), REFUSALS, ids=[r[0] for r in REFUSALS])
def test_refused_with_the_reason(name, data, code):
    assert refusal(data) == code, name


def test_the_pdf_parser_alone_finds_a_script_the_raw_scan_would_also_see():
    # Both layers must catch it on their own: the parser covers names hidden in
    # compressed object streams, the raw scan names the parser might skip.
    assert "pdf_script" in pdf_actions.parsed_codes(samples.pdf(javascript="app.alert(1)"))
    assert "pdf_script" in pdf_actions.raw_codes(samples.pdf(javascript="app.alert(1)"))
    assert not pdf_actions.parsed_codes(samples.pdf())
    assert not pdf_actions.raw_codes(samples.pdf())


def test_every_refusal_has_a_message():
    assert set(validation.MESSAGES) >= {
        "empty",
        "too_large",
        "program",
        "web_page",
        "unknown",
        "polyglot",
        "pdf_script",
        "image_too_big",
        "docx_bomb",
        "docx_macros",
    }


def test_size_is_checked_before_the_content(settings):
    settings.CASE_FILE_MAX_BYTES = 100
    upload = SimpleUploadedFile("scan.pdf", samples.pdf())
    with pytest.raises(ValidationError) as caught:
        validation.validate_upload(upload)
    assert caught.value.code == "too_large"
    assert caught.value.params == {"limit": f"{100 / 1024 / 1024:g}"}


def test_upload_handler_keeps_no_more_than_the_limit(settings):
    settings.CASE_FILE_MAX_BYTES = 1000
    handler = SizeLimitUploadHandler()
    handler.new_file("file", "scan.pdf", "application/pdf", 5000)
    passed = [handler.receive_data_chunk(b"x" * 600, start) for start in (0, 600, 1200)]
    result = handler.file_complete(1800)

    assert passed[0] == b"x" * 600
    assert passed[1:] == [None, None]  # the later handlers never get these bytes
    assert isinstance(result, TooLargeUpload)
    with pytest.raises(ValidationError) as caught:
        validation.validate_upload(result)
    assert caught.value.code == "too_large"


def test_upload_handler_leaves_a_small_file_to_the_next_handler(settings):
    settings.CASE_FILE_MAX_BYTES = 1000
    handler = SizeLimitUploadHandler()
    handler.new_file("file", "scan.pdf", "application/pdf", 500)
    assert handler.receive_data_chunk(b"x" * 500, 0) == b"x" * 500
    assert handler.file_complete(500) is None
