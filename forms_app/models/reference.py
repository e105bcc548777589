"""Reference lists an administrator edits in the admin, never constants in code.

The official annexes of the circulars were not available when this was built
(see shared/design/case-templates.md): categories, criteria, need domains and
receiving bodies must change without a release.

Nothing here is encrypted: these are public institutions and lists (a receiving
body's phone and address are those of a commune office or a hotline), never a
child or a family.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel

from schools.admin_scope import SchoolScopedForm


class ReferenceItem(models.Model):
    """Common shape of an editable list entry: a name, an order, and whether it is offered."""

    name = models.CharField(_("name"), max_length=255)
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    active = models.BooleanField(
        _("offered in forms"),
        default=True,
        help_text=_("Untick to stop offering it; records that used it keep it."),
    )

    panels = [FieldPanel("name"), FieldPanel("sort_order"), FieldPanel("active")]

    class Meta:
        abstract = True
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class IssueCategory(ReferenceItem):
    """Loại vấn đề of a case (Mẫu 01): bị bạo lực, bị bắt nạt, bỏ học…"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("issue category")
        verbose_name_plural = _("issue categories")


class RatingCriterion(ReferenceItem):
    """A row of the harm or the resilience table of Mẫu 02 and Mẫu 04."""

    class Table(models.TextChoices):
        HARM = "harm", _("Level of harm")
        RESILIENCE = "resilience", _("Self-protection and recovery")

    table = models.CharField(_("table"), max_length=16, choices=Table.choices)

    panels = [FieldPanel("table"), *ReferenceItem.panels]

    class Meta(ReferenceItem.Meta):
        verbose_name = _("rating criterion")
        verbose_name_plural = _("rating criteria")
        ordering = ["table", "sort_order", "name"]


class NeedDomain(ReferenceItem):
    """A domain of need assessed in Mẫu 02: an toàn, y tế, tâm lý, học tập…"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("need domain")
        verbose_name_plural = _("need domains")


class ReceivingBody(ReferenceItem):
    """Where a case can be referred outside the school: 111, the commune People's Committee…

    Since the 2025 reorganisation these differ by place, so each school may add its own.
    """

    school = models.ForeignKey(
        "schools.School",
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="receiving_bodies",
        help_text=_("Leave empty for bodies every school can refer to (e.g. 111)."),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)

    base_form_class = SchoolScopedForm

    panels = [
        *ReferenceItem.panels,
        FieldPanel("school"),
        FieldPanel("phone"),
        FieldPanel("address"),
    ]

    class Meta(ReferenceItem.Meta):
        verbose_name = _("receiving body")
        verbose_name_plural = _("receiving bodies")


class ActivityPartner(ReferenceItem):
    """Who helps carry out a plan's activity: gia đình, GVCN, Đoàn/Đội, y tế, UBND xã…"""

    class Meta(ReferenceItem.Meta):
        verbose_name = _("activity partner")
        verbose_name_plural = _("activity partners")
