"""Placeholder, replaced by the template's wizard (work in progress)."""

from django import forms

from forms_app.forms import StepForm
from forms_app.models import TemplateCode
from forms_app.wizards.base import CaseRecordWizard


class _NotesForm(StepForm):
    notes = forms.CharField(required=False)


class ReviewWizard(CaseRecordWizard):
    template_code = TemplateCode.REVIEW
    url_base = "review"
    url_slug = "ra-soat"
    form_list = [("notes", _NotesForm)]

    def create_record(self, form_dict, draft):
        raise NotImplementedError
