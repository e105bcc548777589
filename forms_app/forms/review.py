"""The steps of Mẫu 04 — Báo cáo rà soát, đánh giá tình trạng của người học sau can thiệp.

The plan reviewed is the case's approved plan in force; its goals and activities
become the rows of the results step. The rated tables and the referral step are
Mẫu 02's (``forms.rated``).
"""

import datetime

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.forms import StepForm
from forms_app.forms.rated import (
    ConclusionStepForm,
    check_record_date,
    conclusion_field,
    record_date_field,
)
from forms_app.models import Case, InterventionPlan, Review
from forms_app.printing.sections import step_items

ACHIEVED, PARTLY, NOT_ACHIEVED = "achieved", "partly", "not_achieved"
# Đạt / Đạt một phần / Chưa đạt.
RESULT_CHOICES = [
    (ACHIEVED, _("Achieved")),
    (PARTLY, _("Partly achieved")),
    (NOT_ACHIEVED, _("Not achieved")),
]


class GeneralForm(StepForm):
    """1. The date and the reviewer's notes; the learner and the plan are shown from the case."""

    title = _("Review and plan reviewed")
    step_template = "forms_app/steps/review_general.html"

    reviewed_on = record_date_field(_("Date of the review"))
    notes = forms.CharField(
        label=_("Reviewer's notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("E.g. how the learner's situation was reviewed and with whom."),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case

    def clean_reviewed_on(self) -> datetime.date | None:
        return check_record_date(self.cleaned_data.get("reviewed_on"), self.case)


def plan_goals(plan: InterventionPlan | None) -> list[str]:
    """The plan's goals, as written in it (answers["goals"]["items"])."""
    if plan is None:
        return []
    items = step_items(plan.answers, "goals")
    return [str(item.get("text", "")) for item in items if isinstance(item, dict)]


def plan_activities(plan: InterventionPlan | None) -> list[str]:
    """The plan's activities, as written in it (answers["activities"]["items"])."""
    if plan is None:
        return []
    items = step_items(plan.answers, "activities")
    return [str(item.get("activity", "")) for item in items if isinstance(item, dict)]


class ResultsForm(StepForm):
    """2. The result of each goal and each activity of the plan, with its evidence.

    The rows come from the approved plan, so nothing of the plan is typed again.
    Field names carry the plan's id: should another version of the plan be
    approved while this draft is open, results given for the old one are not
    taken for the new one's rows.
    """

    title = _("Results of the plan")
    step_template = "forms_app/steps/results_table.html"

    def __init__(self, *args, plan: InterventionPlan | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.plan = plan
        self.goals = plan_goals(plan)
        self.activities = plan_activities(plan)
        for kind, texts in (("goal", self.goals), ("activity", self.activities)):
            for index, text in enumerate(texts):
                name = self._name(kind, index)
                self.fields[f"{name}_result"] = forms.ChoiceField(
                    label=text,
                    choices=RESULT_CHOICES,
                    widget=forms.RadioSelect,
                    error_messages={
                        "required": _("Choose a result: achieved, partly achieved or not achieved.")
                    },
                )
                self.fields[f"{name}_evidence"] = forms.CharField(
                    label=gettext("Evidence: %(item)s") % {"item": text},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 2}),
                )

    def _name(self, kind: str, index: int) -> str:
        plan_id = self.plan.pk if self.plan is not None else 0
        return f"plan{plan_id}_{kind}{index}"

    def get_fieldsets(self) -> list:
        # Every field is a cell of the tables the step template draws.
        return []

    def _rows(self, kind: str, texts: list[str]) -> list[dict]:
        return [
            {
                "text": text,
                "result": self[f"{self._name(kind, index)}_result"],
                "evidence": self[f"{self._name(kind, index)}_evidence"],
            }
            for index, text in enumerate(texts)
        ]

    def tables(self) -> list[tuple[str, str, list[dict]]]:
        """(caption, first column's heading, rows) of the goals' and the activities' tables."""
        return [
            (gettext("Goals"), gettext("Goal"), self._rows("goal", self.goals)),
            (gettext("Activities"), gettext("Activity"), self._rows("activity", self.activities)),
        ]

    def answers(self) -> dict:
        """``answers["results"]``: goals and activities with their result and evidence."""

        def results(kind: str, texts: list[str], key: str) -> list[dict]:
            return [
                {
                    key: text,
                    "result": self.cleaned_data[f"{self._name(kind, index)}_result"],
                    "evidence": self.cleaned_data[f"{self._name(kind, index)}_evidence"],
                }
                for index, text in enumerate(texts)
            ]

        return {
            "goals": results("goal", self.goals, "text"),
            "activities": results("activity", self.activities, "activity"),
        }


class ConclusionForm(ConclusionStepForm):
    """4. Kết luận: close, continue the plan, draft a new plan, or refer."""

    conclusion = conclusion_field(
        Review.Conclusion.choices,
        _(
            "Closing is the principal's decision on this proposal. A new plan is drafted "
            "next (Mẫu 03); a referral asks next where to and with whose consent."
        ),
    )


__all__ = [
    "ACHIEVED",
    "NOT_ACHIEVED",
    "PARTLY",
    "RESULT_CHOICES",
    "ConclusionForm",
    "GeneralForm",
    "ResultsForm",
    "plan_activities",
    "plan_goals",
]
