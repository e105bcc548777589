"""The reporting calendar: which periods exist and their usual dates.

Vietnamese schools report twice a year: the semester I review (sơ kết học kỳ I, due
in mid-January) and the year's review (tổng kết năm học, due in mid-May). The school
year is counted from 1 August, so a summer course belongs to the year it prepares.
The year report covers the whole year; its figures stop at the day it is submitted.
A period is a row, created here with these dates on first use and editable in the
admin, because a province may set other due dates.
"""

import datetime

from django.utils import timezone

from reports.models import ReportingPeriod

YEAR_STARTS = (8, 1)  # 1 August


def school_year_of(day: datetime.date) -> int:
    """The school year (its first calendar year) that ``day`` falls in."""
    return day.year if (day.month, day.day) >= YEAR_STARTS else day.year - 1


def usual_dates(school_year: int, kind: str) -> dict[str, datetime.date]:
    """The dates a period gets when it is created: starts_on, ends_on and due_on."""
    start = datetime.date(school_year, *YEAR_STARTS)
    if kind == ReportingPeriod.Kind.SEMESTER_1:
        return {
            "starts_on": start,
            "ends_on": datetime.date(school_year + 1, 1, 10),
            "due_on": datetime.date(school_year + 1, 1, 15),
        }
    return {
        "starts_on": start,
        "ends_on": datetime.date(school_year + 1, 5, 31),
        "due_on": datetime.date(school_year + 1, 5, 15),
    }


def period(school_year: int, kind: str) -> ReportingPeriod:
    """The period of ``kind`` in ``school_year``, created with the usual dates if missing."""
    found, _created = ReportingPeriod.objects.get_or_create(
        school_year=school_year, kind=kind, defaults=usual_dates(school_year, kind)
    )
    return found


def periods_of_year(school_year: int) -> list[ReportingPeriod]:
    """Semester I and the year of ``school_year``, in that order."""
    return [period(school_year, kind) for kind in ReportingPeriod.Kind.values]


def current_periods(today: datetime.date | None = None) -> list[ReportingPeriod]:
    """The periods of the school year ``today`` falls in (created if missing)."""
    return periods_of_year(school_year_of(today or timezone.localdate()))
