"""Reporting periods, a school's report for one, and the frozen versions it submitted.

A report's figures are computed live while it is a draft and frozen into a
``SchoolReportVersion`` at each submission, so what the district accepted never
changes when a case is edited later, and a returned report keeps what was sent before.
The principal's paragraphs are in clear: they go to the district and must name no
child (the form says so).
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportingPeriod(models.Model):
    """Học kỳ I or the whole school year, with its dates and the day the report is due.

    Created on demand with the usual calendar (reports.periods) and editable in the
    admin, since a province may set other dates.
    """

    class Kind(models.TextChoices):
        SEMESTER_1 = "semester_1", _("Semester I")
        YEAR = "year", _("School year")

    school_year = models.PositiveSmallIntegerField(
        _("school year"), help_text=_("The year it starts: 2026 for 2026–2027.")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("to"))
    due_on = models.DateField(_("due"))

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["-school_year", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "kind"], name="one_period_per_kind")
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def school_year_label(self) -> str:
        return f"{self.school_year}–{self.school_year + 1}"

    @property
    def label(self) -> str:
        from django.utils.translation import gettext

        if self.kind == self.Kind.SEMESTER_1:
            return gettext("Semester I, school year %(year)s") % {"year": self.school_year_label}
        return gettext("School year %(year)s") % {"year": self.school_year_label}

    def clean(self) -> None:
        """A period ends after it starts, and its report is due after it starts."""
        from django.core.exceptions import ValidationError

        errors = {}
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = _("The period cannot end before it starts.")
        if self.starts_on and self.due_on and self.due_on < self.starts_on:
            errors["due_on"] = _("The report cannot be due before the period starts.")
        if errors:
            raise ValidationError(errors)

    def contains(self, day: datetime.date) -> bool:
        return self.starts_on <= day <= self.ends_on


class SchoolReport(models.Model):
    """One school's report for one period: draft → submitted → accepted or returned."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted to the district")
        ACCEPTED = "accepted", _("Accepted")
        RETURNED = "returned", _("Returned for changes")

    school = models.ForeignKey(
        "schools.School", verbose_name=_("school"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.ForeignKey(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="reports"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State.choices, default=State.DRAFT, db_index=True
    )
    number = models.CharField(_("number"), max_length=64, blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The number of the last submitted version (0 while never submitted).
    version = models.PositiveSmallIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    return_comment = models.TextField(_("district's comment"), blank=True)

    class Meta:
        verbose_name = _("school report")
        verbose_name_plural = _("school reports")
        ordering = ["-period__school_year", "period__kind", "school__name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "period"], name="one_report_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.school} · {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.state in (self.State.DRAFT, self.State.RETURNED)


class SchoolReportVersion(models.Model):
    """What a school sent at one submission: the figures and the text, frozen."""

    report = models.ForeignKey(SchoolReport, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveSmallIntegerField(_("version"))
    figures = models.JSONField(_("figures"))
    number = models.CharField(_("number"), max_length=64, blank=True)
    went_well = models.TextField(_("what went well"), blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        ordering = ["report", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["report", "version"], name="one_report_version")
        ]

    def __str__(self) -> str:
        return f"{self.report} · v{self.version}"
