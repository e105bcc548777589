"""Who may read, add and remove a case's attachments, on top of ``forms_app.cases.policy``.

Reading follows the case: whoever may read the case (its school's case workers
and principal) may read its files, and nobody else, whatever their other roles.
Adding follows changing: a closed case is a record and an archived one is
waiting for the retention rules, so neither takes new files. Removing evidence
is the principal's decision alone, on a case that is still open.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from case_files.models import CaseAttachment
from forms_app.cases import policy
from forms_app.models import Case

__all__ = [
    "attachments_for",
    "can_delete_attachment",
    "can_upload",
    "get_attachment_or_404",
    "upload_refusal",
]


def attachments_for(user) -> QuerySet[CaseAttachment]:
    """The attachments of the cases ``user`` may read."""
    return CaseAttachment.objects.filter(case__in=policy.cases_for(user))


def get_attachment_or_404(user, pk: int) -> CaseAttachment:
    """Attachment ``pk`` if ``user`` may read its case; otherwise the same 404 as for a case."""
    return get_object_or_404(
        attachments_for(user).select_related("case__school", "uploaded_by"), pk=pk
    )


def upload_refusal(user, case: Case) -> str | None:
    """Why ``user`` may not add a file to ``case`` (which they may read), or None if they may."""
    if case.archived_at is not None:
        return str(_("This case is archived: its files can be read, but no file can be added."))
    if not policy.can_change_case(user, case):
        return str(_("This case is closed: its files can be read, but no file can be added."))
    return None


def can_upload(user, case: Case) -> bool:
    return policy.can_view_case(user, case) and upload_refusal(user, case) is None


def can_delete_attachment(user, attachment: CaseAttachment) -> bool:
    case = attachment.case
    return can_upload(user, case) and policy.is_principal(user, case.school)
