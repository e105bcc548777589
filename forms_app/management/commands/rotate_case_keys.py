"""Re-encrypt every encrypted value under the newest key, and rebuild the name index.

Procedure (docs/operations.md, "Keys for case data"): put a new key first in
``CASE_ENCRYPTION_KEYS`` keeping the old one after it, restart, run this command,
then remove the old key. Values already under the newest key are skipped, so an
interrupted run is simply run again. Encrypted model fields are found by type in
every installed model; data kept elsewhere (encrypted files) is rotated by the
hooks apps add to ``forms_app.encryption.rotation_hooks``.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.db.models import Model, TextField, Value
from django.db.models.functions import Cast

from forms_app.encryption import generate_key, is_current, rotate_token, rotation_hooks
from forms_app.fields import encrypted_fields
from forms_app.models import Case


def _raw(name: str) -> str:
    return f"_raw_{name}"


def rotate_model(model: type[Model], batch_size: int) -> tuple[int, int]:
    """Re-encrypts ``model``'s encrypted values; returns (rotated, already current)."""
    fields = encrypted_fields(model)
    # Cast to text: the stored token, without the field decrypting it.
    raw = {_raw(f.attname): Cast(f.attname, output_field=TextField()) for f in fields}
    manager = model._base_manager
    rotated = current = 0
    last = None
    while True:
        with transaction.atomic():
            rows = manager.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            rows = list(
                rows.select_for_update().annotate(**raw).values_list("pk", *raw)[:batch_size]
            )
            if not rows:
                break
            for pk, *tokens in rows:
                changes = {}
                for field, token in zip(fields, tokens, strict=True):
                    if not token:
                        continue
                    if is_current(token):
                        current += 1
                        continue
                    # A Value, not the field: the field would encrypt the token again.
                    changes[field.attname] = Value(rotate_token(token), output_field=TextField())
                if changes:
                    manager.filter(pk=pk).update(**changes)
                    rotated += len(changes)
            last = rows[-1][0]
    return rotated, current


def reindex_names(batch_size: int) -> int:
    """Recomputes every case's name index with the current ``CASE_INDEX_KEY``."""
    changed = 0
    last = None
    while True:
        with transaction.atomic():
            rows = Case.objects.order_by("pk")
            if last is not None:
                rows = rows.filter(pk__gt=last)
            cases = list(
                rows.select_for_update().only("pk", "learner_name", "learner_name_index")[
                    :batch_size
                ]
            )
            if not cases:
                break
            for case in cases:
                before = case.learner_name_index
                case.save(update_fields=["learner_name_index"])
                changed += case.learner_name_index != before
            last = cases[-1].pk
    return changed


class Command(BaseCommand):
    help = (
        "Re-encrypt all case data with the first key of CASE_ENCRYPTION_KEYS; "
        "--reindex rebuilds the learner name index after CASE_INDEX_KEY changed; "
        "--new-key prints a new key."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new-key", action="store_true", help="Print a new key and stop.")
        parser.add_argument(
            "--reindex",
            action="store_true",
            help="Also recompute the learner name index with the current CASE_INDEX_KEY.",
        )
        parser.add_argument("--batch-size", type=int, default=200)

    def handle(self, *args, new_key: bool, reindex: bool, batch_size: int, **options) -> None:
        if new_key:
            self.stdout.write(generate_key())
            return
        total = 0
        for model in apps.get_models():
            meta = model._meta
            if meta.proxy or not meta.managed or not encrypted_fields(model):
                continue
            rotated, current = rotate_model(model, batch_size)
            total += rotated
            self.stdout.write(
                f"{meta.label}: {rotated} values re-encrypted, {current} already current"
            )
        for hook in rotation_hooks:
            for label, count in hook().items():
                self.stdout.write(f"{label}: {count}")
        if reindex:
            self.stdout.write(f"Learner name index: {reindex_names(batch_size)} cases updated")
        self.stdout.write(self.style.SUCCESS(f"Done: {total} values re-encrypted."))
