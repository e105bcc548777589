"""What every public page type shares, and the few lookups every public page makes.

A public page must cost a small, constant number of queries whatever the size of
the site: a campaign shared on social media brings thousands of visitors to a
two-core school server at once. Wagtail's own routing walks the tree one level at
a time (two queries a level), and ``PageQuerySet.public()`` runs a query of its
own before the one it filters; the helpers here do the same work in single queries.
"""

import hashlib

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length, Substr
from django.http import Http404, HttpRequest
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.models import Page, PageViewRestriction
from wagtail.search import index
from wagtail.url_routing import RouteResult

from page_cache.fragments import remember
from pages.text import fold, slugify
from schools.models import School

# Where a URL path led last time: (content type id, page id). Checked against the
# database on every use, so a moved, renamed or deleted page is never served from it.
ROUTE_CACHE_PREFIX = "pages:route:"
ROUTE_CACHE_SECONDS = 24 * 60 * 60
PATH_STEP = 4  # treebeard's steplen for Wagtail pages


def restricted_q() -> Exists:
    """True for a page in a private section (a view restriction on it or an ancestor).

    The same test as ``PageQuerySet.public()``, as a subquery: ``public()`` first
    fetches every restriction in a query of its own, on every call.
    """
    return Exists(
        PageViewRestriction.objects.filter(
            page__path=Substr(OuterRef("path"), 1, Length("page__path"))
        )
    )


def under_alias_q() -> Exists:
    """True for a page that is, or is below, an alias: its source's restrictions apply."""
    return Exists(
        Page.objects.filter(
            path=Substr(OuterRef("path"), 1, Length("path")), alias_of__isnull=False
        )
    )


def private_pages() -> models.QuerySet:
    """Pages in a private section, as a subquery to exclude (``pk__in``)."""
    return Page.objects.filter(restricted_q()).values("pk")


def only_public(pages: models.QuerySet) -> models.QuerySet:
    """``pages`` without those in a private section, in the same single query."""
    return pages.exclude(restricted_q())


def ancestor_paths(path: str) -> list[str]:
    """The tree paths of a page and all its ancestors."""
    return [path[:end] for end in range(PATH_STEP, len(path) + 1, PATH_STEP)]


def _route_cache_key(url_path: str) -> str:
    return ROUTE_CACHE_PREFIX + hashlib.md5(url_path.encode(), usedforsecurity=False).hexdigest()


def find_live_page(url_path: str) -> Page | None:
    """The live page at ``url_path``, as its specific type, or None.

    One query when the path's page is known from an earlier request, two when not
    (its id and type, then the page). The page comes annotated with whether view
    restrictions may apply to it, so serving a public page needs no query for them.
    """
    known = cache.get(_route_cache_key(url_path))
    if known is not None:
        # The live page itself is kept until the next public change (a publish,
        # a move, a restriction edited): a draft saved changes nothing it shows.
        page = remember(
            f"live-page:{known[0]}:{known[1]}:{_route_cache_key(url_path)}",
            lambda: _fetch_specific(*known, url_path),
        )
        if page is not None:
            return page
    found = Page.objects.filter(url_path=url_path).values_list("content_type_id", "pk").first()
    if found is None:
        return None
    cache.set(_route_cache_key(url_path), found, ROUTE_CACHE_SECONDS)
    return _fetch_specific(*found, url_path)


def _fetch_specific(content_type_id: int, pk: int, url_path: str) -> Page | None:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    if model is None or not issubclass(model, Page):
        return None
    pages = model.objects.filter(pk=pk, url_path=url_path, live=True)
    related = getattr(model, "route_select_related", ())
    if related:
        pages = pages.select_related(*related)
    page = pages.annotate(_restricted=restricted_q(), _under_alias=under_alias_q()).first()
    if page is not None:
        page._may_be_restricted = page._restricted or page._under_alias
    return page


def school_for(request: HttpRequest | None, page: Page | None) -> School | None:
    """The school whose section contains ``page`` (the nearest), memoised on the request.

    The header, the body and the footer of a page all ask, and so may the page's
    context; the school comes with its home page, which the navigation starts from.
    """
    path = getattr(page, "path", None)
    if not path:
        return None
    memo = getattr(request, "_pages_school_for_path", None) if request is not None else None
    if memo is None:
        memo = {}
        if request is not None:
            request._pages_school_for_path = memo
    if path not in memo:
        # Kept until the next public change (a page moved, a school edited).
        memo[path] = remember(
            f"school-for:{path}", lambda: School.objects.select_related("root_page").for_page(page)
        )
    return memo[path]


def school_sections() -> tuple[tuple[str, str], ...]:
    """(tree path of the home page, name) of every school, deepest first.

    Read once for a whole list of pages (search results, the portal's listings)
    that each need to say whose they are; kept until the next public change, and
    shared by the process's requests (a province's thousand schools took milliseconds
    to unpickle for each).
    """
    return remember(
        "school-sections",
        lambda: tuple(
            sorted(
                School.objects.values_list("root_page__path", "name"),
                key=lambda section: -len(section[0] or ""),
            )
        ),
        shared=True,
    )


def school_name_for(path: str, sections: tuple[tuple[str, str], ...]) -> str:
    """The name of the school whose section holds the page at ``path``, or ""."""
    return next((name for root, name in sections if root and path.startswith(root)), "")


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
    """Abstract base for the project's page types.

    Routing below a page of ours looks the whole remaining path up at once
    (``find_live_page``) instead of one tree level at a time. That is only right
    while no page type adds routes of its own: a type using ``RoutablePageMixin``
    or overriding ``route`` must not rely on it.
    """

    search_fields = [*Page.search_fields, *FoldedSearchMixin.folded_search_fields]
    # Foreign keys the page's own template shows, fetched with the page when routed.
    route_select_related: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def route(self, request: HttpRequest, path_components: list[str]) -> RouteResult:
        if not path_components:
            return super().route(request, path_components)
        page = find_live_page(self.url_path + "/".join(path_components) + "/")
        if page is None or not page.path.startswith(self.path):
            raise Http404
        return RouteResult(page)

    def _set_core_field_defaults(self) -> None:
        """Fill an empty slug from the title with every letter kept ("đường" → "duong").

        Wagtail 8.0 fills it with Django's ``slugify``, which drops "đ" (and with
        ``WAGTAIL_ALLOW_UNICODE_SLUGS`` off, nothing else is kept). Overrides a private
        Wagtail method; ``tests/pages/test_slugs.py`` fails if it stops being called.
        """
        if not self.slug and (self.path or getattr(self, "_cached_parent_obj", None)):
            base_slug = slugify(self.title)
            if base_slug:
                self.slug = self._get_autogenerated_slug(base_slug)
        super()._set_core_field_defaults()

    def get_view_restrictions(self) -> models.QuerySet:
        """Wagtail's check in one query, or none when routing already found no restriction."""
        if getattr(self, "_may_be_restricted", None) is False:
            return PageViewRestriction.objects.none()
        paths = ancestor_paths(self.path)
        aliased = Page.objects.filter(path__in=paths, alias_of__isnull=False).values("alias_of")
        return PageViewRestriction.objects.filter(Q(page__path__in=paths) | Q(page__in=aliased))


class RowsShownMixin:
    """For a page type that shows rows of other tables: topics, files, a plan's tables.

    Published rows change only on a public change, so they are read once and kept
    until the next one (``remember``). A preview or a revision has its rows in
    memory, not in the database, and is read afresh.
    """

    # The start of the kept value's name; each page type reading other rows needs its own.
    shown_key = ""

    @cached_property
    def _shown(self) -> dict:
        if getattr(self, "_cluster_related_objects", None) or not self.pk:
            return self._read_shown()
        return remember(f"{self.shown_key}:{self.pk}", self._read_shown)

    def _read_shown(self) -> dict:
        """Override: everything the page shows from other rows, by name."""
        return {}


class IndexPage(BasePage):
    """Abstract base of the listing pages (plans, campaigns, materials) under a home page."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*BasePage.content_panels, FieldPanel("intro")]
    parent_page_types = ["pages.HomePage"]
    # The function of ``pages.listings`` that reads this index's filters and results.
    listing_function = ""

    class Meta:
        abstract = True

    def get_listing(self, request: HttpRequest) -> dict:
        """The filtered listing's template context, from ``listing_function``."""
        if not self.listing_function:
            return {}
        # Imported when called: pages.listings imports the page models.
        from pages import listings

        return getattr(listings, self.listing_function)(self, request)

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
