"""The case policy: for every scene of a case, every role and every action, the object
check (what the screens and the case page's buttons ask) and the queryset (what the
to-do list starts from) give the same answer, and that answer is the expected one.

Also: the wizards start where the policy says their task may be done, the
transitions refuse what the policy refuses, and the demo cases store the deadline
the transitions compute, so each waits on somebody's to-do (HB-2026-0005, in
progress with an approved plan, once showed "plan approval overdue" and waited on
nobody's).

The fixtures here are this file's own: ``world`` (two schools and one user per
role) and the scenes, built with tests/forms_app/factories.py's ``make_case``.
"""

import datetime
import io
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from forms_app.cases import policy, procedure, transitions
from forms_app.cases.todo import todo_for
from forms_app.models import Case, CaseState, InterventionPlan, Referral, Review
from forms_app.wizards import AssessmentWizard, PlanWizard, ReviewWizard
from schools.roles import Role
from tests.forms_app.factories import make_case

S = CaseState
Status = InterventionPlan.Status

# The roles walked. "author" is a principal of the school who wrote every plan of
# the case; "principal" is another principal, who did not.
SCHOOL_ROLES = ("worker", "colleague", "principal", "author")
OUTSIDERS = ("editor", "administrator", "superuser", "worker_b", "principal_b")
ROLES = SCHOOL_ROLES + OUTSIDERS
PRINCIPALS = frozenset({"principal", "author"})
ALL = frozenset(SCHOOL_ROLES)


@pytest.fixture
def world(make_school, make_staff, django_user_model):
    a, b = make_school("AL"), make_school("BK")
    return SimpleNamespace(
        school=a,
        worker=make_staff("ctxh.al", Role.CASE_WORKER, a),
        colleague=make_staff("ctxh2.al", Role.CASE_WORKER, a),
        principal=make_staff("hieutruong.al", Role.PRINCIPAL, a),
        author=make_staff("phohieutruong.al", Role.PRINCIPAL, a),
        editor=make_staff("bientap.al", Role.EDITOR, a),
        administrator=make_staff("quantri.al", Role.ADMINISTRATOR, a),
        superuser=django_user_model.objects.create_superuser("root", password="pw-root"),
        worker_b=make_staff("ctxh.bk", Role.CASE_WORKER, b),
        principal_b=make_staff("hieutruong.bk", Role.PRINCIPAL, b),
    )


def fresh(user):
    """The user read again, as a new request would: the case roles are cached per object."""
    return get_user_model().objects.get(pk=user.pk)


# The scenes ------------------------------------------------------------------------------


def _in_progress_with_revision(world, decision: str = "") -> Case:
    """A case carrying out plan 1, with version 2 submitted (and returned, if asked)."""
    case = make_case(world.school, world.worker, world.principal, state=S.IN_PROGRESS)
    v1 = InterventionPlan.objects.get(case=case, status=Status.APPROVED)
    v2 = transitions.revise_plan(v1, world.worker)
    transitions.submit_plan(v2, world.worker)
    if decision == "return":
        transitions.return_plan(v2, world.principal, "Cần bổ sung hoạt động")
    return case


def _closed_with_a_plan_waiting(world) -> Case:
    """Reviewed and closed while a revision still waited for the principal's decision."""
    case = _in_progress_with_revision(world)
    plan = InterventionPlan.objects.get(case=case, status=Status.APPROVED)
    Review.objects.create(case=case, plan=plan, author=world.worker, conclusion="close")
    transitions.transition(case, S.REVIEWED, world.worker)
    transitions.close_case(case, world.principal)
    return case


def _referred_then(world, then: str) -> Case:
    case = make_case(world.school, world.worker, world.principal, state=S.REFERRED)
    if then == "sent":
        transitions.mark_referral_sent(Referral.objects.get(case=case), world.worker)
    else:
        transitions.close_case(case, world.principal)
    return case


def _reviewed_continuing(world) -> Case:
    case = make_case(world.school, world.worker, world.principal, state=S.REVIEWED)
    Review.objects.filter(case=case).update(conclusion=Review.Conclusion.CONTINUE)
    return case


def _in_progress_without_a_plan(world) -> Case:
    """Set by hand (no path of the procedure leads here): nothing to review."""
    case = make_case(world.school, world.worker, world.principal)
    Case.objects.filter(pk=case.pk).update(state=S.IN_PROGRESS)
    return case


def _by_factory(state: str) -> Callable:
    return lambda world: make_case(world.school, world.worker, world.principal, state=state)


# Each scene: the state its case is in, and which roles of the school may take which
# action in it. Nobody outside the school's case roles may take any.
SCENES: dict[str, tuple[str, Callable, dict[str, frozenset[str]]]] = {
    "received": (S.RECEIVED, _by_factory(S.RECEIVED), {"refer": ALL, "assess": ALL}),
    "assessed": (S.ASSESSED, _by_factory(S.ASSESSED), {}),
    "plan submitted": (
        S.PLAN_SUBMITTED,
        _by_factory(S.PLAN_SUBMITTED),
        {"decide": frozenset({"principal"})},
    ),
    "plan returned": (S.PLAN_RETURNED, _by_factory(S.PLAN_RETURNED), {"rework": ALL}),
    "plan approved": (S.PLAN_APPROVED, _by_factory(S.PLAN_APPROVED), {"start_plan": ALL}),
    "in progress": (S.IN_PROGRESS, _by_factory(S.IN_PROGRESS), {"review": ALL}),
    "in progress, revision submitted": (
        S.IN_PROGRESS,
        _in_progress_with_revision,
        {"review": ALL, "decide": frozenset({"principal"})},
    ),
    "in progress, revision returned": (
        S.IN_PROGRESS,
        lambda world: _in_progress_with_revision(world, "return"),
        {"review": ALL, "rework": ALL},
    ),
    "in progress without a plan": (S.IN_PROGRESS, _in_progress_without_a_plan, {}),
    "reviewed, proposing to close": (
        S.REVIEWED,
        _by_factory(S.REVIEWED),
        {"close": PRINCIPALS},
    ),
    "reviewed, continuing": (S.REVIEWED, _reviewed_continuing, {"start_plan": ALL}),
    "referred": (
        S.REFERRED,
        _by_factory(S.REFERRED),
        {"referral_sent": ALL, "close": PRINCIPALS},
    ),
    "referred, sent": (
        S.REFERRED,
        lambda world: _referred_then(world, "sent"),
        {"close": PRINCIPALS},
    ),
    "referred, closed unsent": (S.CLOSED, lambda world: _referred_then(world, "closed"), {}),
    "closed": (S.CLOSED, _by_factory(S.CLOSED), {}),
    "closed, revision waiting": (S.CLOSED, _closed_with_a_plan_waiting, {}),
}


def build(world, scene: str) -> Case:
    state, make, _expected = SCENES[scene]
    case = make(world)
    assert Case.objects.get(pk=case.pk).state == state
    # "author" wrote every plan of the case; "principal" wrote none.
    InterventionPlan.objects.filter(case=case).update(author=world.author)
    return Case.objects.select_related("school").get(pk=case.pk)


def records(action: policy.CaseAction, case: Case) -> list:
    """What ``action`` is taken on in ``case``: the case, or each of its plans or referrals."""
    if action.model is Case:
        return [Case.objects.select_related("school").get(pk=case.pk)]
    return list(action.model.objects.filter(case=case).select_related("case__school"))


def test_the_scenes_walk_every_state_and_allow_every_action_somewhere():
    assert {state for state, _make, _expected in SCENES.values()} == set(S.values)
    named = {action for _state, _make, expected in SCENES.values() for action in expected}
    assert named == set(policy.ACTIONS)


@pytest.mark.parametrize("scene", list(SCENES))
def test_object_check_and_queryset_agree_and_allow_what_is_expected(scene, world):
    case = build(world, scene)
    expected = SCENES[scene][2]
    disagreements, allowed = [], {}

    for role in ROLES:
        for name, action in policy.ACTIONS.items():
            user = fresh(getattr(world, role))
            in_queryset = set(action.instances(user).values_list("pk", flat=True))
            for record in records(action, case):
                permit = action.permit(user, record)
                assert permit.role_ok or not permit.allowed
                if permit.allowed != (record.pk in in_queryset):
                    disagreements.append((role, name, record.pk, permit.reason))
                if permit.allowed:
                    allowed.setdefault(name, set()).add(role)

    assert disagreements == []
    assert allowed == {name: set(roles) for name, roles in expected.items()}


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_have_no_role_in_any_action(role, world):
    case = build(world, "plan submitted")
    user = fresh(getattr(world, role))
    for action in policy.ACTIONS.values():
        for record in records(action, case):
            assert action.permit(user, record).role_ok is False


def test_a_refusal_now_says_why(world):
    case = build(world, "reviewed, continuing")
    permit = policy.close_permit(fresh(world.principal), case)
    assert permit.role_ok is True
    assert permit.reason == gettext(
        "A case can only be closed after a review that proposes closing it."
    )


# The wizards start where the policy says their task is done ---------------------------------


def test_the_wizards_states_are_the_moves_they_make():
    assert AssessmentWizard.allowed_states == procedure.sources(S.ASSESSED)
    assert ReviewWizard.allowed_states == procedure.sources(S.REVIEWED)
    assert PlanWizard.allowed_states >= policy.REWORK_STATES


@pytest.mark.parametrize("scene", list(SCENES))
def test_the_wizards_start_where_the_policy_allows_their_task(scene, world):
    case = build(world, scene)
    for role in ROLES:
        user = fresh(getattr(world, role))
        for wizard, action in ((AssessmentWizard, policy.ASSESS), (ReviewWizard, policy.REVIEW)):
            assert wizard.can_start(user, case.school, case) == action.allows(user, case), (
                role,
                wizard.__name__,
            )
        if any(policy.REWORK.allows(user, plan) for plan in records(policy.REWORK, case)):
            assert PlanWizard.can_start(user, case.school, case), role


# The transitions refuse what the policy refuses -------------------------------------------


def test_no_decision_on_a_plan_of_a_closed_case(world):
    case = build(world, "closed, revision waiting")
    plan = InterventionPlan.objects.get(case=case, status=Status.SUBMITTED)
    assert policy.decide_permit(fresh(world.principal), plan).reason

    with pytest.raises(ValidationError) as raised:
        transitions.approve_plan(plan, fresh(world.principal))
    assert raised.value.code == "case_closed"
    assert InterventionPlan.objects.get(pk=plan.pk).status == Status.SUBMITTED


def test_no_referral_of_a_closed_case_is_marked_sent(world):
    case = build(world, "referred, closed unsent")
    referral = Referral.objects.get(case=case)

    with pytest.raises(ValidationError) as raised:
        transitions.mark_referral_sent(referral, fresh(world.worker))
    assert raised.value.code == "case_closed"
    assert Referral.objects.get(pk=referral.pk).sent_at is None


def test_the_transitions_refuse_in_the_words_of_the_policy(world):
    case = build(world, "plan submitted")
    plan = InterventionPlan.objects.get(case=case)
    for user in (world.worker, world.author):
        permit = policy.decide_permit(fresh(user), plan)
        with pytest.raises(PermissionDenied) as raised:
            transitions.approve_plan(plan, fresh(user))
        assert str(raised.value) == permit.reason


# The demo cases ----------------------------------------------------------------------------


@pytest.fixture
def demo_cases(make_school, make_staff):
    """The demo cases of one school, loaded as ``load_demo_data`` loads them."""
    school = make_school("HB")
    worker = make_staff("ctxh.hb", Role.CASE_WORKER, school)
    principal = make_staff("hieutruong.hb", Role.PRINCIPAL, school)
    call_command("load_demo_cases", stdout=io.StringIO())
    return SimpleNamespace(school=school, worker=worker, principal=principal)


def test_demo_cases_store_the_deadline_the_transitions_compute(demo_cases):
    cases = list(Case.objects.filter(school=demo_cases.school).order_by("pk"))
    assert len(cases) == 7
    for case in cases:
        stored = (case.next_deadline, case.next_deadline_label)
        transitions.refresh_deadline(case)
        case.refresh_from_db()
        assert (case.next_deadline, case.next_deadline_label) == stored, case.state


def test_every_late_demo_case_waits_on_the_to_do_of_those_it_concerns(demo_cases):
    late = Case.objects.filter(school=demo_cases.school, next_deadline__lt=timezone.now())
    assert {case.state for case in late} == {S.PLAN_SUBMITTED, S.IN_PROGRESS, S.REFERRED}
    kind_for = {
        transitions.DEADLINE_REFERRAL: "referral",
        transitions.DEADLINE_PLAN_APPROVAL: "plan_decision",
        transitions.DEADLINE_REVIEW: "review",
    }
    worker_waits = {(i.kind, i.case_id) for i in todo_for(fresh(demo_cases.worker)).items}
    principal_waits = {(i.kind, i.case_id) for i in todo_for(fresh(demo_cases.principal)).items}
    for case in late:
        task = (kind_for[case.next_deadline_label], case.pk)
        assert task in principal_waits, case.state
        # The principal alone decides on a plan; every other deadline is the worker's too.
        assert (task in worker_waits) is (task[0] != "plan_decision"), case.state


def test_the_late_demo_case_in_progress_is_late_for_its_review(demo_cases):
    case = Case.objects.get(school=demo_cases.school, state=S.IN_PROGRESS)
    assert case.next_deadline_label == transitions.DEADLINE_REVIEW
    assert case.next_deadline < timezone.now()
    plan = InterventionPlan.objects.get(case=case, status=Status.APPROVED)
    assert plan.review_date < timezone.localdate() + datetime.timedelta(days=1)
