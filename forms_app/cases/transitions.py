"""The case's state machine and the principal's decision on a plan.

Nothing else changes ``Case.state``: views, wizards and commands call the
actions here, so every move is checked against the procedure of Thông tư
33/2018 (and 18/2025), leaves a line in the case's timeline, and recomputes the
case's next deadline in the same transaction.
"""

import copy
import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.cases import deadlines, policy
from forms_app.cases.procedure import (
    DEADLINE_PLAN_APPROVAL,
    DEADLINE_REFERRAL,
    DEADLINE_REVIEW,
    PLAN_IN_FORCE_STATES,
    PRINCIPAL_ONLY,
    TRANSITIONS,
    InvalidTransition,
)
from forms_app.models import (
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    ReceivingBody,
    Referral,
    Review,
)

# The procedure's names stay importable from here, where callers met them first.
__all__ = [
    "DEADLINE_PLAN_APPROVAL",
    "DEADLINE_REFERRAL",
    "DEADLINE_REVIEW",
    "PLAN_IN_FORCE_STATES",
    "PRINCIPAL_ONLY",
    "TRANSITIONS",
    "InvalidTransition",
    "approve_plan",
    "assert_editable",
    "close_case",
    "is_frozen",
    "mark_referral_sent",
    "refer_case",
    "refresh_deadline",
    "return_plan",
    "revise_plan",
    "start_plan",
    "submit_plan",
    "transition",
]

S = CaseState
Status = InterventionPlan.Status


def _check_move(case: Case, to_state: str, user: AbstractBaseUser) -> None:
    """Refuse a move the graph, the decider's role or the case's records do not allow.

    The rules are :func:`policy.move_permit`'s, which the screens ask too. Kept
    inside :func:`transition` rather than only in the named actions, so that a
    caller using ``transition`` directly cannot close a case or approve a plan
    without being the principal.
    """
    policy.move_permit(user, case, to_state).enforce()


def _lock_case(case: Case) -> Case:
    """Re-read ``case`` under a lock on its own row (not its school's, which other cases share)."""
    return Case.objects.select_for_update(of=("self",)).select_related("school").get(pk=case.pk)


def transition(case: Case, to_state: str, user: AbstractBaseUser, note: str = "") -> CaseEvent:
    """Move ``case`` to ``to_state``, record who did it and why, and refresh its deadline.

    The row is locked and re-read first, so two clicks on the same button cannot
    both move the case: the second sees the state the first left and is refused.
    The conditional update repeats that check on databases where
    ``select_for_update`` is a no-op (SQLite). ``case`` is updated in place.
    """
    with transaction.atomic():
        current = _lock_case(case)
        from_state = current.state
        _check_move(current, to_state, user)
        now = timezone.now()
        moved = Case.objects.filter(pk=current.pk, state=from_state).update(
            state=to_state, updated_at=now
        )
        if not moved:
            current.refresh_from_db(fields=["state"])
            raise InvalidTransition(current.state, to_state)
        current.state = to_state
        current.updated_at = now
        event = CaseEvent.objects.create(
            case=current,
            actor=user,
            kind=CaseEvent.Kind.TRANSITION,
            from_state=from_state,
            to_state=to_state,
            note=note,
        )
        refresh_deadline(current)
    for field in ("state", "updated_at", "next_deadline", "next_deadline_label"):
        setattr(case, field, getattr(current, field))
    return event


def _record_event(case: Case, user: AbstractBaseUser, note: str = "") -> CaseEvent:
    """A timeline line for something that happened on the case without a state change."""
    return CaseEvent.objects.create(case=case, actor=user, kind=CaseEvent.Kind.RECORD, note=note)


# Deadlines -------------------------------------------------------------------


def refresh_deadline(case: Case) -> None:
    """Set the case's next deadline to its earliest open obligation, and save it.

    The obligations are the ones the circular sets a time for: sending a
    referral (12 working hours from intake), the principal's decision on a
    submitted plan (3 working days), and the review date of the plan in force
    while it is being carried out, until that plan is reviewed (Mẫu 04): a
    review concluding that the plan continues has met the date, and none is
    set again until a new plan sets one. Stored on the case so that lists can sort
    and flag overdue cases without recomputing working time per row.
    """
    candidates: list[tuple[datetime.datetime, str]] = []
    if case.state != S.CLOSED:
        for due in Referral.objects.filter(case=case, sent_at__isnull=True).values_list(
            "due_at", flat=True
        ):
            candidates.append((due, DEADLINE_REFERRAL))
        for due in InterventionPlan.objects.filter(
            case=case, status=Status.SUBMITTED, approval_due_at__isnull=False
        ).values_list("approval_due_at", flat=True):
            candidates.append((due, DEADLINE_PLAN_APPROVAL))
        if case.state in PLAN_IN_FORCE_STATES:
            in_force = _plan_in_force(case)
            if (
                in_force is not None
                and in_force.review_date is not None
                and not Review.objects.filter(plan=in_force).exists()
            ):
                candidates.append(
                    (deadlines.review_due(in_force.review_date, case.school), DEADLINE_REVIEW)
                )
    if candidates:
        case.next_deadline, case.next_deadline_label = min(candidates, key=lambda c: c[0])
    else:
        case.next_deadline, case.next_deadline_label = None, ""
    case.save(update_fields=["next_deadline", "next_deadline_label", "updated_at"])


# Plans (Mẫu 03) ----------------------------------------------------------------


def is_frozen(plan: InterventionPlan) -> bool:
    """An approved plan is what the principal signed; it and its predecessors never change."""
    return plan.status in (Status.APPROVED, Status.SUPERSEDED)


def assert_editable(plan: InterventionPlan) -> None:
    """Refuse to change a frozen plan; forms and wizards call this before saving one."""
    if is_frozen(plan):
        raise ValidationError(
            _("An approved plan cannot be changed; make a new version of it instead."),
            code="plan_frozen",
        )


def _plan_in_force(case: Case) -> InterventionPlan | None:
    return (
        InterventionPlan.objects.filter(case=case, status=Status.APPROVED)
        .order_by("-version")
        .first()
    )


def _lock_plan(plan: InterventionPlan) -> InterventionPlan:
    """Re-read ``plan`` under a row lock, so two decisions on it cannot both pass."""
    return (
        InterventionPlan.objects.select_for_update(of=("self",))
        .select_related("case__school")
        .get(pk=plan.pk)
    )


def _copy_plan_fields(source: InterventionPlan, target: InterventionPlan) -> None:
    """Bring the caller's instances up to date with what was saved under the lock."""
    if InterventionPlan.case.is_cached(target):
        for field in ("state", "updated_at", "next_deadline", "next_deadline_label"):
            setattr(target.case, field, getattr(source.case, field))
    for field in (
        "status",
        "submitted_at",
        "approval_due_at",
        "decided_by_id",
        "decided_at",
        "decision_comment",
        "version",
    ):
        setattr(target, field, getattr(source, field))


def submit_plan(plan: InterventionPlan, user: AbstractBaseUser) -> InterventionPlan:
    """Send a draft or returned plan to the principal; the 3-working-day clock starts now.

    A first plan (or a new plan after a review) moves the case to "plan
    submitted". A revision of the plan in force while it is being carried out
    leaves the case where it is: the approved plan keeps applying meanwhile.
    """
    with transaction.atomic():
        locked = _lock_plan(plan)
        case = locked.case
        if locked.status not in (Status.DRAFT, Status.RETURNED):
            raise ValidationError(
                _("Only a draft or returned plan can be submitted for approval."),
                code="plan_not_submittable",
            )
        if (
            InterventionPlan.objects.filter(case=case, status=Status.SUBMITTED)
            .exclude(pk=locked.pk)
            .exists()
        ):
            raise ValidationError(
                _("Another plan of this case is already waiting for the principal's decision."),
                code="plan_already_submitted",
            )
        mid_course = case.state in PLAN_IN_FORCE_STATES and _plan_in_force(case) is not None
        if not mid_course:
            _check_move(case, S.PLAN_SUBMITTED, user)

        locked.status = Status.SUBMITTED
        locked.submitted_at = timezone.now()
        locked.approval_due_at = deadlines.plan_approval_due(case.school, locked.submitted_at)
        # A resubmission is a new request: the earlier return's comment is kept in
        # the timeline, not on the plan the principal is now asked to decide.
        locked.decided_by = None
        locked.decided_at = None
        locked.decision_comment = ""
        locked.save(
            update_fields=[
                "status",
                "submitted_at",
                "approval_due_at",
                "decided_by",
                "decided_at",
                "decision_comment",
            ]
        )
        if mid_course:
            _record_event(case, user)
            refresh_deadline(case)
        else:
            transition(case, S.PLAN_SUBMITTED, user)
    _copy_plan_fields(locked, plan)
    return plan


def _decide(
    plan: InterventionPlan,
    user: AbstractBaseUser,
    status: str,
    to_state: str,
    comment: str,
) -> InterventionPlan:
    with transaction.atomic():
        locked = _lock_plan(plan)
        # Only a principal of the case's school, never on a plan they wrote, and
        # only while it is submitted: the rules the decision screen shows.
        policy.DECIDE.enforce(user, locked)
        case = locked.case
        locked.status = status
        locked.decided_by = user
        locked.decided_at = timezone.now()
        locked.decision_comment = comment
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_comment"])
        if status == Status.APPROVED:
            # Only now does the earlier version stop applying.
            InterventionPlan.objects.filter(case=case, status=Status.APPROVED).exclude(
                pk=locked.pk
            ).update(status=Status.SUPERSEDED)
        if case.state == S.PLAN_SUBMITTED:
            transition(case, to_state, user, note=comment)
        else:
            _record_event(case, user, note=comment)
            refresh_deadline(case)
    _copy_plan_fields(locked, plan)
    return plan


def approve_plan(
    plan: InterventionPlan, user: AbstractBaseUser, comment: str = ""
) -> InterventionPlan:
    """The principal approves a submitted plan; it is frozen from now on."""
    return _decide(plan, user, Status.APPROVED, S.PLAN_APPROVED, comment.strip())


def return_plan(plan: InterventionPlan, user: AbstractBaseUser, comment: str) -> InterventionPlan:
    """The principal sends a plan back; the author needs to know what to change, so say it."""
    comment = (comment or "").strip()
    if not comment:
        raise ValidationError(
            _("Say what needs to change when returning a plan."), code="comment_required"
        )
    return _decide(plan, user, Status.RETURNED, S.PLAN_RETURNED, comment)


def start_plan(case: Case, user: AbstractBaseUser, note: str = "") -> CaseEvent:
    """Begin carrying out the approved plan (or go on with it, as a review concluded).

    Checked under the case's lock with the policy's rule, which is narrower than
    the graph: after a review proposing to close, the plan is not started again.
    """
    with transaction.atomic():
        policy.START_PLAN.enforce(user, _lock_case(case))
        return transition(case, S.IN_PROGRESS, user, note)


def revise_plan(plan: InterventionPlan, user: AbstractBaseUser) -> InterventionPlan:
    """Start the next version of an approved plan as a draft, copying its content.

    The approved plan itself is never edited: it is what the principal signed.
    It stays in force until the new version is approved (see :func:`approve_plan`).
    """
    with transaction.atomic():
        locked = _lock_plan(plan)
        if locked.status != Status.APPROVED:
            raise ValidationError(
                _("Only the approved plan in force can be revised."), code="plan_not_revisable"
            )
        case = locked.case
        if (
            InterventionPlan.objects.filter(case=case)
            .exclude(status__in=(Status.APPROVED, Status.SUPERSEDED))
            .exists()
        ):
            raise ValidationError(
                _("A newer version of this plan is already being prepared."),
                code="plan_revision_open",
            )
        last_version = InterventionPlan.objects.filter(case=case).aggregate(v=Max("version"))["v"]
        return InterventionPlan.objects.create(
            case=case,
            version=(last_version or 0) + 1,
            status=Status.DRAFT,
            template_version=locked.template_version,
            legal_basis=locked.legal_basis,
            answers=copy.deepcopy(locked.answers),
            period_start=locked.period_start,
            period_end=locked.period_end,
            review_date=locked.review_date,
            author=user,
        )


# Referral and closing ------------------------------------------------------------


def refer_case(
    case: Case,
    receiving_body: ReceivingBody,
    user: AbstractBaseUser,
    consent_given: bool,
    danger_exception: str = "",
) -> Referral:
    """Refer the case outside the school, due 12 working hours after the information came in.

    Sharing a child's information without consent is allowed only when the child
    is in danger, and then the reason must be written down.
    """
    danger_exception = (danger_exception or "").strip()
    if not consent_given and not danger_exception:
        raise ValidationError(
            _(
                "Without consent, a referral needs the documented reason why the child is "
                "in danger."
            ),
            code="consent_or_exception_required",
        )
    if receiving_body.school_id not in (None, case.school_id):
        raise ValidationError(
            _("This receiving body belongs to another school."), code="foreign_receiving_body"
        )
    with transaction.atomic():
        current = _lock_case(case)
        # Checked before the referral is written; ``transition`` checks it again.
        _check_move(current, S.REFERRED, user)
        received_at = (
            IntakeReport.objects.filter(case=current).values_list("received_at", flat=True).first()
        ) or current.received_at
        referral = Referral.objects.create(
            case=current,
            receiving_body=receiving_body,
            due_at=deadlines.referral_due(current.school, received_at),
            consent_given=consent_given,
            danger_exception=danger_exception,
            author=user,
        )
        transition(case, S.REFERRED, user)
    return referral


def mark_referral_sent(referral: Referral, user: AbstractBaseUser) -> CaseEvent:
    """Record that the letter went out (or 111 was called); the referral deadline is met."""
    with transaction.atomic():
        locked = (
            Referral.objects.select_for_update(of=("self",))
            .select_related("case__school")
            .get(pk=referral.pk)
        )
        policy.REFERRAL_SENT.enforce(user, locked)
        locked.sent_at = timezone.now()
        locked.save(update_fields=["sent_at"])
        event = _record_event(locked.case, user, note=str(locked.receiving_body))
        refresh_deadline(locked.case)
    referral.sent_at = locked.sent_at
    return event


def close_case(case: Case, user: AbstractBaseUser, note: str = "") -> CaseEvent:
    """The principal closes the case, after a review proposing it or after a referral.

    The checks live in :func:`transition` so they hold however a close is asked for.
    """
    return transition(case, S.CLOSED, user, note)
