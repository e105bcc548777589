"""Figures and read-back checks of the site's data, for a backup's manifest and after a restore.

Everything here returns counts and hashes, never what a case says: the output of
``check_case_data`` is printed to a terminal and may be pasted into a ticket.
The case models are imported inside the functions so that loading this app does
not load the case area's models before the app registry is ready.
"""

from __future__ import annotations

import hashlib
import json

from django.apps import apps
from django.contrib.auth import get_user_model

from audit.chain import verify
from forms_app.fields import encrypted_fields

# Figures ----------------------------------------------------------------------------


def record_models() -> list:
    """The models of the four templates' records and of referrals."""
    from forms_app.models import Assessment, IntakeReport, InterventionPlan, Referral, Review

    return [IntakeReport, Assessment, InterventionPlan, Review, Referral]


def attachment_model():
    return apps.get_model("case_files", "CaseAttachment")


def case_data_counts(using: str = "default") -> dict[str, int]:
    """How many cases, records, timeline lines, drafts, attachments, audit entries and users."""
    from audit.models import AuditEntry
    from forms_app.models import Case, CaseEvent, WizardDraft

    counts = {
        "cases": Case.objects.using(using).count(),
        "records": sum(model.objects.using(using).count() for model in record_models()),
        "events": CaseEvent.objects.using(using).count(),
        "drafts": WizardDraft.objects.using(using).count(),
        "audit_entries": AuditEntry.objects.using(using).count(),
        "users": get_user_model().objects.using(using).count(),
    }
    attachments = attachment_model()
    counts["attachments"] = attachments.objects.using(using).count()
    return counts


# Checking the data (after a restore, or any time) ----------------------------------------


def _encrypted_models() -> list[tuple[type, list]]:
    found = []
    for model in apps.get_models():
        if model._meta.proxy:
            continue
        fields = encrypted_fields(model)
        if fields:
            found.append((model, fields))
    return found


def case_fingerprints(using: str = "default") -> dict[str, str]:
    """A SHA-256 per case reference over everything it says once decrypted.

    Lets two copies of the site (before a backup, after the restore) be compared
    without either ever printing what a case says.
    """
    from forms_app.models import Case, CaseEvent

    attachments = attachment_model()
    fingerprints = {}
    for case in Case.objects.using(using).order_by("reference"):
        content = {
            "learner": [
                case.learner_name,
                case.learner_birth_date,
                case.learner_age_estimate,
                case.learner_gender,
                case.learner_class,
            ],
            "records": {
                model.__name__: [
                    item.answers
                    for item in model.objects.using(using).filter(case_id=case.pk).order_by("pk")
                ]
                for model in record_models()
            },
            "notes": [
                event.note
                for event in CaseEvent.objects.using(using).filter(case_id=case.pk).order_by("pk")
            ],
            "attachments": list(
                attachments.objects.using(using)
                .filter(case_id=case.pk)
                .order_by("pk")
                .values_list("sha256", flat=True)
            ),
        }
        text = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
        fingerprints[case.reference] = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return fingerprints


def check_case_data(using: str = "default") -> dict:
    """Read back everything that must survive a restore; the result holds figures only.

    Decrypts every encrypted value of every model (a missing or wrong key fails
    here, not when a worker opens a case), reads and hashes every attachment, and
    verifies the audit chain. ``ok`` is false when anything failed.
    """
    result: dict = {"counts": case_data_counts(using), "problems": []}
    decrypted = 0
    for model, fields in _encrypted_models():
        for field in fields:
            try:
                for value in (
                    model._default_manager.using(using)
                    .values_list(field.name, flat=True)
                    .iterator()
                ):
                    decrypted += value not in (None, "")
            except ValueError:
                result["problems"].append(f"undecryptable:{model._meta.label}.{field.name}")
    result["decrypted_values"] = decrypted

    attachments = attachment_model()
    read = 0
    for attachment in attachments.objects.using(using).order_by("pk"):
        try:
            data = attachment.read()
            for name in ("description", "original_name"):
                getattr(attachment, name, "")
        except Exception:  # any failure to read is what is being checked
            result["problems"].append(f"unreadable:attachment:{attachment.pk}")
            continue
        expected = attachment.sha256
        if expected and hashlib.sha256(data).hexdigest() != expected:
            result["problems"].append(f"checksum:attachment:{attachment.pk}")
            continue
        read += 1
    result["attachments_read"] = read

    chain = verify()
    result["audit_chain"] = "ok" if chain.ok else f"broken at {chain.broken_pk}"
    result["audit_entries_verified"] = chain.checked
    if not chain.ok:
        result["problems"].append(f"audit_chain:{chain.problem}:{chain.broken_pk}")
    result["case_fingerprints"] = case_fingerprints(using)
    result["ok"] = not result["problems"]
    return result
