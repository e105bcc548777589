"""A school's figures for a period, computed from its cases, counselling log and
activities: the one home of what each figure means.

``compute_school_figures`` returns plain JSON (it is frozen into a submitted version
and read by the district, which never sees a record), in this shape::

    {
      "schema": 1,
      "school": {"id": 3, "code": "HB", "name": "Trường …"},
      "period": {"id": 7, "starts_on": "2026-08-01", "ends_on": "2027-01-10"},
      "as_of": "2027-01-12T09:30:00+07:00",     # when computed (≤ end of period)
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
local time, cut at ``as_of`` when that is earlier:

- sessions, session_participants: counselling entries held in the window; the sum of
  their participants.
- cases_opened: cases whose information was received in the window (received_at).
- cases_referred: cases with a referral created in the window.
- cases_closed: cases closed in the window (a CaseEvent moving to closed).
- cases_open: cases received before the end of the window and not closed by then.
- referrals, referrals_on_time: referrals created in the window; of them, those sent
  by their due time (12 working hours from receipt, ``Referral.due_at``).
- plans_approved, plans_approved_on_time: plan versions approved in the window; of
  them, those approved by their due time (3 working days, ``approval_due_at``).
- reviews_due, reviews_on_time: approved plans whose review date falls in the window;
  of them, those with a review (Mẫu 04) filed on or before that date.
- overdue: cases not closed whose next deadline had passed at ``as_of``.
- activities, activity_participants: activities held in the window; their participants.

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

Every figure is a constant number of aggregate queries, however many records.
"""

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

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
            "unknown": _("Not known"),
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
        {"male": _("Male"), "female": _("Female"), "unknown": _("Not known")},
    ),
    "activities_by_area": (
        _("Awareness activities by content area"),
        {"activities": _("Activities"), "participants": _("Participants")},
    ),
}


def compute_school_figures(school, period, *, as_of: datetime.datetime | None = None) -> dict:
    """The figures of ``school`` for ``period`` (a ReportingPeriod), as described above.

    ``as_of`` defaults to now; figures never count anything after it.
    """
    raise NotImplementedError  # filled in by the figures work (issue 16)


def overdue_by_school(school_ids, *, as_of: datetime.datetime | None = None) -> dict[int, int]:
    """Per school id, the number of cases with overdue work at ``as_of`` (the district's
    "schools with overdue work"); schools with none are absent. One query."""
    raise NotImplementedError  # filled in by the figures work (issue 16)
