"""Server-side drafts of the wizards, so nothing typed is ever lost."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from forms_app.fields import EncryptedJSONField


class TemplateCode(models.TextChoices):
    INTAKE = "01", _("Mẫu 01 — intake report")
    ASSESSMENT = "02", _("Mẫu 02 — assessment")
    PLAN = "03", _("Mẫu 03 — intervention plan")
    REVIEW = "04", _("Mẫu 04 — review")


class WizardDraft(models.Model):
    """One wizard in progress: each validated step is saved here at once.

    Keyed by a random id carried in the URL, not by the session or the wizard's
    class name, so a draft survives logout, session expiry and a change of device,
    and two drafts open in two tabs never overwrite each other. The session holds
    nothing but this id. ``record_id`` is set when the final step is submitted, which
    makes a resent or double-clicked final POST return the record already created.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="wizard_drafts"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    template = models.CharField(_("template"), max_length=2, choices=TemplateCode.choices)
    case = models.ForeignKey(
        "forms_app.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="drafts"
    )
    # Everything typed so far, encrypted (forms_app.fields); the step name, the
    # owner, school, case and times stay in clear for the drafts list.
    steps = EncryptedJSONField(default=dict, blank=True)
    current_step = models.CharField(max_length=64, blank=True)
    # Where the draft came from when not typed from scratch, as "concern:<id>": the
    # case it opens is linked back to that source (forms_app.signals.case_opened).
    source = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    record_id = models.PositiveBigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("draft")
        verbose_name_plural = _("drafts")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.get_template_display()} · {self.updated_at:%d/%m/%Y %H:%M}"
