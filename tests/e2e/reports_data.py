"""Data for the reports' browser test: a district of two schools, the school's
counselling team, principal and district officer, and half a semester of the log.

Built once for the module's one test (a transactional test's database is flushed
after it, so a wider scope would only hide that).
"""

import datetime
from dataclasses import dataclass

import pytest
from django.utils import timezone

from counselling.models import Activity, CounsellingArea, CounsellingEntry, CountGender
from reports.models import ReportingPeriod
from reports.periods import period, school_year_of
from schools.models import District, School
from schools.roles import Role
from tests.e2e.test_case_area import staff

# What the school had logged before the test's session: (content area, form, grade, gender).
EARLIER_ENTRIES = [
    ("Học tập", CounsellingEntry.Form.INDIVIDUAL, 6, CountGender.MALE),
    ("Học tập", CounsellingEntry.Form.INDIVIDUAL, 7, CountGender.FEMALE),
    ("Học tập", CounsellingEntry.Form.ONLINE, 9, CountGender.UNKNOWN),
    ("Học tập", CounsellingEntry.Form.PHONE, 8, CountGender.FEMALE),
    ("Kỹ năng sống", CounsellingEntry.Form.INDIVIDUAL, 8, CountGender.MALE),
    ("Kỹ năng sống", CounsellingEntry.Form.INDIVIDUAL, 9, CountGender.FEMALE),
]
ACTIVITY_TITLE = "Nói chuyện chuyên đề phòng chống bắt nạt học đường"


@dataclass
class ReportsWorld:
    school: School
    other_school: School
    semester: ReportingPeriod
    session_day: datetime.date  # a day of semester I, not in the future


@pytest.fixture
def reports_world(school) -> ReportsWorld:
    """The school of ``tests.e2e.test_case_area.school`` (TN), put in a district with a
    second school (which sends nothing), and its people and earlier log."""
    district = District.objects.create(
        name="Phòng Giáo dục và Đào tạo huyện Thử Nghiệm", code="PGDTN"
    )
    school.district = district
    school.place_name = "Hòa Bản"
    school.save()
    other = School.objects.create(
        code="BL",
        name="Trường Tiểu học Bản Lướt",
        level=School.Level.PRIMARY,
        district=district,
    )
    staff("ctxh.tn", Role.CASE_WORKER, school)
    staff("hieutruong.tn", Role.PRINCIPAL, school)
    officer = staff("pgd.canbo", Role.DISTRICT_OFFICER, school)
    officer.school_memberships.create(school=other, role=Role.DISTRICT_OFFICER)

    today = timezone.localdate()
    semester = period(school_year_of(today), ReportingPeriod.Kind.SEMESTER_1)
    last_day = min(today, semester.ends_on)
    areas = {area.name: area for area in CounsellingArea.objects.all()}
    for number, (area, form, grade, gender) in enumerate(EARLIER_ENTRIES):
        CounsellingEntry.objects.create(
            school=school,
            held_on=max(semester.starts_on, last_day - datetime.timedelta(days=30 + number)),
            form=form,
            area=areas[area],
            grade=grade,
            gender=gender,
            participants=1,
        )
    Activity.objects.create(
        school=school,
        title=ACTIVITY_TITLE,
        held_on=max(semester.starts_on, last_day - datetime.timedelta(days=20)),
        audience=Activity.Audience.STUDENTS,
        participants=240,
        area=areas["Giới và quan hệ xã hội"],
    )
    return ReportsWorld(school=school, other_school=other, semester=semester, session_day=last_day)
