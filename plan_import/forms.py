"""The importer's two forms: the document (a file or pasted text), and the review.

The upload form reads the document as it validates, so that every refusal (a
file that is not a plan's Word or PDF, active content, no text layer) comes back
as a message beside the field, with the pasted text kept. The review form holds
each recognised value in an editable field; ``reviewed`` folds the edits back
into the recognised plan, keeping what the screen does not edit (the body's
sections, the preamble and closing, the lines not recognised).
"""

from __future__ import annotations

import dataclasses
import os

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from case_files.validation import Kind, validate_upload
from pages.models import DocumentKind
from plan_import.result import Indicator, LegalBasis, Milestone, RecognisedPlan

# A plan runs to some thirty pages of text; a pasted text longer than this is not one.
MAX_TEXT = 200_000
ACCEPTED = {Kind.PDF[0], Kind.DOCX[0]}
DATE_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]
YEARS = {"min_value": 1900, "max_value": 2100}


class UploadForm(forms.Form):
    """A plan's Word or PDF file, or its text pasted in."""

    file = forms.FileField(
        label=_("Word or PDF file"),
        required=False,
        help_text=_("The plan as a Word document (.docx) or a PDF with text (not a scan)."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,.pdf,application/pdf," + Kind.DOCX[1]}
        ),
    )
    text = forms.CharField(
        label=_("Or paste the plan's text"),
        required=False,
        strip=False,
        max_length=MAX_TEXT,
        help_text=_("Copy the whole plan, from the issuing body at the top to “Nơi nhận”."),
        widget=forms.Textarea(attrs={"rows": 10, "spellcheck": "false"}),
    )

    def clean(self) -> dict:
        data = super().clean()
        upload: UploadedFile | None = data.get("file")
        text = (data.get("text") or "").strip()
        if self.errors:
            return data
        if upload and text:
            raise ValidationError(_("Choose a file or paste the text, not both."), code="both")
        if not upload and not text:
            raise ValidationError(
                _("Choose a Word or PDF file, or paste the plan's text."), code="nothing"
            )
        if upload:
            data["name"] = os.path.basename(upload.name or "")[:255] or "ke-hoach"
            read = self._read(upload, data["name"])
            if read is not None:
                data["data"], data["read_text"] = read
        else:
            data["name"], data["data"], data["read_text"] = "", None, text
        return data

    def _read(self, upload: UploadedFile, name: str) -> tuple[bytes, str] | None:
        """The file's bytes and text; None, with the reason on the field, if it can't be read."""
        from plan_import.extract import ExtractError, text_of

        try:
            checked = validate_upload(upload)
        except ValidationError as error:
            self.add_error("file", error)
            return None
        if checked.extension not in ACCEPTED:
            self.add_error(
                "file",
                _(
                    "Only Word (.docx) and PDF files can be read here. Save the plan as "
                    ".docx or PDF, or paste its text."
                ),
            )
            return None
        try:
            text = text_of(name, checked.data)
        except ExtractError as error:
            self.add_error("file", str(error))
            return None
        if not text.strip():
            self.add_error(
                "file",
                _("No text was found in this file. If it is a scan, paste the plan's text."),
            )
            return None
        return checked.data, text


# The review ---------------------------------------------------------------------------------


class VietnameseDateInput(forms.DateInput):
    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(
            attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric", **(attrs or {})},
            format="%d/%m/%Y",
        )


def _date_field(label) -> forms.DateField:
    return forms.DateField(
        label=capfirst(label),
        required=False,
        input_formats=DATE_FORMATS,
        widget=VietnameseDateInput(),
        error_messages={"invalid": _("Write the date as day/month/year, e.g. 05/09/2025.")},
    )


class ReviewForm(forms.Form):
    """The values of the document's first and last page, one field each."""

    title = forms.CharField(
        label=_("Title (summary of the document)"), widget=forms.Textarea(attrs={"rows": 2})
    )
    document_number = forms.CharField(label=capfirst(_("document number")), required=False)
    kind = forms.ChoiceField(label=capfirst(_("kind")), choices=DocumentKind.choices)
    parent_body = forms.CharField(label=capfirst(_("parent body")), required=False)
    issuing_body = forms.CharField(label=capfirst(_("issuing body")))
    issue_place = forms.CharField(label=capfirst(_("place of issue")), required=False)
    issue_date = _date_field(_("date of issue"))
    period_label = forms.CharField(label=capfirst(_("period")), required=False)
    period_start_year = forms.IntegerField(label=capfirst(_("first year")), required=False, **YEARS)
    period_end_year = forms.IntegerField(label=capfirst(_("last year")), required=False, **YEARS)
    recipients = forms.CharField(
        label=capfirst(_("recipients")),
        required=False,
        help_text=_("One recipient per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    signer_authority = forms.CharField(
        label=capfirst(_("signing authority")),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    signer_name = forms.CharField(label=capfirst(_("signer")), required=False)

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("period_start_year"), data.get("period_end_year")
        if start and end and end < start:
            self.add_error("period_end_year", _("The last year cannot come before the first year."))
        return data

    @classmethod
    def initial_of(cls, plan: RecognisedPlan) -> dict:
        values = {name: getattr(plan, name) for name in cls.base_fields if name != "recipients"}
        values["recipients"] = "\n".join(plan.recipients)
        return values


class LegalBasisForm(forms.Form):
    """One "Căn cứ …" line, as numbers, date, issuer and subject."""

    number = forms.CharField(label=capfirst(_("number")), required=False)
    date = _date_field(_("date"))
    issuer = forms.CharField(label=capfirst(_("issuer")), required=False)
    title = forms.CharField(
        label=capfirst(_("title")), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Carried through the page unchanged: how the line began and what it said.
    verb = forms.CharField(required=False, widget=forms.HiddenInput)
    kind = forms.CharField(required=False, widget=forms.HiddenInput)
    source = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict:
        data = super().clean()
        if not self.errors and not (data.get("number") or data.get("title")):
            raise ValidationError(
                _("Give the number or the title of the cited document, or remove the line.")
            )
        return data


class IndicatorForm(forms.Form):
    description = forms.CharField(
        label=capfirst(_("indicator")), widget=forms.Textarea(attrs={"rows": 2})
    )
    target = forms.CharField(label=capfirst(_("target")))
    year = forms.IntegerField(label=capfirst(_("year")), required=False, **YEARS)


class MilestoneForm(forms.Form):
    year = forms.CharField(label=capfirst(_("year or period")))
    activities = forms.CharField(
        label=capfirst(_("activities")), widget=forms.Textarea(attrs={"rows": 3})
    )


class BaseListFormSet(forms.BaseFormSet):
    """A list the editor may shorten (each row has "remove") but not lengthen here."""

    deletion_widget = forms.CheckboxInput

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Leave this out of the draft")

    def kept(self) -> list[dict]:
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]


def _formset(form: type[forms.Form]) -> type[forms.BaseFormSet]:
    return forms.formset_factory(
        form, formset=BaseListFormSet, extra=0, can_delete=True, max_num=500, validate_max=True
    )


LegalBasisFormSet = _formset(LegalBasisForm)
IndicatorFormSet = _formset(IndicatorForm)
MilestoneFormSet = _formset(MilestoneForm)
LISTS = {
    "bases": (LegalBasisFormSet, "legal_bases"),
    "indicators": (IndicatorFormSet, "indicators"),
    "milestones": (MilestoneFormSet, "milestones"),
}


@dataclasses.dataclass
class Review:
    """The review screen's form and its three lists, bound or not."""

    form: ReviewForm
    lists: dict[str, forms.BaseFormSet]

    @classmethod
    def of(cls, plan: RecognisedPlan, data: dict | None = None) -> Review:
        initial = ReviewForm.initial_of(plan)
        lists = {}
        for prefix, (formset, attribute) in LISTS.items():
            rows = [dataclasses.asdict(item) for item in getattr(plan, attribute)]
            lists[prefix] = formset(data, initial=rows, prefix=prefix)
        return cls(ReviewForm(data, initial=initial), lists)

    def is_valid(self) -> bool:
        valid = self.form.is_valid()
        return all([valid, *(formset.is_valid() for formset in self.lists.values())])

    def reviewed(self, plan: RecognisedPlan) -> RecognisedPlan:
        """``plan`` with the edited values; what the screen does not edit is kept."""
        values = dict(self.form.cleaned_data)
        values["recipients"] = [
            line.strip() for line in values["recipients"].splitlines() if line.strip()
        ]
        values["document_number"] = values["document_number"].strip()
        fields = {field.name for field in dataclasses.fields(LegalBasis)}
        values["legal_bases"] = [
            LegalBasis(**{key: row.get(key) or ("" if key != "date" else None) for key in fields})
            for row in self.lists["bases"].kept()
        ]
        values["indicators"] = [
            Indicator(row["description"], row["target"], row.get("year"))
            for row in self.lists["indicators"].kept()
        ]
        values["milestones"] = [
            Milestone(row["year"], row["activities"]) for row in self.lists["milestones"].kept()
        ]
        return dataclasses.replace(plan, **values)
