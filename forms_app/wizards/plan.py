"""Mẫu 03 — Kế hoạch can thiệp, trợ giúp người học: the wizard of the support plan.

One wizard serves the four moments the procedure drafts a plan: the first plan
after an assessment concluding support, the rework of a plan the principal
returned, a revision of the approved plan while it is carried out, and a new
plan after a review concluding one is needed. Which one applies is read from the
case (:func:`plan_situation`) when the draft is started, each time it is shown,
and again under a lock when it is submitted. Whatever the moment, the result is a
plan version sent to the principal, who approves it within 3 working days.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db.models import Max
from django.forms import Form
from django.http import HttpResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from formtools.wizard.forms import ManagementForm

from forms_app.cases import deadlines, transitions
from forms_app.forms.plan import (
    PRIORITY_LABELS,
    ActivitiesForm,
    ConfirmForm,
    GoalsForm,
    PeriodForm,
    ProblemsForm,
    RowsStepForm,
)
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    Review,
    TemplateCode,
    WizardDraft,
)
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import Row, Section, Table, as_text
from forms_app.wizards.base import CaseRecordWizard

Status = InterventionPlan.Status

# Why a plan is being drafted.
FIRST = "first"  # after an assessment concluding support inside the school
REWORK = "rework"  # correcting a version not yet approved (returned, or a left-over draft)
REVISION = "revision"  # a new version of the approved plan in force
AFTER_REVIEW = "after_review"  # a new plan after a review concluding one is needed


@dataclass(frozen=True)
class PlanSituation:
    """Why a plan is being drafted for a case, and what it starts from.

    ``source`` is the plan prefilled from: the version being reworked, the
    approved plan being revised, or the plan that was reviewed.
    """

    purpose: str
    source: InterventionPlan | None = None
    assessment: Assessment | None = None
    review: Review | None = None

    @property
    def basis(self) -> str:
        """What the draft was started from, to notice at submission that it changed."""
        if self.purpose == FIRST:
            return f"{FIRST}:{self.assessment.pk}"
        if self.purpose == AFTER_REVIEW:
            return f"{AFTER_REVIEW}:{self.review.pk}"
        decided = self.source.decided_at.isoformat() if self.source.decided_at else ""
        return f"{self.purpose}:{self.source.pk}:{decided}"


def _latest(queryset):
    return queryset.order_by("-created_at", "-pk").first()


def plan_situation(case: Case) -> PlanSituation | None:
    """Which plan the case calls for now, or ``None`` when no plan may be sent.

    No plan is sent while another waits for the principal's decision. A version
    newer than the plan in force that is not approved yet (a revision the
    principal returned) is reworked rather than left stranded: a second
    revision beside it is what ``transitions.revise_plan`` refuses.
    """
    plans = InterventionPlan.objects.filter(case=case)
    if plans.filter(status=Status.SUBMITTED).exists():
        return None
    state = case.state
    if state == CaseState.ASSESSED:
        assessment = _latest(Assessment.objects.filter(case=case))
        if assessment is None or assessment.conclusion != Assessment.Conclusion.SUPPORT:
            return None
        return PlanSituation(FIRST, assessment=assessment)
    if state == CaseState.PLAN_RETURNED:
        returned = plans.filter(status=Status.RETURNED).order_by("-version").first()
        return PlanSituation(REWORK, source=returned) if returned else None
    if state == CaseState.REVIEWED:
        review = _latest(Review.objects.filter(case=case).select_related("plan"))
        if review is None or review.conclusion != Review.Conclusion.NEW_PLAN:
            return None
        return PlanSituation(AFTER_REVIEW, source=review.plan, review=review)
    if state in transitions.PLAN_IN_FORCE_STATES:
        in_force = plans.filter(status=Status.APPROVED).order_by("-version").first()
        if in_force is None:
            return None
        pending = (
            plans.filter(version__gt=in_force.version, status__in=(Status.DRAFT, Status.RETURNED))
            .order_by("-version")
            .first()
        )
        if pending is not None:
            return PlanSituation(REWORK, source=pending)
        return PlanSituation(REVISION, source=in_force)
    return None


# Reading earlier records --------------------------------------------------------
# Stored answers come from other template versions too: anything not in the
# expected shape is skipped rather than allowed to break the form.


def _step(answers, step: str) -> dict:
    value = answers.get(step) if isinstance(answers, dict) else None
    return value if isinstance(value, dict) else {}


def _items(answers, step: str) -> list:
    items = _step(answers, step).get("items")
    return items if isinstance(items, list) else []


def _name(value) -> str:
    if isinstance(value, dict):
        return str(value.get("name") or "")
    return str(value or "")


def needs_text(assessment: Assessment | None) -> str:
    """The assessment's needs, one line each: domain, priority, note."""
    if assessment is None:
        return ""
    lines = []
    for item in _items(assessment.answers, "needs"):
        if not isinstance(item, dict):
            continue
        domain = _name(item.get("domain"))
        if not domain:
            continue
        line = domain
        priority = PRIORITY_LABELS.get(item.get("priority"))
        if priority:
            line = gettext("%(domain)s (priority: %(priority)s)") % {
                "domain": domain,
                "priority": priority,
            }
        note = str(item.get("note") or "").strip()
        lines.append(f"{line}: {note}" if note else line)
    return "\n".join(lines)


def review_reasons(review: Review | None) -> str:
    """What the review wrote beside its conclusion (every text but the choice itself)."""
    if review is None:
        return ""
    conclusion = _step(review.answers, "conclusion")
    texts = [
        value.strip()
        for name, value in conclusion.items()
        if name != "conclusion" and isinstance(value, str) and value.strip()
    ]
    return "\n".join(texts)


def goal_rows(plan: InterventionPlan | None) -> list[dict]:
    if plan is None:
        return []
    rows = []
    for item in _items(plan.answers, "goals"):
        text = item.get("text") if isinstance(item, dict) else item
        if isinstance(text, str) and text.strip():
            rows.append({"text": text})
    return rows


def _partner_ids(item: dict) -> list[int]:
    partners = item.get("partners")
    if not isinstance(partners, list):
        return []
    return [p["id"] for p in partners if isinstance(p, dict) and isinstance(p.get("id"), int)]


def activity_rows(plan: InterventionPlan | None) -> list[dict]:
    if plan is None:
        return []
    rows = []
    for item in _items(plan.answers, "activities"):
        if not isinstance(item, dict):
            continue
        row = {name: str(item.get(name) or "") for name in ActivitiesForm.columns}
        row["partners"] = _partner_ids(item)
        rows.append(row)
    return rows


def _person_name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


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


def _field_label(model, name: str) -> str:
    return capfirst(str(model._meta.get_field(name).verbose_name))


class PlanWizard(CaseRecordWizard):
    """Mẫu 03 — Kế hoạch can thiệp, trợ giúp người học, sent to the principal for approval.

    The approved plan is never edited: a change makes a new version, which is
    approved in its turn while the approved one stays in force. Goals and
    activities are rows that are added and removed by buttons that work without
    JavaScript (see :meth:`post`).
    """

    template_code = TemplateCode.PLAN
    final_button_label = _("Send for approval")
    url_base = "plan"
    url_slug = "ke-hoach"
    template_name = "forms_app/steps/plan_wizard_step.html"
    template_version = "2025.1"
    legal_basis = TT18_2025
    allowed_states = frozenset(
        {
            CaseState.ASSESSED,
            CaseState.PLAN_RETURNED,
            CaseState.REVIEWED,
            CaseState.PLAN_APPROVED,
            CaseState.IN_PROGRESS,
        }
    )
    form_list = [
        ("problems", ProblemsForm),
        ("goals", GoalsForm),
        ("activities", ActivitiesForm),
        ("period", PeriodForm),
        ("confirm", ConfirmForm),
    ]
    # Columns of the plan, and the confirmation, which is the act of sending it.
    column_fields = {
        "period": {"period_start", "period_end", "review_date"},
        "confirm": {"confirm"},
    }
    need_list_id = "plan-need-suggestions"
    basis_key = "plan_basis"

    @classmethod
    def can_start(cls, user, school, case: Case | None = None) -> bool:
        return super().can_start(user, school, case) and plan_situation(case) is not None

    @cached_property
    def situation(self) -> PlanSituation | None:
        return plan_situation(self.case)

    # Requests

    def _remember_basis(self) -> None:
        """Note what the draft starts from, the first time it is opened."""
        extra = self.storage.extra_data
        if self.basis_key not in extra and self.situation is not None:
            extra[self.basis_key] = self.situation.basis

    def get(self, request, *args, **kwargs) -> HttpResponse:
        self._remember_basis()
        return super().get(request, *args, **kwargs)

    def post(self, *args, **kwargs) -> HttpResponse:
        """Add or remove a row of goals or activities, or else do what any step does.

        A row button is a submit button, so it works without JavaScript: the
        step's input is stored as "Back" and "Save and leave" store it (invalid or
        not) with the row added or removed, and the same step is shown again
        without judging the input, since the user has not submitted it yet.
        """
        self._remember_basis()
        management_form = ManagementForm(self.request.POST, prefix=self.prefix)
        if not management_form.is_valid():
            raise SuspiciousOperation("ManagementForm data is missing or has been tampered.")
        step = management_form.cleaned_data["current_step"]
        form_class = self.get_form_list().get(step)
        other_button = (
            self.goto_button in self.request.POST or self.save_and_leave_button in self.request.POST
        )
        if form_class is None or not issubclass(form_class, RowsStepForm) or other_button:
            return super().post(*args, **kwargs)
        self.storage.current_step = step
        form = self.get_form(step=step, data=self.request.POST, files=self.request.FILES)
        action = form.row_action()
        if action is None:
            return super().post(*args, **kwargs)
        kind, index = action
        data = form.rows_data(add=kind == "add", remove=index)
        self.store_step_input(step, data)
        shown = self.get_form(step=step, data=MultiValueDict(data))
        shown.hide_errors()
        if kind == "add" and shown.formset.forms:
            new_row = shown.formset.forms[-1]
            first_field = next(name for name in new_row.fields if name != "DELETE")
            new_row.fields[first_field].widget.attrs["autofocus"] = True
        return self.render(shown)

    # Forms

    def get_form_kwargs(self, step: str | None = None) -> dict:
        if step == "activities":
            keep = set()
            if self.situation is not None and self.situation.source is not None:
                for item in _items(self.situation.source.answers, "activities"):
                    if isinstance(item, dict):
                        keep.update(_partner_ids(item))
            return {
                "row_kwargs": {
                    "keep_partner_ids": sorted(keep),
                    "need_list_id": self.need_list_id,
                }
            }
        if step == "confirm":
            return {"approval_due": self.approval_due()}
        return {}

    def approval_due(self) -> datetime.datetime:
        """When the principal would have to decide if the plan were sent now."""
        return deadlines.plan_approval_due(self.case.school, timezone.now())

    @cached_property
    def _prefill(self) -> dict[str, dict]:
        situation = self.situation
        if situation is None:
            return {}
        source = situation.source
        if situation.purpose == FIRST:
            return {"problems": {"text": needs_text(situation.assessment)}}
        problems = str(_step(source.answers, "problems").get("text") or "")
        if situation.purpose == AFTER_REVIEW:
            reasons = review_reasons(situation.review)
            if reasons:
                problems = "\n".join(
                    part for part in (problems, gettext("Review conclusion: %s") % reasons) if part
                )
        prefill = {"problems": {"text": problems}}
        goals, activities = goal_rows(source), activity_rows(source)
        if goals:
            prefill["goals"] = {"items": goals}
        if activities:
            prefill["activities"] = {"items": activities}
        # A new plan after a review has a period of its own still to be set.
        if situation.purpose in (REWORK, REVISION):
            prefill["period"] = {
                "period_start": source.period_start,
                "period_end": source.period_end,
                "review_date": source.review_date,
            }
        return prefill

    def get_prefill(self, step: str) -> dict:
        return self._prefill.get(step, {})

    # Display

    def purpose_text(self) -> str:
        """One sentence saying which plan this is, shown above the first step."""
        situation = self.situation
        if situation is None:
            return ""
        if situation.purpose == FIRST:
            return gettext("First plan, following the assessment of %(date)s.") % {
                "date": as_text(timezone.localdate(situation.assessment.created_at))
            }
        if situation.purpose == AFTER_REVIEW:
            return gettext(
                "New plan after the review of %(date)s, which concluded that a new plan is needed."
            ) % {"date": as_text(timezone.localdate(situation.review.created_at))}
        version = situation.source.version
        if situation.purpose == REVISION:
            return gettext(
                "New version of the approved plan (version %(version)s). The approved plan "
                "stays in force until the principal approves this one."
            ) % {"version": version}
        if situation.source.status == Status.RETURNED:
            return gettext(
                "Correcting version %(version)s of the plan, which the principal returned."
            ) % {"version": version}
        return gettext("Completing version %(version)s of the plan, not yet sent.") % {
            "version": version
        }

    def need_suggestions(self) -> list[str]:
        """The assessed needs, offered (not imposed) in the activities' first column."""
        assessment = _latest(Assessment.objects.filter(case=self.case))
        names = []
        for item in _items(assessment.answers if assessment else {}, "needs"):
            name = _name(item.get("domain")) if isinstance(item, dict) else ""
            if name and name not in names:
                names.append(name)
        return names

    def summary_sections(self) -> list[Section]:
        """What the plan will say, from the steps' current input, for the last step."""
        cleaned = {
            step: self.get_cleaned_data_for_step(step) or {}
            for step in self.get_form_list()
            if step != "confirm"
        }
        period = cleaned.get("period", {})
        return self.content_sections(
            self.case,
            self.get_answers(cleaned, self.column_fields),
            period.get("period_start"),
            period.get("period_end"),
            period.get("review_date"),
        )

    def get_context_data(self, form: Form, **kwargs) -> dict:
        context = super().get_context_data(form=form, **kwargs)
        context["plan_purpose"] = self.purpose_text()
        step = self.steps.current
        situation = self.situation
        if step == "problems":
            context["learner_rows"] = learner_rows(self.case)
            if (
                situation is not None
                and situation.purpose == REWORK
                and situation.source.status == Status.RETURNED
            ):
                returned = situation.source
                context["returned_plan"] = {
                    "comment": returned.decision_comment,
                    "decided_by": _person_name(returned.decided_by),
                    "decided_at": as_text(returned.decided_at),
                }
        elif step == "activities":
            context["need_list_id"] = self.need_list_id
            context["need_suggestions"] = self.need_suggestions()
            context["activity_columns"] = ActivitiesForm.column_labels()
        elif step == "confirm":
            # Each section with the step that changes it, for its "Change" button.
            steps = ("problems", "goals", "activities", "period")
            context["plan_summary"] = [
                {"section": section, "step": step}
                for section, step in zip(self.summary_sections(), steps, strict=True)
            ]
            context["approval_due"] = as_text(self.approval_due())
        return context

    # Submission

    def _check_basis(self, situation: PlanSituation) -> None:
        started_from = self.storage.extra_data.get(self.basis_key)
        if started_from is not None and started_from != situation.basis:
            raise ValidationError(
                _(
                    "The case's plan has changed since this draft was started (another "
                    "version was sent, approved or returned). Start a new draft from the "
                    "case so that you work on the current plan. Your draft has been kept."
                ),
                code="plan_changed",
            )

    def create_record(self, form_dict: dict[str, Form], draft: WizardDraft) -> InterventionPlan:
        user = self.request.user
        case = self.lock_case()
        self.check_state(case)
        situation = plan_situation(case)
        if situation is None:
            raise ValidationError(
                _(
                    "No plan can be sent for this case now: another plan is waiting for "
                    "the principal's decision, or the last assessment or review did not "
                    "conclude with a plan. Your draft has been kept."
                ),
                code="no_plan_expected",
            )
        self._check_basis(situation)

        cleaned = {step: form.cleaned_data for step, form in form_dict.items()}
        period = cleaned["period"]
        content = {
            "answers": self.get_answers(cleaned, self.column_fields),
            "period_start": period["period_start"],
            "period_end": period["period_end"],
            "review_date": period["review_date"],
            "template_version": self.template_version,
            "legal_basis": self.legal_basis,
            # Whoever sends the content is its author, so the four-eyes rule
            # holds for a principal who reworked someone else's plan.
            "author": user,
        }
        if situation.purpose in (FIRST, AFTER_REVIEW):
            last = InterventionPlan.objects.filter(case=case).aggregate(v=Max("version"))["v"]
            plan = InterventionPlan.objects.create(
                case=case, version=(last or 0) + 1, status=Status.DRAFT, **content
            )
        else:
            if situation.purpose == REVISION:
                plan = transitions.revise_plan(situation.source, user)
            else:
                plan = InterventionPlan.objects.select_for_update().get(pk=situation.source.pk)
            transitions.assert_editable(plan)
            for name, value in content.items():
                setattr(plan, name, value)
            plan.save(update_fields=list(content))
        return transitions.submit_plan(plan, user)

    # Description

    @classmethod
    def content_sections(
        cls,
        case: Case,
        answers: dict,
        period_start: datetime.date | None,
        period_end: datetime.date | None,
        review_date: datetime.date | None,
    ) -> list[Section]:
        """Sections 1–4 of the plan: learner and needs, goals, activities, period."""
        fields = ProblemsForm.base_fields
        problems = str(_step(answers, "problems").get("text") or "")
        goals = [
            Row(
                str(GoalsForm.row_label % {"number": number}),
                as_text(item.get("text") if isinstance(item, dict) else item),
            )
            for number, item in enumerate(_items(answers, "goals"), start=1)
        ]
        activities = [
            [as_text(item.get(name)) for name in ActivitiesForm.columns]
            for item in _items(answers, "activities")
            if isinstance(item, dict)
        ]
        period_fields = PeriodForm.base_fields
        return [
            Section(
                f"1. {gettext('The learner and the problems or needs addressed')}",
                [*learner_rows(case), Row(str(fields["text"].label), problems)],
            ),
            Section(f"2. {gettext('Goals')}", goals),
            Section(
                f"3. {gettext('Activities')}",
                [
                    Table(
                        caption=gettext("Activities"),
                        columns=ActivitiesForm.column_labels(),
                        rows=activities,
                    )
                ],
            ),
            Section(
                f"4. {gettext('Plan period and review')}",
                [
                    Row(str(period_fields["period_start"].label), as_text(period_start)),
                    Row(str(period_fields["period_end"].label), as_text(period_end)),
                    Row(str(period_fields["review_date"].label), as_text(review_date)),
                ],
            ),
        ]

    @classmethod
    def describe_sections(cls, record: InterventionPlan) -> list[Section]:
        """The plan as numbered sections, then where the principal's approval stands."""
        model = InterventionPlan
        approval = Section(
            f"5. {gettext('Approval by the principal')}",
            [
                Row(_field_label(model, "version"), str(record.version)),
                Row(_field_label(model, "status"), record.get_status_display()),
                Row(_field_label(model, "submitted_at"), as_text(record.submitted_at)),
                Row(_field_label(model, "approval_due_at"), as_text(record.approval_due_at)),
                Row(gettext("Decided by"), _person_name(record.decided_by)),
                Row(_field_label(model, "decided_at"), as_text(record.decided_at)),
                Row(_field_label(model, "decision_comment"), record.decision_comment),
            ],
        )
        return [
            *cls.content_sections(
                record.case,
                record.answers,
                record.period_start,
                record.period_end,
                record.review_date,
            ),
            approval,
        ]
