"""Key rotation re-encrypts attachment files, so the old key can be dropped."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from case_files import rotation
from case_files.forms import AttachmentForm
from case_files.storage import private_storage
from case_files.views import attach
from forms_app import encryption
from schools.roles import Role
from tests.case_files import samples
from tests.forms_app.factories import make_case


def test_rotation_hook_is_registered():
    assert rotation.rotate_case_files in encryption.rotation_hooks


def test_files_are_re_encrypted_under_the_new_key_and_open_without_the_old(
    settings, make_school, make_staff, django_capture_on_commit_callbacks
):
    school = make_school("AA")
    worker = make_staff("worker", Role.CASE_WORKER, school)
    case = make_case(school, worker)
    form = AttachmentForm(
        {"kind": "signed_form", "description": "Biên bản"},
        {"file": SimpleUploadedFile("a.pdf", samples.pdf())},
    )
    assert form.is_valid(), form.errors
    attachment = attach(
        case,
        worker,
        form.cleaned_data["file"],
        kind="signed_form",
        description="Biên bản",
        original_name="a.pdf",
    )
    old_key = settings.CASE_ENCRYPTION_KEYS[0]
    new_key = encryption.generate_key()
    old_path = Path(private_storage().path(attachment.blob))

    with override_settings(CASE_ENCRYPTION_KEYS=[new_key, old_key]):
        with django_capture_on_commit_callbacks(execute=True):
            counts = rotation.rotate_case_files()
        assert counts == {rotation.ROTATED: 1, rotation.CURRENT: 0}
        # Safe to run again: nothing left to do.
        assert rotation.rotate_case_files() == {rotation.ROTATED: 0, rotation.CURRENT: 1}

    attachment.refresh_from_db()
    assert not old_path.exists()
    with override_settings(CASE_ENCRYPTION_KEYS=[new_key]):
        assert attachment.read() == samples.pdf()
