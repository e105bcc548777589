"""What every public page type shares."""

from django.db import models
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page
from wagtail.search import index

from pages.text import fold


class FoldedSearchMixin:
    """Adds an index field holding the page's searchable text without diacritics.

    The search view folds the visitor's query the same way, so a query typed with
    or without Vietnamese diacritics, in NFC or NFD, finds the same pages on every
    database backend. Override ``get_search_text`` to add a page type's own fields.
    """

    folded_search_fields = [index.SearchField("folded_search_text")]

    def get_search_text(self) -> list[str]:
        """Override to add the page type's own text to what is searched."""
        return [self.title, self.search_description]

    def folded_search_text(self) -> str:
        return fold(" ".join(part for part in self.get_search_text() if part))


class BasePage(FoldedSearchMixin, Page):
    """Abstract base for the project's page types."""

    search_fields = [*Page.search_fields, *FoldedSearchMixin.folded_search_fields]

    class Meta:
        abstract = True


class IndexPage(BasePage):
    """Abstract base of the listing pages (plans, campaigns, materials) under a home page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]

    class Meta:
        abstract = True

    def get_listing(self, request: HttpRequest) -> dict:
        """Override to return the filtered listing's template context (see pages.listings)."""
        return {}

    def get_context(self, request: HttpRequest, *args, **kwargs) -> dict:
        context = super().get_context(request, *args, **kwargs)
        context.update(self.get_listing(request))
        return context


TOPIC_HELP = _("Used by listings, search filters and feeds.")


def stream_text(stream) -> str:
    """The searchable plain text of a StreamField value."""
    if not stream:
        return ""
    return " ".join(stream.stream_block.get_searchable_content(stream))
