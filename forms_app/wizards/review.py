"""Mẫu 04 — Báo cáo rà soát, đánh giá tình trạng của người học sau can thiệp, trợ giúp.

The review of the learner's situation after the support: the result of each goal
and activity of the approved plan, the same rated tables as the assessment with
its levels beside the new ones, and a conclusion — propose closing, continue the
plan, draft a new plan, or refer outside the school.
"""

import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.forms import Form
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases import transitions
from forms_app.display import person_name
from forms_app.forms.rated import (
    HarmForm,
    ReferralForm,
    ResilienceForm,
    describe_rated_table,
    learner_facts,
    levels_by_criterion,
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
from forms_app.printing.sections import (
    Row,
    Section,
    Table,
    as_text,
    choice_text,
    field_label,
    numbered,
    step_answers,
    step_items,
)
from forms_app.wizards.rated import RatedRecordWizard
from schools.models import School


def approved_plan(case: Case) -> InterventionPlan | None:
    """The plan in force: the approved one of the highest version (earlier ones are superseded)."""
    return (
        InterventionPlan.objects.filter(case=case, status=InterventionPlan.Status.APPROVED)
        .order_by("-version")
        .first()
    )


def latest_assessment(case: Case, until: datetime.datetime | None = None) -> Assessment | None:
    """The case's latest assessment, or the latest made by ``until``.

    Read through ``case.assessments.all()``: a case page that loaded them with the
    case describes each of its reviews without a query of its own.
    """
    made = [a for a in case.assessments.all() if until is None or a.created_at <= until]
    return max(made, key=lambda assessment: (assessment.created_at, assessment.pk), default=None)


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


class ReviewWizard(RatedRecordWizard):
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
    # The conclusion (and the referral, if any) sums a review up.
    summary_section_numbers = (4,)
    form_list = [
        ("general", GeneralForm),
        ("results", ResultsForm),
        ("harm", HarmForm),
        ("resilience", ResilienceForm),
        ("conclusion", ConclusionForm),
        ("referral", ReferralForm),
    ]
    conclusion_choices = Review.Conclusion.choices

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
        latest = latest_assessment(self.case)
        answers = latest.answers if latest is not None else {}
        return {
            table: levels_by_criterion(step_items(answers, table))
            for table in RatingCriterion.Table.values
        }

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "general":
            return {"case": self.case}
        if step == "results":
            return {"plan": self.plan}
        if step in ("harm", "resilience"):
            return {"previous": self.assessed_levels[step]}
        return super().get_form_kwargs(step)

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["plan"] = self.plan
        context["plan_text"] = plan_text(self.plan)
        return context

    def get_record_answers(self, form_dict: dict[str, Form]) -> dict:
        """The answers in the shared JSON shape (see the case templates' conventions)."""
        return {
            "general": dict(form_dict["general"].cleaned_data),
            "results": form_dict["results"].answers(),
            **self.rated_answers(form_dict),
            **self.conclusion_answers(form_dict),
        }

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
        review = Review.objects.create(
            case=case,
            plan=plan,
            conclusion=form_dict["conclusion"].cleaned_data["conclusion"],
            answers=self.get_record_answers(form_dict),
            template_version=self.template_version,
            legal_basis=self.legal_basis,
            author=user,
        )
        if self.conclude(case, CaseState.REVIEWED, form_dict) == Review.Conclusion.CONTINUE:
            transitions.transition(
                case, CaseState.IN_PROGRESS, user, note=gettext("The plan continues.")
            )
        return review

    @classmethod
    def describe_sections(cls, record: Review) -> list[Section]:
        """The review as the numbered sections of Mẫu 04, in the order of the form."""
        answers = record.answers or {}
        general = step_answers(answers, "general")
        results = step_answers(answers, "results")
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
        return numbered(
            [
                (
                    str(GeneralForm.title),
                    [
                        *(Row(name, value) for name, value in learner_facts(record.case)),
                        Row(gettext("Reviewer"), person_name(record.author)),
                        Row(
                            field_label(GeneralForm, "reviewed_on"),
                            as_text(general.get("reviewed_on")),
                        ),
                        Row(gettext("Plan reviewed"), plan_text(record.plan)),
                        Row(field_label(GeneralForm, "notes"), general.get("notes", "")),
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
                (str(ConclusionForm.title), cls.conclusion_rows(record, ConclusionForm)),
            ]
        )

    @staticmethod
    def _rated_items(record: Review, step: str) -> list[dict]:
        """The review's rated rows, each with the level it had at the assessment.

        The wizard stores that level with each row; a record made otherwise (imported,
        demo data) gets it from the case's latest assessment before the review.
        """
        items = step_items(record.answers, step)
        if all("at_assessment" in item for item in items):
            return items
        assessment = latest_assessment(record.case, until=record.created_at)
        before = levels_by_criterion(step_items(assessment.answers if assessment else {}, step))
        return [
            item
            if "at_assessment" in item
            else {**item, "at_assessment": before.get((item.get("criterion") or {}).get("id"), "")}
            for item in items
        ]
