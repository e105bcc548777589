"""The case's state machine: which moves the procedure allows, who decides, what is recorded."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from forms_app.cases import deadlines, transitions
from forms_app.cases.opening import open_case
from forms_app.cases.policy import REVIEW_MUST_CONCLUDE
from forms_app.cases.transitions import (
    InvalidTransition,
    approve_plan,
    assert_editable,
    close_case,
    is_frozen,
    mark_referral_sent,
    refer_case,
    refresh_deadline,
    return_plan,
    revise_plan,
    start_plan,
    submit_plan,
    transition,
)
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    ReceivingBody,
    Referral,
    Review,
)

pytestmark = pytest.mark.django_db

S = CaseState
Status = InterventionPlan.Status
HCM = ZoneInfo("Asia/Ho_Chi_Minh")
# A Monday morning in term, away from Tết and other public holidays.
RECEIVED_AT = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=HCM)

# The procedure, written out independently of the module so a change to the graph
# shows up here as a failing test rather than silently passing.
EXPECTED_GRAPH = {
    S.RECEIVED: {S.ASSESSED, S.REFERRED},
    S.ASSESSED: {S.PLAN_SUBMITTED, S.REFERRED},
    S.PLAN_SUBMITTED: {S.PLAN_APPROVED, S.PLAN_RETURNED},
    S.PLAN_RETURNED: {S.PLAN_SUBMITTED},
    S.PLAN_APPROVED: {S.IN_PROGRESS},
    S.IN_PROGRESS: {S.REVIEWED},
    S.REVIEWED: {S.CLOSED, S.IN_PROGRESS, S.PLAN_SUBMITTED, S.REFERRED},
    S.REFERRED: {S.CLOSED},
    S.CLOSED: set(),
}
INVALID_MOVES = [
    (a, b) for a in S.values for b in S.values if b not in EXPECTED_GRAPH.get(a, set())
]
VALID_MOVES = [(a, b) for a, targets in EXPECTED_GRAPH.items() for b in sorted(targets)]


@pytest.fixture
def case(school, worker):
    case = open_case(school, worker, received_at=RECEIVED_AT, learner_name="Nguyễn Văn A")
    IntakeReport.objects.create(case=case, received_at=RECEIVED_AT, author=worker)
    return case


def force_state(case: Case, state: str) -> Case:
    """Put a case in ``state`` without the state machine, to set a scene."""
    Case.objects.filter(pk=case.pk).update(state=state)
    case.refresh_from_db()
    return case


def make_plan(case: Case, author, **fields) -> InterventionPlan:
    fields.setdefault("answers", {"goals": ["Đi học đều"], "activities": [{"name": "Gặp GVCN"}]})
    fields.setdefault("review_date", datetime.date(2026, 4, 15))
    return InterventionPlan.objects.create(case=case, author=author, **fields)


def transition_events(case: Case) -> list[tuple[str, str]]:
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).values_list(
            "from_state", "to_state"
        )
    )


def approved_plan_in_progress(case, worker, principal) -> InterventionPlan:
    force_state(case, S.ASSESSED)
    plan = make_plan(case, worker)
    submit_plan(plan, worker)
    approve_plan(plan, principal)
    start_plan(case, worker)
    return plan


# The graph -----------------------------------------------------------------------


def test_graph_is_the_procedure_of_the_circular():
    assert transitions.TRANSITIONS == EXPECTED_GRAPH


def test_whole_flow_from_intake_to_closing_records_an_event_per_step(case, worker, principal):
    transition(case, S.ASSESSED, worker, note="Mẫu 02 xong")
    Assessment.objects.create(case=case, author=worker, conclusion="support")
    plan = make_plan(case, worker)
    submit_plan(plan, worker)
    assert Case.objects.get(pk=case.pk).state == S.PLAN_SUBMITTED
    approve_plan(plan, principal, comment="Đồng ý")
    start_plan(case, worker)
    Review.objects.create(case=case, plan=plan, author=worker, conclusion="close")
    transition(case, S.REVIEWED, worker)
    close_case(case, principal, note="Đã ổn định")

    case.refresh_from_db()
    assert case.state == S.CLOSED
    assert transition_events(case) == [
        ("", S.RECEIVED),
        (S.RECEIVED, S.ASSESSED),
        (S.ASSESSED, S.PLAN_SUBMITTED),
        (S.PLAN_SUBMITTED, S.PLAN_APPROVED),
        (S.PLAN_APPROVED, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.REVIEWED),
        (S.REVIEWED, S.CLOSED),
    ]
    events = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION)
    assert [e.actor for e in events] == [worker] * 3 + [principal] + [worker] * 2 + [principal]
    assert events.get(to_state=S.ASSESSED).note == "Mẫu 02 xong"
    assert events.get(to_state=S.PLAN_APPROVED).note == "Đồng ý"
    assert events.get(to_state=S.CLOSED).note == "Đã ổn định"
    assert case.next_deadline is None


def test_transition_updates_the_callers_instance(case, worker):
    transition(case, S.ASSESSED, worker)
    assert case.state == S.ASSESSED


@pytest.mark.parametrize(("from_state", "to_state"), INVALID_MOVES)
def test_every_move_outside_the_procedure_is_refused(case, principal, from_state, to_state):
    force_state(case, from_state)
    before = CaseEvent.objects.count()

    with pytest.raises(InvalidTransition) as raised:
        transition(case, to_state, principal)

    assert isinstance(raised.value, ValidationError)
    assert raised.value.code == "invalid_transition"
    assert Case.objects.get(pk=case.pk).state == from_state
    assert CaseEvent.objects.count() == before


def test_unknown_state_is_refused_not_crashing(case, worker):
    with pytest.raises(InvalidTransition):
        transition(case, "archived", worker)


@pytest.mark.parametrize(("from_state", "to_state"), VALID_MOVES)
def test_every_move_of_the_procedure_is_allowed_to_the_principal(
    case, worker, principal, from_state, to_state
):
    force_state(case, from_state)
    if from_state == S.REVIEWED and to_state in REVIEW_MUST_CONCLUDE:
        # After a review, only the move the review concluded (closing, carrying on).
        plan = make_plan(case, worker, status=Status.APPROVED)
        conclusion = REVIEW_MUST_CONCLUDE[to_state][0]
        Review.objects.create(case=case, plan=plan, author=worker, conclusion=conclusion)

    event = transition(case, to_state, principal)

    assert (event.from_state, event.to_state, event.actor) == (from_state, to_state, principal)
    assert Case.objects.get(pk=case.pk).state == to_state


def test_after_a_review_proposing_to_close_no_caller_carries_on_with_the_plan(
    case, worker, principal
):
    force_state(case, S.REVIEWED)
    plan = make_plan(case, worker, status=Status.APPROVED)
    Review.objects.create(case=case, plan=plan, author=worker, conclusion="close")

    with pytest.raises(ValidationError) as raised:
        transition(case, S.IN_PROGRESS, principal)

    assert raised.value.code == "review_does_not_continue"
    assert Case.objects.get(pk=case.pk).state == S.REVIEWED


def test_a_second_click_on_a_stale_page_cannot_move_the_case_again(case, worker):
    stale = Case.objects.get(pk=case.pk)
    transition(case, S.ASSESSED, worker)

    with pytest.raises(InvalidTransition):
        transition(stale, S.ASSESSED, worker)
    assert transition_events(case).count((S.RECEIVED, S.ASSESSED)) == 1


# Who decides on a plan -----------------------------------------------------------


def submitted_plan(case, author) -> InterventionPlan:
    force_state(case, S.ASSESSED)
    plan = make_plan(case, author)
    submit_plan(plan, author)
    return plan


def test_submitting_sets_the_approval_deadline(case, worker):
    plan = submitted_plan(case, worker)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert plan.submitted_at is not None
    assert plan.approval_due_at == deadlines.plan_approval_due(case.school, plan.submitted_at)


def test_principal_cannot_approve_own_plan_but_another_principal_can(
    case, principal, vice_principal
):
    plan = submitted_plan(case, principal)

    with pytest.raises(PermissionDenied):
        approve_plan(plan, principal)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert Case.objects.get(pk=case.pk).state == S.PLAN_SUBMITTED

    approve_plan(plan, vice_principal)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert plan.decided_by == vice_principal
    assert plan.decided_at is not None
    assert Case.objects.get(pk=case.pk).state == S.PLAN_APPROVED


def test_principal_cannot_return_own_plan(case, principal):
    plan = submitted_plan(case, principal)
    with pytest.raises(PermissionDenied):
        return_plan(plan, principal, "Sửa mục tiêu")


def test_case_worker_cannot_approve_a_plan(case, worker, colleague):
    plan = submitted_plan(case, worker)
    with pytest.raises(PermissionDenied):
        approve_plan(plan, colleague)
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_principal_of_another_school_cannot_approve(case, worker, principal_b):
    plan = submitted_plan(case, worker)
    with pytest.raises(PermissionDenied):
        approve_plan(plan, principal_b)
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_superuser_is_not_a_principal(case, worker, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x")
    plan = submitted_plan(case, worker)
    with pytest.raises(PermissionDenied):
        approve_plan(plan, root)


def test_case_worker_cannot_approve_through_a_bare_transition(case, worker):
    force_state(case, S.PLAN_SUBMITTED)
    with pytest.raises(PermissionDenied):
        transition(case, S.PLAN_APPROVED, worker)


@pytest.mark.parametrize("comment", ["", "   "])
def test_returning_a_plan_needs_a_comment(case, worker, principal, comment):
    plan = submitted_plan(case, worker)
    with pytest.raises(ValidationError) as raised:
        return_plan(plan, principal, comment)
    assert raised.value.code == "comment_required"
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_returned_plan_can_be_corrected_and_resubmitted(case, worker, principal):
    plan = submitted_plan(case, worker)
    return_plan(plan, principal, "Thêm hoạt động với gia đình")
    plan.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.decision_comment == "Thêm hoạt động với gia đình"
    assert Case.objects.get(pk=case.pk).state == S.PLAN_RETURNED
    assert_editable(plan)  # a returned plan is the author's to fix

    submit_plan(plan, worker)
    approve_plan(plan, principal)
    assert Case.objects.get(pk=case.pk).state == S.PLAN_APPROVED
    assert CaseEvent.objects.get(case=case, to_state=S.PLAN_RETURNED).note == (
        "Thêm hoạt động với gia đình"
    )


def test_a_plan_cannot_be_decided_twice(case, worker, principal, vice_principal):
    plan = submitted_plan(case, worker)
    approve_plan(plan, principal)
    with pytest.raises(ValidationError):
        return_plan(plan, vice_principal, "Muộn rồi")
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.APPROVED


def test_a_plan_cannot_be_submitted_before_the_assessment(case, worker):
    plan = make_plan(case, worker)
    with pytest.raises(InvalidTransition):
        submit_plan(plan, worker)
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.DRAFT


# Frozen plans and versions -------------------------------------------------------


def test_approved_plan_is_frozen(case, worker, principal):
    plan = submitted_plan(case, worker)
    assert not is_frozen(plan)
    assert_editable(plan)

    approve_plan(plan, principal)

    assert is_frozen(plan)
    with pytest.raises(ValidationError) as raised:
        assert_editable(plan)
    assert raised.value.code == "plan_frozen"
    with pytest.raises(ValidationError):
        submit_plan(plan, worker)


def test_revising_an_approved_plan_makes_version_2_that_needs_approval(case, worker, principal):
    v1 = approved_plan_in_progress(case, worker, principal)

    v2 = revise_plan(v1, worker)

    assert (v2.version, v2.status, v2.author) == (2, Status.DRAFT, worker)
    assert v2.answers == v1.answers
    assert v2.review_date == v1.review_date
    assert not is_frozen(v2)
    # The approved plan keeps applying while the new one is prepared and decided.
    assert InterventionPlan.objects.get(pk=v1.pk).status == Status.APPROVED

    submit_plan(v2, worker)
    assert InterventionPlan.objects.get(pk=v1.pk).status == Status.APPROVED
    assert Case.objects.get(pk=case.pk).state == S.IN_PROGRESS

    with pytest.raises(PermissionDenied):
        approve_plan(v2, worker)
    approve_plan(v2, principal)

    assert InterventionPlan.objects.get(pk=v2.pk).status == Status.APPROVED
    assert InterventionPlan.objects.get(pk=v1.pk).status == Status.SUPERSEDED
    assert Case.objects.get(pk=case.pk).state == S.IN_PROGRESS


def test_new_plan_after_review_goes_through_approval_again(case, worker, principal):
    v1 = approved_plan_in_progress(case, worker, principal)
    Review.objects.create(case=case, plan=v1, author=worker, conclusion="new_plan")
    transition(case, S.REVIEWED, worker)

    v2 = revise_plan(v1, worker)
    submit_plan(v2, worker)
    assert Case.objects.get(pk=case.pk).state == S.PLAN_SUBMITTED
    assert InterventionPlan.objects.get(pk=v1.pk).status == Status.APPROVED

    approve_plan(v2, principal)
    assert Case.objects.get(pk=case.pk).state == S.PLAN_APPROVED
    assert InterventionPlan.objects.get(pk=v1.pk).status == Status.SUPERSEDED


def test_revision_copies_answers_without_sharing_them(case, worker, principal):
    v1 = approved_plan_in_progress(case, worker, principal)
    v2 = revise_plan(v1, worker)
    v2.answers["goals"].append("Mục tiêu mới")
    v2.save()
    assert InterventionPlan.objects.get(pk=v1.pk).answers["goals"] == ["Đi học đều"]


def test_only_one_revision_at_a_time(case, worker, principal):
    v1 = approved_plan_in_progress(case, worker, principal)
    revise_plan(v1, worker)
    with pytest.raises(ValidationError):
        revise_plan(v1, worker)


def test_a_draft_cannot_be_revised(case, worker):
    with pytest.raises(ValidationError):
        revise_plan(make_plan(case, worker), worker)


# Referral ----------------------------------------------------------------------


@pytest.mark.parametrize("exception", ["", "  "])
def test_referral_without_consent_needs_the_documented_exception(case, worker, body, exception):
    with pytest.raises(ValidationError) as raised:
        refer_case(case, body, worker, consent_given=False, danger_exception=exception)
    assert raised.value.code == "consent_or_exception_required"
    assert not Referral.objects.exists()
    assert Case.objects.get(pk=case.pk).state == S.RECEIVED


def test_referral_without_consent_with_the_exception_is_made(case, worker, body):
    referral = refer_case(
        case, body, worker, consent_given=False, danger_exception="Trẻ bị bạo lực tại nhà"
    )
    assert referral.danger_exception == "Trẻ bị bạo lực tại nhà"
    assert case.state == S.REFERRED


def test_referral_due_date_is_12_working_hours_from_intake(case, worker, body):
    referral = refer_case(case, body, worker, consent_given=True)

    assert referral.due_at == deadlines.referral_due(case.school, RECEIVED_AT)
    assert referral.author == worker
    case.refresh_from_db()
    assert case.state == S.REFERRED
    assert (case.next_deadline, case.next_deadline_label) == (referral.due_at, "referral")


def test_referral_due_date_falls_back_to_the_case_received_time(school, worker, body):
    received = datetime.datetime(2026, 3, 6, 15, 0, tzinfo=HCM)
    case = open_case(school, worker, received_at=received)
    referral = refer_case(case, body, worker, consent_given=True)
    assert referral.due_at == deadlines.referral_due(school, received)


def test_referral_is_refused_while_a_plan_is_in_progress(case, worker, principal, body):
    approved_plan_in_progress(case, worker, principal)
    with pytest.raises(InvalidTransition):
        refer_case(case, body, worker, consent_given=True)
    assert not Referral.objects.exists()


def test_referral_to_another_schools_body_is_refused(case, worker, other_school):
    local = ReceivingBody.objects.create(name="UBND xã khác", school=other_school)
    with pytest.raises(ValidationError):
        refer_case(case, local, worker, consent_given=True)


def test_sending_the_referral_is_recorded_and_clears_its_deadline(case, worker, body):
    referral = refer_case(case, body, worker, consent_given=True)

    event = mark_referral_sent(referral, worker)

    referral.refresh_from_db()
    assert referral.sent_at is not None
    assert (event.kind, event.actor) == (CaseEvent.Kind.RECORD, worker)
    case.refresh_from_db()
    assert case.next_deadline is None
    with pytest.raises(ValidationError):
        mark_referral_sent(referral, worker)


# Closing -------------------------------------------------------------------------


def reviewed_case(case, worker, principal, conclusion: str) -> Case:
    plan = approved_plan_in_progress(case, worker, principal)
    Review.objects.create(case=case, plan=plan, author=worker, conclusion=conclusion)
    transition(case, S.REVIEWED, worker)
    return case


def test_closing_needs_the_principal(case, worker, principal):
    reviewed_case(case, worker, principal, "close")

    with pytest.raises(PermissionDenied):
        close_case(case, worker)
    assert Case.objects.get(pk=case.pk).state == S.REVIEWED

    close_case(case, principal)
    assert Case.objects.get(pk=case.pk).state == S.CLOSED


def test_principal_of_another_school_cannot_close(case, worker, principal, principal_b):
    reviewed_case(case, worker, principal, "close")
    with pytest.raises(PermissionDenied):
        close_case(case, principal_b)


def test_closing_after_review_needs_a_review_proposing_it(case, worker, principal):
    reviewed_case(case, worker, principal, "continue")
    with pytest.raises(ValidationError) as raised:
        close_case(case, principal)
    assert raised.value.code == "review_does_not_propose_closing"
    assert Case.objects.get(pk=case.pk).state == S.REVIEWED


def test_referred_case_can_be_closed_by_the_principal(case, worker, principal, body):
    refer_case(case, body, worker, consent_given=True)
    close_case(case, principal)
    assert Case.objects.get(pk=case.pk).state == S.CLOSED


def test_open_case_cannot_be_closed_from_intake(case, principal):
    with pytest.raises(InvalidTransition):
        close_case(case, principal)


# Next deadline -------------------------------------------------------------------


def test_next_deadline_follows_the_earliest_open_obligation(case, worker, principal):
    force_state(case, S.ASSESSED)
    review_date = timezone.localdate() + datetime.timedelta(days=60)
    plan = make_plan(case, worker, review_date=review_date)

    submit_plan(plan, worker)
    plan.refresh_from_db()
    case.refresh_from_db()
    assert (case.next_deadline, case.next_deadline_label) == (
        plan.approval_due_at,
        "plan_approval",
    )

    approve_plan(plan, principal)
    case.refresh_from_db()
    review = deadlines.review_due(review_date, case.school)
    assert (case.next_deadline, case.next_deadline_label) == (review, "review")

    start_plan(case, worker)
    v2 = revise_plan(plan, worker)
    submit_plan(v2, worker)
    v2.refresh_from_db()
    case.refresh_from_db()
    # The revision's approval falls due long before the plan in force is reviewed.
    assert v2.approval_due_at < review
    assert (case.next_deadline, case.next_deadline_label) == (v2.approval_due_at, "plan_approval")


def test_a_review_date_sooner_than_the_approval_wins(case, worker, principal):
    v1 = approved_plan_in_progress(case, worker, principal)
    # The plan in force is due for review today; its revision is only just submitted.
    today = timezone.localdate()
    InterventionPlan.objects.filter(pk=v1.pk).update(review_date=today)
    v2 = revise_plan(InterventionPlan.objects.get(pk=v1.pk), worker)
    submit_plan(v2, worker)

    case.refresh_from_db()
    assert case.next_deadline_label == "review"
    assert case.next_deadline == deadlines.review_due(today, case.school)


def test_refresh_deadline_with_nothing_open_clears_it(case):
    Case.objects.filter(pk=case.pk).update(
        next_deadline=RECEIVED_AT, next_deadline_label="referral"
    )
    case.refresh_from_db()
    refresh_deadline(case)
    case.refresh_from_db()
    assert (case.next_deadline, case.next_deadline_label) == (None, "")
