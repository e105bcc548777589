"""Fictitious school reports for the demo schools, so the school's and the district's
screens show every state.

- HB, previous school year: semester I submitted in January and accepted by the
  district; the year report submitted in May, waiting for the district.
- Current school year, semester I: HB a draft with its text begun; SM submitted.

Reports sent in the past are frozen with the figures as of their sending day and
dated then, which ``reports.transitions.submit`` (always "now", with its audit entry)
cannot do, so this module writes those versions itself; the current one goes through
``submit``. Safe to run again: a report that exists is left as it is.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from reports import transitions
from reports.figures import compute_school_figures
from reports.models import ReportingPeriod, SchoolReport, SchoolReportVersion
from reports.periods import period, school_year_of
from schools.models import Membership, School
from schools.roles import Role

SEMESTER = ReportingPeriod.Kind.SEMESTER_1
YEAR = ReportingPeriod.Kind.YEAR

TEXTS = {
    "HB": {
        "went_well": (
            "Tổ tư vấn trực phòng tư vấn vào giờ ra chơi các ngày trong tuần; học sinh chủ "
            "động tìm đến nhiều hơn so với năm học trước.\n"
            "Phối hợp tốt với giáo viên chủ nhiệm trong việc phát hiện sớm học sinh gặp khó "
            "khăn; các vụ việc được tiếp nhận và chuyển gửi đúng thời hạn."
        ),
        "difficulties": (
            "Nhà trường chưa có phòng tư vấn riêng, còn dùng chung với phòng thiết bị.\n"
            "Cán bộ làm công tác tư vấn kiêm nhiệm, thời gian dành cho tư vấn cá nhân còn hạn chế."
        ),
        "proposals": (
            "Đề nghị Phòng GD&ĐT tổ chức tập huấn kỹ năng tư vấn tâm lý cho giáo viên kiêm "
            "nhiệm trong học kỳ II.\n"
            "Đề nghị hỗ trợ tài liệu truyền thông về phòng chống bắt nạt học đường."
        ),
    },
    "SM": {
        "went_well": (
            "Tổ chức tuần sinh hoạt công dân đầu năm và câu lạc bộ Kỹ năng sống hằng tháng, "
            "thu hút đông đảo học sinh tham gia.\n"
            "Ứng dụng sổ theo dõi tư vấn giúp tổng hợp số liệu nhanh, chính xác."
        ),
        "difficulties": (
            "Địa bàn rộng, một số học sinh ở xa nên khó tham gia hoạt động ngoài giờ.\n"
            "Phụ huynh còn ngại trao đổi với nhà trường về các vấn đề tâm lý của con."
        ),
        "proposals": (
            "Đề nghị Phòng GD&ĐT phối hợp với Trạm Y tế xã tổ chức buổi nói chuyện về sức "
            "khỏe tâm thần cho học sinh và phụ huynh."
        ),
    },
}


def _moment(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime(
        day.year, day.month, day.day, hour, tzinfo=ZoneInfo(settings.TIME_ZONE)
    )


def _member(school: School, role: str):
    membership = (
        Membership.objects.filter(school=school, role=role, user__is_active=True)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return membership.user if membership else None


def _sent_then(report: SchoolReport, user, when: datetime.datetime) -> None:
    """Freeze ``report`` as version 1, sent at ``when`` with the figures as of then."""
    report.version = 1
    SchoolReportVersion.objects.create(
        report=report,
        version=1,
        figures=compute_school_figures(report.school, report.period, as_of=when),
        number=report.number,
        went_well=report.went_well,
        difficulties=report.difficulties,
        proposals=report.proposals,
        submitted_at=when,
        submitted_by=user,
    )
    report.state = SchoolReport.State.SUBMITTED
    report.submitted_at = when
    report.submitted_by = user
    report.save()


def _new_report(school: School, reporting_period: ReportingPeriod, number: str, principal):
    """The report of ``school`` for the period, with the demo text, or None if it exists."""
    if SchoolReport.objects.filter(school=school, period=reporting_period).exists():
        return None
    return SchoolReport.objects.create(
        school=school,
        period=reporting_period,
        number=number,
        created_by=principal,
        **TEXTS[school.code],
    )


@transaction.atomic
def load_demo_reports(today: datetime.date | None = None) -> int:
    """Create the demo reports that are missing; return how many were created."""
    today = today or timezone.localdate()
    current = school_year_of(today)
    previous = current - 1
    schools = {school.code: school for school in School.objects.filter(code__in=TEXTS)}
    officer = None
    created = 0

    hb = schools.get("HB")
    if hb is not None:
        principal = _member(hb, Role.PRINCIPAL)
        officer = _member(hb, Role.DISTRICT_OFFICER)
        report = _new_report(hb, period(previous, SEMESTER), "08", principal)
        if report is not None:
            _sent_then(report, principal, _moment(datetime.date(previous + 1, 1, 13), 9))
            if officer is not None:
                report.state = SchoolReport.State.ACCEPTED
                report.decided_at = _moment(datetime.date(previous + 1, 1, 16), 10)
                report.decided_by = officer
                report.save()
            created += 1
        report = _new_report(hb, period(previous, YEAR), "35", principal)
        if report is not None:
            _sent_then(report, principal, _moment(datetime.date(previous + 1, 5, 12), 15))
            created += 1
        report = _new_report(hb, period(current, SEMESTER), "", principal)
        if report is not None:
            # A draft still being written: the proposals are not there yet.
            report.proposals = ""
            report.save(update_fields=["proposals"])
            created += 1

    sm = schools.get("SM")
    if sm is not None:
        principal = _member(sm, Role.PRINCIPAL)
        report = _new_report(sm, period(current, SEMESTER), "12", principal)
        if report is not None:
            if principal is not None:
                transitions.submit(report, principal)
            created += 1
    return created
