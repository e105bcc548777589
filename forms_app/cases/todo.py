"""Việc cần làm: what in the case area waits for one user, soonest deadline first.

Computed from the records on which the case policy lets the user take each step
now (``policy.DECIDE.instances(user)`` and the like: the same rules the case
page's buttons and the transitions follow). Each task's deadline is read from
the obligation itself (a referral's, a submitted plan's, the plan in force's
review date), the same values ``transitions.refresh_deadline`` takes the
earliest of for the case list, never from that stored summary. One query per
kind of task however many cases there are (and a school's calendar once, for
review dates), so the dashboard panel stays cheap. Shown on the admin
dashboard (:class:`TodoPanel`) and as a page of its own.

Who is asked to act: a principal decides on plans (never their own) and closes
reviewed cases of their school; the assigned case worker files the assessment
and revises a returned plan (as does the plan's author) and starts carrying out
an approved one; referrals and reviews
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

from forms_app.cases import deadlines, policy
from forms_app.cases.procedure import (
    DEADLINE_PLAN_APPROVAL,
    DEADLINE_REFERRAL,
    DEADLINE_REVIEW,
    PLAN_IN_FORCE_STATES,
)
from forms_app.display import case_url
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    Review,
    WizardDraft,
)
from forms_app.models.cases import LEARNER_FIELDS
from pages.review_queue import PageReview, pages_awaiting_review

__all__ = [
    "DEADLINE_LABELS",
    "PANEL_LIMIT",
    "REVIEW_NOTICE",
    "Todo",
    "TodoAction",
    "TodoItem",
    "deadline_label",
    "todo_for",
]

# A review is listed this long before its date, so it can be prepared.
REVIEW_NOTICE = datetime.timedelta(days=7)
# How many tasks the dashboard shows before pointing to the full page.
PANEL_LIMIT = 8

DEADLINE_LABELS: dict[str, Any] = {
    DEADLINE_REFERRAL: _("Referral due"),
    DEADLINE_PLAN_APPROVAL: _("Plan approval due"),
    DEADLINE_REVIEW: _("Review due"),
}


def deadline_label(code: str) -> str:
    """The kind of a case's stored next deadline in words ("Referral due"); "" when none."""
    if not code:
        return ""
    return str(DEADLINE_LABELS.get(code, code))


@dataclass(frozen=True)
class TodoAction:
    """A step taken from the to-do itself, without opening the case or the page first.

    ``method`` is "post" for a button posting to ``url`` (with the CSRF token and
    a ``next`` back to the list), or "modal" for Wagtail's workflow action modal
    (``wagtailadmin/js/workflow-action.js``), which asks for a comment first.
    """

    label: str
    url: str
    method: str = "post"


@dataclass(frozen=True)
class TodoItem:
    """One thing to do on one case (or one page to review), with where to do it and by when.

    A page waiting for the principal's review has no case: ``case_id`` is None,
    ``subject`` names the page and ``subject_url`` opens it in the editor.
    """

    kind: str
    title: str
    case_id: int | None
    case_reference: str
    url: str
    # The legal deadline, when the procedure sets one; otherwise ``since`` says
    # how long the task has been waiting.
    due: datetime.datetime | None = None
    since: datetime.datetime | None = None
    now: datetime.datetime | None = field(default=None, compare=False, repr=False)
    subject_url: str = ""
    actions: tuple[TodoAction, ...] = ()

    @property
    def overdue(self) -> bool:
        return self.due is not None and self.due < (self.now or timezone.now())

    @property
    def case_url(self) -> str:
        return self.subject_url or case_url(self.case_id)

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


def _concerned(user, principal_of: list[int], prefix: str = "") -> Q:
    """Cases whose legal deadlines concern ``user`` (see the module docstring).

    ``prefix`` reaches the case from another record ("case__" from a referral).
    """
    return (
        Q(**{f"{prefix}assigned_worker_id": user.pk})
        | Q(**{f"{prefix}assigned_worker__isnull": True})
        | Q(**{f"{prefix}school_id__in": principal_of})
    )


def _page_review_item(review: PageReview, now: datetime.datetime) -> TodoItem:
    """A page in moderation as a task: read it, approve it, or ask for changes.

    Approving posts to Wagtail's workflow action URL (the task refuses the
    submitter's own approval there too); requesting changes opens Wagtail's
    modal, where the reviewer says what to change.
    """
    page, state = review.page, review.task_state
    offered = {name: modal for name, _label, modal in review.actions}

    def action_url(name: str) -> str:
        return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, name, state.pk))

    actions = []
    if "approve" in offered:
        actions.append(TodoAction(gettext("Approve"), action_url("approve")))
    if "reject" in offered:
        actions.append(TodoAction(gettext("Request changes"), action_url("reject"), "modal"))
    return TodoItem(
        kind="page_review",
        title=gettext("Review the page before it is published"),
        case_id=None,
        case_reference=page.get_admin_display_title(),
        url=reverse("wagtailadmin_pages:workflow_preview", args=(page.pk, state.task_id)),
        since=review.submitted_at,
        now=now,
        subject_url=reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        actions=tuple(actions),
    )


def _review_date_in_force() -> Subquery:
    """The review date of each case's plan in force, while that plan waits for its review.

    A case has one approved plan at a time (approving a version supersedes the
    others); once a review (Mẫu 04) of it is filed, its date is met.
    """
    return Subquery(
        InterventionPlan.objects.filter(
            case_id=OuterRef("pk"), status=InterventionPlan.Status.APPROVED
        )
        .exclude(Exists(Review.objects.filter(plan_id=OuterRef("pk"))))
        .order_by("-version")
        .values("review_date")[:1]
    )


def todo_for(user, now: datetime.datetime | None = None) -> Todo:
    """What waits for ``user`` across the cases they may read, overdue first, then by deadline.

    Each kind of task starts from the records on which the case policy lets the
    user take that step now (``policy.<ACTION>.instances``), so the to-do never
    lists what the case page would not offer; it then keeps the tasks that
    concern this user. Empty for anyone without a case role. Runs a fixed number
    of queries per school.
    """
    if not policy.can_list_cases(user):
        return Todo(items=[], drafts_count=0)
    now = now or timezone.now()
    # A task names its case by reference only: the learner's encrypted details
    # stay unread however many tasks there are.
    case_details = [f"case__{name}" for name in LEARNER_FIELDS]
    principal_of = sorted(policy.principal_school_ids(user))
    items: list[TodoItem] = []

    # A task done through a wizard links to the case page, which offers the form
    # beside the case's details and next steps; asking each wizard here whether it
    # may start would cost queries per case.
    def add(kind: str, title: str, case: Case, url: str | None, **when) -> None:
        items.append(
            TodoItem(
                kind=kind,
                title=title,
                case_id=case.pk,
                case_reference=case.reference,
                url=url or case_url(case.pk),
                now=now,
                **when,
            )
        )

    # Plans waiting for the principal's decision; never one they wrote themselves.
    for plan in (
        policy.DECIDE.instances(user).select_related("case").defer("answers", *case_details)
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
        policy.REFERRAL_SENT.instances(user)
        .filter(_concerned(user, principal_of, "case__"))
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

    # A review falls due at the close of the review date of the plan in force,
    # in the school's working time; one calendar is read per school.
    calendars: dict[int, deadlines.WorkingCalendar] = {}

    def review_due(case: Case) -> datetime.datetime | None:
        if case.in_force_review_date is None or case.state not in PLAN_IN_FORCE_STATES:
            return None
        if case.school_id not in calendars:
            calendars[case.school_id] = deadlines.calendar_for(case.school)
        return calendars[case.school_id].close_of_working_day(case.in_force_review_date)

    # Reviews (Mẫu 04) whose date is reached or near. Read from the plan in force,
    # not from the case's stored next deadline, which names only the earliest
    # obligation: a revision waiting for approval would hide a near review.
    # A review date after the horizon's day falls due after it too.
    horizon = now + REVIEW_NOTICE
    for case in (
        policy.REVIEW.instances(user)
        .filter(_concerned(user, principal_of))
        .annotate(in_force_review_date=_review_date_in_force())
        .filter(in_force_review_date__lte=timezone.localdate(horizon))
        .select_related("school")
        .defer(*LEARNER_FIELDS)
    ):
        due = review_due(case)
        if due is not None and due <= horizon:
            add("review", gettext("Review the support (Mẫu 04)"), case, None, due=due)

    # Approved plans not started yet, for the assigned worker (every case role
    # while nobody is): the plan's review date already runs.
    for case in (
        policy.START_PLAN.instances(user)
        .filter(Q(assigned_worker_id=user.pk) | Q(assigned_worker__isnull=True))
        .annotate(in_force_review_date=_review_date_in_force())
        .select_related("school")
        .defer(*LEARNER_FIELDS)
    ):
        add(
            "start_plan",
            gettext("Start carrying out the approved plan"),
            case,
            _url("forms_app:case_start", case.pk),
            due=review_due(case),
            since=case.updated_at,
        )

    # Returned plans to rework, for the assigned worker and the plan's author.
    for plan in (
        policy.REWORK.instances(user)
        .filter(Q(case__assigned_worker_id=user.pk) | Q(author_id=user.pk))
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
    for case in (
        policy.ASSESS.instances(user)
        .filter(assigned_worker_id=user.pk)
        .exclude(Exists(Assessment.objects.filter(case_id=OuterRef("pk"))))
        .defer(*LEARNER_FIELDS)
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
    # (A referred case may be closed too, but no deadline asks for it.)
    for case in (
        policy.CLOSE.instances(user).filter(state=CaseState.REVIEWED).defer(*LEARNER_FIELDS)
    ):
        add(
            "close",
            gettext("Close the case: the review proposes it"),
            case,
            _url("forms_app:case_close", case.pk),
            since=case.updated_at,
        )

    # Pages of the principal's schools waiting for their review (Wagtail's
    # workflow), with approving and requesting changes one click away.
    for review in pages_awaiting_review(user, principal_of):
        items.append(_page_review_item(review, now))

    drafts_count = WizardDraft.objects.filter(
        owner_id=user.pk,
        submitted_at__isnull=True,
        school__in=policy.case_schools(user),
    ).count()
    items.sort(key=TodoItem.sort_key)
    return Todo(items=items, drafts_count=drafts_count)
