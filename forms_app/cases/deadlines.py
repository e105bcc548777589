"""Deadlines counted in a school's working time.

Thông tư 33/2018 (and 18/2025 after it) counts two clocks in working time, not
wall-clock time: a referral is due within 12 working hours of receiving the
information, and the principal approves a support plan within 3 working days of
receiving it. A report that arrives on Friday afternoon or on the eve of Tết must
not fall due while nobody is at school, so both clocks run only inside the
school's working periods, skip weekends, Vietnamese public holidays and the
school's own days off, and run on make-up working days.

All arithmetic happens in local time (``settings.TIME_ZONE``): working hours are
wall-clock times at the school, and a deadline read at 17:00 UTC would be
meaningless to the staff who must meet it.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import TYPE_CHECKING

import holidays
from django.core.exceptions import ObjectDoesNotExist
from django.utils import timezone

from forms_app.models.calendar import SchoolCalendar

if TYPE_CHECKING:
    from schools.models import School

__all__ = [
    "PLAN_APPROVAL_WORKING_DAYS",
    "REFERRAL_WORKING_HOURS",
    "WorkingCalendar",
    "calendar_for",
    "plan_approval_due",
    "referral_due",
    "review_due",
]

# Thông tư 33/2018/TT-BGDĐT: "within 12 working hours of receiving the information".
REFERRAL_WORKING_HOURS = 12
# Thông tư 33/2018/TT-BGDĐT: the principal approves a plan within 3 working days.
PLAN_APPROVAL_WORKING_DAYS = 3

# A calendar whose exceptions close a whole year in a row is misconfigured; stop
# searching rather than loop for ever looking for the next working period.
_MAX_CONSECUTIVE_DAYS_OFF = 366

_SATURDAY = 5
_SUNDAY = 6

Period = tuple[datetime.datetime, datetime.datetime]
# A year's public holidays, and the weekend days the government swapped in as working days.
NationalDays = tuple[frozenset[datetime.date], frozenset[datetime.date]]


def _field_default(name: str) -> datetime.time:
    return SchoolCalendar._meta.get_field(name).get_default()


class WorkingCalendar:
    """One school's working days and hours, answering "when is this due?".

    Built by :func:`calendar_for`, which reads the database once; after that the
    calendar is plain data, so a list view can compute many deadlines without a
    query each. Precedence for a day: the school's own exception, then a national
    public holiday (day off), then a national make-up working day, then the weekly
    pattern (Monday–Friday, plus Saturday where the school works it).
    """

    country = "VN"

    def __init__(
        self,
        *,
        morning: tuple[datetime.time, datetime.time] | None = None,
        afternoon: tuple[datetime.time, datetime.time] | None = None,
        saturday_is_working_day: bool = False,
        exceptions: Mapping[datetime.date, bool] | None = None,
        tz: datetime.tzinfo | None = None,
    ) -> None:
        # Defaults come from the model so a school without a calendar row is
        # treated exactly like one with a freshly created row.
        self.morning = morning or (_field_default("morning_start"), _field_default("morning_end"))
        self.afternoon = afternoon or (
            _field_default("afternoon_start"),
            _field_default("afternoon_end"),
        )
        # SchoolCalendar.clean() enforces this in the admin, but rows can be written
        # without it; out-of-order hours would make the counting silently wrong.
        if not (self.morning[0] < self.morning[1] <= self.afternoon[0] < self.afternoon[1]):
            raise ValueError(
                "Working hours must be in order: morning start < morning end "
                "<= afternoon start < afternoon end."
            )
        self.saturday_is_working_day = saturday_is_working_day
        self.exceptions: dict[datetime.date, bool] = dict(exceptions or {})
        self.tz = tz or timezone.get_default_timezone()
        self._national: dict[int, NationalDays] = {}

    def __repr__(self) -> str:
        return (
            f"<WorkingCalendar {self.morning[0]:%H:%M}–{self.morning[1]:%H:%M}, "
            f"{self.afternoon[0]:%H:%M}–{self.afternoon[1]:%H:%M}, "
            f"saturday={self.saturday_is_working_day}, exceptions={len(self.exceptions)}>"
        )

    # Days ---------------------------------------------------------------

    def _national_days(self, year: int) -> NationalDays:
        """Public holidays and government-swapped Saturdays of ``year``, loaded once.

        The library includes Tết, observed days and the government's substituted
        days off (e.g. Monday 31/08/2026 off, worked on Saturday 22/08/2026); the
        worked Saturday is in ``weekend_workdays``. Public-sector staff, teachers
        included, follow those swaps.
        """
        if year not in self._national:
            national = holidays.country_holidays(self.country, years=year)
            self._national[year] = (
                frozenset(national),
                frozenset(day for day in national.weekend_workdays if day.year == year),
            )
        return self._national[year]

    def is_working_day(self, date: datetime.date) -> bool:
        """Whether staff are at school on ``date``."""
        if date in self.exceptions:
            return self.exceptions[date]
        public_holidays, national_workdays = self._national_days(date.year)
        if date in public_holidays:
            return False
        if date in national_workdays:
            return True
        weekday = date.weekday()
        if weekday == _SUNDAY:
            return False
        if weekday == _SATURDAY:
            return self.saturday_is_working_day
        return True

    def working_periods(self, date: datetime.date) -> list[Period]:
        """The morning and afternoon of ``date`` as aware local datetimes; empty on a day off."""
        if not self.is_working_day(date):
            return []
        return [
            (self._at(date, start), self._at(date, end))
            for start, end in (self.morning, self.afternoon)
        ]

    def _at(self, date: datetime.date, time: datetime.time) -> datetime.datetime:
        return datetime.datetime.combine(date, time, tzinfo=self.tz)

    def _end_of_day(self, date: datetime.date) -> datetime.datetime:
        return self._at(date, self.afternoon[1])

    def _next_working_day(self, date: datetime.date) -> datetime.date:
        """``date`` itself if it is a working day, else the first one after it."""
        for offset in range(_MAX_CONSECUTIVE_DAYS_OFF + 1):
            day = date + datetime.timedelta(days=offset)
            if self.is_working_day(day):
                return day
        raise ValueError(f"No working day within a year after {date:%d/%m/%Y}.")

    def close_of_working_day(self, date: datetime.date) -> datetime.datetime:
        """The close of ``date``, or of the next working day if ``date`` is a day off.

        A review date (Mẫu 03) falls due then: the case list's deadline and the
        to-do both read it from here, so they name the same moment.
        """
        return self._end_of_day(self._next_working_day(date))

    # Arithmetic -----------------------------------------------------------

    def _local(self, moment: datetime.datetime) -> datetime.datetime:
        # A naive datetime is ambiguous (server UTC? school local?), and guessing
        # wrong moves a legal deadline by seven hours.
        if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
            raise ValueError(
                f"Deadlines need a timezone-aware datetime, got {moment!r}; "
                "use django.utils.timezone.now() or make it aware first."
            )
        return moment.astimezone(self.tz)

    def add_working_hours(self, start: datetime.datetime, hours: float) -> datetime.datetime:
        """The moment ``hours`` of working time after ``start``.

        Outside working time the clock starts at the next working period. A
        deadline that uses up a period exactly ends at that period's close
        (Friday 17:00), not at the opening of the next one (Monday 07:00).
        """
        if hours < 0:
            raise ValueError("hours must not be negative.")
        cursor = self._local(start)
        remaining = datetime.timedelta(hours=hours)
        day = cursor.date()
        days_off = 0
        while True:
            periods = self.working_periods(day)
            if periods:
                days_off = 0
            else:
                days_off += 1
                if days_off > _MAX_CONSECUTIVE_DAYS_OFF:
                    raise ValueError(f"No working day within a year after {day:%d/%m/%Y}.")
            for period_start, period_end in periods:
                if period_end < cursor:
                    continue
                begin = max(period_start, cursor)
                available = period_end - begin
                if remaining <= available:
                    return begin + remaining
                remaining -= available
            day += datetime.timedelta(days=1)

    def add_working_days(self, start: datetime.datetime, days: int) -> datetime.datetime:
        """The close of the ``days``-th working day after the day of ``start``.

        The day of ``start`` never counts, whatever the hour: a plan handed in at
        07:00 and one handed in at 16:59 are due on the same day. With ``days=0``
        the answer is the close of ``start``'s own day, or of the next working day
        if that is a day off.
        """
        if days < 0:
            raise ValueError("days must not be negative.")
        day = self._local(start).date()
        if days == 0:
            return self._end_of_day(self._next_working_day(day))
        for _ in range(days):
            day = self._next_working_day(day + datetime.timedelta(days=1))
        return self._end_of_day(day)


def calendar_for(school: School) -> WorkingCalendar:
    """The working calendar of ``school``, with the defaults when it has none yet."""
    try:
        calendar: SchoolCalendar = school.calendar
    except ObjectDoesNotExist:
        calendar = SchoolCalendar(school=school)
    # Through the cluster manager, so an unsaved calendar reads its in-memory rows.
    exceptions = {row.date: row.is_working_day for row in calendar.exceptions.all()}
    return WorkingCalendar(
        morning=(calendar.morning_start, calendar.morning_end),
        afternoon=(calendar.afternoon_start, calendar.afternoon_end),
        saturday_is_working_day=calendar.saturday_is_working_day,
        exceptions=exceptions,
    )


def referral_due(school: School, received_at: datetime.datetime) -> datetime.datetime:
    """When a referral must be made: 12 working hours after the information came in (Mẫu 01)."""
    return calendar_for(school).add_working_hours(received_at, REFERRAL_WORKING_HOURS)


def plan_approval_due(school: School, submitted_at: datetime.datetime) -> datetime.datetime:
    """When the principal must decide on a plan (Mẫu 03): close of the 3rd working day after."""
    return calendar_for(school).add_working_days(submitted_at, PLAN_APPROVAL_WORKING_DAYS)


def review_due(plan_review_date: datetime.date, school: School) -> datetime.datetime:
    """Close of the plan's review date (Mẫu 04), or of the next working day if it is a day off."""
    calendar = calendar_for(school)
    # A datetime is a date too; take its local day rather than its UTC one.
    if isinstance(plan_review_date, datetime.datetime):
        plan_review_date = calendar._local(plan_review_date).date()
    return calendar.close_of_working_day(plan_review_date)
