"""Schools, the districts they belong to, and who works for which school in which role."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel

from schools.forms import SchoolForm
from schools.roles import Role

code_validator = RegexValidator(
    r"^[A-Z][A-Z0-9]{1,9}$",
    _("Use 2–10 capital letters or digits, starting with a letter (e.g. AL)."),
)


class District(models.Model):
    """The body overseeing a group of schools: Phòng GD&ĐT, or a ward/commune People's Committee.

    It owns the portal page that links to its schools' sites and is the scope of
    the aggregate reports a district officer reads.
    """

    class Kind(models.TextChoices):
        EDUCATION_OFFICE = "education_office", _("District education office (Phòng GD&ĐT)")
        PEOPLES_COMMITTEE = "peoples_committee", _("Ward/commune People's Committee")
        EDUCATION_DEPARTMENT = "education_department", _("Provincial education department")

    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(_("code"), max_length=10, unique=True, validators=[code_validator])
    kind = models.CharField(
        _("kind"), max_length=32, choices=Kind.choices, default=Kind.EDUCATION_OFFICE
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    root_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("portal page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("code"), FieldPanel("kind")]),
        FieldRowPanel([FieldPanel("address"), FieldPanel("phone")]),
        FieldPanel("root_page"),
    ]

    class Meta:
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolQuerySet(models.QuerySet):
    def for_user(self, user) -> "SchoolQuerySet":
        """Schools the user belongs to in any role (all of them for a superuser)."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self.all()
        return self.filter(memberships__user=user).distinct()

    def for_page(self, page) -> "School | None":
        """The school whose section contains ``page`` (the nearest), or None.

        Worked out from the page tree rather than the host name, so a school's
        section is recognised whether it is reached through its own domain or as
        a part of the district portal.
        """
        path = getattr(page, "path", None)
        if not path:
            return None
        step = 4  # treebeard's steplen for Wagtail pages
        ancestors = [path[:i] for i in range(step, len(path) + 1, step)]
        return self.filter(root_page__path__in=ancestors).order_by("-root_page__depth").first()


class School(ClusterableModel):
    """A school (trường) with its own public section and its own confidential cases.

    ``code`` prefixes case references (AL-2026-0007), so it never changes once
    cases exist.
    """

    class Level(models.TextChoices):
        PRESCHOOL = "preschool", _("Preschool")
        PRIMARY = "primary", _("Primary school")
        LOWER_SECONDARY = "lower_secondary", _("Lower secondary school")
        UPPER_SECONDARY = "upper_secondary", _("Upper secondary school")
        MULTI_LEVEL = "multi_level", _("Multi-level school")

    # Identity
    district = models.ForeignKey(
        District,
        verbose_name=_("district"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="schools",
    )
    name = models.CharField(_("name"), max_length=255)
    code = models.CharField(
        _("code"),
        max_length=10,
        unique=True,
        validators=[code_validator],
        help_text=_("Short code used in case references, e.g. AL in AL-2026-0007."),
    )
    level = models.CharField(_("level"), max_length=32, choices=Level.choices)
    # The "địa danh" of Nghị định 30/2020: where the school is, not what it is called.
    place_name = models.CharField(
        _("place name on dated documents"),
        max_length=100,
        blank=True,
        help_text=_(
            "The ward or commune (or the district or province) written before the date on "
            "printed records, as in “Hòa Bản, ngày 05 tháng 3 năm 2026”. Not the school's "
            "name. Left blank, the records leave a space to write it by hand."
        ),
    )

    # Contact
    address = models.CharField(_("address"), max_length=255, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    hotline = models.CharField(
        _("school hotline"),
        max_length=32,
        blank=True,
        help_text=_("The school's own help line, shown beside 111 on every page of its site."),
    )
    email = models.EmailField(_("e-mail"), blank=True)

    # Where it lives on the site
    root_page = models.OneToOneField(
        "wagtailcore.Page",
        verbose_name=_("home page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="school",
    )
    collection = models.ForeignKey(
        "wagtailcore.Collection",
        verbose_name=_("media collection"),
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = SchoolQuerySet.as_manager()

    base_form_class = SchoolForm

    panels = [
        MultiFieldPanel(
            [
                FieldPanel("name"),
                FieldRowPanel([FieldPanel("code"), FieldPanel("level")]),
                FieldPanel("district"),
                FieldPanel("place_name"),
            ],
            heading=_("School"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("address"),
                FieldRowPanel([FieldPanel("phone"), FieldPanel("hotline")]),
                FieldPanel("email"),
            ],
            heading=_("Contact"),
        ),
        FieldPanel("root_page"),
        InlinePanel("memberships", heading=_("Staff"), label=_("Staff member")),
    ]

    class Meta:
        verbose_name = _("school")
        verbose_name_plural = _("schools")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def staff(self) -> models.QuerySet:
        """Users who hold any role at this school, and only this school's."""
        from django.contrib.auth import get_user_model

        return (
            get_user_model()
            .objects.filter(school_memberships__school=self, is_active=True)
            .distinct()
            .order_by("last_name", "first_name", "username")
        )


class Membership(models.Model):
    """A user's role at one school; a user may hold several, at one or more schools."""

    school = ParentalKey(
        School, verbose_name=_("school"), on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="school_memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)

    panels = [FieldRowPanel([FieldPanel("user"), FieldPanel("role")])]

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["school", "user", "role"], name="unique_membership_per_role"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.school}"


class RoleGroup(models.Model):
    """Marks a Django group as managed by the role matrix, for one role and optionally one school.

    Kept as a table rather than inferred from group names so that renaming a
    school or a group never loses track of which groups sync may change.
    """

    role = models.CharField(max_length=32, choices=Role.choices)
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="role_groups"
    )
    group = models.OneToOneField("auth.Group", on_delete=models.CASCADE, related_name="role_link")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["role"],
                condition=models.Q(school__isnull=True),
                name="one_global_group_per_role",
            ),
            models.UniqueConstraint(
                fields=["role", "school"],
                condition=models.Q(school__isnull=False),
                name="one_school_group_per_role",
            ),
        ]

    def __str__(self) -> str:
        return self.group.name
