"""The school's report screens: the list of its periods and reports, a report's page
(figures, charts, the principal's text, submitting), its print page, PDF and XLSX.

Every view asks :mod:`reports.policy` first: someone who is not a principal or
case worker of the report's school gets a 404 that confirms nothing. A draft's
figures are computed when it is shown; a submitted or accepted report shows the
figures frozen in its last version, which is what the district received. Each
view that shows figures writes to the access audit after the permission check.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views import View
from django.views.decorators.cache import never_cache

from audit import log as audit_log
from audit.models import Action
from config.exports import download_response
from config.pdf import pdf_pages
from forms_app.display import local_date, local_moment, person_name
from forms_app.printing import layout
from reports import display, exports, policy, transitions
from reports.figures import compute_school_figures
from reports.forms import CreateReportForm, ReportTextForm
from reports.models import ReportingPeriod, SchoolReport, SchoolReportVersion
from reports.periods import current_periods, periods_of_year

PRINT_TEMPLATE = "reports/print/report.html"

# The symbol of a school's report in its number ("Số: 15/BC-HB"): báo cáo, then the
# school's code. Symbols are Vietnamese in every interface language.
DOCUMENT_SYMBOL = "BC"


# What a report shows ------------------------------------------------------------------


def listed_periods(today: datetime.date | None = None) -> list[ReportingPeriod]:
    """The current school year's periods, then the previous year's."""
    current = current_periods(today)
    return current + periods_of_year(current[0].school_year - 1)


def last_version(report: SchoolReport) -> SchoolReportVersion | None:
    if report.version == 0:
        return None
    return report.versions.filter(version=report.version).select_related("submitted_by").first()


def shown_figures(report: SchoolReport) -> tuple[dict, SchoolReportVersion | None]:
    """The figures the report shows and the version they come from (None: live).

    While the school may still edit the report (draft, returned) its figures are
    computed now; once sent they are the frozen ones the district holds.
    """
    if not report.is_editable:
        version = last_version(report)
        if version is not None:
            return version.figures, version
    return compute_school_figures(report.school, report.period, as_of=timezone.now()), None


@dataclass
class Deadline:
    """How a period's due date stands for a report that is not yet sent."""

    days: int

    @property
    def overdue(self) -> bool:
        return self.days < 0

    @property
    def text(self) -> str:
        if self.days < 0:
            return _("%(days)s days overdue") % {"days": -self.days}
        if self.days == 0:
            return _("due today")
        return _("%(days)s days left") % {"days": self.days}


def deadline_of(period: ReportingPeriod, report: SchoolReport | None, today) -> Deadline | None:
    """Days left before the due date, while the report still has to be sent."""
    if report is not None and not report.is_editable:
        return None
    return Deadline(days=(period.due_on - today).days)


def report_number(report: SchoolReport, number: str) -> str:
    """ "Số: 15/BC-HB"; dots to write the number by hand while there is none."""
    shown = number.strip() or "……"
    return _("No. %(number)s") % {"number": f"{shown}/{DOCUMENT_SYMBOL}-{report.school.code}"}


def report_title(period: ReportingPeriod) -> str:
    """The line under "BÁO CÁO" naming what the report is about."""
    # The year with an en dash ("2026–2027"), as on every screen.
    year = {"year": period.school_year_label}
    if period.kind == ReportingPeriod.Kind.SEMESTER_1:
        return (
            _("Semester I review of school social work and counselling, school year %(year)s")
            % year
        )
    return _("Year-end review of school social work and counselling, school year %(year)s") % year


def texts_of(report: SchoolReport, version: SchoolReportVersion | None) -> dict:
    source = version if version is not None else report
    return {
        "number": source.number,
        "went_well": source.went_well,
        "difficulties": source.difficulties,
        "proposals": source.proposals,
    }


def figures_context(figures: dict, *, for_print: bool = False) -> dict:
    return {
        "indicators": display.indicators(figures),
        "tables": [
            {"table": table, "headings": display.column_headings(table)}
            for table in display.tables(figures, for_print=for_print)
        ],
        "as_of": figures.get("as_of", ""),
    }


def _as_of_text(figures: dict) -> str:
    value = figures.get("as_of") or ""
    try:
        return local_moment(datetime.datetime.fromisoformat(value))
    except (TypeError, ValueError):
        return ""


# The views ---------------------------------------------------------------------------


@method_decorator(never_cache, name="dispatch")
class SchoolReportView(View):
    """What every school report screen shares: the policy's gate before anything else."""

    model = SchoolReport

    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        self.school_ids = policy.report_school_ids(request.user)
        if not self.school_ids:
            raise Http404("No reports to show.")
        return super().dispatch(request, *args, **kwargs)


class ReportListView(SchoolReportView):
    """Each of the user's schools with the reports of this school year and the last."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest) -> HttpResponse:
        today = timezone.localdate()
        periods = listed_periods(today)
        schools = list(policy.report_schools(request.user).select_related("district"))
        reports = {
            (report.school_id, report.period_id): report
            for report in policy.reports_for(request.user).filter(
                period__in=[period.pk for period in periods]
            )
        }
        sections = []
        for school in schools:
            rows = []
            for period in periods:
                report = reports.get((school.pk, period.pk))
                rows.append(
                    {
                        "period": period,
                        "report": report,
                        "due": local_date(period.due_on),
                        "deadline": deadline_of(period, report, today),
                        "submitted": local_date(report.submitted_at) if report else "",
                    }
                )
            sections.append({"school": school, "rows": rows})
        return TemplateResponse(
            request,
            "reports/school/list.html",
            {"sections": sections, "several_schools": len(schools) > 1},
        )


class ReportCreateView(SchoolReportView):
    """Starts the report of a school for a period (or opens the one that exists)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest) -> HttpResponse:
        periods = listed_periods()
        form = CreateReportForm(
            request.POST, school_ids=self.school_ids, period_ids=[p.pk for p in periods]
        )
        if not form.is_valid():
            messages.error(request, _("This report cannot be started here."))
            return redirect("reports:list")
        report, created = SchoolReport.objects.get_or_create(
            school_id=form.cleaned_data["school"],
            period_id=form.cleaned_data["period"],
            defaults={"created_by": request.user},
        )
        if created:
            audit_log.record(
                request, Action.CREATE, school=report.school_id, target=f"report:{report.pk}"
            )
            messages.success(request, _("The report has been started as a draft."))
        return redirect("reports:detail", pk=report.pk)


class ReportDetailView(SchoolReportView):
    """A report's page: figures and charts, the text form while editable, versions."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        form = (
            ReportTextForm(instance=report)
            if policy.can_edit_report(request.user, report)
            else None
        )
        return self.render(request, report, form)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        if not policy.can_edit_report(request.user, report):
            messages.error(
                request,
                _("This report has been sent to the district and can no longer be changed."),
            )
            return redirect("reports:detail", pk=report.pk)
        form = ReportTextForm(request.POST, instance=report)
        if not form.is_valid():
            return self.render(request, report, form, status=400)
        form.save()
        audit_log.record(
            request, Action.CHANGE, school=report.school_id, target=f"report:{report.pk}"
        )
        messages.success(request, _("The report's text has been saved."))
        return redirect("reports:detail", pk=report.pk)

    def render(self, request, report, form, *, status: int = 200) -> HttpResponse:
        figures, version = shown_figures(report)
        audit_log.record(
            request, Action.VIEW, school=report.school_id, target=f"report:{report.pk}"
        )
        versions = [
            {
                "version": item.version,
                "submitted_at": local_moment(item.submitted_at),
                "submitted_by": person_name(item.submitted_by),
            }
            for item in report.versions.select_related("submitted_by").order_by("-version")
        ]
        context = {
            "report": report,
            "school": report.school,
            "period": report.period,
            "form": form,
            "texts": texts_of(report, version),
            "version": version,
            "versions": versions,
            "live": version is None,
            "as_of_text": _as_of_text(figures),
            "can_submit": policy.can_submit_report(request.user, report),
            "deadline": deadline_of(report.period, report, timezone.localdate()),
            "due": local_date(report.period.due_on),
            "submitted_at": local_moment(report.submitted_at),
            "decided_at": local_moment(report.decided_at),
            **figures_context(figures),
        }
        return TemplateResponse(request, "reports/school/detail.html", context, status=status)


class ReportSubmitView(SchoolReportView):
    """Submitting to the district: GET asks to confirm, POST freezes and sends."""

    http_method_names = ["get", "head", "post"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        if not policy.can_submit_report(request.user, report):
            messages.error(request, _("Only a principal of the school can submit this report now."))
            return redirect("reports:detail", pk=report.pk)
        return TemplateResponse(
            request,
            "reports/school/confirm_submit.html",
            {"report": report, "school": report.school, "period": report.period},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        try:
            version = transitions.submit(report, request.user, request=request)
        except transitions.ReportStateError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("Version %(version)s of the report has been sent to the district.")
                % {"version": version.version},
            )
        return redirect("reports:detail", pk=report.pk)


# Print, PDF and XLSX --------------------------------------------------------------------


def print_context(report: SchoolReport, *, for_pdf: bool) -> dict:
    """What the printed report needs: the official header, the figures and the text."""
    figures, version = shown_figures(report)
    texts = texts_of(report, version)
    school = report.school
    day = timezone.localdate(version.submitted_at) if version is not None else timezone.localdate()
    district = school.district
    signer = version.submitted_by if version is not None else None
    return {
        "report": report,
        "school": school,
        "period": report.period,
        "draft": version is None,
        "version": version,
        "issuing_body": layout.issuing_body(school),
        "number": report_number(report, texts["number"]),
        "place_and_date": layout.place_and_date(school, day),
        "title": report_title(report.period),
        # Without a district set, dots leave its name to be written by hand.
        "recipient": district.name if district is not None else _("District education office …………"),
        "texts": texts,
        "signer_role": pgettext("signature", "Principal"),
        "signer_name": person_name(signer),
        "as_of_text": _as_of_text(figures),
        "for_pdf": for_pdf,
        **figures_context(figures, for_print=True),
    }


def render_print(request: HttpRequest | None, report: SchoolReport, *, for_pdf: bool) -> str:
    context = print_context(report, for_pdf=for_pdf)
    if not for_pdf:
        context.update(
            back_url=reverse("reports:detail", args=[report.pk]),
            pdf_url=reverse("reports:pdf", args=[report.pk]),
        )
    return render_to_string(PRINT_TEMPLATE, context, request=request)


class ReportPrintView(SchoolReportView):
    """The report in the administrative layout, ready for the browser's Print."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        response = HttpResponse(render_print(request, report, for_pdf=False))
        audit_log.record(
            request, Action.PRINT, school=report.school_id, target=f"report-print:{report.pk}"
        )
        return response


class ReportPdfView(SchoolReportView):
    """The printed report as a PDF, drawn by the case area's print machinery."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        content = pdf_pages([render_print(request, report, for_pdf=True)])
        audit_log.record(
            request, Action.PDF, school=report.school_id, target=f"report-pdf:{report.pk}"
        )
        return download_response(content, "application/pdf", exports.report_filename(report, "pdf"))


class ReportXlsxView(SchoolReportView):
    """The report's figures as a workbook: indicators, then one sheet per table."""

    http_method_names = ["get", "head"]

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        report = policy.get_report_or_404(request.user, pk)
        figures, _version = shown_figures(report)
        response = exports.xlsx_response(report, figures)
        audit_log.record(
            request, Action.EXPORT, school=report.school_id, target=f"report-xlsx:{report.pk}"
        )
        return response
