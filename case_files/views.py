"""Adding, downloading and removing a case's attachments.

Every view first finds the case or the attachment among those the user may
read (``forms_app.cases.policy``), so another school's file, like an unknown one,
is a 404 that confirms nothing; a read-only case or a removal by someone who is
not the principal is a 403 with the reason. Uploads and downloads are written
to the audit, after the permission check, so a refused request leaves no
"download" entry.

A download is always an attachment, named by the case reference and the file's
id (never the name it was uploaded with, which may name the child), with the
detected content type, ``nosniff``, no caching anywhere, and a CSP sandbox in
case a browser renders it anyway.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe
from wagtail.admin import messages

from audit import log as audit
from audit.models import Action
from case_files import storage, upload
from case_files.forms import AttachmentForm
from case_files.models import CaseAttachment
from case_files.permissions import (
    can_delete_attachment,
    get_attachment_or_404,
    upload_refusal,
)
from case_files.validation import CheckedFile
from forms_app.cases import policy
from forms_app.display import case_url
from forms_app.models import Case

__all__ = ["attach", "delete", "download", "upload_file"]

logger = logging.getLogger(__name__)

# The same prefix as the form on the case page, which posts here.
PREFIX = "attachment"
DOWNLOAD_CSP = "sandbox; default-src 'none'; frame-ancestors 'none'"


def attach(
    case: Case, user, checked: CheckedFile, *, kind: str, description: str, original_name: str
) -> CaseAttachment:
    """Store ``checked`` encrypted and record it as an attachment of ``case``."""
    blob = storage.write_blob(checked.data)
    try:
        with transaction.atomic():
            attachment = CaseAttachment(
                case=case,
                kind=kind,
                content_type=checked.content_type,
                extension=checked.extension,
                size=checked.size,
                sha256=checked.sha256,
                blob=blob,
                uploaded_by=user,
            )
            attachment.description = description
            attachment.original_name = original_name
            attachment.save()
    except BaseException:
        storage.delete_blob(blob)
        raise
    return attachment


def _case_page(case: Case) -> str:
    return case_url(case.pk) + "#attachments"


def _refused(request: HttpRequest, case: Case, reason: str) -> HttpResponse:
    context = {"case": case, "case_url": case_url(case.pk), "reason": reason}
    return TemplateResponse(request, "case_files/refused.html", context, status=403)


@csrf_exempt
@never_cache
def upload_file(request: HttpRequest, case_pk: int) -> HttpResponse:
    """Add a file to a case: the form (GET) and its submission (POST).

    CSRF is checked by :func:`_upload_file`, after the size-limiting upload
    handler is in place: the check reads the body, and the handler must be
    first to see it. The case is found (or refused) before the body is read.
    """
    case = policy.get_case_or_404(request.user, case_pk)
    reason = upload_refusal(request.user, case)
    if reason is not None:
        return _refused(request, case, reason)
    upload.install(request)
    return _upload_file(request, case)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload_file(request: HttpRequest, case: Case) -> HttpResponse:
    if request.method == "POST":
        form = AttachmentForm(request.POST, request.FILES, prefix=PREFIX)
        if form.is_valid():
            attachment = attach(
                case,
                request.user,
                form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                original_name=form.original_name,
            )
            audit.record(
                request,
                Action.UPLOAD,
                case=case,
                target=f"file:{attachment.pk}",
                detail=attachment.extension,
            )
            messages.success(request, gettext("The file has been attached to the case."))
            return redirect(_case_page(case))
    else:
        form = AttachmentForm(prefix=PREFIX)
    context = {"case": case, "case_url": case_url(case.pk), "form": form}
    return TemplateResponse(request, "case_files/upload.html", context)


@require_safe
@never_cache
def download(request: HttpRequest, pk: int) -> HttpResponse:
    """The decrypted file, to the users who may read its case, recorded in the audit."""
    attachment = get_attachment_or_404(request.user, pk)
    data = attachment.read()
    audit.record(request, Action.DOWNLOAD, case=attachment.case, target=f"file:{attachment.pk}")
    response = HttpResponse(data, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.download_name()
    )
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Content-Security-Policy"] = DOWNLOAD_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


@require_http_methods(["GET", "POST"])
@never_cache
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Remove an attachment: the principal's decision, on a case that is still open."""
    attachment = get_attachment_or_404(request.user, pk)
    case = attachment.case
    if not can_delete_attachment(request.user, attachment):
        reason = upload_refusal(request.user, case) or gettext(
            "Only the principal of the school may remove a file from a case."
        )
        return _refused(request, case, reason)
    if request.method == "POST":
        target = f"file:{attachment.pk}"
        with transaction.atomic():
            attachment.delete()
            audit.record(request, Action.DELETE, case=case, target=target)
        messages.success(request, gettext("The file has been removed from the case."))
        return redirect(_case_page(case))
    context = {"case": case, "case_url": case_url(case.pk), "attachment": attachment}
    return TemplateResponse(request, "case_files/delete.html", context)
