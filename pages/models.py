"""Public page types.

The public side never imports ``forms_app``: nothing here can reach a case.
"""

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page

from schools.models import School


class HomePage(Page):
    """Trang chủ: the home of a school's site, or of a district portal that links to its schools.

    A school's home page may sit under the district portal, so every school is
    reachable both as a section of the portal and as a Wagtail ``Site`` of its own.
    """

    # Content
    intro = RichTextField(
        _("introduction"),
        blank=True,
        features=["bold", "italic", "link", "ol", "ul"],
        help_text=_("A few sentences on who we are and how a pupil or parent can ask for help."),
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page", "pages.HomePage"]
    subpage_types = ["pages.HomePage"]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        children = list(HomePage.objects.child_of(self).live().public().order_by("title"))
        schools = {s.root_page_id: s for s in School.objects.filter(root_page__in=children)}
        context["member_sites"] = [(child, schools.get(child.pk)) for child in children]
        return context

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")
