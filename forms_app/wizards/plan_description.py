"""How a plan (Mẫu 03) reads: its numbered sections, printed and shown on the case page.

Sections 1–4 are the plan's content, read alike from a plan sent and from a
draft's current input (the last step shows the plan as it will be sent); section
5 says where the principal's approval stands, which only a plan sent has.
"""

import datetime

from django.utils.text import capfirst
from django.utils.translation import gettext

from forms_app.display import person_name
from forms_app.forms.plan import ActivitiesForm, GoalsForm, PeriodForm, ProblemsForm
from forms_app.models import Case, InterventionPlan
from forms_app.printing.sections import (
    Row,
    Section,
    Table,
    as_text,
    numbered,
    step_answers,
    step_items,
)

# The approval follows the plan's four sections of content.
APPROVAL_NUMBER = 5


def learner_rows(case: Case) -> list[Row]:
    """The learner as the case knows them; a blank reads "Not known"."""
    rows = [Row(gettext("Full name"), as_text(case.learner_name, person_fact=True))]
    if case.learner_birth_date or case.learner_age_estimate is None:
        rows.append(
            Row(gettext("Date of birth"), as_text(case.learner_birth_date, person_fact=True))
        )
    else:
        rows.append(Row(gettext("Estimated age"), as_text(case.learner_age_estimate)))
    rows += [
        Row(gettext("Gender"), case.get_learner_gender_display()),
        Row(gettext("Class"), as_text(case.learner_class, person_fact=True)),
    ]
    return rows


def content_sections(
    case: Case,
    answers: dict,
    period_start: datetime.date | None,
    period_end: datetime.date | None,
    review_date: datetime.date | None,
) -> list[Section]:
    """Sections 1–4 of the plan: learner and needs, goals, activities, period."""
    fields = ProblemsForm.base_fields
    problems = str(step_answers(answers, "problems").get("text") or "")
    goals = [
        Row(
            str(GoalsForm.row_label % {"number": number}),
            as_text(item.get("text") if isinstance(item, dict) else item),
        )
        for number, item in enumerate(step_items(answers, "goals"), start=1)
    ]
    activities = [
        [as_text(item.get(name)) for name in ActivitiesForm.columns]
        for item in step_items(answers, "activities")
        if isinstance(item, dict)
    ]
    period_fields = PeriodForm.base_fields
    # Titles are numbered by ``numbered``, never inside an f-string: xgettext does not
    # read f-strings, and a title it never extracted prints in English.
    return numbered(
        [
            (
                gettext("The learner and the problems or needs addressed"),
                [*learner_rows(case), Row(str(fields["text"].label), problems)],
            ),
            (gettext("Goals"), goals),
            (
                gettext("Activities"),
                [
                    Table(
                        caption=gettext("Activities"),
                        columns=ActivitiesForm.column_labels(),
                        rows=activities,
                    )
                ],
            ),
            (
                gettext("Plan period and review"),
                [
                    Row(str(period_fields["period_start"].label), as_text(period_start)),
                    Row(str(period_fields["period_end"].label), as_text(period_end)),
                    Row(str(period_fields["review_date"].label), as_text(review_date)),
                ],
            ),
        ]
    )


def _field_label(name: str) -> str:
    return capfirst(str(InterventionPlan._meta.get_field(name).verbose_name))


def approval_section(plan: InterventionPlan) -> Section:
    """Section 5: the version, where the principal's approval stands, and the decision."""
    title = gettext("Approval by the principal")
    return Section(
        f"{APPROVAL_NUMBER}. {title}",
        [
            Row(_field_label("version"), str(plan.version)),
            Row(_field_label("status"), plan.get_status_display()),
            Row(_field_label("submitted_at"), as_text(plan.submitted_at)),
            Row(_field_label("approval_due_at"), as_text(plan.approval_due_at)),
            Row(gettext("Decided by"), person_name(plan.decided_by)),
            Row(_field_label("decided_at"), as_text(plan.decided_at)),
            Row(_field_label("decision_comment"), plan.decision_comment),
        ],
    )


def plan_sections(plan: InterventionPlan) -> list[Section]:
    """The plan as its five numbered sections."""
    content = content_sections(
        plan.case, plan.answers, plan.period_start, plan.period_end, plan.review_date
    )
    return [*content, approval_section(plan)]
