"""Việc cần làm: what in the case area waits for one user, soonest deadline first.

Computed from the cases the user may read (:func:`policy.cases_for`) and
the deadlines ``transitions.refresh_deadline`` stores, with one query per kind
of task however many cases there are, so the dashboard panel stays cheap. Shown
on the admin dashboard (:class:`TodoPanel`) and as a page of its own.

Who is asked to act: a principal decides on plans (never their own) and closes
reviewed cases of their school; the assigned case worker files the assessment
and revises a returned plan (as does the plan's author); referrals and reviews
fall to the assigned worker, to the principal of the school, and to every case
role of the school while nobody is assigned, so that no legal deadline waits
unseen.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, OuterRef, Q, Subquery
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases import policy, transitions
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    Referral,
    Review,
    WizardDraft,
)
from forms_app.models.cases import LEARNER_FIELDS

__all__ = [
    "DEADLINE_LABELS",
    "PANEL_LIMIT",
    "REVIEW_NOTICE",
    "Todo",
    "TodoItem",
    "deadline_label",
    "todo_for",
]

# A review is listed this long before its date, so it can be prepared.
REVIEW_NOTICE = datetime.timedelta(days=7)
# How many tasks the dashboard shows before pointing to the full page.
PANEL_LIMIT = 8

DEADLINE_LABELS: dict[str, Any] = {
    transitions.DEADLINE_REFERRAL: _("Referral due"),
    transitions.DEADLINE_PLAN_APPROVAL: _("Plan approval due"),
    transitions.DEADLINE_REVIEW: _("Review due"),
}


def deadline_label(code: str) -> str:
    """The kind of a case's stored next deadline in words ("Referral due"); "" when none."""
    if not code:
        return ""
    return str(DEADLINE_LABELS.get(code, code))


@dataclass(frozen=True)
class TodoItem:
    """One thing to do on one case, with where to do it and by when."""

    kind: str
    title: str
    case_id: int
    case_reference: str
    url: str
    # The legal deadline, when the procedure sets one; otherwise ``since`` says
    # how long the task has been waiting.
    due: datetime.datetime | None = None
    since: datetime.datetime | None = None
    now: datetime.datetime | None = field(default=None, compare=False, repr=False)

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < (self.now or timezone.now())

    @property
    def case_url(self) -> str:
        from forms_app.display import case_url

        return case_url(self.case_id)

    def sort_key(self) -> tuple:
        # Overdue first, then by deadline, then tasks without one, oldest first.
        far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
        return (
            not self.overdue,
            self.due is None,
            self.due or far,
            self.since or far,
            self.case_reference,
        )


@dataclass
class Todo:
    """Everything waiting for one user: the tasks in order, and their unfinished drafts."""

    items: list[TodoItem]
    drafts_count: int

    @property
    def overdue_count(self) -> int:
        return sum(1 for item in self.items if item.overdue)

    def __len__(self) -> int:
        return len(self.items)


def _url(name: str, *args) -> str | None:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return None


def _case_page(case: Case) -> str:
    from forms_app.display import case_url

    return case_url(case.pk)


def _principal_school_ids(user) -> set[int]:
    return {school.pk for school in policy.case_schools(user) if policy.is_principal(user, school)}


def todo_for(user, now: datetime.datetime | None = None) -> Todo:
    """What waits for ``user`` across the cases they may read, overdue first, then by deadline.

    Empty for anyone without a case role. Runs a fixed number of queries.
    """
    if not policy.can_list_cases(user):
        return Todo(items=[], drafts_count=0)
    now = now or timezone.now()
    # A task names its case by reference only: the learner's encrypted details
    # stay unread however many tasks there are.
    cases = policy.cases_for(user).defer(*LEARNER_FIELDS)
    open_cases = cases.exclude(state=CaseState.CLOSED)
    case_details = [f"case__{name}" for name in LEARNER_FIELDS]
    principal_of = _principal_school_ids(user)
    # Cases whose legal deadlines concern this user (see the module docstring).
    concerned = (
        Q(assigned_worker_id=user.pk)
        | Q(assigned_worker__isnull=True)
        | Q(school_id__in=principal_of)
    )
    items: list[TodoItem] = []

    # A task done through a wizard links to the case page, which offers the form:
    # a link straight to a wizard's start would make a new draft on every click,
    # and asking each wizard whether it may start costs queries per case.
    def add(kind: str, title: str, case: Case, url: str | None, **when) -> None:
        items.append(
            TodoItem(
                kind=kind,
                title=title,
                case_id=case.pk,
                case_reference=case.reference,
                url=url or _case_page(case),
                now=now,
                **when,
            )
        )

    # Plans waiting for the principal's decision; never one they wrote themselves.
    for plan in (
        InterventionPlan.objects.filter(
            status=InterventionPlan.Status.SUBMITTED,
            case__in=open_cases.filter(school_id__in=principal_of),
        )
        .exclude(author_id=user.pk)
        .select_related("case")
        .defer("answers", *case_details)
    ):
        add(
            "plan_decision",
            gettext("Decide on the plan (version %(version)s)") % {"version": plan.version},
            plan.case,
            _url("forms_app:plan_decide", plan.pk),
            due=plan.approval_due_at,
            since=plan.submitted_at,
        )

    # Referrals not sent yet: 12 working hours from intake.
    for referral in (
        Referral.objects.filter(sent_at__isnull=True, case__in=open_cases.filter(concerned))
        .select_related("case", "receiving_body")
        .defer(*case_details)
    ):
        add(
            "referral",
            gettext("Send the referral to %(body)s") % {"body": referral.receiving_body.name},
            referral.case,
            _url("forms_app:referral_sent", referral.pk),
            due=referral.due_at,
            since=referral.created_at,
        )

    # Reviews (Mẫu 04) whose date is reached or near, read from the stored deadline.
    for case in open_cases.filter(concerned).filter(
        state=CaseState.IN_PROGRESS,
        next_deadline_label=transitions.DEADLINE_REVIEW,
        next_deadline__lte=now + REVIEW_NOTICE,
    ):
        add(
            "review",
            gettext("Review the support (Mẫu 04)"),
            case,
            None,
            due=case.next_deadline,
        )

    # Returned plans to revise, unless a newer version has been started since.
    newer = InterventionPlan.objects.filter(
        case_id=OuterRef("case_id"), version__gt=OuterRef("version")
    )
    for plan in (
        InterventionPlan.objects.filter(
            status=InterventionPlan.Status.RETURNED, case__in=open_cases
        )
        .filter(Q(case__assigned_worker_id=user.pk) | Q(author_id=user.pk))
        .exclude(Exists(newer))
        .select_related("case")
        .defer("answers", *case_details)
    ):
        add(
            "plan_returned",
            gettext("Revise the returned plan (version %(version)s)") % {"version": plan.version},
            plan.case,
            None,
            since=plan.decided_at,
        )

    # New cases of this worker that still need their assessment (Mẫu 02).
    for case in open_cases.filter(state=CaseState.RECEIVED, assigned_worker_id=user.pk).exclude(
        Exists(Assessment.objects.filter(case_id=OuterRef("pk")))
    ):
        add(
            "assessment",
            gettext("Assess the case (Mẫu 02)"),
            case,
            None,
            due=case.next_deadline,
            since=case.received_at,
        )

    # Reviewed cases whose latest review proposes closing: the principal closes them.
    latest_conclusion = (
        Review.objects.filter(case_id=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("conclusion")[:1]
    )
    for case in (
        cases.filter(state=CaseState.REVIEWED, school_id__in=principal_of)
        .annotate(latest_conclusion=Subquery(latest_conclusion))
        .filter(latest_conclusion=Review.Conclusion.CLOSE)
    ):
        add(
            "close",
            gettext("Close the case: the review proposes it"),
            case,
            _url("forms_app:case_close", case.pk),
            since=case.updated_at,
        )

    drafts_count = WizardDraft.objects.filter(
        owner_id=user.pk,
        submitted_at__isnull=True,
        school__in=policy.case_schools(user),
    ).count()
    items.sort(key=TodoItem.sort_key)
    return Todo(items=items, drafts_count=drafts_count)
