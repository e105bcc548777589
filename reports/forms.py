"""The school's report forms: the principal's text and number, and starting a report."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import SchoolReport

TEXT_ROWS = 6


class ReportTextForm(forms.ModelForm):
    """The parts of a report the school writes; the figures are computed, never typed."""

    class Meta:
        model = SchoolReport
        fields = ["number", "went_well", "difficulties", "proposals"]
        labels = {
            "number": _("Report number"),
            "went_well": _("What went well"),
            "difficulties": _("Difficulties and obstacles"),
            "proposals": _("Proposals and recommendations"),
        }
        help_texts = {
            "number": _('The number in the school\'s register of outgoing documents, e.g. "15".'),
        }
        widgets = {
            "went_well": forms.Textarea(attrs={"rows": TEXT_ROWS}),
            "difficulties": forms.Textarea(attrs={"rows": TEXT_ROWS}),
            "proposals": forms.Textarea(attrs={"rows": TEXT_ROWS}),
        }

    MAX_TEXT = 8000

    def _clean_text(self, name: str) -> str:
        value = (self.cleaned_data.get(name) or "").strip()
        if len(value) > self.MAX_TEXT:
            raise forms.ValidationError(
                _("Keep this section under %(max)s characters (now %(count)s)."),
                params={"max": self.MAX_TEXT, "count": len(value)},
            )
        return value

    def clean_went_well(self) -> str:
        return self._clean_text("went_well")

    def clean_difficulties(self) -> str:
        return self._clean_text("difficulties")

    def clean_proposals(self) -> str:
        return self._clean_text("proposals")

    def clean_number(self) -> str:
        value = (self.cleaned_data.get("number") or "").strip()
        # The symbol "/BC-…" is added when printed; a number typed with it is kept whole.
        if value and not any(character.isalnum() for character in value):
            raise forms.ValidationError(_("Write the number with digits, e.g. 15."))
        return value


class CreateReportForm(forms.Form):
    """Which school and period a new report is for: only the user's schools and the
    periods the list offers are accepted."""

    school = forms.IntegerField()
    period = forms.IntegerField()

    def __init__(self, *args, school_ids, period_ids, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.school_ids = frozenset(school_ids)
        self.period_ids = frozenset(period_ids)

    def clean(self) -> dict:
        data = super().clean()
        if data.get("school") not in self.school_ids or data.get("period") not in self.period_ids:
            raise forms.ValidationError(_("This report cannot be started here."))
        return data
