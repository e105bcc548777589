"""The print page and the PDF of a record (Mẫu 01–04).

Both only read: they change nothing and record nothing (reading a record is not
a step of the procedure, so it has no place in the case's timeline). A record is
found only among the cases the user may read, so a record of another school's
case, like an unknown template or record, is a 404 that confirms nothing. A user
with no case role at all (an editor, an administrator) reads no case, and gets the
same 404, as for every object of the case area.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import content_disposition_header
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from forms_app import permissions, printing
from forms_app.models.records import CaseRecord

__all__ = ["get_record_or_404", "record_pdf", "record_print"]


def get_record_or_404(user, template: str, pk: int) -> CaseRecord:
    """Record ``pk`` of template ``template`` ("01"–"04") if ``user`` may read its case."""
    model = printing.RECORD_MODELS.get(template)
    if model is None:
        raise Http404("No such template.")
    return get_object_or_404(
        model.objects.select_related("case__school__district", "author"),
        pk=pk,
        case__in=permissions.cases_for(user),
    )


@require_safe
@never_cache
def record_print(request: HttpRequest, template: str, pk: int) -> HttpResponse:
    """The record in the official A4 layout, with a Print button and a link to its PDF."""
    record = get_record_or_404(request.user, template, pk)
    return HttpResponse(printing.render_html(request, template, record))


@require_safe
@never_cache
def record_pdf(request: HttpRequest, template: str, pk: int) -> HttpResponse:
    """The record as a PDF download, named by the case reference and the form only."""
    record = get_record_or_404(request.user, template, pk)
    response = HttpResponse(
        printing.render_pdf(request, template, record), content_type="application/pdf"
    )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=printing.pdf_filename(template, record)
    )
    # A child's record stays out of every cache, the browser's included.
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    return response
