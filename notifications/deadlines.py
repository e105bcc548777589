"""Alerts of approaching and passed deadlines, found by the periodic ``notify_due_deadlines``.

Reads each open obligation the way the case area does (``forms_app.cases``:
a referral's ``due_at``, a submitted plan's ``approval_due_at``, the review date
of the plan in force until a review of it is filed) and alerts at these
thresholds, in the school's working time:

- a referral due within 4 working hours,
- a decision on a plan due by the close of the next working day,
- a review due within 2 days,
- any of them overdue, then to the school's principals too;
- a school's report to the district due within 7 days and not yet sent (none
  started, a draft, or returned), then overdue: to the school's principals, who
  submit it.

Who is told follows the to-do list: referrals and reviews, the assigned worker
(every case role of the school while nobody is assigned); plan decisions, the
principals but the plan's author. Each (obligation, due time, threshold) alerts
each user once, however often the job runs.
"""

from __future__ import annotations

import datetime
from itertools import chain

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from forms_app.cases import deadlines
from forms_app.cases.procedure import PLAN_IN_FORCE_STATES
from forms_app.models import Case, CaseState, InterventionPlan, Referral, Review
from forms_app.models.cases import LEARNER_FIELDS
from notifications.alerts import raise_alert
from notifications.links import case_url, plan_decision_url
from notifications.models import Kind
from notifications.recipients import case_roles, principals
from reports.models import ReportingPeriod, SchoolReport
from schools.models import School

REFERRAL_NOTICE_WORKING_HOURS = 4
PLAN_NOTICE_WORKING_DAYS = 1
REVIEW_NOTICE = datetime.timedelta(days=2)

REPORT_NOTICE = datetime.timedelta(days=7)
# A report this late has long been on the district's list of overdue schools: the
# school's screens still show it, but the job stops looking for it.
REPORT_OVERDUE_LOOKBACK = datetime.timedelta(days=60)

OVERDUE = "overdue"
SOON = "soon"

# The kinds of a report's reminders.
REPORT_DUE = Kind.REPORT_DUE
REPORT_OVERDUE = Kind.REPORT_OVERDUE

_CASE_DETAILS = [f"case__{name}" for name in LEARNER_FIELDS]


class _Calendars:
    """One working calendar per school per run."""

    def __init__(self) -> None:
        self._by_school: dict[int, deadlines.WorkingCalendar] = {}

    def __call__(self, school) -> deadlines.WorkingCalendar:
        if school.pk not in self._by_school:
            self._by_school[school.pk] = deadlines.calendar_for(school)
        return self._by_school[school.pk]


def _responsible(case: Case) -> list:
    """The assigned worker, or every case role of the school while nobody is assigned."""
    worker = case.assigned_worker
    if worker is not None and worker.is_active:
        return [worker]
    return list(case_roles(case.school_id))


def _alert(kind: str, threshold: str, case: Case, recipients, url: str, key: str, **kw) -> int:
    if threshold == OVERDUE:
        recipients = chain(recipients, principals(case.school_id))
        kind = Kind.OVERDUE
    unique = {user.pk: user for user in recipients}
    made = raise_alert(
        kind,
        case.school,
        unique.values(),
        url,
        dedupe_key=f"deadline:{key}:{threshold}",
        **kw,
    )
    return len(made)


def notify_due_deadlines(now: datetime.datetime | None = None) -> int:
    """Raise the alerts now due; return how many notifications were made."""
    now = now or timezone.now()
    calendar = _Calendars()
    made = 0
    open_cases = {"case__archived_at__isnull": True}

    for referral in (
        Referral.objects.filter(sent_at__isnull=True, **open_cases)
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__school", "case__assigned_worker")
        .defer(*_CASE_DETAILS)
    ):
        case, due = referral.case, referral.due_at
        if due < now:
            threshold = OVERDUE
        elif due <= calendar(case.school).add_working_hours(now, REFERRAL_NOTICE_WORKING_HOURS):
            threshold = SOON
        else:
            continue
        made += _alert(
            Kind.REFERRAL_DUE,
            threshold,
            case,
            _responsible(case),
            case_url(case.pk),
            f"referral:{referral.pk}:{due.timestamp():.0f}",
        )

    for plan in (
        InterventionPlan.objects.filter(
            status=InterventionPlan.Status.SUBMITTED, approval_due_at__isnull=False, **open_cases
        )
        .exclude(case__state=CaseState.CLOSED)
        .select_related("case__school")
        .defer("answers", *_CASE_DETAILS)
    ):
        case, due = plan.case, plan.approval_due_at
        if due < now:
            threshold = OVERDUE
        elif due <= calendar(case.school).add_working_days(now, PLAN_NOTICE_WORKING_DAYS):
            threshold = SOON
        else:
            continue
        made += _alert(
            Kind.PLAN_APPROVAL_DUE,
            threshold,
            case,
            principals(case.school_id),
            plan_decision_url(plan.pk, case.pk),
            f"plan:{plan.pk}:{due.timestamp():.0f}",
            exclude=[plan.author_id],
        )

    horizon = now + REVIEW_NOTICE
    for plan in (
        InterventionPlan.objects.filter(
            status=InterventionPlan.Status.APPROVED,
            review_date__isnull=False,
            review_date__lte=timezone.localdate(horizon),
            case__state__in=list(PLAN_IN_FORCE_STATES),
            **open_cases,
        )
        .exclude(Exists(Review.objects.filter(plan_id=OuterRef("pk"))))
        .select_related("case__school", "case__assigned_worker")
        .defer("answers", *_CASE_DETAILS)
    ):
        case = plan.case
        due = calendar(case.school).close_of_working_day(plan.review_date)
        if due < now:
            threshold = OVERDUE
        elif due <= horizon:
            threshold = SOON
        else:
            continue
        made += _alert(
            Kind.REVIEW_DUE,
            threshold,
            case,
            _responsible(case),
            case_url(case.pk),
            f"review:{plan.pk}:{due.timestamp():.0f}",
        )
    made += notify_due_reports(now)
    return made


def notify_due_reports(now: datetime.datetime | None = None) -> int:
    """Remind a school's principals of a report to the district not yet sent: once when
    it is due within 7 days, once when it is overdue. Returns the notifications made."""
    today = timezone.localdate(now or timezone.now())
    periods = list(
        ReportingPeriod.objects.filter(
            due_on__gte=today - REPORT_OVERDUE_LOOKBACK, due_on__lte=today + REPORT_NOTICE
        )
    )
    if not periods:
        return 0
    sent = {SchoolReport.State.SUBMITTED, SchoolReport.State.ACCEPTED}
    reports = {
        (report.school_id, report.period_id): report
        for report in SchoolReport.objects.filter(period__in=periods).only(
            "pk", "school_id", "period_id", "state"
        )
    }
    made = 0
    for school in School.objects.order_by("pk"):
        for period in periods:
            report = reports.get((school.pk, period.pk))
            if report is not None and report.state in sent:
                continue
            threshold = OVERDUE if period.due_on < today else SOON
            url = (
                reverse("reports:detail", args=[report.pk])
                if report is not None
                else reverse("reports:list")
            )
            made += len(
                raise_alert(
                    REPORT_OVERDUE if threshold == OVERDUE else REPORT_DUE,
                    school,
                    principals(school.pk),
                    url,
                    dedupe_key=(
                        f"deadline:report:{school.pk}:{period.pk}:"
                        f"{period.due_on.isoformat()}:{threshold}"
                    ),
                )
            )
    return made
