"""Thông báo: the alerts a user reads in the admin, their e-mail preference, and the outbox.

Nothing here holds data about a child: an alert is a kind, a school, a time and a
link; its text is made from the kind and the school's name when shown. The link
is an admin path whose own view decides whether the reader may open its object.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    NEW_CONCERN = "new_concern", _("New concern")
    SENDER_MESSAGE = "sender_message", _("New message from a sender")
    PLAN_SUBMITTED = "plan_submitted", _("Plan submitted for approval")
    PLAN_APPROVED = "plan_approved", _("Plan approved")
    PLAN_RETURNED = "plan_returned", _("Plan returned")
    PAGE_REVIEW = "page_review", _("Page submitted for review")
    REFERRAL_DUE = "referral_due", _("Referral due soon")
    PLAN_APPROVAL_DUE = "plan_approval_due", _("Plan decision due soon")
    REVIEW_DUE = "review_due", _("Review due soon")
    OVERDUE = "overdue", _("Deadline passed")
    REPORT_DUE = "report_due", _("Report due soon")
    REPORT_OVERDUE = "report_overdue", _("Report overdue")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user) -> "NotificationQuerySet":
        return self.filter(recipient_id=user.pk)

    def unread(self) -> "NotificationQuerySet":
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One alert to one user. The recipients of the same event share ``alert``, which
    the read receipts of an urgent alert list; ``dedupe_key`` makes an event (a
    deadline threshold of one obligation, a new concern) alert each user once."""

    # Who and what
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    urgent = models.BooleanField(_("urgent"), default=False)
    url = models.CharField(_("link"), max_length=255)

    # The event it belongs to
    alert = models.UUIDField(default=uuid.uuid4, db_index=True, editable=False)
    dedupe_key = models.CharField(max_length=128, blank=True, editable=False)

    # Reading and e-mail
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # Waiting for the recipient's daily digest
    in_digest = models.BooleanField(default=False, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_event",
            )
        ]
        indexes = [
            # The list and the menu's unread count.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
            models.Index(fields=["recipient", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None

    @property
    def text(self) -> str:
        from notifications.texts import notification_text

        return notification_text(self.kind, self.school.name if self.school_id else "", self.urgent)


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("An e-mail at once for each alert")
    DIGEST = "digest", _("One e-mail a day with what is new")
    NONE = "none", _("No e-mail")


class NotificationPreference(models.Model):
    """How a user wants to hear of their alerts by e-mail; urgent alerts always go at once."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    email = models.CharField(
        _("e-mail"), max_length=16, choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE
    )
    last_digest_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.user_id}: {self.email}"


class MailStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Given up")


class OutgoingMail(models.Model):
    """One e-mail waiting to go, going or gone: what the worker sends, and proof it
    went once. Holds an address, a subject and a body made from alert texts, never
    data about a child; ``last_error_code`` is an SMTP code or an exception's name,
    never its message."""

    to_address = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))

    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MailStatus.choices,
        default=MailStatus.PENDING,
        db_index=True,
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error_code = models.CharField(_("last error"), max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        ordering = ["created_at", "pk"]
        default_permissions = ()
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.status}"
