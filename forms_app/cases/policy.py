"""Who may take which step of the procedure on which record, now: the one place it is written.

Modelled on Wagtail's permission policies, which pair an object check with a
queryset answering the same question. Each :class:`CaseAction` here has

* :meth:`~CaseAction.permit`: may this user take the step on this record now,
  and if not, why (a :class:`Permit`). The action screens and the case page's
  buttons ask it;
* :meth:`~CaseAction.instances`: the records on which this user may take the
  step now. The to-do list asks it, then narrows it to whom the task concerns;
* :meth:`~CaseAction.enforce`: the server's refusal, raised by the transitions
  under the row lock, in the words the screens show.

The rules themselves (the graph of :mod:`~forms_app.cases.procedure`, the
principal's decisions, the four-eyes rule on plans, closing only after a review
proposing it, a referral sent once) are written once, in :func:`move_permit` and
the actions below; tests/forms_app/cases/test_policy.py walks every state, role
and action and asserts that each object check and its queryset agree.

Which cases a user may read at all is :mod:`forms_app.cases.access`; its names
are re-exported here, so ``policy.cases_for`` keeps working.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from forms_app.cases import procedure
from forms_app.cases.access import (
    CASE_ROLES,
    can_change_case,
    can_delete_case,
    can_list_cases,
    can_open_case,
    can_view_case,
    case_school_ids,
    case_schools,
    case_staff,
    cases_for,
    get_case_or_404,
    is_principal,
    principal_school_ids,
)
from forms_app.models import Case, CaseState, InterventionPlan, Referral, Review

__all__ = [
    "ASSESS",
    "CASE_ROLES",
    "CLOSE",
    "DECIDE",
    "REFER",
    "REFERRAL_SENT",
    "REVIEW",
    "REWORK",
    "START_PLAN",
    "CaseAction",
    "Permit",
    "can_change_case",
    "can_delete_case",
    "can_list_cases",
    "can_open_case",
    "can_view_case",
    "case_school_ids",
    "case_schools",
    "case_staff",
    "cases_for",
    "close_permit",
    "decide_permit",
    "get_case_or_404",
    "is_principal",
    "latest_review",
    "move_permit",
    "principal_school_ids",
    "refer_permit",
    "referral_sent_permit",
    "start_plan_permit",
]

S = CaseState
Status = InterventionPlan.Status
_UNSET: Any = object()

# The states a returned plan is reworked in: while the case waits for it, or while
# the approved plan it would replace stays in force (a returned revision).
REWORK_STATES: frozenset[str] = frozenset({S.PLAN_RETURNED}) | procedure.PLAN_IN_FORCE_STATES


@dataclass(frozen=True)
class Permit:
    """The answer to "may this user take this action on this record now?".

    ``role_ok`` is False when the action is not theirs at all (a 403 whatever the
    state). ``refusal`` is what the server raises when it may not be taken: a
    ValidationError when the record does not allow it now, a PermissionDenied when
    the role does not (or, for a principal's own plan, the four-eyes rule).
    ``reason`` is its message, shown on the screen beside the case.
    """

    role_ok: bool
    refusal: PermissionDenied | ValidationError | None = field(default=None, compare=False)

    @property
    def allowed(self) -> bool:
        return self.refusal is None

    @property
    def reason(self) -> str:
        if self.refusal is None:
            return ""
        if isinstance(self.refusal, ValidationError):
            return " ".join(self.refusal.messages)
        return str(self.refusal)

    def enforce(self) -> None:
        """Raise the refusal, if any: what the transitions do before changing anything."""
        if self.refusal is not None:
            raise self.refusal


ALLOWED = Permit(True)


def _not_theirs(message: Any = "") -> Permit:
    return Permit(False, PermissionDenied(message))


def _not_now(message: Any, code: str) -> Permit:
    return Permit(True, ValidationError(message, code=code))


PRINCIPAL_ONLY_MESSAGE = _("Only a principal of this school can take this decision.")
CLOSED_CASE_MESSAGE = _("A closed case is kept as a record: it can be read, but no longer changed.")


def _is_principal_at(user, school_id: int) -> bool:
    return school_id in principal_school_ids(user)


def latest_review(case: Case) -> Review | None:
    """The case's most recent review (Mẫu 04), whose conclusion says what may follow."""
    return Review.objects.filter(case=case).order_by("-created_at", "-pk").first()


def _latest_conclusion() -> Subquery:
    """:func:`latest_review`'s conclusion for each case of a queryset."""
    return Subquery(
        Review.objects.filter(case_id=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("conclusion")[:1]
    )


# After a review (Mẫu 04) the case takes the move the review concluded and no
# other: closing needs a review proposing it, carrying on with the plan one
# concluding that the plan continues. (conclusion, refusal, its code)
REVIEW_MUST_CONCLUDE: dict[str, tuple[str, str, str]] = {
    S.CLOSED: (
        Review.Conclusion.CLOSE,
        _("A case can only be closed after a review that proposes closing it."),
        "review_does_not_propose_closing",
    ),
    S.IN_PROGRESS: (
        Review.Conclusion.CONTINUE,
        _("The latest review does not conclude that the plan continues."),
        "review_does_not_continue",
    ),
}


def move_permit(user, case: Case, to_state: str, review: Review | None = _UNSET) -> Permit:
    """Whether the procedure lets ``user`` move ``case`` to ``to_state`` now.

    The server's check on every change of state (``transitions.transition``), in
    its order: the graph, then the moves that are the principal's decision under
    the circular (a superuser without the principal's membership is refused too:
    a technical administrator cannot sign them), then, from a reviewed case, only
    the move its latest review concluded (``REVIEW_MUST_CONCLUDE``). ``review``
    spares a query when the caller has the latest review already.
    """
    if to_state not in procedure.TRANSITIONS.get(case.state, set()):
        return Permit(True, procedure.InvalidTransition(case.state, to_state))
    if to_state in procedure.PRINCIPAL_ONLY and not _is_principal_at(user, case.school_id):
        return _not_theirs(PRINCIPAL_ONLY_MESSAGE)
    if case.state == S.REVIEWED and to_state in REVIEW_MUST_CONCLUDE:
        conclusion, refusal, code = REVIEW_MUST_CONCLUDE[to_state]
        if review is _UNSET:
            review = latest_review(case)
        if review is None or review.conclusion != conclusion:
            return _not_now(refusal, code)
    return ALLOWED


# The actions ------------------------------------------------------------------------------


class CaseAction:
    """One step of the procedure taken on one kind of record (a case, a plan, a referral).

    Subclasses set ``model`` and ``principal_only`` and implement :meth:`rules`
    and :meth:`available`. The role comes first: the school's case roles may take
    every step, except those the circular gives the principal.
    """

    name = ""
    model: type[Model] = Case
    # True for the principal's decisions; otherwise any case role of the school.
    principal_only = False

    def case_of(self, obj) -> Case:
        """The case ``obj`` belongs to (the record itself when it is a case)."""
        return obj if isinstance(obj, Case) else obj.case

    def role_ok(self, user, obj) -> bool:
        """Whether the step is the user's to take on ``obj`` at all, whatever its state."""
        school_id = self.case_of(obj).school_id
        if self.principal_only:
            return _is_principal_at(user, school_id)
        return school_id in case_school_ids(user)

    def rules(self, user, obj, **known) -> Permit:
        """Override: whether the record allows the step now (the user's role aside)."""
        raise NotImplementedError

    def permit(self, user, obj, **known) -> Permit:
        """May ``user`` take this step on ``obj`` now, and if not, why."""
        if not self.role_ok(user, obj):
            return _not_theirs(PRINCIPAL_ONLY_MESSAGE if self.principal_only else "")
        return self.rules(user, obj, **known)

    def enforce(self, user, obj, **known) -> None:
        """Raise what the server answers when the step may not be taken now.

        The read right is checked where the record is loaded (``get_case_or_404``,
        a wizard's ``has_permission``); here only the principal's decisions check
        the role again, as they always have, besides the record's rules.
        """
        (self.permit if self.principal_only else self.rules)(user, obj, **known).enforce()

    def instances(self, user) -> QuerySet:
        """The records on which ``user`` may take this step now."""
        ids = principal_school_ids(user) if self.principal_only else case_school_ids(user)
        if not ids:
            return self.model.objects.none()
        return self.available(user, sorted(ids))

    def available(self, user, school_ids: list[int]) -> QuerySet:
        """Override: :meth:`instances` at the schools where the user's role takes the step."""
        raise NotImplementedError

    def allows(self, user, obj, **known) -> bool:
        return self.permit(user, obj, **known).allowed


class MoveAction(CaseAction):
    """A step that moves the case to ``to_state``: it fits where the graph allows that move.

    Filing Mẫu 02 moves a case to "assessed" and Mẫu 04 to "reviewed", so those
    wizards' tasks are moves too.
    """

    def __init__(self, name: str, to_state: str) -> None:
        self.name = name
        self.to_state = to_state
        self.principal_only = to_state in procedure.PRINCIPAL_ONLY

    def rules(self, user, case: Case, **known) -> Permit:
        return move_permit(user, case, self.to_state, **known)

    def available(self, user, school_ids: list[int]) -> QuerySet[Case]:
        cases = Case.objects.filter(
            school_id__in=school_ids, state__in=sorted(procedure.sources(self.to_state))
        )
        if self.to_state not in REVIEW_MUST_CONCLUDE:
            return cases
        # The queryset twin of move_permit's rule for reviewed cases.
        conclusion = REVIEW_MUST_CONCLUDE[self.to_state][0]
        return cases.alias(latest_conclusion=_latest_conclusion()).filter(
            ~Q(state=S.REVIEWED) | Q(state=S.REVIEWED, latest_conclusion=conclusion)
        )


class ReviewPlan(MoveAction):
    """Mẫu 04: review the support while the approved plan in force is carried out."""

    def rules(self, user, case: Case, **known) -> Permit:
        permit = super().rules(user, case, **known)
        if permit.allowed and not self._plans_in_force().filter(case_id=case.pk).exists():
            return _not_now(_("There is no approved plan in force to review."), "no_plan_in_force")
        return permit

    def available(self, user, school_ids: list[int]) -> QuerySet[Case]:
        in_force = self._plans_in_force().filter(case_id=OuterRef("pk"))
        return super().available(user, school_ids).filter(Exists(in_force))

    @staticmethod
    def _plans_in_force() -> QuerySet[InterventionPlan]:
        return InterventionPlan.objects.filter(status=Status.APPROVED)


class ReferFromIntake(MoveAction):
    """Refer a case just received, from its screen; later referrals go through Mẫu 02 or 04."""

    def rules(self, user, case: Case, **known) -> Permit:
        permit = super().rules(user, case, **known)
        if permit.allowed and case.state != S.RECEIVED:
            return _not_now(
                _(
                    "This screen refers a case just received. After the assessment, refer it "
                    "through the assessment (Mẫu 02) or the review (Mẫu 04)."
                ),
                "refer_through_record",
            )
        return permit

    def available(self, user, school_ids: list[int]) -> QuerySet[Case]:
        return super().available(user, school_ids).filter(state=S.RECEIVED)


class DecidePlan(CaseAction):
    """The principal approves or returns a submitted plan of an open case, never their own.

    The four-eyes rule holds even for a principal who drafted the plan: another
    principal (a vice-principal holding the role) decides.
    """

    name = "decide"
    model = InterventionPlan
    principal_only = True

    def rules(self, user, plan: InterventionPlan, **known) -> Permit:
        if plan.case.state == S.CLOSED:
            return _not_now(CLOSED_CASE_MESSAGE, "case_closed")
        if plan.status != Status.SUBMITTED:
            return _not_now(
                _("Only a submitted plan can be approved or returned."), "plan_not_submitted"
            )
        if plan.author_id is not None and plan.author_id == user.pk:
            return Permit(
                True,
                PermissionDenied(
                    _(
                        "The author of a plan cannot approve or return it; another principal "
                        "must decide."
                    )
                ),
            )
        return ALLOWED

    def available(self, user, school_ids: list[int]) -> QuerySet[InterventionPlan]:
        return (
            InterventionPlan.objects.filter(case__school_id__in=school_ids, status=Status.SUBMITTED)
            .exclude(case__state=S.CLOSED)
            .exclude(author_id=user.pk)
        )


class MarkReferralSent(CaseAction):
    """Either case role records, once, that a referral of an open case went out."""

    name = "referral_sent"
    model = Referral

    def rules(self, user, referral: Referral, **known) -> Permit:
        if referral.sent_at is not None:
            return _not_now(_("This referral has already been sent."), "referral_already_sent")
        if referral.case.state == S.CLOSED:
            return _not_now(CLOSED_CASE_MESSAGE, "case_closed")
        return ALLOWED

    def available(self, user, school_ids: list[int]) -> QuerySet[Referral]:
        return Referral.objects.filter(
            case__school_id__in=school_ids, sent_at__isnull=True
        ).exclude(case__state=S.CLOSED)


class ReworkPlan(CaseAction):
    """Rework a returned plan (Mẫu 03) and send it again, unless a newer version exists.

    The plan wizard offers it while the case waits for the plan (plan returned)
    or while the plan it would replace is in force; once the case has moved on
    (reviewed, referred, closed) a returned plan is left as it is.
    """

    name = "rework"
    model = InterventionPlan

    def rules(self, user, plan: InterventionPlan, **known) -> Permit:
        if plan.status != Status.RETURNED:
            return _not_now(_("Only a returned plan is reworked."), "plan_not_returned")
        if plan.case.state not in REWORK_STATES:
            return _not_now(
                _("The case has moved on since this plan was returned."), "case_moved_on"
            )
        if InterventionPlan.objects.filter(case_id=plan.case_id, version__gt=plan.version).exists():
            return _not_now(
                _("A newer version of this plan is already being prepared."), "plan_revision_open"
            )
        return ALLOWED

    def available(self, user, school_ids: list[int]) -> QuerySet[InterventionPlan]:
        newer = InterventionPlan.objects.filter(
            case_id=OuterRef("case_id"), version__gt=OuterRef("version")
        )
        return InterventionPlan.objects.filter(
            case__school_id__in=school_ids,
            status=Status.RETURNED,
            case__state__in=sorted(REWORK_STATES),
        ).exclude(Exists(newer))


DECIDE = DecidePlan()
START_PLAN = MoveAction("start_plan", S.IN_PROGRESS)
REFER = ReferFromIntake("refer", S.REFERRED)
REFERRAL_SENT = MarkReferralSent()
CLOSE = MoveAction("close", S.CLOSED)
ASSESS = MoveAction("assess", S.ASSESSED)
REWORK = ReworkPlan()
REVIEW = ReviewPlan("review", S.REVIEWED)

ACTIONS: dict[str, CaseAction] = {
    action.name: action
    for action in (DECIDE, START_PLAN, REFER, REFERRAL_SENT, CLOSE, ASSESS, REWORK, REVIEW)
}


# The object checks under the names the screens used first.
decide_permit = DECIDE.permit
start_plan_permit = START_PLAN.permit
refer_permit = REFER.permit
referral_sent_permit = REFERRAL_SENT.permit


def close_permit(user, case: Case, review: Review | None = _UNSET) -> Permit:
    """Only a principal closes, after a referral or after a review proposing to close."""
    return CLOSE.permit(user, case, review=review)
