"""The steps of Mẫu 02 — Báo cáo đánh giá mức độ, nguy cơ tổn hại và nhu cầu của người học.

The two rated tables and the referral step are shared with Mẫu 04 and live in
``forms.rated``; the need domains, like the criteria, are data an administrator
edits, read each time the form is built.
"""

import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.forms import StepForm
from forms_app.forms.rated import (
    LEVEL_CHOICES,
    ConclusionStepForm,
    check_record_date,
    conclusion_field,
    record_date_field,
)
from forms_app.models import Assessment, Case, NeedDomain
from forms_app.printing.sections import snapshot


def _long_text(label, required: bool = False, **kwargs) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
    )


class VerificationForm(StepForm):
    """1. The date, how the information was verified, and the learner's own view.

    The learner's details are shown from the case above the fields (the step
    template), not asked again.
    """

    title = _("Verification of the information")
    step_template = "forms_app/steps/learner.html"

    assessed_on = record_date_field(_("Date of the assessment"))
    method = _long_text(
        _("How the information was verified"),
        required=True,
        help_text=_("E.g. talks, home visit, school records."),
    )
    people_consulted = _long_text(
        _("People consulted"),
        help_text=_("E.g. the class teacher, the family, classmates."),
    )
    learner_view = _long_text(_("The learner's own view"))

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_assessed_on(self) -> datetime.date | None:
        return check_record_date(self.cleaned_data.get("assessed_on"), self.case)


def _optional_level(label) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=[("", _("Not assessed")), *LEVEL_CHOICES],
        required=False,
        widget=forms.RadioSelect,
    )


class RiskForm(StepForm):
    """4. Nguy cơ: of it happening again, of dropping out, of self-harm, and overall."""

    title = _("Risk")

    recurrence = _optional_level(_("Risk of it happening again"))
    dropout = _optional_level(_("Risk of dropping out of school"))
    self_harm = _optional_level(_("Risk of self-harm"))
    overall = forms.ChoiceField(
        label=_("Overall risk level"), choices=LEVEL_CHOICES, widget=forms.RadioSelect
    )
    note = _long_text(_("Note"))


class NeedsForm(StepForm):
    """5. Nhu cầu: per domain of need, whether it applies, its priority and a note.

    Fields per active domain: ``applies_<id>``, ``priority_<id>``, ``note_<id>``.
    A priority or note typed for a domain not ticked is pointed out rather than
    dropped without a word.
    """

    title = _("Needs")
    step_template = "forms_app/steps/needs_table.html"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.domains = list(NeedDomain.objects.filter(active=True))
        for domain in self.domains:
            self.fields[f"applies_{domain.pk}"] = forms.BooleanField(
                label=domain.name, required=False
            )
            self.fields[f"priority_{domain.pk}"] = forms.ChoiceField(
                label=gettext("Priority: %(domain)s") % {"domain": domain.name},
                choices=[("", "—"), *LEVEL_CHOICES],
                required=False,
            )
            self.fields[f"note_{domain.pk}"] = forms.CharField(
                label=gettext("Note: %(domain)s") % {"domain": domain.name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def get_fieldsets(self) -> list:
        # Every field is a cell of the table the step template draws.
        return []

    def rows(self) -> list[dict]:
        return [
            {
                "domain": domain,
                "applies": self[f"applies_{domain.pk}"],
                "priority": self[f"priority_{domain.pk}"],
                "note": self[f"note_{domain.pk}"],
            }
            for domain in self.domains
        ]

    def clean(self) -> dict:
        cleaned = super().clean()
        for domain in self.domains:
            applies = cleaned.get(f"applies_{domain.pk}")
            priority = cleaned.get(f"priority_{domain.pk}")
            note = (cleaned.get(f"note_{domain.pk}") or "").strip()
            if applies and not priority:
                self.add_error(
                    f"priority_{domain.pk}",
                    forms.ValidationError(
                        _("Give the priority of this need."), code="priority_required"
                    ),
                )
            elif not applies and (priority or note):
                self.add_error(
                    f"applies_{domain.pk}",
                    forms.ValidationError(
                        _("Tick this need if it applies, or clear its priority and note."),
                        code="applies_unticked",
                    ),
                )
        return cleaned

    def items(self) -> list[dict]:
        """The needs that apply, as stored in ``answers["needs"]["items"]``."""
        return [
            {
                "domain": snapshot(domain),
                "priority": self.cleaned_data[f"priority_{domain.pk}"],
                "note": self.cleaned_data[f"note_{domain.pk}"],
            }
            for domain in self.domains
            if self.cleaned_data.get(f"applies_{domain.pk}")
        ]


class ConclusionForm(ConclusionStepForm):
    """6. Kết luận, đề xuất: support inside the school (→ Mẫu 03) or referral."""

    conclusion = conclusion_field(
        Assessment.Conclusion.choices,
        _(
            "Support inside the school leads to the intervention plan (Mẫu 03); a referral "
            "asks next where to and with whose consent."
        ),
    )


__all__ = ["ConclusionForm", "NeedsForm", "RiskForm", "VerificationForm"]
