"""One import in progress: the upload, what was recognised, and the draft it became.

The upload → review → create flow spans several requests, which may land on
different application servers, so nothing is held in the session: the original
file, the extracted text and the recognised plan (as the editor last reviewed it)
live in the database, under the editor who uploaded them. A pending import older
than :data:`KEEP_PENDING` is removed the next time anyone starts an import
(:func:`forget_stale`); a created one keeps its row, without the file's bytes.
"""

from __future__ import annotations

import dataclasses
import datetime
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from plan_import.result import (
    Clause,
    Indicator,
    LegalBasis,
    Milestone,
    Point,
    RecognisedPlan,
    Section,
)

KEEP_PENDING = datetime.timedelta(days=1)


class PlanImport(models.Model):
    """A plan being imported by one editor under one plan index (nhập kế hoạch từ tệp)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        CREATED = "created", _("Draft created")

    # Who, when, where
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", editable=False
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    parent = models.ForeignKey(
        "pages.PlanIndexPage", on_delete=models.CASCADE, related_name="+", editable=False
    )

    # What was read: the original (empty for pasted text) and what was recognised
    file_name = models.CharField(_("file name"), max_length=255, blank=True)
    original = models.BinaryField(null=True, blank=True, editable=False)
    # The document's text as read (or pasted): the review screen shows each value's
    # source line from it.
    text = models.TextField(blank=True, editable=False)
    recognised = models.JSONField(encoder=DjangoJSONEncoder, default=dict, editable=False)

    # What became of it
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    created_page = models.ForeignKey(
        "pages.PlanPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("plan import")
        verbose_name_plural = _("plan imports")
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.file_name or str(_("Pasted text"))

    @property
    def plan(self) -> RecognisedPlan:
        return plan_from_json(self.recognised)

    @property
    def original_file(self) -> tuple[str, bytes] | None:
        """(name, bytes) of the uploaded file, None for pasted text."""
        if self.original is None or not self.file_name:
            return None
        return self.file_name, bytes(self.original)


def forget_stale(now: datetime.datetime | None = None) -> int:
    """Delete pending imports older than a day; the number deleted.

    Called whenever an import starts, so that abandoned uploads (and the copies of
    documents they hold) do not pile up without a periodic job of their own.
    """
    cutoff = (now or timezone.now()) - KEEP_PENDING
    deleted, _by_model = PlanImport.objects.filter(
        status=PlanImport.Status.PENDING, created_at__lt=cutoff
    ).delete()
    return deleted


# JSON back into the contract ----------------------------------------------------------


def _date(value: Any) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _fields(cls: type, data: dict) -> dict:
    """The keys of ``data`` that ``cls`` has, so that a stored row outlives a new field."""
    names = {field.name for field in dataclasses.fields(cls)}
    return {key: value for key, value in (data or {}).items() if key in names}


def plan_from_json(data: dict) -> RecognisedPlan:
    """The inverse of ``RecognisedPlan.as_json()``."""
    values = _fields(RecognisedPlan, data)
    values["issue_date"] = _date(values.get("issue_date"))
    values["legal_bases"] = [
        LegalBasis(**{**_fields(LegalBasis, item), "date": _date(item.get("date"))})
        for item in values.get("legal_bases", [])
    ]
    values["sections"] = [
        Section(
            **{
                **_fields(Section, section),
                "clauses": [
                    Clause(
                        **{
                            **_fields(Clause, clause),
                            "points": [
                                Point(**_fields(Point, point)) for point in clause.get("points", [])
                            ],
                        }
                    )
                    for clause in section.get("clauses", [])
                ],
            }
        )
        for section in values.get("sections", [])
    ]
    values["indicators"] = [
        Indicator(**_fields(Indicator, i)) for i in values.get("indicators") or []
    ]
    values["milestones"] = [
        Milestone(**_fields(Milestone, m)) for m in values.get("milestones") or []
    ]
    return RecognisedPlan(**values)
