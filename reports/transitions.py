"""The only code that changes a report's state: submit, accept, return.

Each checks the policy again under a row lock, so two principals pressing Submit or a
district officer deciding while the school withdraws never leaves two versions or a
decision on the wrong version. Each writes an audit entry (a report is about the
school's work, not a child, but who sent and accepted what is part of the record).
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.log import record as audit_record
from audit.models import Action
from reports import policy
from reports.figures import compute_school_figures
from reports.models import SchoolReport, SchoolReportVersion


class ReportStateError(Exception):
    """Refused: the message says why, in the user's language."""


def _locked(report: SchoolReport) -> SchoolReport:
    return (
        SchoolReport.objects.select_for_update()
        .select_related("school", "period")
        .get(pk=report.pk)
    )


def submit(report: SchoolReport, user, *, request=None) -> SchoolReportVersion:
    """Freezes the figures and text as a new version and sends it to the district."""
    with transaction.atomic():
        report = _locked(report)
        if not policy.can_submit_report(user, report):
            raise ReportStateError(_("Only a principal of the school can submit this report now."))
        now = timezone.now()
        figures = compute_school_figures(report.school, report.period, as_of=now)
        report.version += 1
        version = SchoolReportVersion.objects.create(
            report=report,
            version=report.version,
            figures=figures,
            number=report.number,
            went_well=report.went_well,
            difficulties=report.difficulties,
            proposals=report.proposals,
            submitted_at=now,
            submitted_by=user,
        )
        report.state = SchoolReport.State.SUBMITTED
        report.submitted_at = now
        report.submitted_by = user
        report.decided_at = None
        report.decided_by = None
        report.save()
        audit_record(
            request,
            Action.CHANGE,
            school=report.school,
            target=f"report-submit:{report.pk}",
            detail=f"v{version.version}",
            user=user,
        )
    return version


def accept(report: SchoolReport, user, *, request=None) -> SchoolReport:
    """The district accepts the submitted version."""
    with transaction.atomic():
        report = _locked(report)
        if not policy.can_decide_report(user, report):
            raise ReportStateError(_("This report is not waiting for the district's decision."))
        report.state = SchoolReport.State.ACCEPTED
        report.decided_at = timezone.now()
        report.decided_by = user
        report.return_comment = ""
        report.save()
        audit_record(
            request,
            Action.CHANGE,
            school=report.school,
            target=f"report-accept:{report.pk}",
            user=user,
        )
    return report


def return_report(report: SchoolReport, user, comment: str, *, request=None) -> SchoolReport:
    """The district returns the submitted version with a comment; the school edits and
    submits again (a new version)."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportStateError(_("Say what the school should change."))
    with transaction.atomic():
        report = _locked(report)
        if not policy.can_decide_report(user, report):
            raise ReportStateError(_("This report is not waiting for the district's decision."))
        report.state = SchoolReport.State.RETURNED
        report.decided_at = timezone.now()
        report.decided_by = user
        report.return_comment = comment
        report.save()
        audit_record(
            request,
            Action.CHANGE,
            school=report.school,
            target=f"report-return:{report.pk}",
            user=user,
        )
    return report
