"""The print page and the PDF of a record (Mẫu 01–04).

Both only read: they change nothing and leave nothing in the case's timeline
(reading a record is not a step of the procedure), but each print and PDF is
written to the access audit once the record was found readable. A record is
found only among the cases the user may read, so a record of another school's
case, like an unknown template or record, is a 404 that confirms nothing. A user
with no case role at all (an editor, an administrator) reads no case, and gets the
same 404, as for every object of the case area.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_variables
from django.views.decorators.http import require_safe

from audit import log as audit_log
from audit.models import Action
from forms_app.cases import policy
from forms_app.models.records import CaseRecord
from forms_app.printing import bundle, layout

__all__ = ["case_bundle_pdf", "get_record_or_404", "record_pdf", "record_print"]


def get_record_or_404(user, template: str, pk: int) -> CaseRecord:
    """Record ``pk`` of template ``template`` ("01"–"04") if ``user`` may read its case."""
    model = layout.RECORD_MODELS.get(template)
    if model is None:
        raise Http404("No such template.")
    return get_object_or_404(
        model.objects.select_related("case__school__district", "author"),
        pk=pk,
        case__in=policy.cases_for(user),
    )


def _audit_target(template: str, record: CaseRecord) -> str:
    """How the audit names a record: "mau-01:12" (template code and id), never its content."""
    return f"mau-{template}:{record.pk}"


@require_safe
@never_cache
@sensitive_variables()
def record_print(request: HttpRequest, template: str, pk: int) -> HttpResponse:
    """The record in the official A4 layout, with a Print button and a link to its PDF."""
    record = get_record_or_404(request.user, template, pk)
    response = HttpResponse(layout.render_html(request, template, record))
    target = _audit_target(template, record)
    audit_log.record(request, Action.PRINT, case=record.case, target=target)
    return response


@require_safe
@never_cache
@sensitive_variables()
def record_pdf(request: HttpRequest, template: str, pk: int) -> HttpResponse:
    """The record as a PDF download, named by the case reference and the form only."""
    record = get_record_or_404(request.user, template, pk)
    response = HttpResponse(
        layout.render_pdf(request, template, record), content_type="application/pdf"
    )
    audit_log.record(request, Action.PDF, case=record.case, target=_audit_target(template, record))
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=layout.pdf_filename(template, record)
    )
    # A child's record stays out of every cache, the browser's included.
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_safe
@never_cache
@sensitive_variables()
def case_bundle_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """The whole case (cover and every record) as one PDF download, named by its reference."""
    case = policy.get_case_or_404(request.user, pk)
    response = HttpResponse(bundle.render_bundle(request, case), content_type="application/pdf")
    audit_log.record(request, Action.PDF, case=case, target="bundle")
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=bundle.bundle_filename(case)
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
