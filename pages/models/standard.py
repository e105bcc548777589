"""General pages and the hotline notice."""

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from pages.blocks import StoryBlock
from pages.models.base import BasePage, school_for, stream_text


class StandardPage(BasePage):
    """Any other page: about the counselling team, how a case is handled, the privacy notice."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.HomePage", "pages.StandardPage"]
    subpage_types = ["pages.StandardPage"]

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")

    def get_search_text(self) -> list[str]:
        return [*super().get_search_text(), self.intro, stream_text(self.body)]


class HotlineNoticePage(BasePage):
    """Thông báo đường dây nóng: every number to call, national and the school's own, with hours.

    The numbers come from the Hotline snippets, so one edit updates the notice,
    the header strip and the printable poster together.
    """

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(StoryBlock(), verbose_name=_("body"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [*BasePage.search_fields, index.SearchField("intro"), index.SearchField("body")]

    parent_page_types = ["pages.HomePage"]
    subpage_types: list[str] = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("hotline notice")
        verbose_name_plural = _("hotline notices")

    def get_search_text(self) -> list[str]:
        return [*super().get_search_text(), self.intro, stream_text(self.body)]

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        from pages.models.hotlines import help_lines

        context = super().get_context(request, *args, **kwargs)
        context["hotlines"] = help_lines(school_for(request, self))
        return context
