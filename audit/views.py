"""The principal's screens on the access audit: one case's trail, the school report, its export.

Permission is decided on the server by :mod:`audit.access` for the school at
hand: anybody else gets a 404 (for a case's trail, the same answer as for a case
that does not exist, so nothing is confirmed). The screens show what the entries
hold (when, who, what, the case reference, from which address) and never load
a case's content: not even the case page's title, which is the reference.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from audit.access import audit_school_ids, can_read_audit
from audit.chain import verify_since_anchor
from audit.forms import ReportFilterForm
from audit.log import record_counts
from audit.models import Action, AuditEntry
from config.exports import csv_response, xlsx_response
from schools.models import School

__all__ = ["case_trail", "report", "report_export"]

PER_PAGE = 50
EXPORT_FORMATS = ("csv", "xlsx")


def _page(request: HttpRequest, queryset: QuerySet[AuditEntry]):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("p"))


def _case_school_id(case_pk: int) -> int | None:
    """The school of case ``case_pk``: from the case, or from its entries once it is deleted."""
    # Imported here: the audit is written by forms_app and must import without it.
    from forms_app.models import Case

    school_id = Case.objects.filter(pk=case_pk).values_list("school_id", flat=True).first()
    if school_id is None:
        school_id = (
            AuditEntry.objects.filter(case_id_value=case_pk, school_id_value__isnull=False)
            .values_list("school_id_value", flat=True)
            .first()
        )
    return school_id


@require_safe
@never_cache
def case_trail(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Every entry about one case, newest first: who, when, what, from where."""
    school_id = _case_school_id(case_pk)
    if school_id is None or not can_read_audit(request.user, school_id):
        raise Http404("No case matches the given query.")
    entries = AuditEntry.objects.filter(case_id_value=case_pk, school_id_value=school_id)
    reference = entries.exclude(case_reference="").values_list("case_reference", flat=True).first()
    return TemplateResponse(
        request,
        "audit/trail.html",
        {
            "page": _page(request, entries.order_by("-pk")),
            "reference": reference or f"#{case_pk}",
            "case_url": _case_url(case_pk),
        },
    )


def _case_url(case_pk: int) -> str | None:
    try:
        return reverse("forms_app_case_modeladmin_inspect", args=[case_pk])
    except NoReverseMatch:
        return None


def _report_entries(request: HttpRequest) -> tuple[ReportFilterForm, QuerySet[AuditEntry]]:
    school_ids = audit_school_ids(request.user)
    if not school_ids:
        raise Http404("No audit to show.")
    form = ReportFilterForm(request.GET or None, school_ids=school_ids)
    entries = form.filter(AuditEntry.objects.filter(school_id_value__in=school_ids))
    return form, entries


@require_safe
@never_cache
def report(request: HttpRequest) -> HttpResponse:
    """All entries of the user's school(s), filtered, paginated, with the chain's status.

    The status line counts the entries of the reader's school(s) only, and shows
    the latest anchor kept outside the database (time, entry id, hash) so that
    a principal can copy it to paper: a later rewrite of the log would not match.
    """
    form, entries = _report_entries(request)
    query = request.GET.copy()
    query.pop("p", None)
    chain = verify_since_anchor()
    return TemplateResponse(
        request,
        "audit/report.html",
        {
            "form": form,
            "page": _page(request, entries.order_by("-pk")),
            "chain": chain,
            # The whole chain is verified (one break makes everything after it
            # doubtful), but the figure shown is the reader's own schools' entries.
            "chain_checked": chain.checked_for(audit_school_ids(request.user)),
            "anchor": chain.latest_anchor,
            "query": query.urlencode(),
            "export_links": [
                (fmt.upper(), reverse("audit:report_export", args=[fmt])) for fmt in EXPORT_FORMATS
            ],
        },
    )


def _rows(entries: QuerySet[AuditEntry]) -> Iterator[list]:
    schools = dict(School.objects.values_list("pk", "name"))
    for entry in entries.iterator(chunk_size=2000):
        yield [
            timezone.localtime(entry.at).strftime("%d/%m/%Y %H:%M:%S"),
            entry.actor_username,
            entry.get_action_display(),
            entry.case_reference,
            entry.target,
            entry.detail,
            entry.ip_address or "",
            schools.get(entry.school_id_value, ""),
        ]


@require_safe
@never_cache
def report_export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The filtered report as CSV or XLSX; the export is itself written to the audit."""
    if fmt not in EXPORT_FORMATS:
        raise Http404("No such format.")
    form, entries = _report_entries(request)
    # Fixed before the export's own entry is written, so the file holds what was counted.
    last_pk = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    entries = entries.filter(pk__lte=last_pk).order_by("pk")
    counts = dict(
        entries.order_by()
        .values("school_id_value")
        .annotate(n=Count("pk"))
        .values_list("school_id_value", "n")
    )
    selected = form.cleaned_data.get("school") if form.is_valid() else None
    for school_id in [selected] if selected else audit_school_ids(request.user):
        counts.setdefault(school_id, 0)
    # One entry per school exported, so each school's report shows its own exports.
    record_counts(request, Action.EXPORT, counts, target=f"audit-report:{fmt}", label="rows")
    header = [
        _("When"),
        _("User"),
        _("Action"),
        _("Case"),
        _("What"),
        _("Detail"),
        _("From address"),
        _("School"),
    ]
    filename = f"nhat-ky-truy-cap-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, header, _rows(entries))
    return xlsx_response(filename, header, _rows(entries), title=_("Access log"))
