"""Each school's working calendar, for deadlines counted in working time.

Not encrypted: a calendar note names a holiday or a school event, never a child.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel

from schools.admin_scope import SchoolScopedForm


class SchoolCalendar(ClusterableModel):
    """Working hours and days of one school; public holidays come from the holidays library.

    Referral deadlines (12 working hours) and plan approval (3 working days) are
    counted in this calendar, so a report received on Friday afternoon or on the
    eve of Tết is not overdue before anyone is at school.
    """

    school = models.OneToOneField(
        "schools.School",
        verbose_name=_("school"),
        on_delete=models.CASCADE,
        related_name="calendar",
    )
    morning_start = models.TimeField(_("morning starts"), default=datetime.time(7, 0))
    morning_end = models.TimeField(_("morning ends"), default=datetime.time(11, 30))
    afternoon_start = models.TimeField(_("afternoon starts"), default=datetime.time(13, 30))
    afternoon_end = models.TimeField(_("afternoon ends"), default=datetime.time(17, 0))
    saturday_is_working_day = models.BooleanField(_("Saturday is a working day"), default=False)

    base_form_class = SchoolScopedForm

    panels = [
        FieldPanel("school"),
        FieldRowPanel([FieldPanel("morning_start"), FieldPanel("morning_end")]),
        FieldRowPanel([FieldPanel("afternoon_start"), FieldPanel("afternoon_end")]),
        FieldPanel("saturday_is_working_day"),
        InlinePanel("exceptions", heading=_("Days off and make-up working days"), label=_("Day")),
    ]

    class Meta:
        verbose_name = _("school calendar")
        verbose_name_plural = _("school calendars")

    def __str__(self) -> str:
        return str(self.school)

    def clean(self) -> None:
        if not (self.morning_start < self.morning_end <= self.afternoon_start < self.afternoon_end):
            raise ValidationError(_("Working hours must be in order: morning, then afternoon."))


class CalendarException(models.Model):
    """A school-specific day off, or a weekend day worked to make up for a holiday bridge."""

    calendar = ParentalKey(SchoolCalendar, on_delete=models.CASCADE, related_name="exceptions")
    date = models.DateField(_("date"))
    is_working_day = models.BooleanField(
        _("working day"), default=False, help_text=_("Tick for a make-up working day.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)

    panels = [FieldRowPanel([FieldPanel("date"), FieldPanel("is_working_day")]), FieldPanel("note")]

    class Meta:
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")
        constraints = [
            models.UniqueConstraint(fields=["calendar", "date"], name="one_exception_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y} {self.note}".strip()
