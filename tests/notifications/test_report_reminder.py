"""The report reminder of the deadline job: a report to the district not yet sent
alerts the school's principals once within 7 days of its due date, and once overdue."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from notifications.deadlines import REPORT_DUE, REPORT_OVERDUE, notify_due_deadlines
from notifications.models import Notification, OutgoingMail
from reports import transitions
from reports.models import SchoolReport
from reports.periods import period

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def on(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=VN)


def alerted(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def semester(staff):
    return period(2026, "semester_1")  # due 15/01/2027


def test_due_within_seven_days_alerts_the_principals_once(staff, semester):
    now = on(semester.due_on - datetime.timedelta(days=7))
    made = notify_due_deadlines(now)
    assert alerted(REPORT_DUE) == {"hieu-truong", "pho-hieu-truong"}
    assert made == 2
    assert notify_due_deadlines(now) == 0
    assert notify_due_deadlines(now + datetime.timedelta(days=3)) == 0
    assert Notification.objects.filter(kind=REPORT_DUE).count() == 2


def test_further_than_seven_days_alerts_nobody(staff, semester):
    assert notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=8))) == 0


def test_overdue_alerts_once_more(staff, semester):
    notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=2)))
    made = notify_due_deadlines(on(semester.due_on + datetime.timedelta(days=1)))
    assert made == 2
    assert alerted(REPORT_OVERDUE) == {"hieu-truong", "pho-hieu-truong"}
    assert notify_due_deadlines(on(semester.due_on + datetime.timedelta(days=5))) == 0


def test_a_draft_or_returned_report_still_alerts(staff, semester):
    report = SchoolReport.objects.create(school=staff.school, period=semester)
    notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=1)))
    assert Notification.objects.get(recipient=staff.principal, kind=REPORT_DUE).url.endswith(
        f"/bao-cao/{report.pk}/"
    )


def test_a_submitted_report_alerts_nobody(staff, semester):
    report = SchoolReport.objects.create(school=staff.school, period=semester)
    transitions.submit(report, staff.principal)
    assert notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=1))) == 0
    assert notify_due_deadlines(on(semester.due_on + datetime.timedelta(days=1))) == 0


def test_the_email_says_the_kind_and_the_school_and_links(
    staff, semester, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=3)))
    mail = OutgoingMail.objects.get(to_address=staff.principal.email)
    assert "Trường THCS Hòa Bình: báo cáo gửi Phòng GD&ĐT sẽ đến hạn nộp trong 7 ngày tới." in (
        mail.body
    )
    assert "/admin/" in mail.body
    assert "Học kỳ" not in mail.body  # the kind and the school, nothing more


def test_case_workers_and_other_schools_are_not_reminded(staff, semester):
    notify_due_deadlines(on(semester.due_on - datetime.timedelta(days=3)))
    assert not Notification.objects.filter(
        recipient__in=[staff.worker, staff.colleague, staff.editor, staff.other_worker]
    ).exists()
