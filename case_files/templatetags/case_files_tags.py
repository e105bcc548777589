"""The attachments section of the case page, worked out for the user who reads it."""

from __future__ import annotations

from django import template
from django.urls import reverse

from case_files.forms import AttachmentForm
from case_files.models import CaseAttachment
from case_files.permissions import can_delete_attachment, upload_refusal
from case_files.views import PREFIX
from forms_app.cases import policy
from forms_app.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def case_attachments(context, case: Case) -> dict:
    """What the section shows: the files, the upload form, or why no file can be added.

    Nothing at all for a user who may not read the case; the case page itself
    refuses such a user first, this is a second lock on the same door.
    """
    request = context.get("request")
    user = getattr(request, "user", None)
    if case is None or user is None or not policy.can_view_case(user, case):
        return {"visible": False}
    attachments = list(
        CaseAttachment.objects.filter(case=case).select_related("uploaded_by", "case__school")
    )
    refusal = upload_refusal(user, case)
    return {
        "visible": True,
        "attachments": attachments,
        "deletable": {a.pk for a in attachments if can_delete_attachment(user, a)},
        "refusal": refusal,
        "form": AttachmentForm(prefix=PREFIX) if refusal is None else None,
        "upload_url": reverse("case_files:upload", args=[case.pk]),
    }
