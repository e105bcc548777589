"""How long a child's case is kept: archiving closed cases, then anonymising or deleting them.

A child's protection file must stay within reach while it can still matter, and
no longer. The periods come from settings (environment variables of the same
name), because each school follows its own records rules:

* ``CASE_ARCHIVE_AFTER_DAYS`` (default 365): a case closed this long ago is
  archived. An archived case is read-only (:func:`is_archived`): it stays for the
  paper trail, no longer for work.
* ``CASE_PURGE_AFTER_DAYS`` (default 5 × 365, counted from archiving): an
  archived case this old is purged.
* ``CASE_PURGE_MODE``: ``"anonymise"`` (default) blanks everything that identifies
  the child or tells their story and keeps the reference, the school, the dates,
  the categories and the states, so the yearly figures do not change; ``"delete"``
  removes the case and everything hanging off it.

The closing time is read from the case's timeline (the last ``CaseEvent`` moving
it to "closed"), the one place that records it; a closed case without such a line
is left alone. Every archive and purge writes an audit entry before it acts, and
the entry names the case by id and reference, not by foreign key, so it outlives
the deletion. Nothing here writes any case content to the audit or the output.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models, transaction
from django.db.models import Max, OuterRef, Subquery
from django.utils import timezone

from audit.log import record
from audit.models import Action, AuditEntry
from config.locks import single_run
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    Referral,
    Review,
    WizardDraft,
)

__all__ = [
    "MODE_ANONYMISE",
    "MODE_DELETE",
    "Outcome",
    "anonymise_case",
    "archive_after",
    "archive_closed_cases",
    "attachment_model",
    "cases_due_for_archiving",
    "cases_due_for_purge",
    "delete_case",
    "is_anonymised",
    "is_archived",
    "purge_after",
    "purge_archived_cases",
    "purge_mode",
]

MODE_ANONYMISE = "anonymise"
MODE_DELETE = "delete"
MODES = (MODE_ANONYMISE, MODE_DELETE)
AUDIT_DETAIL = "retention"
# Archiving and purging, one run at a time across the nodes (config.locks).
RETENTION_LOCK = "case_retention"

# Every record of a case: their ``answers`` hold the child's story.
RECORD_MODELS: tuple[type[models.Model], ...] = (
    IntakeReport,
    Assessment,
    InterventionPlan,
    Review,
    Referral,
)
# Case columns that name or place the child. Gender and the age estimate stay:
# with the school and the year they are what the statistics count, and they do
# not single a child out once the name, birth date and class are gone.
IDENTIFYING_CASE_FIELDS = ("learner_name", "learner_birth_date", "learner_class")


@dataclass
class Outcome:
    """What a retention run did (or, on a dry run, would do): references only."""

    dry_run: bool
    done: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


# Settings ----------------------------------------------------------------------


def archive_after() -> datetime.timedelta:
    """How long after closing a case is archived."""
    return datetime.timedelta(days=int(settings.CASE_ARCHIVE_AFTER_DAYS))


def purge_after() -> datetime.timedelta:
    """How long after archiving a case is anonymised or deleted."""
    return datetime.timedelta(days=int(settings.CASE_PURGE_AFTER_DAYS))


def purge_mode(mode: str | None = None) -> str:
    """``mode`` or the configured ``CASE_PURGE_MODE``, refused when it is neither known mode.

    A typo must stop the run rather than fall back to one of the two, which
    could delete what the school meant to keep.
    """
    chosen = mode or getattr(settings, "CASE_PURGE_MODE", MODE_ANONYMISE)
    if chosen not in MODES:
        raise ImproperlyConfigured(
            f"CASE_PURGE_MODE must be one of {', '.join(MODES)}, not {chosen!r}."
        )
    return chosen


# Questions ----------------------------------------------------------------------


def is_archived(case: Case) -> bool:
    """Whether ``case`` is archived, and so read-only: no record, decision or edit."""
    return case.archived_at is not None


def is_anonymised(case: Case) -> bool:
    """Whether ``case`` was anonymised already (the audit keeps that fact, not the case)."""
    return AuditEntry.objects.filter(case_id_value=case.pk, action=Action.ANONYMISE).exists()


def _closed_at() -> Subquery:
    closing = (
        CaseEvent.objects.filter(
            case=OuterRef("pk"), kind=CaseEvent.Kind.TRANSITION, to_state=CaseState.CLOSED
        )
        .order_by()
        .values("case")
        .annotate(last=Max("at"))
        .values("last")
    )
    return Subquery(closing, output_field=models.DateTimeField())


def cases_due_for_archiving(now: datetime.datetime | None = None) -> models.QuerySet[Case]:
    """Closed, not yet archived cases whose closing is older than the archiving period."""
    cutoff = (now or timezone.now()) - archive_after()
    return (
        Case.objects.filter(state=CaseState.CLOSED, archived_at__isnull=True)
        .annotate(closed_at=_closed_at())
        .filter(closed_at__isnull=False, closed_at__lte=cutoff)
        .select_related("school")
        .order_by("closed_at", "pk")
    )


def cases_due_for_purge(
    now: datetime.datetime | None = None, mode: str | None = None
) -> models.QuerySet[Case]:
    """Archived cases older than the purge period; anonymised ones only when deleting."""
    cutoff = (now or timezone.now()) - purge_after()
    cases = Case.objects.filter(archived_at__isnull=False, archived_at__lte=cutoff)
    if purge_mode(mode) == MODE_ANONYMISE:
        done = AuditEntry.objects.filter(action=Action.ANONYMISE, case_id_value__isnull=False)
        cases = cases.exclude(pk__in=done.values("case_id_value"))
    return cases.select_related("school").order_by("archived_at", "pk")


# Attachments (the case_files app, when it is installed) ------------------------------


def attachment_model() -> type[models.Model] | None:
    """``case_files.CaseAttachment`` if that app provides it, else None.

    Looked up by name, not imported, so retention works before and without it.
    """
    try:
        return apps.get_model("case_files", "CaseAttachment")
    except LookupError:
        return None


def _delete_attachments(case: Case) -> None:
    """Delete the case's attachments: the rows now, their files once the transaction commits.

    Removing files only after the commit means a failed run never leaves rows
    pointing at files already gone.
    """
    model = attachment_model()
    if model is None:
        return
    file_fields = [f for f in model._meta.get_fields() if isinstance(f, models.FileField)]
    attachments = list(model.objects.filter(case=case))
    files = [
        (f.storage, getattr(attachment, f.attname).name)
        for attachment in attachments
        for f in file_fields
        if getattr(attachment, f.attname)
    ]
    for attachment in attachments:
        attachment.delete()

    def remove_files() -> None:
        for storage, name in files:
            storage.delete(name)

    transaction.on_commit(remove_files)


# Actions ------------------------------------------------------------------------------


def archive_closed_cases(now: datetime.datetime | None = None, dry_run: bool = False) -> Outcome:
    """Archive every case closed longer than ``CASE_ARCHIVE_AFTER_DAYS`` ago."""
    now = now or timezone.now()
    outcome = Outcome(dry_run=dry_run)
    # Closed without a closing line (e.g. imported): no date to count from, so kept.
    outcome.skipped = list(
        Case.objects.filter(state=CaseState.CLOSED, archived_at__isnull=True)
        .annotate(closed_at=_closed_at())
        .filter(closed_at__isnull=True)
        .values_list("reference", flat=True)
    )
    if dry_run:
        outcome.done = [case.reference for case in cases_due_for_archiving(now)]
        return outcome
    # Every node's daily timer runs this: the second run waits, then finds nothing left.
    with single_run(RETENTION_LOCK):
        for case in cases_due_for_archiving(now):
            with transaction.atomic():
                record(None, Action.ARCHIVE, case=case, detail=AUDIT_DETAIL)
                Case.objects.filter(pk=case.pk).update(archived_at=now)
            outcome.done.append(case.reference)
    return outcome


def anonymise_case(case: Case) -> None:
    """Blank everything that identifies the child or tells their story; keep the statistics.

    Kept: reference, school, year and sequence, dates, state, categories, gender,
    age estimate, the records' columns (urgency, conclusions, plan status and
    dates) and the timeline's states. Gone: the name, birth date and class, every
    record's answers, the timeline's notes, the plans' comments, the referrals'
    written exceptions, the drafts and the attachments. Written through the
    model attributes, so encrypted fields are re-encrypted empty.
    """
    with transaction.atomic():
        record(None, Action.ANONYMISE, case=case, detail=AUDIT_DETAIL)
        case = Case.objects.select_for_update().get(pk=case.pk)
        case.learner_name = ""
        case.learner_birth_date = None
        case.learner_class = ""
        if hasattr(case, "learner_name_index"):
            # The keyed hash of the name would still tell whether it was a given child.
            case.learner_name_index = ""
        case.save()
        for model in RECORD_MODELS:
            for item in model.objects.filter(case=case):
                item.answers = {}
                if isinstance(item, InterventionPlan):
                    item.decision_comment = ""
                if isinstance(item, Referral):
                    item.danger_exception = ""
                item.save()
        # Each row through the model: an encrypted note cannot be filtered on.
        for event in CaseEvent.objects.filter(case=case):
            if event.note:
                event.note = ""
                event.save(update_fields=["note"])
        WizardDraft.objects.filter(case=case).delete()
        _delete_attachments(case)


def delete_case(case: Case) -> None:
    """Remove the case and everything hanging off it; the audit entry is written first."""
    with transaction.atomic():
        record(None, Action.DELETE, case=case, detail=AUDIT_DETAIL)
        _delete_attachments(case)
        # A review protects its plan; both go, the reviews first.
        Review.objects.filter(case=case).delete()
        Case.objects.filter(pk=case.pk).delete()


def purge_archived_cases(
    now: datetime.datetime | None = None, mode: str | None = None, dry_run: bool = False
) -> Outcome:
    """Anonymise or delete every case archived longer than ``CASE_PURGE_AFTER_DAYS`` ago."""
    mode = purge_mode(mode)
    act = anonymise_case if mode == MODE_ANONYMISE else delete_case
    outcome = Outcome(dry_run=dry_run)
    if dry_run:
        outcome.done = [case.reference for case in _each(cases_due_for_purge(now, mode))]
        return outcome
    with single_run(RETENTION_LOCK):
        for case in _each(cases_due_for_purge(now, mode)):
            act(case)
            outcome.done.append(case.reference)
    return outcome


def _each(cases: models.QuerySet[Case]) -> Iterable[Case]:
    # Listed first: deleting while iterating a live cursor is not portable.
    return list(cases)
