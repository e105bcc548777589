"""The screens that move a case besides the wizards: decide, start, refer, mark sent, close.

Each action is one small view: a GET shows what is about to happen and a form,
a POST does it through :mod:`forms_app.cases.transitions` (the only code that changes a
case's state) and leads back to the case. Every view loads the case through
:func:`policy.get_case_or_404` first, so another school's case is a 404.
Then two questions are asked, in this order, of :mod:`forms_app.cases.policy`,
which the case page's buttons, the to-do list and the transitions ask too:

* may this user's role take this decision on this case at all? If not, a 403
  (``forbidden``), e.g. a case worker asking to approve a plan;
* does the case allow it now? If not, the screen still shows the case with the
  reason and no button, answered with a 403 too, e.g. a plan decided already or
  a second click on "Close".

A refusal that only the transition itself can detect (another user moved the
case meanwhile, a missing comment, consent without a reason) re-renders the form
with the transition's message and the input kept.
"""

from __future__ import annotations

import datetime

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext
from django.views import View
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from wagtail.admin import messages

from audit import log as audit_log
from audit.models import Action as AuditAction
from forms_app.cases import deadlines, policy, transitions
from forms_app.cases.policy import Permit, latest_review
from forms_app.cases.todo import deadline_label
from forms_app.display import case_url, local_moment
from forms_app.forms.actions import (
    APPROVE,
    CloseCaseForm,
    PlanDecisionForm,
    ReferralForm,
    ReferralSentForm,
    StartPlanForm,
)
from forms_app.models import (
    Case,
    IntakeReport,
    InterventionPlan,
    Referral,
    TemplateCode,
)
from forms_app.wizards import forbidden

__all__ = [
    "CaseStartView",
    "CloseCaseView",
    "PlanDecideView",
    "ReferCaseView",
    "ReferralSentView",
    "plan_summary",
]

Status = InterventionPlan.Status


# Showing what is decided on ---------------------------------------------------------------


def _items(answers: dict, step: str, key: str = "items") -> list[dict]:
    """A list of rows stored in a plan's answers, tolerating a missing or odd shape."""
    section = answers.get(step) if isinstance(answers, dict) else None
    rows = section.get(key) if isinstance(section, dict) else None
    return [row for row in rows if isinstance(row, dict)] if isinstance(rows, list) else []


def _names(items) -> str:
    if not isinstance(items, list):
        return ""
    return ", ".join(
        str(item.get("name", "")) if isinstance(item, dict) else str(item) for item in items
    )


def plan_summary(plan: InterventionPlan, now: datetime.datetime | None = None) -> dict:
    """What a principal reads before deciding on a plan (Mẫu 03), from its columns and answers."""
    answers = plan.answers if isinstance(plan.answers, dict) else {}
    problems = answers.get("problems")
    now = now or timezone.now()
    return {
        "plan": plan,
        "problems": problems.get("text", "") if isinstance(problems, dict) else "",
        "goals": [str(goal.get("text", "")) for goal in _items(answers, "goals")],
        "activities": [
            {
                "need": row.get("need", ""),
                "activity": row.get("activity", ""),
                "responsible": row.get("responsible", ""),
                "partners": _names(row.get("partners")),
                "timing": row.get("timing", ""),
                "resources": row.get("resources", ""),
                "expected_result": row.get("expected_result", ""),
            }
            for row in _items(answers, "activities")
        ],
        "approval_due": local_moment(plan.approval_due_at),
        "approval_overdue": (
            plan.status == Status.SUBMITTED
            and plan.approval_due_at is not None
            and plan.approval_due_at < now
        ),
        "submitted": local_moment(plan.submitted_at),
        "print_url": reverse("forms_app:record_print", args=[TemplateCode.PLAN.value, plan.pk]),
    }


# The action screens -------------------------------------------------------------------


@method_decorator([sensitive_post_parameters(), sensitive_variables()], name="dispatch")
class CaseActionView(View):
    """What every action screen shares: loading, the two checks, the form and the outcome.

    Subclasses set ``template_name``, ``form_class`` and ``title``, and implement
    ``load`` (find the objects, 404 for another school's), ``get_permit`` and
    ``perform`` (call the transition; return the success message).
    """

    http_method_names = ["get", "post"]
    template_name = ""
    form_class: type[forms.Form] = forms.Form
    title = ""
    submit_label = ""
    # Which form field a transition's refusal belongs to, by its error code.
    error_fields: dict[str, str] = {}
    # How the access audit names this action: "<audit_name>:<id of what is acted on>".
    audit_name = ""

    case: Case
    permit: Permit
    # Set by a successful ``perform``: the audit then records a change, not a view.
    audit_change: str = ""

    def load(self, **kwargs) -> None:
        """Override to set ``self.case`` (and the record acted on) from the URL."""
        self.case = policy.get_case_or_404(self.request.user, kwargs["case_pk"])

    def get_permit(self) -> Permit:
        """Override to say whether the user may act now."""
        raise NotImplementedError

    def perform(self, form: forms.Form) -> str:
        """Override to take the action through ``transitions``; return the success message."""
        raise NotImplementedError

    def get_form_kwargs(self) -> dict:
        """Override to pass more to the form."""
        return {}

    def get_context_data(self, **kwargs) -> dict:
        """Override to show more about what is acted on."""
        case = self.case
        return {
            "case": case,
            "case_url": case_url(case.pk),
            "page_title": self.title,
            "submit_label": self.submit_label or self.title,
            "next_deadline": local_moment(case.next_deadline),
            "next_deadline_label": deadline_label(case.next_deadline_label),
            **kwargs,
        }

    def audit_target(self) -> str:
        """Override to name what is acted on when it is not the case itself."""
        return f"{self.audit_name}:{self.case.pk}"

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.load(**kwargs)
        self.permit = self.get_permit()
        if not self.permit.role_ok:
            return forbidden(request)
        response = super().dispatch(request, *args, **kwargs)
        # The screen shows the case (and the plan decided on): reading it is audited,
        # and a decision taken is audited as a change, once per request either way.
        if response.status_code != 405:
            action = AuditAction.CHANGE if self.audit_change else AuditAction.VIEW
            target = self.audit_change or self.audit_target()
            audit_log.record(request, action, case=self.case, target=target)
        return response

    def get_form(self, data=None) -> forms.Form:
        return self.form_class(data=data, **self.get_form_kwargs())

    def render(self, form: forms.Form, refusal: str = "", status: int | None = None):
        refusal = refusal or self.permit.reason
        return TemplateResponse(
            self.request,
            self.template_name,
            self.get_context_data(form=form, refusal=refusal),
            status=status or (403 if refusal else 200),
        )

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return self.render(self.get_form())

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        form = self.get_form(data=request.POST)
        if self.permit.reason:
            return self.render(form)
        if form.is_valid():
            try:
                message = self.perform(form)
            except PermissionDenied as refusal:
                return self.render(form, refusal=str(refusal), status=403)
            except ValidationError as error:
                self.add_errors(form, error)
            else:
                self.audit_change = self.audit_target()
                messages.success(request, message)
                return redirect(case_url(self.case.pk))
        return self.render(form)

    def add_errors(self, form: forms.Form, error: ValidationError) -> None:
        for item in error.error_list:
            field = self.error_fields.get(item.code or "")
            form.add_error(field if field in form.fields else None, item)


class PlanDecideView(CaseActionView):
    """The principal approves or returns a submitted plan (Mẫu 03)."""

    template_name = "forms_app/actions/plan_decide.html"
    audit_name = "plan-decide"
    form_class = PlanDecisionForm
    error_fields = {"comment_required": "comment"}

    plan: InterventionPlan

    @property
    def title(self) -> str:
        return gettext("Decision on the plan (version %(version)s)") % {
            "version": self.plan.version
        }

    def load(self, **kwargs) -> None:
        case_id = (
            InterventionPlan.objects.filter(pk=kwargs["plan_pk"])
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise Http404("No plan matches the given query.")
        self.case = policy.get_case_or_404(self.request.user, case_id)
        self.plan = InterventionPlan.objects.select_related("author", "decided_by").get(
            pk=kwargs["plan_pk"]
        )
        self.plan.case = self.case

    def get_permit(self) -> Permit:
        return policy.DECIDE.permit(self.request.user, self.plan)

    def audit_target(self) -> str:
        return f"{self.audit_name}:{self.plan.pk}"

    def get_context_data(self, **kwargs) -> dict:
        return super().get_context_data(summary=plan_summary(self.plan), **kwargs)

    def perform(self, form: forms.Form) -> str:
        comment = form.cleaned_data["comment"]
        params = {"version": self.plan.version}
        approve = form.cleaned_data["decision"] == APPROVE
        self.audit_name = "plan-approve" if approve else "plan-return"
        if approve:
            transitions.approve_plan(self.plan, self.request.user, comment)
            return gettext("The plan (version %(version)s) has been approved.") % params
        transitions.return_plan(self.plan, self.request.user, comment)
        return gettext("The plan (version %(version)s) has been returned to its author.") % params


class CaseStartView(CaseActionView):
    """Start carrying out the approved plan: the case goes "in progress"."""

    template_name = "forms_app/actions/case_start.html"
    audit_name = "case-start"
    form_class = StartPlanForm

    @property
    def title(self) -> str:
        return gettext("Start carrying out the plan")

    def get_permit(self) -> Permit:
        return policy.START_PLAN.permit(self.request.user, self.case)

    def get_context_data(self, **kwargs) -> dict:
        plan = (
            InterventionPlan.objects.filter(case=self.case, status=Status.APPROVED)
            .order_by("-version")
            .first()
        )
        return super().get_context_data(
            plan=plan, summary=plan_summary(plan) if plan else None, **kwargs
        )

    def perform(self, form: forms.Form) -> str:
        transitions.start_plan(self.case, self.request.user, form.cleaned_data["note"].strip())
        return gettext("Carrying out the plan has started.")


class ReferCaseView(CaseActionView):
    """Refer a case from intake to a body outside the school (12 working hours from intake)."""

    template_name = "forms_app/actions/case_refer.html"
    audit_name = "case-refer"
    form_class = ReferralForm
    error_fields = {
        "consent_or_exception_required": "danger_exception",
        "foreign_receiving_body": "receiving_body",
    }

    @property
    def title(self) -> str:
        return gettext("Refer outside the school")

    def get_permit(self) -> Permit:
        return policy.REFER.permit(self.request.user, self.case)

    def get_form_kwargs(self) -> dict:
        return {"case": self.case}

    def received_at(self) -> datetime.datetime:
        """The moment the information came in (Mẫu 01), which starts the 12-hour clock."""
        return (
            IntakeReport.objects.filter(case=self.case)
            .values_list("received_at", flat=True)
            .first()
            or self.case.received_at
        )

    def get_context_data(self, **kwargs) -> dict:
        received_at = self.received_at()
        due = deadlines.referral_due(self.case.school, received_at)
        intake = IntakeReport.objects.filter(case=self.case).only("referral_suggested").first()
        return super().get_context_data(
            received_at=local_moment(received_at),
            referral_due=local_moment(due),
            referral_overdue=due < timezone.now(),
            referral_suggested=bool(intake and intake.referral_suggested),
            **kwargs,
        )

    def perform(self, form: forms.Form) -> str:
        data = form.cleaned_data
        referral = transitions.refer_case(
            self.case,
            data["receiving_body"],
            self.request.user,
            consent_given=data["consent_given"],
            danger_exception=data["danger_exception"],
        )
        return gettext(
            "The referral has been recorded. Call 111 or send the letter by %(due)s, "
            "then mark it as sent."
        ) % {"due": local_moment(referral.due_at)}


class ReferralSentView(CaseActionView):
    """Record that the letter went out or 111 was called: the referral deadline is met."""

    template_name = "forms_app/actions/referral_sent.html"
    audit_name = "referral-sent"
    form_class = ReferralSentForm

    referral: Referral

    @property
    def title(self) -> str:
        return gettext("Mark the referral as sent")

    def load(self, **kwargs) -> None:
        case_id = (
            Referral.objects.filter(pk=kwargs["referral_pk"])
            .values_list("case_id", flat=True)
            .first()
        )
        if case_id is None:
            raise Http404("No referral matches the given query.")
        self.case = policy.get_case_or_404(self.request.user, case_id)
        self.referral = Referral.objects.select_related("receiving_body").get(
            pk=kwargs["referral_pk"]
        )
        self.referral.case = self.case

    def get_permit(self) -> Permit:
        return policy.REFERRAL_SENT.permit(self.request.user, self.referral)

    def audit_target(self) -> str:
        return f"{self.audit_name}:{self.referral.pk}"

    def get_context_data(self, **kwargs) -> dict:
        referral = self.referral
        return super().get_context_data(
            referral=referral,
            due=local_moment(referral.due_at),
            sent=local_moment(referral.sent_at),
            overdue=referral.sent_at is None and referral.due_at < timezone.now(),
            **kwargs,
        )

    def perform(self, form: forms.Form) -> str:
        transitions.mark_referral_sent(self.referral, self.request.user)
        return gettext("The referral to %(body)s has been marked as sent.") % {
            "body": self.referral.receiving_body.name
        }


class CloseCaseView(CaseActionView):
    """The principal closes the case, after a review proposing it or after a referral."""

    template_name = "forms_app/actions/case_close.html"
    audit_name = "case-close"
    form_class = CloseCaseForm

    @property
    def title(self) -> str:
        return gettext("Close the case")

    def get_permit(self) -> Permit:
        self.latest_review = latest_review(self.case)
        return policy.CLOSE.permit(self.request.user, self.case, review=self.latest_review)

    def get_context_data(self, **kwargs) -> dict:
        referrals = Referral.objects.filter(case=self.case).select_related("receiving_body")
        return super().get_context_data(
            latest_review=self.latest_review,
            referrals=[
                {"referral": r, "due": local_moment(r.due_at), "sent": local_moment(r.sent_at)}
                for r in referrals
            ],
            **kwargs,
        )

    def perform(self, form: forms.Form) -> str:
        transitions.close_case(self.case, self.request.user, form.cleaned_data["note"].strip())
        return gettext("The case has been closed.")
