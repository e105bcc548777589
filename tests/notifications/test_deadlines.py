"""The periodic deadline job: each obligation alerts once per threshold, in working time."""

import datetime

import pytest
from django.core.management import call_command

from forms_app.cases import deadlines
from forms_app.models import CaseState, InterventionPlan, Referral
from notifications.deadlines import notify_due_deadlines
from notifications.models import Kind, Notification, OutgoingMail
from tests.forms_app.factories import make_case

MINUTE = datetime.timedelta(minutes=1)


def alerted(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def referral(staff, django_capture_on_commit_callbacks) -> Referral:
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.REFERRED)
    return Referral.objects.get(case=case)


def test_referral_due_within_four_working_hours_alerts_once(staff, referral):
    now = referral.due_at - MINUTE
    made = notify_due_deadlines(now)
    assert made > 0
    assert "cb-ctxh" in alerted(Kind.REFERRAL_DUE)
    assert notify_due_deadlines(now) == 0
    assert notify_due_deadlines(now + MINUTE / 2) == 0
    assert Notification.objects.count() == made


def test_referral_far_from_due_alerts_nobody(staff, referral):
    # Just referred: nearly 12 working hours to go.
    assert notify_due_deadlines(referral.created_at) == 0


def test_overdue_referral_also_alerts_the_principals_once(staff, referral):
    notify_due_deadlines(referral.due_at - MINUTE)
    before = Notification.objects.count()
    made = notify_due_deadlines(referral.due_at + MINUTE)
    assert made > 0
    assert {"hieu-truong", "pho-hieu-truong"} <= alerted(Kind.OVERDUE)
    assert notify_due_deadlines(referral.due_at + 10 * MINUTE) == 0
    assert Notification.objects.count() == before + made


def test_a_sent_referral_alerts_nobody(staff, referral):
    referral.sent_at = referral.due_at - 2 * MINUTE
    referral.save(update_fields=["sent_at"])
    assert notify_due_deadlines(referral.due_at + MINUTE) == 0


def test_plan_decision_due_by_tomorrow_alerts_the_principals(staff):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_SUBMITTED)
    plan = InterventionPlan.objects.get(case=case)
    Notification.objects.all().delete()
    assert notify_due_deadlines(plan.submitted_at) == 0  # three working days to go
    assert notify_due_deadlines(plan.approval_due_at - datetime.timedelta(hours=1)) == 2
    assert alerted(Kind.PLAN_APPROVAL_DUE) == {"hieu-truong", "pho-hieu-truong"}
    assert notify_due_deadlines(plan.approval_due_at - MINUTE) == 0


def test_review_due_within_two_days_alerts_the_assigned_worker(staff):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.IN_PROGRESS)
    plan = InterventionPlan.objects.get(case=case, status=InterventionPlan.Status.APPROVED)
    Notification.objects.all().delete()
    due = deadlines.calendar_for(staff.school).close_of_working_day(plan.review_date)
    assert notify_due_deadlines(due - datetime.timedelta(days=3)) == 0
    made = notify_due_deadlines(due - datetime.timedelta(days=1))
    assert made >= 1
    assert "cb-ctxh" in alerted(Kind.REVIEW_DUE)
    assert notify_due_deadlines(due - datetime.timedelta(hours=20)) == 0
    assert notify_due_deadlines(due + MINUTE) > 0
    assert "hieu-truong" in alerted(Kind.OVERDUE)


def test_the_command_is_idempotent_and_mails_once(
    staff, referral, django_capture_on_commit_callbacks
):
    Referral.objects.filter(pk=referral.pk).update(
        due_at=referral.created_at - datetime.timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_due_deadlines", verbosity=0)
    notifications, mails = Notification.objects.count(), OutgoingMail.objects.count()
    assert notifications > 0
    assert mails > 0
    with django_capture_on_commit_callbacks(execute=True):
        call_command("notify_due_deadlines", verbosity=0)
    assert (Notification.objects.count(), OutgoingMail.objects.count()) == (notifications, mails)
