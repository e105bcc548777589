"""Sổ theo dõi tư vấn: counselling entries, the content areas they are about, and the
school's awareness activities.

What is encrypted (``forms_app.fields``): an entry's notes, the only place a
counsellor writes what was said. Kept in clear, because the reports count on them and
they name nobody: the school, date, form, content area, grade (khối, never the class),
gender, number of participants, duration and outcome. The learners an entry names are
links to the school's list (``learners.Learner``, whose details are encrypted there).
An activity is public-facing work (a talk in the hall, a club), so it names no child
and nothing of it is encrypted.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forms_app.fields import EncryptedTextField
from forms_app.models.reference import ReferenceItem


class CounsellingArea(ReferenceItem):
    """A content area of school counselling (Thông tư 18/2025 names seven: học tập; giới
    và quan hệ xã hội; tâm lý; kỹ năng sống; hướng nghiệp, việc làm, khởi nghiệp; chính
    sách, pháp luật; dịch vụ công tác xã hội). An editable list, seeded with those."""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("counselling content area")
        verbose_name_plural = _("counselling content areas")


class CountGender(models.TextChoices):
    """Gender as the reports count it: a group session may be mixed."""

    MALE = "male", _("Male")
    FEMALE = "female", _("Female")
    MIXED = "mixed", _("Mixed group")
    UNKNOWN = "unknown", _("Not known")


class CounsellingEntry(models.Model):
    """One counselling session, recorded in under a minute on a phone."""

    class Form(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group")
        CLASS = "class", _("Whole class")
        ONLINE = "online", _("Online")
        PHONE = "phone", _("By phone")

    class Outcome(models.TextChoices):
        RESOLVED = "resolved", _("Resolved")
        FOLLOW_UP = "follow_up", _("Follow-up needed")
        CASE = "case", _("Referred to a case")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="counselling_entries",
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    form = models.CharField(_("form"), max_length=16, choices=Form.choices, default=Form.INDIVIDUAL)
    area = models.ForeignKey(
        CounsellingArea,
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Who came: learners of the school's list, or nobody named (an anonymous online
    # question, a class-wide session). Grade and gender are kept for counting either way.
    learners = models.ManyToManyField(
        "learners.Learner", verbose_name=_("learners"), blank=True, related_name="+"
    )
    participants = models.PositiveSmallIntegerField(_("number of participants"), default=1)
    grade = models.PositiveSmallIntegerField(
        _("grade"), null=True, blank=True, help_text=_("Leave empty for several grades.")
    )
    gender = models.CharField(
        _("gender"), max_length=8, choices=CountGender.choices, default=CountGender.UNKNOWN
    )
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), null=True, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=Outcome.choices, default=Outcome.RESOLVED
    )
    case = models.ForeignKey(
        "forms_app.Case",
        verbose_name=_("case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("counsellor"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("counselling entry")
        verbose_name_plural = _("counselling entries")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "held_on", "id"], name="counselling_school_date"),
            models.Index(fields=["school", "area", "held_on"], name="counselling_school_area"),
            # Covers the report's one pass over a year of the log (reports.figures): the
            # GROUP BY reads the index alone, never the rows with their encrypted notes.
            models.Index(
                fields=["school", "held_on", "form", "area", "grade", "gender", "participants"],
                name="counselling_report_cover",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_form_display()} · {self.held_on:%d/%m/%Y}"


class Activity(models.Model):
    """An awareness or prevention activity: a talk, a club meeting, the start-of-year
    week, a month of action. Counted in the reports; may point to the public campaign
    page that announced it."""

    class Kind(models.TextChoices):
        TALK = "talk", _("Talk")
        CLUB = "club", _("Club")
        WEEK = "week", _("Start-of-year week")
        MONTH = "month", _("Month of action")
        OTHER = "other", _("Other")

    class Audience(models.TextChoices):
        STUDENTS = "students", _("Students")
        PARENTS = "parents", _("Parents")
        TEACHERS = "teachers", _("Teachers and staff")
        MIXED = "mixed", _("Several groups")

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.PROTECT,
        related_name="activities",
    )
    title = models.CharField(_("title"), max_length=255)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.TALK)
    held_on = models.DateField(_("date"), default=timezone.localdate)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    audience = models.CharField(
        _("audience"), max_length=16, choices=Audience.choices, default=Audience.STUDENTS
    )
    participants = models.PositiveIntegerField(_("number of participants"), default=0)
    area = models.ForeignKey(
        CounsellingArea,
        verbose_name=_("content area"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    campaign = models.ForeignKey(
        "pages.CampaignPage",
        verbose_name=_("campaign page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(_("notes"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on", "-pk"]
        indexes = [
            models.Index(fields=["school", "held_on", "id"], name="activity_school_date"),
        ]

    def __str__(self) -> str:
        return self.title
