"""What the wizards of Mẫu 02 (assessment) and Mẫu 04 (review) share.

Both show the learner's facts from the case beside their steps, rate the learner
on the same two tables (``forms.rated``), and end in a conclusion that may refer
the case outside the school: a referral step shown only then, a Referral row due
12 working hours on, and the same rows in the record's description.
"""

from django.forms import Form

from forms_app.cases import transitions
from forms_app.forms.rated import REFERRAL, describe_referral, learner_facts
from forms_app.models import Case
from forms_app.models.records import CaseRecord
from forms_app.printing.sections import Row, choice_text, field_label, step_answers
from forms_app.wizards.base import CaseRecordWizard


def referral_chosen(wizard: CaseRecordWizard) -> bool:
    """Show the referral step only when the conclusion is to refer outside the school."""
    cleaned = wizard.get_cleaned_data_for_step("conclusion") or {}
    return cleaned.get("conclusion") == REFERRAL


def refer_from_step(case: Case, user, referral: dict) -> None:
    """Refer ``case`` as the referral step of Mẫu 02 or 04 says; due 12 working hours on."""
    transitions.refer_case(
        case,
        referral["receiving_body"],
        user,
        consent_given=referral["consent"],
        danger_exception=referral["danger_exception"],
    )


class RatedRecordWizard(CaseRecordWizard):
    """A record that rates the learner and concludes, perhaps in a referral (Mẫu 02, 04).

    Subclasses name a ``conclusion`` step whose form has ``conclusion`` and
    ``reasons`` fields, and a ``referral`` step (``forms.rated.ReferralForm``),
    and set ``conclusion_choices`` to their record's ``Conclusion.choices``.
    """

    conclusion_choices: list[tuple[str, str]] = []
    condition_dict = {"referral": referral_chosen}

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "referral":
            return {"school": self.case.school, "case": self.case}
        return super().get_form_kwargs(step)

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["learner_facts"] = learner_facts(self.case)
        return context

    # The record

    @staticmethod
    def rated_answers(form_dict: dict[str, Form]) -> dict:
        """The two rated tables as stored in the answers (``{"items": [...]}`` each)."""
        return {step: {"items": form_dict[step].items()} for step in ("harm", "resilience")}

    @staticmethod
    def conclusion_answers(form_dict: dict[str, Form]) -> dict:
        """The conclusion, and the referral when there is one, as stored in the answers."""
        answers = {"conclusion": dict(form_dict["conclusion"].cleaned_data)}
        if "referral" in form_dict:
            answers["referral"] = form_dict["referral"].answers()
        return answers

    def conclude(self, case: Case, state: str, form_dict: dict[str, Form]) -> str:
        """Move ``case`` to ``state`` noting the conclusion, and refer it if that is the conclusion.

        Returns the conclusion, for what a template does further with it.
        """
        user = self.request.user
        conclusion = form_dict["conclusion"].cleaned_data["conclusion"]
        transitions.transition(
            case, state, user, note=choice_text(self.conclusion_choices, conclusion)
        )
        if conclusion == REFERRAL:
            refer_from_step(case, user, form_dict["referral"].cleaned_data)
        return conclusion

    @classmethod
    def conclusion_rows(cls, record: CaseRecord, form_class: type[Form]) -> list[Row]:
        """The conclusion section's rows: the conclusion, its reasons, and the referral if any."""
        answers = record.answers or {}
        reasons = step_answers(answers, "conclusion").get("reasons", "")
        rows = [
            Row(
                field_label(form_class, "conclusion"),
                choice_text(cls.conclusion_choices, record.conclusion),
            ),
            Row(field_label(form_class, "reasons"), reasons),
        ]
        if record.conclusion == REFERRAL:
            rows += describe_referral(step_answers(answers, "referral"))
        return rows
