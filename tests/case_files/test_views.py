"""Attaching, downloading and removing files through the screens, as each role would."""

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from PIL import Image

from audit.models import Action, AuditEntry
from case_files import validation
from case_files.models import AttachmentKind, CaseAttachment
from case_files.storage import private_storage
from forms_app.models import CaseState
from schools.roles import Role
from tests.case_files import samples
from tests.forms_app.factories import LEARNER_NAME, make_case

ADDRESS = "203.0.113.7"
DOCX_TYPE = validation.Kind.DOCX[1]


@pytest.fixture
def world(make_school, make_staff):
    a, b = make_school("AA"), make_school("BB")
    users = {
        "worker_a": make_staff("worker_a", Role.CASE_WORKER, a),
        "principal_a": make_staff("principal_a", Role.PRINCIPAL, a),
        "editor_a": make_staff("editor_a", Role.EDITOR, a),
        "administrator_a": make_staff("administrator_a", Role.ADMINISTRATOR, a),
        "district_a": make_staff("district_a", Role.DISTRICT_OFFICER, a),
        "worker_b": make_staff("worker_b", Role.CASE_WORKER, b),
        "principal_b": make_staff("principal_b", Role.PRINCIPAL, b),
        "superuser": get_user_model().objects.create_superuser("root", password="pw-root"),
    }
    case = make_case(a, users["worker_a"], users["principal_a"])
    return {"school": a, "users": users, "case": case}


def upload_url(case) -> str:
    return reverse("case_files:upload", args=[case.pk])


def post_file(client, case, name: str, data: bytes, **fields):
    payload = {
        "attachment-kind": fields.get("kind", AttachmentKind.SIGNED_FORM),
        "attachment-description": fields.get("description", "Biên bản có chữ ký, trang 1"),
        "attachment-file": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }
    return client.post(upload_url(case), payload, REMOTE_ADDR=ADDRESS)


def message(code: str, **params) -> str:
    """The refusal as the (Vietnamese-first) screen shows it."""
    with translation.override("vi"):
        text = str(validation.MESSAGES[code])
    return escape(text % params if params else text)


@pytest.fixture
def as_worker(client, world):
    client.force_login(world["users"]["worker_a"])
    return client


# Accepted files -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "content_type", "extension"),
    [
        ("bien-ban.pdf", samples.pdf(), "application/pdf", "pdf"),
        ("bien-ban.docx", samples.docx(), DOCX_TYPE, "docx"),
    ],
)
def test_document_is_attached_and_comes_back_byte_for_byte(
    as_worker, world, name, data, content_type, extension
):
    case = world["case"]
    response = post_file(as_worker, case, name, data)

    assert response.status_code == 302
    assert response.url.endswith("#attachments")
    attachment = CaseAttachment.objects.get(case=case)
    assert attachment.content_type == content_type
    assert attachment.original_name == name
    assert attachment.description == "Biên bản có chữ ký, trang 1"
    assert attachment.uploaded_by == world["users"]["worker_a"]

    download = as_worker.get(reverse("case_files:download", args=[attachment.pk]))

    assert download.status_code == 200
    assert download.content == data
    assert download["Content-Type"] == content_type
    expected_name = f"{case.reference}-{attachment.pk}.{extension}"
    assert download["Content-Disposition"] == f'attachment; filename="{expected_name}"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in download["Cache-Control"]
    assert "sandbox" in download["Content-Security-Policy"]


def test_photo_comes_back_re_encoded_without_its_gps_position(as_worker, world):
    post_file(as_worker, world["case"], "anh.jpg", samples.jpeg_with_gps(), kind="evidence_photo")
    attachment = CaseAttachment.objects.get()

    download = as_worker.get(reverse("case_files:download", args=[attachment.pk]))

    assert download["Content-Type"] == "image/jpeg"
    assert download["Content-Disposition"].endswith(f'-{attachment.pk}.jpg"')
    image = Image.open(io.BytesIO(download.content))
    assert image.format == "JPEG"
    assert dict(image.getexif()) == {}
    assert image.getexif().get_ifd(samples.GPS_IFD) == {}
    assert attachment.sha256 == validation.validate_bytes(samples.jpeg_with_gps()).sha256


def test_png_is_accepted_and_downloadable(as_worker, world):
    post_file(as_worker, world["case"], "anh.png", samples.png_with_text())
    attachment = CaseAttachment.objects.get()
    download = as_worker.get(reverse("case_files:download", args=[attachment.pk]))
    assert download["Content-Type"] == "image/png"
    assert Image.open(io.BytesIO(download.content)).size == (30, 20)


def test_download_name_never_carries_the_uploaded_name(as_worker, world):
    post_file(as_worker, world["case"], f"{samples.CHILD}.pdf", samples.pdf())
    attachment = CaseAttachment.objects.get()
    download = as_worker.get(reverse("case_files:download", args=[attachment.pk]))
    assert samples.CHILD not in download["Content-Disposition"]
    assert "Nguy" not in download["Content-Disposition"]


def test_upload_is_audited_with_user_and_address(as_worker, world):
    post_file(as_worker, world["case"], "bien-ban.pdf", samples.pdf())
    attachment = CaseAttachment.objects.get()
    entry = AuditEntry.objects.get(action=Action.UPLOAD)
    assert entry.actor == world["users"]["worker_a"]
    assert entry.ip_address == ADDRESS
    assert entry.case_id_value == world["case"].pk
    assert entry.target == f"file:{attachment.pk}"
    assert samples.CHILD not in entry.detail


# Storage ---------------------------------------------------------------------------------------


def test_stored_file_is_encrypted_under_a_random_name_outside_media(as_worker, world):
    pdf, photo = samples.pdf(), samples.jpeg()
    post_file(as_worker, world["case"], f"{samples.CHILD}.pdf", pdf)
    post_file(as_worker, world["case"], "anh.jpg", photo)

    for attachment in CaseAttachment.objects.all():
        assert re.fullmatch(r"[0-9a-f]{32}", attachment.blob)
        path = Path(private_storage().path(attachment.blob))
        assert path.is_file()
        assert path.parent == Path(settings.PRIVATE_MEDIA_ROOT)
        assert not path.resolve().is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        assert not list(Path(settings.MEDIA_ROOT).rglob(attachment.blob))
        raw = path.read_bytes()
        assert not raw.startswith(b"%PDF-")
        assert not raw.startswith(b"\xff\xd8\xff")
        assert pdf not in raw
        assert attachment.sha256 not in raw.decode("ascii")
        assert oct(path.stat().st_mode & 0o777) == oct(0o600)


def test_private_storage_has_no_url():
    with pytest.raises(ValueError, match="not accessible via a URL"):
        private_storage().url("anything")


def test_description_and_name_are_not_stored_in_clear(as_worker, world):
    from django.db import connection

    post_file(as_worker, world["case"], f"{samples.CHILD}.pdf", samples.pdf())
    with connection.cursor() as cursor:
        cursor.execute("SELECT description, original_name FROM case_files_caseattachment")
        description, original_name = cursor.fetchone()
    assert "Biên bản" not in description
    assert samples.CHILD not in original_name


# Refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data", "code"),
    [
        ("bomb.png", samples.png_claiming(30_000, 30_000), "image_too_big"),
        ("anh.jpg", samples.jpeg() + samples.zip_of({"x.txt": b"x"}), "polyglot"),
        ("bien-ban.pdf", samples.pdf(javascript="app.alert(1)"), "pdf_script"),
        ("bien-ban.pdf", samples.pdf() + samples.zip_of({"x.txt": b"x"}), "polyglot"),
        ("bien-ban.pdf", samples.EXE, "program"),
        ("anh.png", samples.ELF, "program"),
        ("anh.jpg", samples.HTML, "web_page"),
        ("bien-ban.docx", samples.docx({"word/media/x.bin": bytes(20_000_000)}), "docx_bomb"),
        ("bien-ban.docx", samples.docx({"word/vbaProject.bin": b"x"}), "docx_macros"),
        ("trong.pdf", b"", "empty"),
    ],
    ids=[
        "decompression bomb",
        "jpeg+zip",
        "pdf+js",
        "pdf+zip",
        "exe as pdf",
        "elf as png",
        "html as jpg",
        "docx zip bomb",
        "docx macros",
        "empty",
    ],
)
def test_refusal_says_why_and_keeps_the_other_fields(as_worker, world, name, data, code):
    response = post_file(
        as_worker, world["case"], name, data, kind="evidence_photo", description="Ảnh vết bầm"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message(code, **({"megapixels": 40} if code == "image_too_big" else {})) in html
    form = response.context["form"]
    assert form["kind"].value() == "evidence_photo"
    assert 'value="Ảnh vết bầm"' in html
    assert re.search(r'value="evidence_photo"[^>]*checked', html)
    assert not CaseAttachment.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.UPLOAD).exists()
    assert list(Path(settings.PRIVATE_MEDIA_ROOT).iterdir()) == []


HOSTILE_FILES = samples.hostile_files()


@pytest.mark.parametrize(("name", "data", "code"), HOSTILE_FILES, ids=[f[0] for f in HOSTILE_FILES])
def test_hostile_file_is_refused_on_screen_with_its_reason_and_the_form_kept(
    as_worker, world, name, data, code
):
    extension = "docx" if name.startswith("docx") else "pdf"
    response = post_file(
        as_worker, world["case"], f"bien-ban.{extension}", data, kind="other", description="Trang 2"
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert message(code) in html
    # Only its own reason: no other refusal's message is shown with it.
    others = {c for _n, _d, c in HOSTILE_FILES if c != code}
    assert not any(message(other) in html for other in others)
    assert response.context["form"]["kind"].value() == "other"
    assert 'value="Trang 2"' in html
    assert not CaseAttachment.objects.exists()
    assert list(Path(settings.PRIVATE_MEDIA_ROOT).iterdir()) == []


def test_pdf_with_a_clicked_web_link_and_docx_with_a_hyperlink_are_attached(as_worker, world):
    link_pdf = samples.link_pdf("<< /S /URI /URI (https://moet.gov.vn/) >>")
    link_docx = samples.docx_with_rels("document.xml", ("hyperlink", "https://moet.gov.vn/", True))
    post_file(as_worker, world["case"], "huong-dan.pdf", link_pdf)
    post_file(as_worker, world["case"], "huong-dan.docx", link_docx)

    assert sorted(CaseAttachment.objects.values_list("extension", flat=True)) == ["docx", "pdf"]


def test_oversized_file_is_cut_off_while_it_arrives(as_worker, world, settings):
    settings.CASE_FILE_MAX_BYTES = 2048
    big = samples.pdf().replace(b"%PDF-1.3\n", b"%PDF-1.3\n%" + b"x" * 4000 + b"\n", 1)

    response = post_file(as_worker, world["case"], "bien-ban.pdf", big, kind="other")

    assert response.status_code == 200
    assert message("too_large", limit=f"{2048 / 1024 / 1024:g}") in response.content.decode()
    assert response.context["form"]["kind"].value() == "other"
    assert getattr(response.context["form"].files["attachment-file"], "too_large", False)
    assert not CaseAttachment.objects.exists()


def test_missing_csrf_token_is_refused(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world["users"]["worker_a"])
    response = post_file(client, world["case"], "bien-ban.pdf", samples.pdf())
    assert response.status_code == 403
    assert not CaseAttachment.objects.exists()


# Who may ----------------------------------------------------------------------------------------


@pytest.fixture
def attachment(world):
    uploader = Client()
    uploader.force_login(world["users"]["worker_a"])
    post_file(uploader, world["case"], "bien-ban.pdf", samples.pdf())
    return CaseAttachment.objects.get()


@pytest.mark.parametrize("user", ["worker_a", "principal_a"])
def test_case_roles_of_the_school_download_and_each_download_is_audited(
    client, world, attachment, user
):
    client.force_login(world["users"][user])
    url = reverse("case_files:download", args=[attachment.pk])

    for _ in range(2):
        assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200

    entries = AuditEntry.objects.filter(action=Action.DOWNLOAD)
    assert entries.count() == 2
    for entry in entries:
        assert entry.actor == world["users"][user]
        assert entry.actor_username == user
        assert entry.ip_address == ADDRESS
        assert entry.case_reference == world["case"].reference
        assert entry.target == f"file:{attachment.pk}"


@pytest.mark.parametrize(
    "user",
    ["worker_b", "principal_b", "editor_a", "administrator_a", "district_a", "superuser"],
)
def test_others_get_404_for_download_upload_and_removal_and_nothing_is_audited(
    client, world, attachment, user
):
    client.force_login(world["users"][user])

    for url in (
        reverse("case_files:download", args=[attachment.pk]),
        reverse("case_files:delete", args=[attachment.pk]),
        upload_url(world["case"]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert LEARNER_NAME not in response.content.decode()
    response = post_file(client, world["case"], "bien-ban.pdf", samples.pdf())
    assert response.status_code == 404

    assert not AuditEntry.objects.filter(action=Action.DOWNLOAD).exists()
    assert CaseAttachment.objects.count() == 1


def test_unknown_file_is_404(as_worker):
    assert as_worker.get(reverse("case_files:download", args=[999_999])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world, attachment):
    for url in (reverse("case_files:download", args=[attachment.pk]), upload_url(world["case"])):
        response = client.get(url)
        assert response.status_code == 302
        assert "/admin/login/" in response.url
    assert not AuditEntry.objects.filter(action=Action.DOWNLOAD).exists()


def test_closed_case_takes_no_new_file_but_its_files_are_read(client, world, attachment):
    case = world["case"]
    case.state = CaseState.CLOSED
    case.save(update_fields=["state"])
    client.force_login(world["users"]["worker_a"])

    assert post_file(client, case, "bien-ban.pdf", samples.pdf()).status_code == 403
    assert client.get(upload_url(case)).status_code == 403
    assert client.get(reverse("case_files:download", args=[attachment.pk])).status_code == 200
    assert CaseAttachment.objects.count() == 1


def test_archived_case_takes_no_new_file(client, world):
    case = world["case"]
    case.archived_at = timezone.now()
    case.save(update_fields=["archived_at"])
    client.force_login(world["users"]["principal_a"])

    response = post_file(client, case, "bien-ban.pdf", samples.pdf())

    assert response.status_code == 403
    assert not CaseAttachment.objects.exists()
    assert list(Path(settings.PRIVATE_MEDIA_ROOT).iterdir()) == []


# The case page ----------------------------------------------------------------------------------


def test_case_page_lists_the_files_and_offers_the_form(as_worker, world, attachment):
    url = reverse("forms_app_case_modeladmin_inspect", args=[world["case"].pk])
    html = as_worker.get(url).content.decode()

    assert 'id="attachments"' in html
    assert reverse("case_files:download", args=[attachment.pk]) in html
    assert "Biên bản có chữ ký, trang 1" in html
    assert f'action="{upload_url(world["case"])}"' in html
    assert 'enctype="multipart/form-data"' in html
    # Only the principal removes a file.
    assert reverse("case_files:delete", args=[attachment.pk]) not in html


def test_case_page_of_a_closed_case_has_no_upload_form(client, world, attachment):
    case = world["case"]
    case.state = CaseState.CLOSED
    case.save(update_fields=["state"])
    client.force_login(world["users"]["principal_a"])
    html = client.get(reverse("forms_app_case_modeladmin_inspect", args=[case.pk])).content
    html = html.decode()
    assert reverse("case_files:download", args=[attachment.pk]) in html
    assert upload_url(case) not in html


# Removal --------------------------------------------------------------------------------


def test_principal_removes_a_file_and_it_is_audited(
    client, world, attachment, django_capture_on_commit_callbacks
):
    client.force_login(world["users"]["principal_a"])
    path = Path(private_storage().path(attachment.blob))
    url = reverse("case_files:delete", args=[attachment.pk])
    assert client.get(url).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, REMOTE_ADDR=ADDRESS)

    assert response.status_code == 302
    assert not CaseAttachment.objects.exists()
    assert not path.exists()
    entry = AuditEntry.objects.get(action=Action.DELETE)
    assert entry.actor == world["users"]["principal_a"]
    assert entry.target == f"file:{attachment.pk}"


def test_case_worker_may_not_remove_a_file(client, world, attachment):
    client.force_login(world["users"]["worker_a"])
    response = client.post(reverse("case_files:delete", args=[attachment.pk]))
    assert response.status_code == 403
    assert CaseAttachment.objects.count() == 1
    assert not AuditEntry.objects.filter(action=Action.DELETE).exists()
