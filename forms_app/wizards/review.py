"""Mẫu 04 — Báo cáo rà soát, đánh giá tình trạng của người học sau can thiệp, trợ giúp.

The review of the learner's situation after the support: the result of each goal
and activity of the approved plan, the same rated tables as the assessment with
its levels beside the new ones, and a conclusion — propose closing, continue the
plan, draft a new plan, or refer outside the school.
"""

from functools import cached_property

from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases import transitions
from forms_app.forms.rated import (
    REFERRAL,
    HarmForm,
    ReferralForm,
    ResilienceForm,
    describe_rated_table,
    describe_referral,
    learner_facts,
    levels_by_criterion,
    person_name,
)
from forms_app.forms.review import RESULT_CHOICES, ConclusionForm, GeneralForm, ResultsForm
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    RatingCriterion,
    Review,
    TemplateCode,
    WizardDraft,
)
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import Row, Section, Table, as_text, choice_text
from forms_app.wizards.assessment import (
    CaseStepsMixin,
    label,
    numbered,
    refer_from_step,
    referral_chosen,
)
from forms_app.wizards.base import CaseRecordWizard
from schools.models import School


def approved_plan(case: Case) -> InterventionPlan | None:
    """The plan in force: the approved one of the highest version (earlier ones are superseded)."""
    return (
        InterventionPlan.objects.filter(case=case, status=InterventionPlan.Status.APPROVED)
        .order_by("-version")
        .first()
    )


def plan_text(plan: InterventionPlan | None) -> str:
    """The plan reviewed in words: its version and period."""
    if plan is None:
        return ""
    if plan.period_start or plan.period_end:
        return gettext("Version %(version)s, from %(start)s to %(end)s") % {
            "version": plan.version,
            "start": as_text(plan.period_start) or "…",
            "end": as_text(plan.period_end) or "…",
        }
    return gettext("Version %(version)s") % {"version": plan.version}


class ReviewWizard(CaseStepsMixin, CaseRecordWizard):
    """Mẫu 04 — the review after the support, for a case whose approved plan is under way.

    Submitting it moves the case to "reviewed". Continuing the plan moves it back
    to "in progress"; a referral on to "referred"; a proposal to close or a new plan
    leaves it "reviewed", for the principal to close it or the worker to draft
    Mẫu 03 again.
    """

    template_code = TemplateCode.REVIEW
    url_base = "review"
    url_slug = "ra-soat"
    template_version = "2025.1"
    legal_basis = TT18_2025
    allowed_states = frozenset({CaseState.IN_PROGRESS})
    form_list = [
        ("general", GeneralForm),
        ("results", ResultsForm),
        ("harm", HarmForm),
        ("resilience", ResilienceForm),
        ("conclusion", ConclusionForm),
        ("referral", ReferralForm),
    ]
    condition_dict = {"referral": referral_chosen}

    @classmethod
    def can_start(cls, user, school: School, case: Case | None = None) -> bool:
        # Nothing to review without an approved plan in force.
        return super().can_start(user, school, case) and approved_plan(case) is not None

    @cached_property
    def plan(self) -> InterventionPlan | None:
        return approved_plan(self.case)

    @cached_property
    def assessed_levels(self) -> dict[str, dict[int, str]]:
        """The latest assessment's level per criterion, per table, to show beside the new ones."""
        latest = Assessment.objects.filter(case=self.case).order_by("-created_at", "-pk").first()
        answers = latest.answers if latest is not None else {}
        return {
            table: levels_by_criterion((answers.get(table) or {}).get("items", []))
            for table in RatingCriterion.Table.values
        }

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "general":
            return {"case": self.case}
        if step == "results":
            return {"plan": self.plan}
        if step in ("harm", "resilience"):
            return {"previous": self.assessed_levels[step]}
        if step == "referral":
            return {"school": self.case.school, "case": self.case}
        return {}

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["plan"] = self.plan
        context["plan_text"] = plan_text(self.plan)
        return context

    def get_record_answers(self, form_dict: dict[str, Form]) -> dict:
        """The answers in the shared JSON shape (see the case templates' conventions)."""
        answers = {
            "general": dict(form_dict["general"].cleaned_data),
            "results": form_dict["results"].answers(),
            "harm": {"items": form_dict["harm"].items()},
            "resilience": {"items": form_dict["resilience"].items()},
            "conclusion": dict(form_dict["conclusion"].cleaned_data),
        }
        if "referral" in form_dict:
            answers["referral"] = form_dict["referral"].answers()
        return answers

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> Review:
        user = self.request.user
        case = self.lock_case()
        self.check_state(case)
        plan = approved_plan(case)
        if plan is None:
            raise ValidationError(
                _("The case has no approved plan in force to review. Your draft has been kept."),
                code="no_plan",
            )
        reviewed = form_dict["results"].plan
        if reviewed is None or reviewed.pk != plan.pk:
            # Another version was approved since the results step was built.
            raise ValidationError(
                _(
                    "The approved plan has changed meanwhile; give the results for the plan "
                    "now in force. Your draft has been kept."
                ),
                code="plan_changed",
            )
        conclusion = form_dict["conclusion"].cleaned_data["conclusion"]
        review = Review.objects.create(
            case=case,
            plan=plan,
            conclusion=conclusion,
            answers=self.get_record_answers(form_dict),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=user,
        )
        transitions.transition(
            case,
            CaseState.REVIEWED,
            user,
            note=choice_text(Review.Conclusion.choices, conclusion),
        )
        if conclusion == Review.Conclusion.CONTINUE:
            transitions.transition(
                case, CaseState.IN_PROGRESS, user, note=gettext("The plan continues.")
            )
        elif conclusion == REFERRAL:
            refer_from_step(case, user, form_dict["referral"].cleaned_data)
        return review

    @classmethod
    def describe_sections(cls, record: Review) -> list[Section]:
        """The review as the numbered sections of Mẫu 04, in the order of the form."""
        answers = record.answers or {}
        general = answers.get("general") or {}
        results = answers.get("results") or {}
        conclusion = answers.get("conclusion") or {}
        result_columns = [gettext("Result"), gettext("Evidence")]

        def result_rows(items: list[dict], key: str) -> list[list[str]]:
            return [
                [
                    str(item.get(key, "")),
                    choice_text(RESULT_CHOICES, item.get("result")) if item.get("result") else "",
                    item.get("evidence", ""),
                ]
                for item in items
            ]

        rated = {step: cls._rated_items(record, step) for step in ("harm", "resilience")}
        conclusion_rows = [
            Row(
                label(ConclusionForm, "conclusion"),
                choice_text(Review.Conclusion.choices, record.conclusion),
            ),
            Row(label(ConclusionForm, "reasons"), conclusion.get("reasons", "")),
        ]
        if record.conclusion == REFERRAL:
            conclusion_rows += describe_referral(answers.get("referral") or {})
        return numbered(
            [
                (
                    str(GeneralForm.title),
                    [
                        *(Row(name, value) for name, value in learner_facts(record.case)),
                        Row(gettext("Reviewer"), person_name(record.author)),
                        Row(label(GeneralForm, "reviewed_on"), as_text(general.get("reviewed_on"))),
                        Row(gettext("Plan reviewed"), plan_text(record.plan)),
                        Row(label(GeneralForm, "notes"), general.get("notes", "")),
                    ],
                ),
                (
                    str(ResultsForm.title),
                    [
                        Table(
                            caption=gettext("Goals"),
                            columns=[gettext("Goal"), *result_columns],
                            rows=result_rows(results.get("goals") or [], "text"),
                        ),
                        Table(
                            caption=gettext("Activities"),
                            columns=[gettext("Activity"), *result_columns],
                            rows=result_rows(results.get("activities") or [], "activity"),
                        ),
                    ],
                ),
                (
                    gettext("Risk at the end of the support"),
                    [
                        describe_rated_table(str(form_class.title), rated[step], with_previous=True)
                        for step, form_class in (("harm", HarmForm), ("resilience", ResilienceForm))
                    ],
                ),
                (str(ConclusionForm.title), conclusion_rows),
            ]
        )

    @staticmethod
    def _rated_items(record: Review, step: str) -> list[dict]:
        """The review's rated rows, each with the level it had at the assessment.

        The wizard stores that level with each row; a record made otherwise (imported,
        demo data) gets it from the case's latest assessment before the review.
        """
        items = ((record.answers or {}).get(step) or {}).get("items", [])
        if all("at_assessment" in item for item in items):
            return items
        assessment = (
            Assessment.objects.filter(case_id=record.case_id, created_at__lte=record.created_at)
            .order_by("-created_at", "-pk")
            .first()
        )
        before = levels_by_criterion(
            ((assessment.answers if assessment else {}).get(step) or {}).get("items", [])
        )
        return [
            item
            if "at_assessment" in item
            else {**item, "at_assessment": before.get((item.get("criterion") or {}).get("id"), "")}
            for item in items
        ]
