"""Thông tin lo ngại: what reached the school, who it names, and the thread about it.

Everything that tells about a child or its sender is encrypted like case data
(``forms_app.fields``); the channel, status, urgency and times stay in clear for the
queue, its counts and the alerts.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.fields import EncryptedTextField


class Channel(models.TextChoices):
    STAFF = "staff", _("Staff member of the school")
    ONLINE = "online", _("Online help channel")
    PHONE = "phone", _("Phone call")
    VISIT = "visit", _("Visit in person")
    SUGGESTION_BOX = "box", _("Suggestion box")
    OTHER = "other", _("Other channel")


class Status(models.TextChoices):
    # The three a reporter sees of their own concern
    RECEIVED = "received", _("Received")
    HANDLING = "handling", _("Being handled")
    CLOSED = "closed", _("Closed")


class CloseReason(models.TextChoices):
    NO_ACTION = "no_action", _("No action needed")
    DUPLICATE = "duplicate", _("Duplicate of another concern")
    NOT_SCHOOL_MATTER = "not_school", _("Not a school matter")
    RESOLVED = "resolved", _("Answered and resolved")


class SenderRole(models.TextChoices):
    LEARNER = "learner", _("Learner")
    PARENT = "parent", _("Parent or carer")
    OTHER = "other", _("Someone else")


class ConcernQuerySet(models.QuerySet):
    def queue_order(self) -> "ConcernQuerySet":
        """The triage queue's order: urgent first, then the newest."""
        return self.order_by("-urgent", "-received_at", "-pk")


class Concern(models.Model):
    """One concern about a child as it reached the school, from any channel.

    Its ``received_at`` is the moment the school knew, which starts the
    12-working-hour referral clock: a case opened from it takes this as the intake's
    received time. Online help requests carry a tracking code and a hashed secret
    phrase, with which their sender (anonymous or not) reads the team's replies.
    """

    # Where and how it came in
    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="concerns",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"), default=timezone.now, db_index=True)
    urgent = models.BooleanField(_("the child is in danger now"), default=False)
    # Staff concerns: who raised it. Logged calls and visits: the case worker who wrote
    # it down, with who called or came in ``caller``.
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns_raised",
    )
    caller = EncryptedTextField(_("who called or came"), max_length=255, blank=True)

    # What was seen or heard, encrypted
    what_happened = EncryptedTextField(_("what was seen or heard"), max_length=5000)
    when_where = EncryptedTextField(_("when and where"), max_length=500, blank=True)
    action_taken = EncryptedTextField(
        _("what the reporter already did"), max_length=2000, blank=True
    )

    # Online help requests: who wrote (never required) and the way back to the thread
    sender_role = models.CharField(
        _("who is writing"), max_length=16, choices=SenderRole.choices, blank=True
    )
    contact = EncryptedTextField(_("how to reach the sender"), max_length=255, blank=True)
    tracking_code = models.CharField(
        max_length=16, unique=True, null=True, blank=True, editable=False
    )
    secret_hash = models.CharField(max_length=128, blank=True, editable=False)
    # Looked like spam to the channel's checks: kept for a person to look at, never dropped
    held_as_possible_spam = models.BooleanField(_("set aside as possible spam"), default=False)

    # What the team did with it
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    case = models.ForeignKey(
        "forms_app.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("handled by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    close_reason = models.CharField(
        _("reason for closing"), max_length=16, choices=CloseReason.choices, blank=True
    )
    close_note = EncryptedTextField(_("note on closing"), max_length=1000, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    # The last message from the reporter or sender, for "new reply" in the queue
    last_sender_message_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ConcernQuerySet.as_manager()

    class Meta:
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")
        ordering = ["-urgent", "-received_at", "-pk"]
        # Screens decide who reads a concern (concerns.policy); no model permission
        # opens one through a generic admin view.
        default_permissions = ()
        indexes = [
            # The queue walks this in its order (urgent first, then newest) and checks
            # the status from the index itself, so neither the open filter (two
            # statuses) nor a deep page sorts the school's items; the counts beside the
            # tabs read it too.
            models.Index(
                fields=[
                    "school",
                    "held_as_possible_spam",
                    "-urgent",
                    "-received_at",
                    "-id",
                    "status",
                ],
                name="concern_queue",
            ),
            models.Index(fields=["reporter", "-received_at"], name="concern_by_reporter"),
        ]

    def __str__(self) -> str:
        # Never the text: a concern is named by its number only.
        return f"#{self.pk}"


class LearnerRole(models.TextChoices):
    HARMED = "harmed", _("Harmed or at risk")
    CAUSED_HARM = "caused_harm", _("Caused the harm")
    WITNESS = "witness", _("Witness")


class ConcernLearner(models.Model):
    """A learner a concern names, picked from the school's list or typed, each in
    their own role and, once the team acts, linked to their own case."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="learners")
    learner = models.ForeignKey(
        "learners.Learner",
        verbose_name=_("learner"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="concerns",
    )
    # When the learner is not on the list (or the reporter does not know them)
    typed_name = EncryptedTextField(_("name"), max_length=255, blank=True)
    typed_class = EncryptedTextField(_("class"), max_length=32, blank=True)
    role = models.CharField(
        _("role in what happened"),
        max_length=16,
        choices=LearnerRole.choices,
        default=LearnerRole.HARMED,
    )
    case = models.ForeignKey(
        "forms_app.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("learner named")
        verbose_name_plural = _("learners named")
        ordering = ["pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.concern_id}/{self.pk}"

    def display_name(self) -> str:
        if self.learner_id:
            return str(self.learner)
        return self.typed_name


class ConcernMessage(models.Model):
    """One message in a concern's thread: a reporter's follow-up note, a sender's
    answer on the help channel, or the team's reply (the only kind a sender reads
    besides their own)."""

    class Author(models.TextChoices):
        REPORTER = "reporter", _("Reporter or sender")
        TEAM = "team", _("Counselling team")

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="messages")
    author_kind = models.CharField(max_length=16, choices=Author.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    text = EncryptedTextField(_("message"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["created_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.concern_id}/{self.pk}"


class ConcernAttachment(models.Model):
    """A photo or file sent with a concern, under the private-file rules of
    ``case_files`` (checked by content, encrypted, outside media/)."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="attachments")
    original_name = EncryptedTextField(max_length=255, blank=True, editable=False)
    content_type = models.CharField(max_length=100, editable=False)
    extension = models.CharField(max_length=8, editable=False)
    size = models.PositiveIntegerField(editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    blob = models.CharField(max_length=64, unique=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        default_permissions = ()

    def __str__(self) -> str:
        return f"#{self.concern_id}/{self.pk}"
