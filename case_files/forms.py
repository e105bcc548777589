"""The upload form: a kind, a short description and the file, checked by its content."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from case_files.models import AttachmentKind
from case_files.validation import MESSAGES, CheckedFile, validate_upload

# A hint for the browser's file picker only; the content decides.
ACCEPT = ".pdf,.jpg,.jpeg,.png,.docx,application/pdf,image/jpeg,image/png"


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of file"),
        choices=AttachmentKind.choices,
        initial=AttachmentKind.OTHER,
        widget=forms.RadioSelect,
    )
    description = forms.CharField(
        label=_("Short description"),
        max_length=255,
        required=False,
        help_text=_("What the file shows, e.g. “signed Mẫu 01, page 1”."),
    )
    file = forms.FileField(
        label=_("File"),
        # Empty files reach the content check, which has its own message.
        allow_empty_file=True,
        error_messages={"required": MESSAGES["required"]},
        help_text=_("PDF, JPEG, PNG or Word (DOCX)."),
        widget=forms.FileInput(attrs={"accept": ACCEPT}),
    )

    def clean_file(self) -> CheckedFile:
        upload = self.cleaned_data.get("file")
        checked = validate_upload(upload)
        # The user's file name is kept (encrypted) to be shown, never used on disk.
        self.original_name = (getattr(upload, "name", "") or "")[:255]
        return checked
