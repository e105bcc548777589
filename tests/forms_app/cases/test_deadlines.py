"""Working-time deadlines on the real 2026–2027 Vietnamese calendar.

Every expected instant below is worked out by hand in the comment above it, with
the default hours 07:00–11:30 and 13:30–17:00 unless the test says otherwise.
The school (tests/forms_app/conftest.py) has no calendar row until a test gives it
one: the default hours, Monday to Friday. Public holidays are the ones the pinned
``holidays`` package lists for Vietnam: 2026 has 30/4, 1/5, 31/8 (swapped with
Saturday 22/8), 1–2/9 and Tuesday 24/11 (Vietnam Cultural Day); Tết 2027 runs
Thursday 4/2 to Wednesday 10/2.
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from forms_app.cases import deadlines
from forms_app.cases.deadlines import (
    PLAN_APPROVAL_WORKING_DAYS,
    REFERRAL_WORKING_HOURS,
    WorkingCalendar,
    calendar_for,
    plan_approval_due,
    referral_due,
    review_due,
)
from forms_app.models import CalendarException, SchoolCalendar

pytestmark = pytest.mark.django_db

VN = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, tzinfo=VN)


def test_legal_constants():
    assert REFERRAL_WORKING_HOURS == 12
    assert PLAN_APPROVAL_WORKING_DAYS == 3


# Referral: 12 working hours -------------------------------------------------


def test_referral_received_friday_afternoon_skips_weekend_and_cultural_day(school):
    # Fri 20/11 16:00–17:00 = 1h (11 left); Sat 21, Sun 22 off; Mon 23 4.5h + 3.5h
    # (3 left); Tue 24/11 is Vietnam Cultural Day; Wed 25 07:00 + 3h = 10:00.
    assert referral_due(school, at(2026, 11, 20, 16)) == at(2026, 11, 25, 10)


def test_referral_received_on_last_working_day_before_tet_waits_out_tet(school):
    # Wed 3/2/2027 15:00–17:00 = 2h (10 left); Tết holidays Thu 4/2 to Wed 10/2;
    # Thu 11/2 4.5h + 3.5h (2 left); Fri 12/2 07:00 + 2h = 09:00.
    assert referral_due(school, at(2027, 2, 3, 15)) == at(2027, 2, 12, 9)


def test_referral_received_during_lunch_starts_at_afternoon_opening(school):
    # Mon 16/11 12:00 is lunch: clock starts 13:30, 3.5h (8.5 left); Tue 17 4.5h +
    # 3.5h (0.5 left); Wed 18 07:00 + 0.5h = 07:30.
    assert referral_due(school, at(2026, 11, 16, 12)) == at(2026, 11, 18, 7, 30)


def test_referral_received_before_school_starts_at_opening(school):
    # Mon 16/11 06:00: clock starts 07:00, 4.5h + 3.5h (4 left); Tue 17 07:00 + 4h.
    assert referral_due(school, at(2026, 11, 16, 6)) == at(2026, 11, 17, 11)
    assert referral_due(school, at(2026, 11, 16, 6)) == referral_due(school, at(2026, 11, 16, 7))


def test_referral_received_at_night_starts_next_working_morning(school):
    # Thu 19/11 21:00 is after hours: Fri 20 07:00 8h (4 left); Sat, Sun off;
    # Mon 23 07:00 + 4h = 11:00.
    assert referral_due(school, at(2026, 11, 19, 21)) == at(2026, 11, 23, 11)


def test_referral_using_up_a_day_exactly_is_due_at_its_close(school):
    # Thu 19/11 11:00: 0.5h + 3.5h = 4h (8 left); Fri 20 takes all 8h and ends at
    # 17:00 — due Friday 17:00, not Monday 07:00.
    assert referral_due(school, at(2026, 11, 19, 11)) == at(2026, 11, 20, 17)


def test_referral_in_utc_is_counted_and_returned_in_local_time(school):
    # 09:00 UTC on Fri 20/11 is 16:00 in Hà Nội: same as the Friday case above.
    due = referral_due(school, datetime.datetime(2026, 11, 20, 9, tzinfo=datetime.UTC))
    assert due == at(2026, 11, 25, 10)
    assert due.tzinfo == VN
    assert (due.hour, due.minute) == (10, 0)


def test_school_working_saturdays_counts_them(school):
    SchoolCalendar.objects.create(school=school, saturday_is_working_day=True)
    # Fri 20/11 16:00 1h (11 left); Sat 21 8h (3 left); Sun off; Mon 23 07:00 + 3h.
    assert referral_due(school, at(2026, 11, 20, 16)) == at(2026, 11, 23, 10)


def test_school_day_off_is_skipped(school):
    calendar = SchoolCalendar.objects.create(school=school)
    CalendarException.objects.create(calendar=calendar, date=datetime.date(2026, 11, 23))
    # Fri 20/11 16:00 1h (11 left); weekend; Mon 23 school day off; Tue 24 Cultural
    # Day; Wed 25 8h (3 left); Thu 26 07:00 + 3h = 10:00.
    assert referral_due(school, at(2026, 11, 20, 16)) == at(2026, 11, 26, 10)


def test_school_make_up_saturday_is_worked(school):
    calendar = SchoolCalendar.objects.create(school=school)
    CalendarException.objects.create(
        calendar=calendar, date=datetime.date(2026, 11, 21), is_working_day=True
    )
    # Fri 20/11 16:00 1h (11 left); make-up Sat 21 8h (3 left); Sun off; Mon 23 10:00.
    assert referral_due(school, at(2026, 11, 20, 16)) == at(2026, 11, 23, 10)


def test_make_up_day_overrides_a_public_holiday(school):
    calendar = SchoolCalendar.objects.create(school=school)
    CalendarException.objects.create(
        calendar=calendar, date=datetime.date(2026, 11, 24), is_working_day=True
    )
    # Fri 20/11 16:00 1h (11 left); Mon 23 8h (3 left); Tue 24, worked, 07:00 + 3h.
    assert referral_due(school, at(2026, 11, 20, 16)) == at(2026, 11, 24, 10)


def test_school_hours_are_used(school):
    SchoolCalendar.objects.create(
        school=school,
        morning_start=datetime.time(7, 30),
        morning_end=datetime.time(11, 0),
        afternoon_start=datetime.time(14, 0),
        afternoon_end=datetime.time(16, 30),
    )
    # Mon 16/11 06:00: 07:30–11:00 3.5h + 14:00–16:30 2.5h (6 left); Tue 17 3.5h
    # (2.5 left); 14:00 + 2.5h = 16:30.
    assert referral_due(school, at(2026, 11, 16, 6)) == at(2026, 11, 17, 16, 30)


# Plan approval: 3 working days --------------------------------------------


@pytest.mark.parametrize("hour", [7, 16])
def test_plan_submitted_on_eve_of_30_4_is_due_after_the_long_weekend(school, hour):
    # Wed 29/4 never counts; Thu 30/4 and Fri 1/5 are holidays, 2–3/5 the weekend;
    # Mon 4/5 (1), Tue 5/5 (2), Wed 6/5 (3) → close of Wed 6/5.
    assert plan_approval_due(school, at(2026, 4, 29, hour)) == at(2026, 5, 6, 17)


def test_plan_submitted_on_saturday_counts_from_monday(school):
    # Sat 21/11: Mon 23 (1), Tue 24 Cultural Day, Wed 25 (2), Thu 26 (3).
    assert plan_approval_due(school, at(2026, 11, 21, 9)) == at(2026, 11, 26, 17)


def test_plan_approval_ends_at_the_schools_afternoon_close(school):
    SchoolCalendar.objects.create(school=school, afternoon_end=datetime.time(16, 30))
    # Mon 16/11: Tue 17 (1), Wed 18 (2), Thu 19 (3) → 16:30.
    assert plan_approval_due(school, at(2026, 11, 16, 10)) == at(2026, 11, 19, 16, 30)


def test_plan_submitted_late_at_night_in_utc_counts_from_the_local_day(school):
    # 18:00 UTC Tue 28/4 is 01:00 Wed 29/4 in Hà Nội, so the local day is the eve
    # of 30/4 and the answer is the same as submitting on Wednesday.
    submitted = datetime.datetime(2026, 4, 28, 18, tzinfo=datetime.UTC)
    assert plan_approval_due(school, submitted) == at(2026, 5, 6, 17)


# Review date -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("review_date", "expected"),
    [
        # A working Monday: its own close.
        (datetime.date(2026, 11, 23), at(2026, 11, 23, 17)),
        # Cultural Day: the next working day, Wed 25/11.
        (datetime.date(2026, 11, 24), at(2026, 11, 25, 17)),
        # Saturday: Monday.
        (datetime.date(2026, 11, 21), at(2026, 11, 23, 17)),
        # First day of the 2027 Tết break: Thu 11/2.
        (datetime.date(2027, 2, 4), at(2027, 2, 11, 17)),
    ],
)
def test_review_due_at_close_of_that_or_next_working_day(school, review_date, expected):
    assert review_due(review_date, school) == expected


# The calendar itself ----------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (datetime.date(2026, 11, 20), True),  # Friday
        (datetime.date(2026, 11, 21), False),  # Saturday
        (datetime.date(2026, 11, 22), False),  # Sunday
        (datetime.date(2026, 11, 24), False),  # Vietnam Cultural Day
        (datetime.date(2026, 4, 30), False),  # Reunification Day
        (datetime.date(2026, 8, 31), False),  # government swap: Monday off …
        (datetime.date(2026, 8, 22), True),  # … worked on this Saturday instead
        (datetime.date(2027, 2, 3), True),  # last working day before Tết
        (datetime.date(2027, 2, 10), False),  # last day of Tết
        (datetime.date(2027, 2, 11), True),
    ],
)
def test_default_working_days(school, day, working):
    assert calendar_for(school).is_working_day(day) is working


def test_working_periods_are_aware_local_and_empty_on_days_off(school):
    calendar = calendar_for(school)
    assert calendar.working_periods(datetime.date(2026, 11, 20)) == [
        (at(2026, 11, 20, 7), at(2026, 11, 20, 11, 30)),
        (at(2026, 11, 20, 13, 30), at(2026, 11, 20, 17)),
    ]
    assert calendar.working_periods(datetime.date(2026, 11, 24)) == []


def test_school_day_off_overrides_a_working_weekday(school):
    calendar = SchoolCalendar.objects.create(school=school)
    CalendarException.objects.create(
        calendar=calendar, date=datetime.date(2026, 11, 20), note="Ngày Nhà giáo"
    )
    assert calendar_for(school).is_working_day(datetime.date(2026, 11, 20)) is False


def test_add_working_days_zero_is_close_of_same_or_next_working_day(school):
    calendar = calendar_for(school)
    assert calendar.add_working_days(at(2026, 11, 20, 8), 0) == at(2026, 11, 20, 17)
    assert calendar.add_working_days(at(2026, 11, 21, 8), 0) == at(2026, 11, 23, 17)


def test_holidays_are_loaded_once_per_year(monkeypatch):
    calls = []
    real = deadlines.holidays.country_holidays

    def counting(*args, **kwargs):
        calls.append(kwargs.get("years"))
        return real(*args, **kwargs)

    monkeypatch.setattr(deadlines.holidays, "country_holidays", counting)
    calendar = WorkingCalendar()
    # Fri 25/12/2026 16:00 1h (39 left); Mon 28 to Thu 31 4 x 8h (7 left); Fri 1/1/2027
    # New Year; weekend; Mon 4/1 4.5h + 13:30 + 2.5h = 16:00. Two years, two loads.
    assert calendar.add_working_hours(at(2026, 12, 25, 16), 40) == at(2027, 1, 4, 16)
    calendar.is_working_day(datetime.date(2026, 1, 1))
    assert sorted(calls) == [2026, 2027]


# Bad input -------------------------------------------------------------------


def test_naive_datetimes_are_rejected(school):
    naive = datetime.datetime(2026, 11, 20, 16)
    with pytest.raises(ValueError, match="timezone-aware"):
        referral_due(school, naive)
    with pytest.raises(ValueError, match="timezone-aware"):
        plan_approval_due(school, naive)


def test_negative_amounts_are_rejected():
    calendar = WorkingCalendar()
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_hours(at(2026, 11, 20, 16), -1)
    with pytest.raises(ValueError, match="negative"):
        calendar.add_working_days(at(2026, 11, 20, 16), -1)


def test_hours_out_of_order_are_rejected():
    with pytest.raises(ValueError, match="in order"):
        WorkingCalendar(morning=(datetime.time(13, 0), datetime.time(11, 0)))
