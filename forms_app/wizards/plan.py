"""Mẫu 03 — Kế hoạch can thiệp, trợ giúp người học: the wizard of the support plan.

One wizard serves the four moments the procedure drafts a plan (see
:mod:`forms_app.wizards.plan_situation`, which also reads what a draft starts
from); :mod:`forms_app.wizards.plan_description` says how a plan reads. Whatever
the moment, the result is a plan version sent to the principal, who approves it
within 3 working days.
"""

import datetime
from functools import cached_property

from django.core.exceptions import ValidationError
from django.db.models import Max
from django.forms import Form
from django.http import HttpResponse
from django.utils import timezone
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext_lazy as _

from forms_app.cases import deadlines, transitions
from forms_app.display import person_name
from forms_app.forms.plan import (
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
    TemplateCode,
    WizardDraft,
)
from forms_app.models.records import TT18_2025
from forms_app.printing.sections import Section, as_text
from forms_app.wizards.base import CaseRecordWizard
from forms_app.wizards.plan_description import content_sections, learner_rows, plan_sections
from forms_app.wizards.plan_situation import (
    AFTER_REVIEW,
    FIRST,
    REVISION,
    REWORK,
    PlanSituation,
    Status,
    draft_prefill,
    latest,
    need_names,
    plan_situation,
    purpose_text,
    source_partner_ids,
)


class PlanWizard(CaseRecordWizard):
    """Mẫu 03 — Kế hoạch can thiệp, trợ giúp người học, sent to the principal for approval.

    The approved plan is never edited: a change makes a new version, which is
    approved in its turn while the approved one stays in force. Goals and
    activities are rows that are added and removed by buttons that work without
    JavaScript (see :meth:`post`).
    """

    template_code = TemplateCode.PLAN
    final_button_label = _("Send for approval")
    success_message = _(
        "%(template)s of case %(reference)s has been sent to the principal for approval."
    )
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
    # The period and where the approval stands sum a plan up.
    summary_section_numbers = (4, 5)
    need_list_id = "plan-need-suggestions"
    basis_key = "plan_basis"

    @classmethod
    def can_start(cls, user, school, case: Case | None = None) -> bool:
        return super().can_start(user, school, case) and plan_situation(case) is not None

    @classmethod
    def describe_sections(cls, record: InterventionPlan) -> list[Section]:
        """The plan as numbered sections, then where the principal's approval stands."""
        return plan_sections(record)

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
        step = self.posted_step()
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
            return {
                "row_kwargs": {
                    "keep_partner_ids": source_partner_ids(self.situation),
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
        return draft_prefill(self.situation)

    def get_prefill(self, step: str) -> dict:
        return self._prefill.get(step, {})

    # Display

    def purpose_text(self) -> str:
        """One sentence saying which plan this is, shown above the first step."""
        return purpose_text(self.situation)

    def need_suggestions(self) -> list[str]:
        """The assessed needs, offered (not imposed) in the activities' first column."""
        return need_names(latest(Assessment.objects.filter(case=self.case)))

    def draft_sections(self) -> list[Section]:
        """What the plan will say (sections 1–4), from the steps' input, for the last step."""
        cleaned = {
            step: self.get_cleaned_data_for_step(step) or {}
            for step in self.get_form_list()
            if step != "confirm"
        }
        period = cleaned.get("period", {})
        return content_sections(
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
                    "decided_by": person_name(returned.decided_by),
                    "decided_at": as_text(returned.decided_at),
                }
        elif step == "activities":
            context["need_list_id"] = self.need_list_id
            context["need_suggestions"] = self.need_suggestions()
        elif step == "confirm":
            # Each section with the step that changes it, for its "Change" button.
            steps = ("problems", "goals", "activities", "period")
            context["plan_summary"] = [
                {"section": section, "step": step}
                for section, step in zip(self.draft_sections(), steps, strict=True)
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
