"""Who reads, writes, submits and decides on reports: object checks paired with
querysets, as elsewhere.

- A school's principals and counselling team (case workers) read its reports and write
  a draft; only a principal submits, since the report goes out under the principal's
  signature.
- A district officer (a DISTRICT_OFFICER membership at a school) reads the submitted
  versions of those schools and accepts or returns them. The district never reads a
  draft, a case or a log entry.
Anything else answers 404.
"""

from django.db.models import QuerySet
from django.http import Http404

from reports.models import SchoolReport
from schools.models import School
from schools.roles import Role, school_roles

SCHOOL_REPORT_ROLES: frozenset[str] = frozenset({Role.PRINCIPAL, Role.CASE_WORKER})


def _ids_with(user, roles: frozenset[str]) -> frozenset[int]:
    return frozenset(school_id for school_id, held in school_roles(user).items() if held & roles)


def report_school_ids(user) -> frozenset[int]:
    """Schools whose own reports ``user`` reads and drafts."""
    return _ids_with(user, SCHOOL_REPORT_ROLES)


def principal_school_ids(user) -> frozenset[int]:
    """Schools whose reports ``user`` may submit."""
    return _ids_with(user, frozenset({Role.PRINCIPAL}))


def district_school_ids(user) -> frozenset[int]:
    """Schools whose submitted reports and figures ``user`` sees as a district officer."""
    return _ids_with(user, frozenset({Role.DISTRICT_OFFICER}))


def report_schools(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=sorted(report_school_ids(user))).order_by("name")


def district_schools(user) -> QuerySet[School]:
    return School.objects.filter(pk__in=sorted(district_school_ids(user))).order_by("name")


def reports_for(user) -> QuerySet[SchoolReport]:
    """The reports ``user`` reads as the school (drafts included)."""
    ids = report_school_ids(user)
    if not ids:
        return SchoolReport.objects.none()
    return SchoolReport.objects.filter(school_id__in=sorted(ids))


def can_view_report(user, report: SchoolReport) -> bool:
    return report.school_id in report_school_ids(user)


def can_edit_report(user, report: SchoolReport) -> bool:
    return can_view_report(user, report) and report.is_editable


def can_submit_report(user, report: SchoolReport) -> bool:
    return report.school_id in principal_school_ids(user) and report.is_editable


def get_report_or_404(user, pk: int | str) -> SchoolReport:
    try:
        return reports_for(user).select_related("school", "period").get(pk=pk)
    except (SchoolReport.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No report matches the given query.") from error


def district_reports_for(user) -> QuerySet[SchoolReport]:
    """The reports a district officer sees: submitted at least once, of their schools."""
    ids = district_school_ids(user)
    if not ids:
        return SchoolReport.objects.none()
    return SchoolReport.objects.filter(school_id__in=sorted(ids), version__gt=0)


def can_decide_report(user, report: SchoolReport) -> bool:
    return (
        report.school_id in district_school_ids(user)
        and report.state == SchoolReport.State.SUBMITTED
    )


def get_district_report_or_404(user, pk: int | str) -> SchoolReport:
    try:
        return district_reports_for(user).select_related("school", "period").get(pk=pk)
    except (SchoolReport.DoesNotExist, ValueError, TypeError) as error:
        raise Http404("No report matches the given query.") from error
