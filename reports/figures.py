"""A school's figures for a period, computed from its cases, counselling log and
activities: the one home of what each figure means.

``compute_school_figures`` returns plain JSON (it is frozen into a submitted version
and read by the district, which never sees a record), in this shape::

    {
      "schema": 1,
      "school": {"id": 3, "code": "HB", "name": "Trường …"},
      "period": {"id": 7, "starts_on": "2026-08-01", "ends_on": "2027-01-10"},
      "as_of": "2027-01-12T09:30:00+07:00",     # when computed, local time
      "totals": {KEY: int, …},                  # every key of TOTALS
      "tables": {KEY: {"columns": [col key…],   # every key of TABLES
                       "rows": [{"key": str, "label": str, "values": [int…]}]}}
    }

Row keys are choice values ("individual", "7", "none") or reference ids ("area:4",
"category:2"); ``label`` is the name at the time of computing (for reference items, a
data name; for choices, the Vietnamese label), so a frozen version reads the same
after a list is renamed. Rows are in display order; a table lists every choice and
every active reference item even when its counts are 0, plus inactive items that
have counts.

What each total means, over the period's window [starts_on 00:00, ends_on 24:00)
local time (``settings.TIME_ZONE``), cut at ``as_of`` when that is earlier. Moments
(received_at, created_at, decided_at, sent_at, a timeline event's time) are compared
with the window's aware bounds; days (held_on, review_date) are compared as dates,
from starts_on to ends_on or to the local day of ``as_of`` when that is earlier.

- sessions, session_participants: counselling entries held in the window; the sum of
  their participants.
- cases_opened: cases whose information was received in the window (received_at).
- cases_referred: cases with a referral created in the window.
- cases_closed: cases closed in the window (a CaseEvent moving to closed).
- cases_open: cases received before the end of the window and not closed by then
  (no move to closed before the end of the window).
- referrals, referrals_on_time: referrals created in the window; of them, those sent
  by their due time (12 working hours from receipt, ``Referral.due_at``) and before
  the cut. One not sent yet is not on time, even if not yet due.
- plans_approved, plans_approved_on_time: plan versions approved in the window
  (``decided_at`` of a plan now approved or superseded: a later version replaces only
  an approved one); of them, those approved by their due time (3 working days,
  ``approval_due_at``).
- reviews_due, reviews_on_time: approved plans whose review date falls in the window
  and that were still in force on it (no later version approved before that day);
  of them, those with a review (Mẫu 04) of that plan filed, before the cut, on or
  before the day it fell due: the review date, or the next working day when the
  review date is a day off (``deadlines.review_due``, the case list's rule).
- overdue: cases not closed whose next deadline had passed at ``as_of``. Read from
  the case's current next deadline (``Case.next_deadline``), so it is exact when
  ``as_of`` is now, as it is when a report is computed or submitted.
- activities, activity_participants: activities held (``held_on``) in the window;
  the sum of their participants.

Tables (columns in order):

- sessions_by_form: rows each form; columns sessions, participants.
- sessions_by_area: rows each content area; columns sessions, participants.
- sessions_by_grade: rows grades "1"…"12" then "none"; columns male, female, mixed,
  unknown (sessions).
- cases_by_category: rows each issue category; columns opened, referred, closed, open.
  A case with several categories counts in each; "none" for a case with none.
- cases_by_grade: rows grades "1"…"12" then "none"; columns male, female, unknown
  (cases opened).
- activities_by_area: rows each content area; columns activities, participants.

Grades outside 1–12 and an empty grade count as "none". Every figure is a constant
number of aggregate queries (about ten in all), however many records; nothing is
decrypted: cases are counted by their clear counting columns (``count_grade``,
``count_gender``).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Q, Sum, Value
from django.db.models.functions import TruncDate
from django.db.models.lookups import In
from django.utils import timezone, translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from counselling.models import Activity, CounsellingArea, CounsellingEntry, CountGender
from forms_app.cases.deadlines import calendar_for
from forms_app.models import (
    Case,
    CaseEvent,
    CaseState,
    Gender,
    InterventionPlan,
    IssueCategory,
    Referral,
    Review,
)
from learners.grades import GRADES

SCHEMA = 1

# Total key → label (the report's table of indicators lists them in this order).
TOTALS: dict[str, Any] = {
    "sessions": _("Counselling sessions"),
    "session_participants": _("Learners counselled (participants)"),
    "cases_opened": _("Cases opened"),
    "cases_referred": _("Cases referred outside the school"),
    "cases_closed": _("Cases closed"),
    "cases_open": _("Cases still open at the end of the period"),
    "referrals": _("Referrals made"),
    "referrals_on_time": _("Referrals made within 12 working hours"),
    "plans_approved": _("Support plans approved"),
    "plans_approved_on_time": _("Support plans approved within 3 working days"),
    "reviews_due": _("Reviews due"),
    "reviews_on_time": _("Reviews done on time"),
    "overdue": _("Cases with overdue work"),
    "activities": _("Awareness activities"),
    "activity_participants": _("Participants in activities"),
}

# Table key → (title, column key → label).
TABLES: dict[str, tuple[Any, dict[str, Any]]] = {
    "sessions_by_form": (
        _("Counselling sessions by form"),
        {"sessions": _("Sessions"), "participants": _("Participants")},
    ),
    "sessions_by_area": (
        _("Counselling sessions by content area"),
        {"sessions": _("Sessions"), "participants": _("Participants")},
    ),
    "sessions_by_grade": (
        _("Counselling sessions by grade and gender"),
        {
            "male": _("Male"),
            "female": _("Female"),
            "mixed": _("Mixed group"),
            "unknown": pgettext_lazy("gender", "Not known"),
        },
    ),
    "cases_by_category": (
        _("Cases by issue category"),
        {
            "opened": _("Opened"),
            "referred": _("Referred"),
            "closed": _("Closed"),
            "open": _("Still open"),
        },
    ),
    "cases_by_grade": (
        _("Cases opened by grade and gender"),
        {"male": _("Male"), "female": _("Female"), "unknown": pgettext_lazy("gender", "Not known")},
    ),
    "activities_by_area": (
        _("Awareness activities by content area"),
        {"activities": _("Activities"), "participants": _("Participants")},
    ),
}


NONE = "none"
GRADE_KEYS: tuple[str, ...] = (*(str(g) for g in GRADES), NONE)
# A plan that was approved: the one in force, or one a later approved version replaced.
APPROVED = (InterventionPlan.Status.APPROVED, InterventionPlan.Status.SUPERSEDED)


@dataclass(frozen=True)
class Window:
    """The period's bounds, cut at ``as_of``: aware moments [start, end) and days [first, last]."""

    start: datetime.datetime
    end: datetime.datetime
    first: datetime.date
    last: datetime.date

    def moments(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.start, f"{field}__lt": self.end})

    def days(self, field: str) -> Q:
        return Q(**{f"{field}__gte": self.first, f"{field}__lte": self.last})


def window(period, as_of: datetime.datetime) -> Window:
    """``period``'s window in local time, cut at ``as_of``."""
    tz = timezone.get_default_timezone()
    start = datetime.datetime.combine(period.starts_on, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(
        period.ends_on + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz
    )
    end = min(end, as_of)
    last = min(period.ends_on, timezone.localtime(as_of, tz).date())
    return Window(start=start, end=max(end, start), first=period.starts_on, last=last)


def _int(value) -> int:
    return int(value or 0)


def _labels(choices) -> dict[str, str]:
    with translation.override("vi"):
        return {value: str(label) for value, label in choices}


def _table(columns: Iterable[str], rows: list[tuple[str, str, list[int]]]) -> dict:
    return {
        "columns": list(columns),
        "rows": [{"key": key, "label": label, "values": values} for key, label, values in rows],
    }


def _reference_rows(items, prefix: str, counted: dict, width: int) -> list:
    """Rows for a reference list: every active item, and inactive ones that have counts."""
    rows = []
    for item in items:
        values = counted.get(item.pk)
        if values is None and not item.active:
            continue
        rows.append((f"{prefix}:{item.pk}", item.name, list(values or [0] * width)))
    return rows


def _grade_key(grade) -> str:
    return str(grade) if grade in GRADES else NONE


def _grade_rows(counted: dict, genders: list[str]) -> list:
    with translation.override("vi"):
        labels = {str(g): gettext("Grade %(grade)s") % {"grade": g} for g in GRADES}
        labels[NONE] = gettext("Grade not known")
    rows = []
    for key in GRADE_KEYS:
        label = labels[key]
        by_gender = counted.get(key, {})
        rows.append((key, label, [by_gender.get(g, 0) for g in genders]))
    return rows


# Counselling log and activities ------------------------------------------------------


def _sessions(school, win: Window, areas: list) -> tuple[dict, dict]:
    # One pass over the window's entries, grouped by everything the tables split on; the
    # tables are sums over those groups (a few hundred at most), not over entries.
    groups = (
        CounsellingEntry.objects.filter(win.days("held_on"), school=school)
        .order_by()
        .values("form", "area", "grade", "gender")
        .annotate(n=Count("pk"), p=Sum("participants"))
    )
    by_form: dict[str, list[int]] = {}
    by_area: dict[int, list[int]] = {}
    by_grade: dict[str, dict[str, int]] = {}
    for row in groups:
        n, p = row["n"], _int(row["p"])
        for cell in (
            by_form.setdefault(row["form"], [0, 0]),
            by_area.setdefault(row["area"], [0, 0]),
        ):
            cell[0] += n
            cell[1] += p
        cell = by_grade.setdefault(_grade_key(row["grade"]), {})
        gender = row["gender"] if row["gender"] in CountGender.values else CountGender.UNKNOWN
        cell[gender] = cell.get(gender, 0) + n

    form_labels = _labels(CounsellingEntry.Form.choices)
    tables = {
        "sessions_by_form": _table(
            TABLES["sessions_by_form"][1],
            [(form, label, by_form.get(form, [0, 0])) for form, label in form_labels.items()],
        ),
        "sessions_by_area": _table(
            TABLES["sessions_by_area"][1], _reference_rows(areas, "area", by_area, 2)
        ),
        "sessions_by_grade": _table(
            TABLES["sessions_by_grade"][1],
            _grade_rows(by_grade, list(TABLES["sessions_by_grade"][1])),
        ),
    }
    totals = {
        "sessions": sum(n for n, _p in by_form.values()),
        "session_participants": sum(p for _n, p in by_form.values()),
    }
    return totals, tables


def _activities(school, win: Window, areas: list) -> tuple[dict, dict]:
    by_area = {
        row["area"]: [row["n"], _int(row["p"])]
        for row in Activity.objects.filter(win.days("held_on"), school=school)
        .order_by()
        .values("area")
        .annotate(n=Count("pk"), p=Sum("participants"))
    }
    totals = {
        "activities": sum(n for n, _p in by_area.values()),
        "activity_participants": sum(p for _n, p in by_area.values()),
    }
    tables = {
        "activities_by_area": _table(
            TABLES["activities_by_area"][1], _reference_rows(areas, "area", by_area, 2)
        )
    }
    return totals, tables


# Cases ------------------------------------------------------------------------------

CASE_COLUMNS = ("opened", "referred", "closed", "open")


def _case_flags(school, win: Window) -> dict[str, Any]:
    """The four counts of a group of cases, as conditional aggregates over its rows (a case
    is one row of a group: once per grade and gender, once per category it has).

    The referrals and closings are each one uncorrelated subquery (the school's cases
    referred in the window, closed in it, closed before its end), which the database
    runs once and probes per case, rather than once per case."""
    referred = Referral.objects.filter(win.moments("created_at"), case__school=school)
    closed = CaseEvent.objects.filter(
        kind=CaseEvent.Kind.TRANSITION, to_state=CaseState.CLOSED, case__school=school
    )
    closed_in = closed.filter(win.moments("at"))
    closed_by_end = closed.filter(at__lt=win.end)
    return {
        "opened": Count("pk", filter=win.moments("received_at")),
        "referred": Count("pk", filter=Q(pk__in=referred.values("case_id"))),
        "closed": Count("pk", filter=Q(pk__in=closed_in.values("case_id"))),
        "open": Count("pk", filter=~Q(pk__in=closed_by_end.values("case_id"))),
    }


def _cases(school, win: Window) -> tuple[dict, dict]:
    # Every count is of cases received before the end of the window: a referral or a
    # closing comes after the information, and a case received later is not open yet.
    cases = Case.objects.filter(school=school, received_at__lt=win.end).order_by()
    flags = _case_flags(school, win)
    totals = dict.fromkeys(CASE_COLUMNS, 0)
    by_grade: dict[str, dict[str, int]] = {}
    for row in cases.values("count_grade", "count_gender").annotate(**flags):
        for column in CASE_COLUMNS:
            totals[column] += row[column]
        cell = by_grade.setdefault(_grade_key(row["count_grade"]), {})
        gender = row["count_gender"] if row["count_gender"] in Gender.values else Gender.UNKNOWN
        cell[gender] = cell.get(gender, 0) + row["opened"]

    by_category: dict[Any, list[int]] = {}
    for row in cases.values("categories").annotate(**flags):
        by_category[row["categories"]] = [row[c] for c in CASE_COLUMNS]
    categories = list(IssueCategory.objects.order_by("sort_order", "name", "pk"))
    with translation.override("vi"):
        none_label = gettext("No category given")
    rows = _reference_rows(categories, "category", by_category, len(CASE_COLUMNS))
    rows.append((NONE, none_label, by_category.get(None, [0] * len(CASE_COLUMNS))))
    tables = {
        "cases_by_category": _table(TABLES["cases_by_category"][1], rows),
        "cases_by_grade": _table(
            TABLES["cases_by_grade"][1], _grade_rows(by_grade, list(TABLES["cases_by_grade"][1]))
        ),
    }
    return {f"cases_{column}": totals[column] for column in CASE_COLUMNS}, tables


def _referrals(school, win: Window) -> dict:
    counted = Referral.objects.filter(win.moments("created_at"), case__school=school).aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(sent_at__lte=F("due_at"), sent_at__lt=win.end)),
    )
    return {"referrals": counted["n"], "referrals_on_time": counted["on_time"]}


def _plans(school, win: Window) -> dict:
    counted = InterventionPlan.objects.filter(
        win.moments("decided_at"), case__school=school, status__in=APPROVED
    ).aggregate(
        n=Count("pk"),
        on_time=Count("pk", filter=Q(decided_at__lte=F("approval_due_at"))),
    )
    return {"plans_approved": counted["n"], "plans_approved_on_time": counted["on_time"]}


def _review_due_day(school, win: Window, review_date) -> Any:
    """The day a review falls due, as an expression over ``review_date``: the review date,
    or the next working day when it is a day off (the school's own calendar, as
    ``deadlines.review_due`` reads it). The days off of the window are read from the
    calendar here, so the query maps each to its working day with one CASE."""
    calendar = calendar_for(school)
    moved: dict[datetime.date, list[datetime.date]] = {}
    day = win.first
    while day <= win.last:
        if not calendar.is_working_day(day):
            moved.setdefault(calendar._next_working_day(day), []).append(day)
        day += datetime.timedelta(days=1)
    if not moved:
        return review_date
    return models.Case(
        *(models.When(In(review_date, days), then=Value(due)) for due, days in moved.items()),
        default=review_date,
        output_field=models.DateField(),
    )


def _reviews(school, win: Window) -> dict:
    tz = timezone.get_default_timezone()
    plans = InterventionPlan.objects.filter(
        win.days("review_date"), case__school=school, status__in=APPROVED, decided_at__lt=win.end
    )
    # A later version approved by the review date took over the obligation.
    replaced = (
        InterventionPlan.objects.filter(
            case=OuterRef("case"), version__gt=OuterRef("version"), status__in=APPROVED
        )
        .annotate(decided_day=TruncDate("decided_at", tzinfo=tz))
        .filter(decided_day__lte=OuterRef("review_date"))
    )
    filed = (
        Review.objects.filter(plan=OuterRef("pk"), created_at__lt=win.end)
        .annotate(
            day=TruncDate("created_at", tzinfo=tz),
            due_day=_review_due_day(school, win, OuterRef("review_date")),
        )
        .filter(day__lte=F("due_day"))
    )
    counted = plans.filter(~Exists(replaced)).aggregate(
        n=Count("pk"), on_time=Count("pk", filter=Q(Exists(filed)))
    )
    return {"reviews_due": counted["n"], "reviews_on_time": counted["on_time"]}


def _overdue(school_ids, as_of: datetime.datetime):
    return (
        Case.objects.filter(school_id__in=school_ids, next_deadline__lt=as_of)
        .exclude(state=CaseState.CLOSED)
        .order_by()
    )


# The contract -------------------------------------------------------------------------


def compute_school_figures(school, period, *, as_of: datetime.datetime | None = None) -> dict:
    """The figures of ``school`` for ``period`` (a ReportingPeriod), as described above.

    ``as_of`` defaults to now; figures never count anything after it.
    """
    as_of = as_of or timezone.now()
    win = window(period, as_of)
    areas = list(CounsellingArea.objects.order_by("sort_order", "name", "pk"))
    totals: dict[str, int] = {}
    tables: dict[str, dict] = {}
    for part_totals, part_tables in (
        _sessions(school, win, areas),
        _cases(school, win),
        _activities(school, win, areas),
    ):
        totals.update(part_totals)
        tables.update(part_tables)
    totals.update(_referrals(school, win))
    totals.update(_plans(school, win))
    totals.update(_reviews(school, win))
    totals["overdue"] = _overdue([school.pk], as_of).count()
    return {
        "schema": SCHEMA,
        "school": {"id": school.pk, "code": school.code, "name": school.name},
        "period": {
            "id": period.pk,
            "starts_on": period.starts_on.isoformat(),
            "ends_on": period.ends_on.isoformat(),
        },
        "as_of": timezone.localtime(as_of).isoformat(),
        "totals": {key: _int(totals.get(key)) for key in TOTALS},
        "tables": {key: tables[key] for key in TABLES},
    }


def overdue_by_school(school_ids, *, as_of: datetime.datetime | None = None) -> dict[int, int]:
    """Per school id, the number of cases with overdue work at ``as_of`` (the district's
    "schools with overdue work"); schools with none are absent. One query."""
    as_of = as_of or timezone.now()
    return {
        row["school_id"]: row["n"]
        for row in _overdue(list(school_ids), as_of).values("school_id").annotate(n=Count("pk"))
    }
