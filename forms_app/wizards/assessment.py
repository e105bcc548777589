"""Mẫu 02 — Báo cáo đánh giá mức độ, nguy cơ tổn hại và nhu cầu của người học.

The assessment that follows the intake report: it verifies the information,
rates harm and resilience on the criteria kept in the admin, weighs the risks and
needs, and concludes either in support inside the school (the plan, Mẫu 03, is
next) or in a referral outside it, whose deadline runs from the intake.
"""

from django.forms import Form
from django.utils.translation import gettext

from forms_app.display import person_name
from forms_app.forms.assessment import ConclusionForm, NeedsForm, RiskForm, VerificationForm
from forms_app.forms.rated import (
    HarmForm,
    ReferralForm,
    ResilienceForm,
    describe_rated_table,
    learner_facts,
    level_text,
)
from forms_app.models import Assessment, CaseState, TemplateCode, WizardDraft
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import (
    Row,
    Section,
    Table,
    as_text,
    field_label,
    numbered,
    step_answers,
    step_items,
)
from forms_app.wizards.rated import RatedRecordWizard


class AssessmentWizard(RatedRecordWizard):
    """Mẫu 02 — the assessment of harm, risk and needs, for a case just received.

    Submitting it moves the case to "assessed", and on to "referred" when it
    concludes in a referral (the Referral row is due 12 working hours after the
    intake).
    """

    template_code = TemplateCode.ASSESSMENT
    url_base = "assessment"
    url_slug = "danh-gia"
    template_version = "2025.1"
    legal_basis = TT18_2025
    allowed_states = frozenset({CaseState.RECEIVED})
    # The conclusion (and the referral, if any) sums an assessment up.
    summary_section_numbers = (6,)
    form_list = [
        ("verification", VerificationForm),
        ("harm", HarmForm),
        ("resilience", ResilienceForm),
        ("risk", RiskForm),
        ("needs", NeedsForm),
        ("conclusion", ConclusionForm),
        ("referral", ReferralForm),
    ]
    conclusion_choices = Assessment.Conclusion.choices

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "verification":
            return {"case": self.case}
        return super().get_form_kwargs(step)

    def get_record_answers(self, form_dict: dict[str, Form]) -> dict:
        """The answers in the shared JSON shape (see the case templates' conventions)."""
        return {
            "verification": dict(form_dict["verification"].cleaned_data),
            **self.rated_answers(form_dict),
            "risk": dict(form_dict["risk"].cleaned_data),
            "needs": {"items": form_dict["needs"].items()},
            **self.conclusion_answers(form_dict),
        }

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> Assessment:
        case = self.lock_case()
        self.check_state(case)
        assessment = Assessment.objects.create(
            case=case,
            conclusion=form_dict["conclusion"].cleaned_data["conclusion"],
            answers=self.get_record_answers(form_dict),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=self.request.user,
        )
        self.conclude(case, CaseState.ASSESSED, form_dict)
        return assessment

    @classmethod
    def describe_sections(cls, record: Assessment) -> list[Section]:
        """The assessment as the numbered sections of Mẫu 02, in the order of the form."""
        answers = record.answers or {}
        verification = step_answers(answers, "verification")
        risk = step_answers(answers, "risk")
        learner = [Row(name, value) for name, value in learner_facts(record.case)]
        needs = Table(
            caption=str(NeedsForm.title),
            columns=[gettext("Need"), gettext("Priority"), gettext("Note")],
            rows=[
                [
                    as_text(item.get("domain")),
                    level_text(item.get("priority")),
                    item.get("note", ""),
                ]
                for item in step_items(answers, "needs")
            ],
        )
        return numbered(
            [
                (
                    str(VerificationForm.title),
                    [
                        *learner,
                        Row(gettext("Assessor"), person_name(record.author)),
                        Row(
                            field_label(VerificationForm, "assessed_on"),
                            as_text(verification.get("assessed_on")),
                        ),
                        *(
                            Row(field_label(VerificationForm, name), verification.get(name, ""))
                            for name in ("method", "people_consulted", "learner_view")
                        ),
                    ],
                ),
                (
                    str(HarmForm.title),
                    [describe_rated_table(str(HarmForm.title), step_items(answers, "harm"))],
                ),
                (
                    str(ResilienceForm.title),
                    [
                        describe_rated_table(
                            str(ResilienceForm.title), step_items(answers, "resilience")
                        )
                    ],
                ),
                (
                    str(RiskForm.title),
                    [
                        *(
                            Row(field_label(RiskForm, name), level_text(risk.get(name)))
                            for name in ("recurrence", "dropout", "self_harm", "overall")
                        ),
                        Row(field_label(RiskForm, "note"), risk.get("note", "")),
                    ],
                ),
                (str(NeedsForm.title), [needs]),
                (str(ConclusionForm.title), cls.conclusion_rows(record, ConclusionForm)),
            ]
        )
