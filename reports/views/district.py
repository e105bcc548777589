"""The district officer's screens: the roll-up of a period (figures, each school's
state, trends, overdue work), one school's submitted version with Accept and Return,
and the roll-up as XLSX and PDF.

Only district officers reach them (``reports.policy.district_school_ids``); anyone
else, and any report of a school outside the officer's district, gets a 404. They
read only what ``reports.rollup`` reads (report states and dates, the frozen figures
of submitted versions, schools, periods, counts of overdue work), and every count
they show has passed small-number suppression.
"""

from __future__ import annotations

import datetime
import io

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from audit import log as audit_log
from audit.models import Action
from config.exports import XLSX_CONTENT_TYPE, download_response, safe_cell

# The PDF drawing (HTML in, PDF bytes out, bundled font and stylesheet only) lives
# with the case records' printing; it reads no record. See tests/reports/
# test_district_wall.py, which allows this one name.
from config.pdf import pdf_pages
from reports import policy, rollup, transitions
from reports.models import ReportingPeriod, SchoolReport
from schools.models import School

OVERVIEW_TEMPLATE = "reports/district/overview.html"
REPORT_TEMPLATE = "reports/district/report.html"
PDF_TEMPLATE = "reports/district/pdf.html"


def legend() -> str:
    """What "< 5" and "x" mean, under every table of counts."""
    return _(
        "“< 5”: from 1 to 4. “x”: 5 or more, hidden so that a small count cannot be "
        "worked out from the totals."
    )


# Who and which period ------------------------------------------------------------------


def officer_schools(user) -> list[School]:
    """The officer's schools; a 404 for anyone who is not a district officer."""
    if not policy.district_school_ids(user):
        raise Http404("No district.")
    return list(policy.district_schools(user).select_related("district"))


def chosen_period(request: HttpRequest) -> ReportingPeriod:
    """``?period=<id>`` if it names a period, else the one the district works on now."""
    wanted = request.GET.get("period", "")
    if wanted.isdigit():
        found = ReportingPeriod.objects.filter(pk=int(wanted)).first()
        if found is not None:
            return found
    return rollup.default_period()


def district_name(schools: list[School]) -> str:
    names = sorted({school.district.name for school in schools if school.district_id})
    return ", ".join(names)


def _export_name(period: ReportingPeriod, extension: str) -> str:
    kind = "hk1" if period.kind == ReportingPeriod.Kind.SEMESTER_1 else "nam-hoc"
    return f"tong-hop-{kind}-{period.school_year}-{period.school_year + 1}.{extension}"


# The overview ----------------------------------------------------------------------------


def overview_context(schools: list[School], period: ReportingPeriod) -> dict:
    statuses = rollup.school_statuses(schools, period)
    return {
        "period": period,
        "periods": list(ReportingPeriod.objects.order_by("-school_year", "kind")),
        "district_name": district_name(schools),
        "statuses": statuses,
        "status_counts": rollup.status_counts(statuses),
        "overdue_reports": sum(1 for status in statuses if status.overdue),
        "rollup": rollup.build_rollup(schools, period),
        "trend": rollup.trends(schools),
        "overdue": rollup.overdue_table(schools),
        "legend": legend(),
    }


@require_safe
@never_cache
def overview(request: HttpRequest) -> HttpResponse:
    """The roll-up of one period, each school's state, the trends and the overdue work."""
    schools = officer_schools(request.user)
    period = chosen_period(request)
    context = overview_context(schools, period)
    query = f"?period={period.pk}"
    context.update(
        xlsx_url=reverse("district:xlsx") + query,
        pdf_url=reverse("district:pdf") + query,
    )
    return TemplateResponse(request, OVERVIEW_TEMPLATE, context)


# One school's submitted version ------------------------------------------------------------


def _report_page(
    request: HttpRequest, report: SchoolReport, *, comment: str = "", error: str = ""
) -> TemplateResponse:
    version = report.versions.filter(version=report.version).first()
    if version is None:
        raise Http404("No submitted version.")
    shown = rollup.school_figures(version.figures or {})
    audit_log.record(request, Action.VIEW, school=report.school, target=f"report:{report.pk}")
    return TemplateResponse(
        request,
        REPORT_TEMPLATE,
        {
            "report": report,
            "school": report.school,
            "period": report.period,
            "version": version,
            "figures": shown,
            "can_decide": policy.can_decide_report(request.user, report),
            "comment": comment,
            "error": error,
            "back_url": reverse("district:overview") + f"?period={report.period_id}",
            "legend": legend(),
        },
        status=400 if error else 200,
    )


@require_safe
@never_cache
def report(request: HttpRequest, pk: int) -> HttpResponse:
    """A school's latest submitted version: figures (suppressed), the principal's text,
    and Accept / Return while it waits for the district."""
    found = policy.get_district_report_or_404(request.user, pk)
    return _report_page(request, found)


@require_POST
def accept(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_district_report_or_404(request.user, pk)
    try:
        transitions.accept(found, request.user, request=request)
    except transitions.ReportStateError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("The report of %(school)s is accepted.") % {"school": found.school.name}
        )
    return redirect("district:report", pk=found.pk)


@require_POST
def return_report(request: HttpRequest, pk: int) -> HttpResponse:
    found = policy.get_district_report_or_404(request.user, pk)
    comment = request.POST.get("comment", "")
    try:
        transitions.return_report(found, request.user, comment, request=request)
    except transitions.ReportStateError as error:
        if not policy.can_decide_report(request.user, found):
            messages.error(request, str(error))
            return redirect("district:report", pk=found.pk)
        # The comment is missing: the page again, with the message by the field.
        return _report_page(request, found, comment=comment, error=str(error))
    messages.success(
        request,
        _("The report of %(school)s is returned to the school with your comment.")
        % {"school": found.school.name},
    )
    return redirect("district:report", pk=found.pk)


# Exports -------------------------------------------------------------------------------------


def _export_tables(context: dict) -> list[rollup.ShownTable]:
    tables = [context["status_table"], *context["rollup"].all_tables()]
    if context["overdue"] is not None:
        tables.append(context["overdue"])
    return tables


def _status_table(statuses: list[rollup.SchoolStatus]) -> rollup.ShownTable:
    """Each school's state as a table (text only, for the exports)."""

    def day_text(value) -> str:
        if value is None:
            return ""
        if isinstance(value, datetime.datetime):
            value = timezone.localtime(value)
        return value.strftime("%d/%m/%Y")

    rows = []
    for status in statuses:
        state = status.label
        if status.overdue:
            state = _("%(state)s (overdue)") % {"state": state}
        rows.append(
            rollup.ShownRow(
                label=status.school.name,
                cells=[
                    rollup.suppression.Cell(text=state, hidden=False),
                    rollup.suppression.Cell(text=day_text(status.day), hidden=False),
                ],
            )
        )
    return rollup.ShownTable(
        key="statuses",
        title=_("Schools' reports"),
        headings=[_("School"), _("State"), _("Date")],
        rows=rows,
    )


def _export_context(request: HttpRequest) -> dict:
    schools = officer_schools(request.user)
    period = chosen_period(request)
    context = overview_context(schools, period)
    context["status_table"] = _status_table(context["statuses"])
    context["made_on"] = timezone.localdate().strftime("%d/%m/%Y")
    return context


def _number_or_text(cell: rollup.suppression.Cell):
    """A shown count as a number (so the district can add them up), "< 5" and "x" as text."""
    if not cell.hidden and cell.text.isdigit():
        return int(cell.text)
    return safe_cell(cell.text)


def rollup_workbook(context: dict) -> bytes:
    """The roll-up as a workbook: a sheet of district totals, then a sheet per table."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from reports.exports import sheet_title, text_cell

    bold = Font(bold=True)
    period = context["period"]
    workbook = Workbook()
    used: set[str] = set()
    sheet = workbook.active
    sheet.title = sheet_title(_("District totals"), used)
    sheet.append([text_cell(context["district_name"])])
    sheet.append([text_cell(period.label)])
    sheet.append([text_cell(context["legend"])])
    sheet.append([])
    sheet.append([text_cell(_("Indicator")), text_cell(_("District total"))])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for total in context["rollup"].totals:
        sheet.append([text_cell(total.label), _number_or_text(total.cell)])
    sheet.column_dimensions["A"].width = 60
    for table in _export_tables(context):
        sheet = workbook.create_sheet(sheet_title(table.title, used))
        sheet.append([text_cell(table.title)])
        sheet.append([text_cell(period.label)])
        sheet.append([])
        sheet.append([text_cell(heading) for heading in table.headings])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.all_rows:
            sheet.append([text_cell(row.label), *(_number_or_text(cell) for cell in row.cells)])
        if table.note:
            sheet.append([])
            sheet.append([text_cell(table.note)])
        sheet.column_dimensions["A"].width = 40
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@require_safe
@never_cache
def xlsx(request: HttpRequest) -> HttpResponse:
    """The roll-up's tables, suppressed, as a workbook."""
    context = _export_context(request)
    return download_response(
        rollup_workbook(context), XLSX_CONTENT_TYPE, _export_name(context["period"], "xlsx")
    )


@require_safe
@never_cache
def pdf(request: HttpRequest) -> HttpResponse:
    """The roll-up in a plain administrative layout, as a PDF."""
    context = _export_context(request)
    context["tables"] = _export_tables(context)
    html = render_to_string(PDF_TEMPLATE, context, request=request)
    return download_response(
        pdf_pages([html]), "application/pdf", _export_name(context["period"], "pdf")
    )
