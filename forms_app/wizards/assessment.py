"""Mẫu 02 — Báo cáo đánh giá mức độ, nguy cơ tổn hại và nhu cầu của người học.

The assessment that follows the intake report: it verifies the information,
rates harm and resilience on the criteria kept in the admin, weighs the risks and
needs, and concludes either in support inside the school (the plan, Mẫu 03, is
next) or in a referral outside it, whose deadline runs from the intake.
"""

from django.forms import Form
from django.utils.translation import gettext

from forms_app.cases import transitions
from forms_app.forms.assessment import ConclusionForm, NeedsForm, RiskForm, VerificationForm
from forms_app.forms.rated import (
    REFERRAL,
    HarmForm,
    ReferralForm,
    ResilienceForm,
    describe_rated_table,
    describe_referral,
    learner_facts,
    level_text,
    person_name,
)
from forms_app.models import Assessment, CaseState, TemplateCode, WizardDraft
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import Row, Section, Table, as_text, choice_text
from forms_app.wizards.base import CaseRecordWizard


def referral_chosen(wizard: CaseRecordWizard) -> bool:
    """Show the referral step only when the conclusion is to refer outside the school."""
    cleaned = wizard.get_cleaned_data_for_step("conclusion") or {}
    return cleaned.get("conclusion") == REFERRAL


def label(form_class: type[Form], name: str) -> str:
    """A step form field's label, for the record's description."""
    return str(form_class.base_fields[name].label)


def numbered(titles_and_items: list[tuple[str, list]]) -> list[Section]:
    """Sections numbered 1, 2, … in the order given, as on the official form."""
    return [
        Section(title=f"{number}. {title}", items=items)
        for number, (title, items) in enumerate(titles_and_items, start=1)
    ]


def refer_from_step(case, user, referral: dict) -> None:
    """Refer ``case`` as the referral step of Mẫu 02 or 04 says; due 12 working hours on."""
    transitions.refer_case(
        case,
        referral["receiving_body"],
        user,
        consent_given=referral["consent"],
        danger_exception=referral["danger_exception"],
    )


class CaseStepsMixin:
    """What Mẫu 02 and 04 show beside their fields: the learner's details from the case."""

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["learner_facts"] = learner_facts(self.case)
        return context


class AssessmentWizard(CaseStepsMixin, CaseRecordWizard):
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
    form_list = [
        ("verification", VerificationForm),
        ("harm", HarmForm),
        ("resilience", ResilienceForm),
        ("risk", RiskForm),
        ("needs", NeedsForm),
        ("conclusion", ConclusionForm),
        ("referral", ReferralForm),
    ]
    condition_dict = {"referral": referral_chosen}

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "verification":
            return {"case": self.case}
        if step == "referral":
            return {"school": self.case.school, "case": self.case}
        return {}

    def get_record_answers(self, form_dict: dict[str, Form]) -> dict:
        """The answers in the shared JSON shape (see the case templates' conventions)."""
        answers = {
            "verification": dict(form_dict["verification"].cleaned_data),
            "harm": {"items": form_dict["harm"].items()},
            "resilience": {"items": form_dict["resilience"].items()},
            "risk": dict(form_dict["risk"].cleaned_data),
            "needs": {"items": form_dict["needs"].items()},
            "conclusion": dict(form_dict["conclusion"].cleaned_data),
        }
        if "referral" in form_dict:
            answers["referral"] = form_dict["referral"].answers()
        return answers

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> Assessment:
        user = self.request.user
        case = self.lock_case()
        self.check_state(case)
        conclusion = form_dict["conclusion"].cleaned_data["conclusion"]
        assessment = Assessment.objects.create(
            case=case,
            conclusion=conclusion,
            answers=self.get_record_answers(form_dict),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=user,
        )
        transitions.transition(
            case,
            CaseState.ASSESSED,
            user,
            note=choice_text(Assessment.Conclusion.choices, conclusion),
        )
        if conclusion == REFERRAL:
            refer_from_step(case, user, form_dict["referral"].cleaned_data)
        return assessment

    @classmethod
    def describe_sections(cls, record: Assessment) -> list[Section]:
        """The assessment as the numbered sections of Mẫu 02, in the order of the form."""
        answers = record.answers or {}
        verification = answers.get("verification") or {}
        risk = answers.get("risk") or {}
        conclusion = answers.get("conclusion") or {}
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
                for item in (answers.get("needs") or {}).get("items", [])
            ],
        )
        conclusion_rows = [
            Row(
                label(ConclusionForm, "conclusion"),
                choice_text(Assessment.Conclusion.choices, record.conclusion),
            ),
            Row(label(ConclusionForm, "reasons"), conclusion.get("reasons", "")),
        ]
        if record.conclusion == REFERRAL:
            conclusion_rows += describe_referral(answers.get("referral") or {})
        return numbered(
            [
                (
                    str(VerificationForm.title),
                    [
                        *learner,
                        Row(gettext("Assessor"), person_name(record.author)),
                        Row(
                            label(VerificationForm, "assessed_on"),
                            as_text(verification.get("assessed_on")),
                        ),
                        *(
                            Row(label(VerificationForm, name), verification.get(name, ""))
                            for name in ("method", "people_consulted", "learner_view")
                        ),
                    ],
                ),
                (
                    str(HarmForm.title),
                    [
                        describe_rated_table(
                            str(HarmForm.title), (answers.get("harm") or {}).get("items", [])
                        )
                    ],
                ),
                (
                    str(ResilienceForm.title),
                    [
                        describe_rated_table(
                            str(ResilienceForm.title),
                            (answers.get("resilience") or {}).get("items", []),
                        )
                    ],
                ),
                (
                    str(RiskForm.title),
                    [
                        *(
                            Row(label(RiskForm, name), level_text(risk.get(name)))
                            for name in ("recurrence", "dropout", "self_harm", "overall")
                        ),
                        Row(label(RiskForm, "note"), risk.get("note", "")),
                    ],
                ),
                (str(NeedsForm.title), [needs]),
                (str(ConclusionForm.title), conclusion_rows),
            ]
        )
