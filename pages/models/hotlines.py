"""Help lines shown on every page, the hotline notice and the printable poster."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel

from page_cache.fragments import remember
from pages.text import dial_number
from schools.admin_scope import SchoolScopedForm
from schools.models import School
from schools.tenancy import is_operator


class HotlineForm(SchoolScopedForm):
    """A school's administrator adds and changes their own school's lines only.

    National and provincial lines are on every school's pages, so only the
    deployment's operators change them.
    """

    def clean(self) -> dict:
        cleaned = super().clean()
        if (
            self.for_user is not None
            and not is_operator(self.for_user)
            and cleaned.get("scope") != Hotline.Scope.SCHOOL
        ):
            self.add_error(
                "scope",
                _(
                    "National and provincial lines are shown by every school; only "
                    "the site's operator changes them. Choose “School” for your "
                    "school's own line."
                ),
            )
        return cleaned


class HotlineQuerySet(models.QuerySet):
    def for_school(self, school: School | None) -> "HotlineQuerySet":
        """National and provincial lines, plus the school's own when a school is given."""
        scope = models.Q(scope__in=[Hotline.Scope.NATIONAL, Hotline.Scope.PROVINCIAL])
        if school is not None:
            scope |= models.Q(scope=Hotline.Scope.SCHOOL, school=school)
        return self.filter(scope, active=True).order_by("sort_order", "number")


class Hotline(models.Model):
    """A line people can call for help (đường dây nóng): national, provincial or a school's."""

    class Scope(models.TextChoices):
        NATIONAL = "national", _("National")
        PROVINCIAL = "provincial", _("Provincial")
        SCHOOL = "school", _("School")

    number = models.CharField(_("number"), max_length=32)
    name = models.CharField(_("name"), max_length=160)
    purpose = models.CharField(_("what it is for"), max_length=255, blank=True)
    hours = models.CharField(_("hours"), max_length=120, blank=True, help_text=_("e.g. 24/7"))
    is_free = models.BooleanField(_("free of charge"), default=False)
    scope = models.CharField(_("scope"), max_length=16, choices=Scope.choices)
    school = models.ForeignKey(
        School,
        verbose_name=_("school"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="hotlines",
        help_text=_("Only for a school's own line."),
    )
    sort_order = models.PositiveSmallIntegerField(_("display order"), default=100)
    active = models.BooleanField(_("shown on the site"), default=True)

    objects = HotlineQuerySet.as_manager()

    base_form_class = HotlineForm

    panels = [
        FieldRowPanel([FieldPanel("number"), FieldPanel("name")]),
        FieldPanel("purpose"),
        FieldRowPanel([FieldPanel("hours"), FieldPanel("is_free")]),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("scope"), FieldPanel("school")])], heading=_("Scope")
        ),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("active")]),
    ]

    class Meta:
        verbose_name = _("hotline")
        verbose_name_plural = _("hotlines")
        ordering = ["sort_order", "number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(scope="school", school__isnull=False)
                | (~models.Q(scope="school") & models.Q(school__isnull=True)),
                name="hotline_school_only_for_school_scope",
            )
        ]

    def __str__(self) -> str:
        return f"{self.number} · {self.name}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        if self.scope == self.Scope.SCHOOL and self.school_id is None:
            raise ValidationError({"school": _("Choose the school this line belongs to.")})
        if self.scope != self.Scope.SCHOOL and self.school_id is not None:
            raise ValidationError({"school": _("Only a school's own line belongs to a school.")})


def help_lines(school: School | None) -> list[Hotline]:
    """Every line to show a visitor of ``school``'s pages, in display order.

    The school's own number from its School record is added (unsaved, last) when
    no Hotline snippet carries it yet, so a school that has only filled in its
    profile still has its line on the notice, the home page and the poster.

    Kept until the next public change (a hotline or school edit is one), per
    school and language (the added line's name is translated).
    """
    school_id = school.pk if school is not None else 0
    return remember(f"help-lines:{school_id}:{get_language()}", lambda: _help_lines(school))


def _help_lines(school: School | None) -> list[Hotline]:
    lines = list(Hotline.objects.for_school(school))
    if school is not None and school.hotline:
        own = dial_number(school.hotline)
        if all(dial_number(line.number) != own for line in lines):
            lines.append(
                Hotline(
                    number=school.hotline,
                    name=str(_("School help line")),
                    scope=Hotline.Scope.SCHOOL,
                    school=school,
                )
            )
    return lines
