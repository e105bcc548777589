"""Việc cần làm: what waits for whom, overdue first, never another school's, in few queries."""

import datetime
import html

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
from tests.forms_app.factories import LEARNER_NAME, make_case, plan_answers

Status = InterventionPlan.Status
TODO_URL = "/admin/ho-so/viec-can-lam/"


def case_in(staff, state: str, **learner) -> Case:
    return make_case(staff.school, staff.worker, staff.principal, state=state, **learner)


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


def set_review_date(case: Case, days: int) -> None:
    """Move the review date of the plan in force ``days`` from today, as if planned so."""
    InterventionPlan.objects.filter(case=case, status=Status.APPROVED).update(
        review_date=timezone.localdate() + datetime.timedelta(days=days)
    )
    transitions.refresh_deadline(Case.objects.get(pk=case.pk))


# Plans waiting for the principal -------------------------------------------------------------


def test_principal_sees_waiting_plans_with_the_overdue_one_first_and_marked(staff, client):
    on_time = case_in(staff, CaseState.PLAN_SUBMITTED)
    late = case_in(staff, CaseState.PLAN_SUBMITTED)
    late_plan = make_overdue_plan(late)

    items = todo_for(fresh(staff.principal)).items

    assert [(i.kind, i.case_id) for i in items] == [
        ("plan_decision", late.pk),
        ("plan_decision", on_time.pk),
    ]
    assert items[0].overdue is True
    assert items[0].due == late_plan.approval_due_at
    assert items[0].url == reverse("forms_app:plan_decide", args=[late_plan.pk])
    assert items[1].overdue is False

    shown = page(client, staff.principal)
    assert shown.index(late.reference) < shown.index(on_time.reference)
    assert shown.count(vi("Overdue")) == 1
    assert shown.index(vi("Overdue")) < shown.index(on_time.reference)


def test_tasks_are_ordered_by_due_time_after_the_overdue_ones(staff):
    later = case_in(staff, CaseState.PLAN_SUBMITTED)
    sooner = case_in(staff, CaseState.PLAN_SUBMITTED)
    soon = timezone.now() + datetime.timedelta(hours=3)
    InterventionPlan.objects.filter(case=sooner).update(approval_due_at=soon)

    assert kinds(staff.principal) == [("plan_decision", sooner.pk), ("plan_decision", later.pk)]


def test_a_plan_waits_for_another_principal_than_its_author(staff):
    case = case_in(staff, CaseState.ASSESSED)
    plan = InterventionPlan.objects.create(
        case=case, version=1, author=staff.principal, answers=plan_answers()
    )
    transitions.submit_plan(plan, staff.principal)

    assert ("plan_decision", case.pk) not in kinds(staff.principal)
    assert ("plan_decision", case.pk) in kinds(staff.vice)


def test_case_workers_are_not_asked_to_decide_on_plans(staff):
    case_in(staff, CaseState.PLAN_SUBMITTED)
    assert all(kind != "plan_decision" for kind, _ in kinds(staff.worker))


def test_a_decided_plan_leaves_the_list(staff):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    transitions.approve_plan(InterventionPlan.objects.get(case=case), staff.principal)
    assert ("plan_decision", case.pk) not in kinds(staff.principal)


# Referrals -----------------------------------------------------------------------------------


def test_case_worker_sees_a_referral_due_until_it_is_sent(staff, client):
    case = case_in(staff, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)

    items = todo_for(fresh(staff.worker)).items

    assert [(i.kind, i.case_id) for i in items] == [("referral", case.pk)]
    assert items[0].due == referral.due_at
    assert items[0].url == reverse("forms_app:referral_sent", args=[referral.pk])
    assert referral.receiving_body.name in page(client, staff.worker)

    transitions.mark_referral_sent(referral, staff.worker)
    assert kinds(staff.worker) == []


def test_an_overdue_referral_comes_before_a_plan_decision_due_later(staff):
    plan_case = case_in(staff, CaseState.PLAN_SUBMITTED)
    referred = case_in(staff, CaseState.REFERRED)
    Referral.objects.filter(case=referred).update(
        due_at=timezone.now() - datetime.timedelta(minutes=30)
    )

    assert kinds(staff.principal)[:2] == [
        ("referral", referred.pk),
        ("plan_decision", plan_case.pk),
    ]


def test_a_referral_of_a_case_assigned_to_a_colleague_is_theirs(staff):
    case = case_in(staff, CaseState.REFERRED)

    assert ("referral", case.pk) not in kinds(staff.colleague)
    # The principal oversees every legal deadline of the school.
    assert ("referral", case.pk) in kinds(staff.principal)


# Other tasks ---------------------------------------------------------------------------------


def test_new_case_waits_for_its_workers_assessment(staff):
    case = case_in(staff, CaseState.RECEIVED)

    assert ("assessment", case.pk) in kinds(staff.worker)
    assert ("assessment", case.pk) not in kinds(staff.colleague)

    Assessment.objects.create(case=case, conclusion=Assessment.Conclusion.SUPPORT)
    assert ("assessment", case.pk) not in kinds(staff.worker)


def test_returned_plan_waits_for_the_assigned_worker(staff):
    case = case_in(staff, CaseState.PLAN_RETURNED)

    assert ("plan_returned", case.pk) in kinds(staff.worker)
    assert ("plan_returned", case.pk) not in kinds(staff.colleague)

    transitions.submit_plan(InterventionPlan.objects.get(case=case), staff.worker)
    assert ("plan_returned", case.pk) not in kinds(staff.worker)


def test_a_review_is_listed_when_its_date_is_near(staff):
    case = case_in(staff, CaseState.IN_PROGRESS)
    assert case.next_deadline_label == transitions.DEADLINE_REVIEW
    assert ("review", case.pk) not in kinds(staff.worker)  # a month away

    set_review_date(case, days=2)
    assert ("review", case.pk) in kinds(staff.worker)

    set_review_date(case, days=-3)
    review = next(i for i in todo_for(fresh(staff.worker)).items if i.kind == "review")
    assert review.overdue is True
    assert review.due == Case.objects.get(pk=case.pk).next_deadline


def test_a_near_review_is_listed_though_a_revision_waits_for_approval_sooner(staff):
    """The case's stored deadline names the revision's approval; the review is due too."""
    case = case_in(staff, CaseState.IN_PROGRESS)
    set_review_date(case, days=5)
    revision = transitions.revise_plan(
        InterventionPlan.objects.get(case=case, status=Status.APPROVED), staff.worker
    )
    transitions.submit_plan(revision, staff.worker)
    make_overdue_plan(case)
    transitions.refresh_deadline(case)
    assert Case.objects.get(pk=case.pk).next_deadline_label == transitions.DEADLINE_PLAN_APPROVAL

    assert ("review", case.pk) in kinds(staff.worker)
    assert {("review", case.pk), ("plan_decision", case.pk)} <= set(kinds(staff.principal))


def test_principal_is_asked_to_close_a_case_whose_review_proposes_it(staff):
    case = case_in(staff, CaseState.REVIEWED)

    assert ("close", case.pk) in kinds(staff.principal)
    assert ("close", case.pk) not in kinds(staff.worker)

    transitions.close_case(case, staff.principal, "Đã ổn định")
    assert ("close", case.pk) not in kinds(staff.principal)


def test_unfinished_drafts_are_counted(staff, client):
    WizardDraft.objects.create(owner=staff.worker, school=staff.school, template="01")
    WizardDraft.objects.create(
        owner=staff.worker, school=staff.school, template="01", submitted_at=timezone.now()
    )
    WizardDraft.objects.create(owner=staff.colleague, school=staff.school, template="01")

    assert todo_for(fresh(staff.worker)).drafts_count == 1
    assert reverse("forms_app:drafts") in page(client, staff.worker)


def test_nothing_waiting_says_so(staff, client):
    assert vi("Nothing is waiting for you.") in page(client, staff.worker)


# Another school's work -------------------------------------------------------------------------


def test_another_schools_tasks_never_appear(staff, client):
    cases = [
        case_in(staff, state)
        for state in (
            CaseState.RECEIVED,
            CaseState.PLAN_SUBMITTED,
            CaseState.PLAN_RETURNED,
            CaseState.REVIEWED,
            CaseState.REFERRED,
        )
    ]
    assert todo_for(fresh(staff.principal)).items  # school AL has plenty to do

    for outsider in (staff.worker_b, staff.principal_b):
        assert todo_for(fresh(outsider)).items == []
        shown = page(client, outsider)
        for case in cases:
            assert case.reference not in shown
        assert LEARNER_NAME not in shown


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_to_do_page_is_refused_without_a_case_role(who, staff, client, django_user_model):
    case_in(staff, CaseState.REFERRED)
    user = (
        django_user_model.objects.create_superuser("root", password="pw-root")
        if who == "superuser"
        else staff.editor
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


def test_panel_runs_the_same_number_of_queries_for_few_and_many_cases(staff):
    states = (
        CaseState.RECEIVED,
        CaseState.PLAN_SUBMITTED,
        CaseState.PLAN_RETURNED,
        CaseState.IN_PROGRESS,
        CaseState.REVIEWED,
        CaseState.REFERRED,
    )
    for state in states:
        case = case_in(staff, state)
        if state == CaseState.IN_PROGRESS:
            set_review_date(case, days=1)
    few, few_html = _panel_queries(staff.principal)

    for state in states * 2:
        case = case_in(staff, state)
        if state == CaseState.IN_PROGRESS:
            set_review_date(case, days=1)
    many, many_html = _panel_queries(staff.principal)

    assert many_html.count("<tr>") > few_html.count("<tr>")
    assert many == few


def test_panel_shows_the_first_tasks_and_links_to_all(staff):
    for _ in range(10):
        case_in(staff, CaseState.PLAN_SUBMITTED)

    _queries, rendered = _panel_queries(staff.principal)

    assert rendered.count('<td class="title">') == 8
    assert TODO_URL in rendered
