"""A case (hồ sơ vụ việc) and its timeline.

What is encrypted at rest (see ``forms_app.fields``): everything about the learner
(name, date of birth, estimated age, gender, class) and the notes of the timeline.
Kept in clear, because the case list, the to-do list, permissions and deadlines
filter and sort on them and they say nothing about who the child is: the school,
reference, year and sequence, state, assigned worker, the received/deadline/
created/archived times, the issue categories (a link to a reference list) and, in
the timeline, the kind of event, the states and the time.

The learner's gender and estimated age are encrypted too: the case list neither
shows nor filters on them, and with the school and a class they narrow a case down
to a few children. The reports count cases by grade and gender, so ``Case.save``
keeps two counting columns in clear beside them: the grade (khối, from the class by
``learners.grades``; a grade holds several classes) and the gender. Nothing lists or
filters cases on them; they exist so a year's figures are one GROUP BY, not 20,000
decryptions.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.encryption import blind_index
from forms_app.fields import (
    EncryptedDateField,
    EncryptedPositiveSmallIntegerField,
    EncryptedTextField,
)
from learners.grades import grade_of

# The learner's encrypted details: lists that show none of them leave them out of
# their query (``.defer(*LEARNER_FIELDS)``), so a long list decrypts nothing.
LEARNER_FIELDS: tuple[str, ...] = (
    "learner_name",
    "learner_name_index",
    "learner_birth_date",
    "learner_age_estimate",
    "learner_gender",
    "learner_class",
)


class CaseState(models.TextChoices):
    """Where a case stands in the procedure of Thông tư 33/2018 (and 18/2025)."""

    RECEIVED = "received", _("Received")
    ASSESSED = "assessed", _("Assessed")
    PLAN_SUBMITTED = "plan_submitted", _("Plan submitted")
    PLAN_RETURNED = "plan_returned", _("Plan returned")
    PLAN_APPROVED = "plan_approved", _("Plan approved")
    IN_PROGRESS = "in_progress", _("In progress")
    REVIEWED = "reviewed", _("Reviewed")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


class Gender(models.TextChoices):
    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    UNKNOWN = "unknown", _("Not known")


class Case(models.Model):
    """Hồ sơ: one learner's situation at one school, from the intake report to closing.

    The learner's identifying details live here once; the four templates' records
    hang off the case and are prefilled from it.
    """

    # Identity and ownership
    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="cases"
    )
    reference = models.CharField(_("reference"), max_length=32, unique=True, editable=False)
    year = models.PositiveSmallIntegerField(editable=False)
    sequence = models.PositiveIntegerField(editable=False)

    # The learner; any of it may be unknown at intake
    learner_name = EncryptedTextField(_("learner's full name"), max_length=255, blank=True)
    # Keyed hash of the normalised name (forms_app.encryption.blind_index), set on
    # every save: the only way to find a case by the learner's name.
    learner_name_index = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    learner_birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    learner_age_estimate = EncryptedPositiveSmallIntegerField(
        _("estimated age"), null=True, blank=True
    )
    learner_gender = EncryptedTextField(
        _("gender"), max_length=8, choices=Gender.choices, default=Gender.UNKNOWN
    )
    learner_class = EncryptedTextField(_("class"), max_length=32, blank=True)
    # The learner on the school's list, when the intake picked one; the details above
    # are the record's own copy, so a later change on the list never edits a case.
    learner = models.ForeignKey(
        "learners.Learner",
        verbose_name=_("learner on the school's list"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
    )
    # Counting columns for the reports, kept by save() from the encrypted details above.
    count_grade = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    count_gender = models.CharField(
        max_length=8, choices=Gender.choices, default=Gender.UNKNOWN, editable=False
    )
    categories = models.ManyToManyField(
        "forms_app.IssueCategory", verbose_name=_("issue categories"), blank=True, related_name="+"
    )

    # Handling
    state = models.CharField(
        _("state"), max_length=16, choices=CaseState.choices, default=CaseState.RECEIVED
    )
    assigned_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned case worker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    received_at = models.DateTimeField(_("information received at"), default=timezone.now)
    next_deadline = models.DateTimeField(_("next deadline"), null=True, blank=True)
    next_deadline_label = models.CharField(max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("opened at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed at"), auto_now=True)
    # Set by the retention command some time after closing; an archived case is
    # read-only and is later anonymised or deleted (see forms_app/cases/retention.py).
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "year", "sequence"], name="one_sequence_per_school_year"
            )
        ]
        indexes = [
            models.Index(fields=["school", "state"]),
            # The case list: one school's cases newest first (the default order,
            # with the primary key as the tie-break the list adds), read in index
            # order so a page costs the same with 20 cases or 20,000.
            models.Index(fields=["school", "received_at", "id"], name="case_school_received"),
            # "Overdue" (the list's filter, the to-do list's deadlines).
            models.Index(fields=["school", "next_deadline"], name="case_school_deadline"),
            # The list's "assigned case worker" filter: which users have a case there.
            models.Index(fields=["assigned_worker", "school"], name="case_worker_school"),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs) -> None:
        """Keeps ``learner_name_index`` in step with the name.

        ``QuerySet.update(learner_name=...)`` bypasses this: set the index in the
        same update (``learner_name_index=blind_index(name)``).
        """
        self.learner_name_index = blind_index(self.learner_name or "")
        self.count_grade = grade_of(self.learner_class)
        self.count_gender = (
            self.learner_gender if self.learner_gender in Gender.values else Gender.UNKNOWN
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            extra = set()
            if "learner_name" in update_fields:
                extra.add("learner_name_index")
            if "learner_class" in update_fields:
                extra.add("count_grade")
            if "learner_gender" in update_fields:
                extra.add("count_gender")
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    @classmethod
    def name_lookup(cls, name: str) -> models.Q:
        """A filter for cases whose learner has exactly this name.

        Letter case, diacritics and spacing are ignored; a part of a name
        matches nothing. An empty name matches nothing either.
        """
        index = blind_index(name or "")
        return models.Q(learner_name_index=index) if index else models.Q(pk__in=[])

    @property
    def is_overdue(self) -> bool:
        return self.next_deadline is not None and self.next_deadline < timezone.now()


class CaseEvent(models.Model):
    """One line of a case's timeline: who did what, when, and why. Never edited."""

    class Kind(models.TextChoices):
        TRANSITION = "transition", _("State changed")
        RECORD = "record", _("Record added")
        ASSIGNMENT = "assignment", _("Case worker assigned")
        NOTE = "note", _("Note")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    from_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=CaseState.choices, blank=True)
    note = EncryptedTextField(blank=True)

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.case} · {self.get_kind_display()} · {self.at:%d/%m/%Y %H:%M}"
