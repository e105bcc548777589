"""The four official records of a case (Mẫu 01–04) and referrals.

Fields that lists, filters and deadlines use are columns; the rest of a
template's answers live in ``answers`` (JSON) beside the template version and
legal basis they were given under, so a new template version never needs a
migration of old records.

Encrypted at rest (``forms_app.fields``): every record's ``answers`` (the story,
the family, the informant, notes, ratings), the principal's comment on a plan and
the documented reason for sharing without consent. Kept in clear, because lists,
deadlines and the state machine filter on them and they do not say who the child
is: template version and legal basis, author and times, the intake's received
time, urgency and two yes/no answers, conclusions, a plan's version, status,
period and review date, a referral's receiving body, due and sent times and
whether consent was given.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.fields import EncryptedJSONField, EncryptedTextField
from forms_app.models.cases import Case

TT33_2018 = "Thông tư 33/2018/TT-BGDĐT"
TT18_2025 = "Thông tư 18/2025/TT-BGDĐT"


class CaseRecord(models.Model):
    """What every template record shares: its case, author, version and answers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="+")
    template_version = models.CharField(_("template version"), max_length=32, default="2025.1")
    legal_basis = models.CharField(_("legal basis"), max_length=120, default=TT18_2025)
    answers = EncryptedJSONField(_("answers"), default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name} · {self.case}"


class IntakeReport(CaseRecord):
    """Mẫu 01 — Báo cáo tiếp nhận thông tin: opens the case; its received time starts the clock."""

    class Urgency(models.TextChoices):
        URGENT = "urgent", _("Urgent")
        NOT_URGENT = "not_urgent", _("Not urgent")

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="intake")
    received_at = models.DateTimeField(_("received at"))
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.NOT_URGENT
    )
    referral_suggested = models.BooleanField(
        _("referral outside the school looks necessary"), default=False
    )
    informant_consented = models.BooleanField(_("informant agreed to be recorded"), default=False)

    class Meta(CaseRecord.Meta):
        verbose_name = _("intake report (Mẫu 01)")
        verbose_name_plural = _("intake reports (Mẫu 01)")


class Assessment(CaseRecord):
    """Mẫu 02 — assessment of harm, risk and needs; concludes support in school or referral."""

    class Conclusion(models.TextChoices):
        SUPPORT = "support", _("Support inside the school (plan)")
        REFERRAL = "referral", _("Refer outside the school")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments")
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices)

    class Meta(CaseRecord.Meta):
        verbose_name = _("assessment (Mẫu 02)")
        verbose_name_plural = _("assessments (Mẫu 02)")


class InterventionPlan(CaseRecord):
    """Mẫu 03 — the support plan, versioned; the principal approves within 3 working days."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted for approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned with comments")
        SUPERSEDED = "superseded", _("Replaced by a newer version")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="plans")
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    period_start = models.DateField(_("from"), null=True, blank=True)
    period_end = models.DateField(_("to"), null=True, blank=True)
    review_date = models.DateField(_("planned review date"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    approval_due_at = models.DateTimeField(_("approval due"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_comment = EncryptedTextField(_("principal's comment"), blank=True)

    class Meta(CaseRecord.Meta):
        verbose_name = _("intervention plan (Mẫu 03)")
        verbose_name_plural = _("intervention plans (Mẫu 03)")
        constraints = [
            models.UniqueConstraint(fields=["case", "version"], name="one_plan_per_version")
        ]


class Review(CaseRecord):
    """Mẫu 04 — the learner's situation after the support; leads to closing, continuing or more."""

    class Conclusion(models.TextChoices):
        CLOSE = "close", _("Propose closing the case")
        CONTINUE = "continue", _("Continue the plan")
        NEW_PLAN = "new_plan", _("Draft a new plan")
        REFERRAL = "referral", _("Refer outside the school")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    plan = models.ForeignKey(
        InterventionPlan,
        verbose_name=_("plan reviewed"),
        on_delete=models.PROTECT,
        related_name="reviews",
    )
    conclusion = models.CharField(_("conclusion"), max_length=16, choices=Conclusion.choices)

    class Meta(CaseRecord.Meta):
        verbose_name = _("review (Mẫu 04)")
        verbose_name_plural = _("reviews (Mẫu 04)")


class Referral(CaseRecord):
    """A referral outside the school, due within 12 working hours of the intake."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    receiving_body = models.ForeignKey(
        "forms_app.ReceivingBody",
        verbose_name=_("receiving body"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    due_at = models.DateTimeField(_("due"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    consent_given = models.BooleanField(_("consent to share was given"), default=False)
    danger_exception = EncryptedTextField(
        _("why it was shared without consent"),
        blank=True,
        help_text=_("Only when the child is in danger: the documented exception."),
    )

    class Meta(CaseRecord.Meta):
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
