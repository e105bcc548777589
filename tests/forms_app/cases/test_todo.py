"""Việc cần làm: what waits for whom, overdue first, never another school's, in few queries."""

import datetime
import html
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from forms_app.admin.dashboard import TodoPanel
from forms_app.cases import transitions
from forms_app.cases.todo import todo_for
from forms_app.models import (
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    Referral,
    WizardDraft,
)
from schools.roles import Role
from tests.forms_app.factories import LEARNER_NAME, make_case, plan_answers

Status = InterventionPlan.Status
TODO_URL = "/admin/ho-so/viec-can-lam/"


@pytest.fixture
def world(make_school, make_staff):
    a, b = make_school("AL"), make_school("BK")
    return SimpleNamespace(
        school=a,
        other_school=b,
        worker=make_staff("ctxh.al", Role.CASE_WORKER, a),
        colleague=make_staff("ctxh2.al", Role.CASE_WORKER, a),
        principal=make_staff("hieutruong.al", Role.PRINCIPAL, a),
        vice=make_staff("phohieutruong.al", Role.PRINCIPAL, a),
        editor=make_staff("bientap.al", Role.EDITOR, a),
        worker_b=make_staff("ctxh.bk", Role.CASE_WORKER, b),
        principal_b=make_staff("hieutruong.bk", Role.PRINCIPAL, b),
    )


def case_in(world, state: str, **learner) -> Case:
    return make_case(world.school, world.worker, world.principal, state=state, **learner)


def fresh(user):
    """The user read again, as a new request would: the case roles are cached per object."""
    return get_user_model().objects.get(pk=user.pk)


def kinds(user) -> list[tuple[str, int]]:
    return [(item.kind, item.case_id) for item in todo_for(fresh(user)).items]


def page(client, user) -> str:
    client.force_login(user)
    response = client.get(TODO_URL)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def vi(msgid: str) -> str:
    with translation.override("vi"):
        return gettext(msgid)


def make_overdue_plan(case: Case, hours: int = 5) -> InterventionPlan:
    """Move the plan's decision deadline (and the case's stored one) into the past."""
    past = timezone.now() - datetime.timedelta(hours=hours)
    InterventionPlan.objects.filter(case=case, status=Status.SUBMITTED).update(approval_due_at=past)
    Case.objects.filter(pk=case.pk).update(next_deadline=past)
    return InterventionPlan.objects.get(case=case, status=Status.SUBMITTED)


# Plans waiting for the principal -------------------------------------------------------------


def test_principal_sees_waiting_plans_with_the_overdue_one_first_and_marked(world, client):
    on_time = case_in(world, CaseState.PLAN_SUBMITTED)
    late = case_in(world, CaseState.PLAN_SUBMITTED)
    late_plan = make_overdue_plan(late)

    items = todo_for(fresh(world.principal)).items

    assert [(i.kind, i.case_id) for i in items] == [
        ("plan_decision", late.pk),
        ("plan_decision", on_time.pk),
    ]
    assert items[0].overdue is True
    assert items[0].due == late_plan.approval_due_at
    assert items[0].url == reverse("forms_app:plan_decide", args=[late_plan.pk])
    assert items[1].overdue is False

    shown = page(client, world.principal)
    assert shown.index(late.reference) < shown.index(on_time.reference)
    assert shown.count(vi("Overdue")) == 1
    assert shown.index(vi("Overdue")) < shown.index(on_time.reference)


def test_tasks_are_ordered_by_due_time_after_the_overdue_ones(world):
    later = case_in(world, CaseState.PLAN_SUBMITTED)
    sooner = case_in(world, CaseState.PLAN_SUBMITTED)
    soon = timezone.now() + datetime.timedelta(hours=3)
    InterventionPlan.objects.filter(case=sooner).update(approval_due_at=soon)

    assert kinds(world.principal) == [("plan_decision", sooner.pk), ("plan_decision", later.pk)]


def test_a_plan_waits_for_another_principal_than_its_author(world):
    case = case_in(world, CaseState.ASSESSED)
    plan = InterventionPlan.objects.create(
        case=case, version=1, author=world.principal, answers=plan_answers()
    )
    transitions.submit_plan(plan, world.principal)

    assert ("plan_decision", case.pk) not in kinds(world.principal)
    assert ("plan_decision", case.pk) in kinds(world.vice)


def test_case_workers_are_not_asked_to_decide_on_plans(world):
    case_in(world, CaseState.PLAN_SUBMITTED)
    assert all(kind != "plan_decision" for kind, _ in kinds(world.worker))


def test_a_decided_plan_leaves_the_list(world):
    case = case_in(world, CaseState.PLAN_SUBMITTED)
    transitions.approve_plan(InterventionPlan.objects.get(case=case), world.principal)
    assert ("plan_decision", case.pk) not in kinds(world.principal)


# Referrals -----------------------------------------------------------------------------------


def test_case_worker_sees_a_referral_due_until_it_is_sent(world, client):
    case = case_in(world, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)

    items = todo_for(fresh(world.worker)).items

    assert [(i.kind, i.case_id) for i in items] == [("referral", case.pk)]
    assert items[0].due == referral.due_at
    assert items[0].url == reverse("forms_app:referral_sent", args=[referral.pk])
    assert referral.receiving_body.name in page(client, world.worker)

    transitions.mark_referral_sent(referral, world.worker)
    assert kinds(world.worker) == []


def test_an_overdue_referral_comes_before_a_plan_decision_due_later(world):
    plan_case = case_in(world, CaseState.PLAN_SUBMITTED)
    referred = case_in(world, CaseState.REFERRED)
    Referral.objects.filter(case=referred).update(
        due_at=timezone.now() - datetime.timedelta(minutes=30)
    )

    assert kinds(world.principal)[:2] == [
        ("referral", referred.pk),
        ("plan_decision", plan_case.pk),
    ]


def test_a_referral_of_a_case_assigned_to_a_colleague_is_theirs(world):
    case = case_in(world, CaseState.REFERRED)

    assert ("referral", case.pk) not in kinds(world.colleague)
    # The principal oversees every legal deadline of the school.
    assert ("referral", case.pk) in kinds(world.principal)


# Other tasks ---------------------------------------------------------------------------------


def test_new_case_waits_for_its_workers_assessment(world):
    case = case_in(world, CaseState.RECEIVED)

    assert ("assessment", case.pk) in kinds(world.worker)
    assert ("assessment", case.pk) not in kinds(world.colleague)

    Assessment.objects.create(case=case, conclusion=Assessment.Conclusion.SUPPORT)
    assert ("assessment", case.pk) not in kinds(world.worker)


def test_returned_plan_waits_for_the_assigned_worker(world):
    case = case_in(world, CaseState.PLAN_RETURNED)

    assert ("plan_returned", case.pk) in kinds(world.worker)
    assert ("plan_returned", case.pk) not in kinds(world.colleague)

    transitions.submit_plan(InterventionPlan.objects.get(case=case), world.worker)
    assert ("plan_returned", case.pk) not in kinds(world.worker)


def test_a_review_is_listed_when_its_date_is_near(world):
    case = case_in(world, CaseState.IN_PROGRESS)
    assert case.next_deadline_label == transitions.DEADLINE_REVIEW
    assert ("review", case.pk) not in kinds(world.worker)  # a month away

    Case.objects.filter(pk=case.pk).update(
        next_deadline=timezone.now() + datetime.timedelta(days=2)
    )
    assert ("review", case.pk) in kinds(world.worker)

    Case.objects.filter(pk=case.pk).update(
        next_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    review = next(i for i in todo_for(fresh(world.worker)).items if i.kind == "review")
    assert review.overdue is True


def test_principal_is_asked_to_close_a_case_whose_review_proposes_it(world):
    case = case_in(world, CaseState.REVIEWED)

    assert ("close", case.pk) in kinds(world.principal)
    assert ("close", case.pk) not in kinds(world.worker)

    transitions.close_case(case, world.principal, "Đã ổn định")
    assert ("close", case.pk) not in kinds(world.principal)


def test_unfinished_drafts_are_counted(world, client):
    WizardDraft.objects.create(owner=world.worker, school=world.school, template="01")
    WizardDraft.objects.create(
        owner=world.worker, school=world.school, template="01", submitted_at=timezone.now()
    )
    WizardDraft.objects.create(owner=world.colleague, school=world.school, template="01")

    assert todo_for(fresh(world.worker)).drafts_count == 1
    assert reverse("forms_app:drafts") in page(client, world.worker)


def test_nothing_waiting_says_so(world, client):
    assert vi("Nothing is waiting for you.") in page(client, world.worker)


# Another school's work -------------------------------------------------------------------------


def test_another_schools_tasks_never_appear(world, client):
    cases = [
        case_in(world, state)
        for state in (
            CaseState.RECEIVED,
            CaseState.PLAN_SUBMITTED,
            CaseState.PLAN_RETURNED,
            CaseState.REVIEWED,
            CaseState.REFERRED,
        )
    ]
    assert todo_for(fresh(world.principal)).items  # school AL has plenty to do

    for outsider in (world.worker_b, world.principal_b):
        assert todo_for(fresh(outsider)).items == []
        shown = page(client, outsider)
        for case in cases:
            assert case.reference not in shown
        assert LEARNER_NAME not in shown


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_to_do_page_is_refused_without_a_case_role(who, world, client, django_user_model):
    case_in(world, CaseState.REFERRED)
    user = (
        django_user_model.objects.create_superuser("root", password="pw-root")
        if who == "superuser"
        else world.editor
    )
    assert todo_for(user).items == []
    client.force_login(user)
    response = client.get(TODO_URL)
    assert response.status_code == 403


# The dashboard panel ---------------------------------------------------------------------------


def _panel_queries(user) -> tuple[int, str]:
    request = RequestFactory().get("/admin/")
    request.user = fresh(user)
    with CaptureQueriesContext(connection) as captured:
        rendered = TodoPanel(request).render_html({})
    return len(captured.captured_queries), rendered


def test_panel_runs_the_same_number_of_queries_for_few_and_many_cases(world):
    states = (
        CaseState.RECEIVED,
        CaseState.PLAN_SUBMITTED,
        CaseState.PLAN_RETURNED,
        CaseState.IN_PROGRESS,
        CaseState.REVIEWED,
        CaseState.REFERRED,
    )
    for state in states:
        case_in(world, state)
    few, few_html = _panel_queries(world.principal)

    for state in states * 2:
        case = case_in(world, state)
        if state == CaseState.IN_PROGRESS:
            Case.objects.filter(pk=case.pk).update(
                next_deadline=timezone.now() + datetime.timedelta(days=1)
            )
    many, many_html = _panel_queries(world.principal)

    assert many_html.count("<tr>") > few_html.count("<tr>")
    assert many == few


def test_panel_shows_the_first_tasks_and_links_to_all(world):
    for _ in range(10):
        case_in(world, CaseState.PLAN_SUBMITTED)

    _queries, rendered = _panel_queries(world.principal)

    assert rendered.count('<td class="title">') == 8
    assert TODO_URL in rendered
