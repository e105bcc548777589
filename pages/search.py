"""Public search over a site's published pages and the documents they publish.

Vietnamese visitors type "bạo lực học đường" precomposed (NFC) or decomposed
(NFD, pasted from some documents), or "bao luc hoc duong" on a keyboard without
Vietnamese input. Pages index a folded copy of their text
(``FoldedSearchMixin.folded_search_text``) and documents a folded title
(``SiteDocument.folded_title``); the query is folded the same way here, so all
three spellings meet on the folded copy.

Two things the database search backend does not allow shape this module:

- ``.search(query, fields=["folded_search_text"])`` works on neither engine: the
  SQLite FTS table has only ``title``/``body``/``autocomplete`` columns, so another
  name is an FTS5 syntax error, and PostgreSQL builds a ``SearchVector`` on a
  database column of that name, which a method is not. The folded copy is part of
  each entry's body, so the whole entry is searched instead.
- Filters on a searched queryset must be declared ``FilterField``s (topics are not
  on ``Page``). Candidates are therefore chosen with the ordinary ORM and reach the
  backend as a single ``id__in`` subquery; ``id`` is a filter field of every page and
  document.

Ranking on SQLite, the default database of a school's server. The backend orders
by relevance with a correlated subquery per matching object that runs the FTS5
``MATCH`` again, so a common word over a few thousand pages took half a second.
``FTSRanking`` asks the same question once, straight on the FTS table: the
backend's own ``MATCH`` expression, its own score (``bm25`` weighted by the
entry's ``title_norm``, lowest first, ties by newest id) and the same candidates,
pages and documents in one query that returns the shown slice in order with both
totals. On PostgreSQL, ``pages.search_postgres.PostgresRanking`` does the same with
the backend's score and its GIN index (the backend's own filter reads every entry).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.http import urlencode
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext_lazy as _
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page, PageQuerySet, Site
from wagtail.search.backends import get_search_backend

from page_cache.fragments import remember
from pages.links import PageLinks
from pages.listings import topic_choices
from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    HotlineNoticePage,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    PlanAttachment,
    PlanIndexPage,
    PlanPage,
    SiteDocument,
    StandardPage,
)
from pages.models.base import only_public, school_for, school_name_for, school_sections
from pages.text import fold
from schools.models import School

PAGE_SIZE = 20
# Longer input is cut rather than refused: nobody searches with a paragraph.
MAX_QUERY_LENGTH = 200
SNIPPET_WORDS = 30

TYPE_MODELS: dict[str, type[Page]] = {
    "plan": PlanPage,
    "campaign": CampaignPage,
    "material": MaterialPage,
}
OTHER_PAGES = "page"
TYPE_CHOICES = [
    *((key, capfirst(model._meta.verbose_name_plural)) for key, model in TYPE_MODELS.items()),
    (OTHER_PAGES, _("Other pages")),
]
TOPIC_MODELS: tuple[type[Page], ...] = (PlanPage, CampaignPage, MaterialPage)

# Letters and digits only: quotes, "*", "%" and words like AND would otherwise
# reach the engines' query syntax (SQLite FTS5 fails on an unbalanced quote).
WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Result:
    """One line of the result list, the same shape for a page and a document."""

    title: str
    url: str
    kind: str
    detail: str = ""
    snippet: str = ""
    source_title: str = ""
    source_url: str = ""
    school: str = ""


class ConcatenatedResults:
    """Search results of pages, then of documents, read as one sequence.

    Lets one ``Paginator`` page through both while each backend query still
    fetches only the slice shown.
    """

    def __init__(self, *parts: Sequence) -> None:
        self.parts = parts

    @cached_property
    def sizes(self) -> list[int]:
        return [part.count() for part in self.parts]

    def count(self) -> int:
        return sum(self.sizes)

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, key: slice) -> list:
        start = key.start or 0
        stop = self.count() if key.stop is None else key.stop
        items: list = []
        offset = 0
        for part, size in zip(self.parts, self.sizes, strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                items.extend(part[low:high])
            offset += size
        return items


def fts_match(words: list[str]) -> str:
    """The FTS5 query the SQLite backend builds: every word, in the title or the body.

    ``words`` are letters and digits (``WORD``); quotes are doubled all the same,
    and the expression only ever reaches SQL as a bound parameter.
    """
    quoted = " AND ".join('"{}"'.format(word.replace('"', '""')) for word in words)
    return f"{{title body}} : ({quoted})"


class FTSRanking:
    """Pages, then documents, matching every word, ranked as the SQLite backend ranks them.

    One query returns the shown slice with both totals (window sums over every
    hit, computed before ``LIMIT``), so a results page costs one pass over the
    FTS index instead of a count and a ranking per model, and the backend's
    rescan of the index per hit (see the module docstring) is gone.
    """

    # Every hit is counted: one school's site is small enough (PostgresRanking caps).
    capped = False

    def __init__(self, pages: PageQuerySet, words: list[str]) -> None:
        self.using = pages.db
        ops = connections[self.using].ops
        page_sql, page_params = (
            pages.order_by().values("pk").query.get_compiler(using=self.using).as_sql()
        )
        # The candidate pages are read once, for the pages and for the documents,
        # which count only when a candidate page publishes them.
        self.candidates_sql = f"WITH candidate(id) AS MATERIALIZED ({page_sql}) "
        links = []
        for model in (PlanAttachment, MaterialFile):
            table = ops.quote_name(model._meta.db_table)
            document = ops.quote_name(model._meta.get_field("document").column)
            page = ops.quote_name(model._meta.get_field("page").column)
            links.append(f"SELECT {document} FROM {table} WHERE {page} IN candidate")
        page_types = get_descendants_content_types_pks(Page)
        document_types = get_descendants_content_types_pks(SiteDocument)

        def placeholders(values: list) -> str:
            return ", ".join(["%s"] * len(values))

        self.kind_sql = (
            "SELECT CASE WHEN entry.content_type_id IN"
            f" ({placeholders(document_types)}) THEN 1 ELSE 0 END AS kind,"
            " entry.object_id AS object_id"
        )
        self.hits_sql = (
            " FROM wagtailsearch_indexentry_fts"
            " INNER JOIN wagtailsearch_indexentry entry"
            " ON wagtailsearch_indexentry_fts.rowid = entry.id"
            " WHERE wagtailsearch_indexentry_fts MATCH %s AND ("
            # object_id is text, the ids integers: SQLite compares them as numbers.
            f"(entry.content_type_id IN ({placeholders(page_types)})"
            " AND entry.object_id IN candidate)"
            f" OR (entry.content_type_id IN ({placeholders(document_types)})"
            f" AND entry.object_id IN ({links[0]} UNION {links[1]})))"
        )
        self.hits_params = [
            *page_params,
            *document_types,
            fts_match(words),
            *page_types,
            *document_types,
        ]

    def fetch(self, offset: int, limit: int) -> tuple[list[tuple[int, int]], int, int]:
        """The (kind, id) of hits ``offset`` to ``offset + limit``, pages first, and both totals.

        Totals are 0 when the slice is empty, even if there are hits before it.
        """
        # The backend's score: bm25() (negative, lower is better) weighted by the
        # entry's title length, so a title match ranks above a body-only one;
        # ties newest first, which also keeps each page of results stable.
        sql = (
            f"{self.candidates_sql}"
            "SELECT kind, object_id, SUM(1 - kind) OVER (), SUM(kind) OVER ()"
            f" FROM ({self.kind_sql}, bm25(wagtailsearch_indexentry_fts) * entry.title_norm"
            f" + bm25(wagtailsearch_indexentry_fts) AS score{self.hits_sql}) hit"
            " ORDER BY kind, score, CAST(object_id AS INTEGER) DESC LIMIT %s OFFSET %s"
        )
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*self.hits_params, limit, offset])
            rows = cursor.fetchall()
        if not rows:
            return [], 0, 0
        return [(kind, int(object_id)) for kind, object_id, *_ in rows], rows[0][2], rows[0][3]

    def count(self) -> int:
        """How many pages and documents match, for a page number past the end."""
        sql = f"{self.candidates_sql}SELECT COUNT(*) FROM ({self.kind_sql}{self.hits_sql}) hit"
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, self.hits_params)
            return cursor.fetchone()[0]


class FetchedPage:
    """One page of results already read, with the total, as ``Paginator`` reads a list."""

    def __init__(self, items: list, start: int, total: int, *, more: bool = False) -> None:
        self.items = items
        self.start = start
        self.total = total
        # More hits than ``total`` exist, of which only the first ``total`` are shown.
        self.more = more

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, key: slice) -> list:
        return self.items[(key.start or 0) - self.start : (key.stop or self.total) - self.start]


def page_number(value: str | None) -> int:
    """The page asked for, as ``Paginator.get_page`` reads it: not a number means the first."""
    try:
        number = int(value or 1)
    except ValueError:
        return 1
    # Far past any last page, and small enough for an SQL integer.
    return min(number, 10**9)


def fts_results(
    request: HttpRequest, pages: PageQuerySet, terms: str, *, within_school: bool = False
) -> FetchedPage:
    """The page of results asked for, found with ``FTSRanking`` (SQLite) or ``PostgresRanking``.

    Three queries whatever the data size: the ranked slice with the totals, then
    the pages and documents shown, loaded by id (on PostgreSQL, over many
    candidates, one more: the hits counted up to a thousand). A page number past
    the end, or below 1, shows the last page, as ``Paginator.get_page`` does.
    ``within_school`` says the pages are one school's (a hundred or so, not a
    province's 100,000), which PostgreSQL finds best another way. The page is
    ``more`` when only the first hits are counted and shown.
    """
    if uses_sqlite_fts():
        ranking = FTSRanking(pages, terms.split())
    else:
        # Imports the PostgreSQL backend, which SQLite installs need not load.
        from pages.search_postgres import PostgresRanking

        ranking = PostgresRanking(pages, terms.split(), few_candidates=within_school)
    number = page_number(request.GET.get("page"))
    hits, page_total, document_total = [], 0, 0
    if number >= 1:
        hits, page_total, document_total = ranking.fetch((number - 1) * PAGE_SIZE, PAGE_SIZE)
    if not hits and number != 1:
        number = max(1, -(-ranking.count() // PAGE_SIZE))
        hits, page_total, document_total = ranking.fetch((number - 1) * PAGE_SIZE, PAGE_SIZE)
    page_ids = [object_id for kind, object_id in hits if kind == 0]
    document_ids = [object_id for kind, object_id in hits if kind == 1]
    found = {
        0: Page.objects.in_bulk(page_ids) if page_ids else {},
        1: SiteDocument.objects.in_bulk(document_ids) if document_ids else {},
    }
    # A hit deleted since the ranking is left out rather than failing the page.
    items = [found[kind][object_id] for kind, object_id in hits if object_id in found[kind]]
    return FetchedPage(
        items, (number - 1) * PAGE_SIZE, page_total + document_total, more=ranking.capped
    )


def uses_postgres_search() -> bool:
    """Whether search runs on the PostgreSQL backend, whose ranking ``PostgresRanking`` replaces."""
    return type(get_search_backend()).__name__ == "PostgresSearchBackend"


def uses_sqlite_fts() -> bool:
    """Whether search runs on the SQLite FTS5 backend, whose ranking ``FTSRanking`` replaces."""
    # By name: the module that defines the class cannot be imported on PostgreSQL.
    return type(get_search_backend()).__name__ == "SQLiteSearchBackend"


def search_terms(query: str) -> str:
    """The folded words of ``query``, as the index holds them, or "" if there are none."""
    return " ".join(WORD.findall(fold(query[:MAX_QUERY_LENGTH])))


def read_filters(request: HttpRequest, topics: list[tuple[str, str]]) -> dict[str, str]:
    """The type and topic filters in force; unknown values count as no filter.

    ``topics`` are the (slug, name) choices the form offers, already read.
    """
    page_type = request.GET.get("type", "")
    if page_type not in TYPE_MODELS and page_type != OTHER_PAGES:
        page_type = ""
    topic = request.GET.get("topic", "")
    if topic not in {slug for slug, _name in topics}:
        topic = ""
    return {"type": page_type, "topic": topic}


@dataclass(frozen=True)
class Scope:
    """Where a search looks: one school's section, or the whole site it is served on.

    ``own_site`` is true when the site itself is the school's (its own domain): the
    rest of the portal is then on another site.
    """

    site: Site | None
    school: School | None = None
    own_site: bool = False

    @property
    def root(self) -> Page | None:
        return (
            self.school.root_page if self.school else (self.site.root_page if self.site else None)
        )


def search_scope(request: HttpRequest) -> Scope:
    """The school a search is limited to: the site's own, else ``?school=<code>``.

    A school's pages link to the search with their school's code, so a pupil who
    searches from them finds their school's plans first; an unknown code, or a
    school outside the site, searches the whole site.
    """
    site = Site.find_for_request(request)
    if site is None:
        return Scope(site=None)
    code = request.GET.get("school", "").strip().upper()
    if code and len(code) <= 10:
        school = remember(
            f"school-by-code:{code}",
            lambda: School.objects.select_related("root_page").filter(code=code).first(),
        )
        # A school inside the site: the site is the school's own, or the portal it is
        # a section of (schools do not nest), so no second lookup is needed.
        if school is not None and school.root_page.path.startswith(site.root_page.path):
            own_site = school.root_page_id == site.root_page_id
            return Scope(site=site, school=school, own_site=own_site)
    own = school_for(request, site.root_page)
    if own is not None:
        return Scope(site=site, school=own, own_site=True)
    return Scope(site=site)


def whole_portal_url(request: HttpRequest, scope: Scope, query: str) -> str:
    """The same search over the whole portal, from a search limited to one school."""
    search_url = reverse("search") + "?" + urlencode({"q": query})
    if not scope.own_site:
        return search_url
    portal = Site.objects.filter(is_default_site=True).first()
    if portal is None or portal.pk == scope.site.pk:
        return ""
    return portal.root_url + search_url


def candidate_pages(request: HttpRequest, filters: dict[str, str], scope: Scope) -> PageQuerySet:
    """Live, public pages of the searched school or site that pass the filters."""
    pages = only_public(Page.objects.live())
    if scope.root is not None:
        pages = pages.descendant_of(scope.root, inclusive=True)
    if filters["type"] in TYPE_MODELS:
        pages = pages.type(TYPE_MODELS[filters["type"]])
    elif filters["type"] == OTHER_PAGES:
        pages = pages.not_type(*TYPE_MODELS.values())
    if filters["topic"]:
        # Pages without topics cannot have the one asked for.
        tagged = Q()
        for model in TOPIC_MODELS:
            tagged |= Q(pk__in=model.objects.filter(topics__slug=filters["topic"]).values("pk"))
        pages = pages.filter(tagged)
    return pages


def published_documents(pages: PageQuerySet) -> QuerySet[SiteDocument]:
    """Documents attached to ``pages``: never a file uploaded but not yet published."""
    page_ids = pages.values("pk")
    return SiteDocument.objects.filter(
        Q(pk__in=PlanAttachment.objects.filter(page__in=page_ids).values("document"))
        | Q(pk__in=MaterialFile.objects.filter(page__in=page_ids).values("document"))
    )


# The text a result shows under its title, by page type: read for the whole
# page of results in one query rather than by loading each page as its type.
def snippet_fields() -> dict[type[Page], str]:
    """Each page type's introduction, shown under a result without a search description."""
    return {
        PlanPage: "summary",
        HomePage: "intro",
        CampaignPage: "intro",
        MaterialPage: "intro",
        StandardPage: "intro",
        HotlineNoticePage: "intro",
        PlanIndexPage: "intro",
        CampaignIndexPage: "intro",
        MaterialIndexPage: "intro",
    }


def page_snippets(pages: list[Page]) -> dict[int, str]:
    """The snippet of each of ``pages``: its search description, else its introduction.

    The introductions are read in one query, a ``UNION ALL`` over only the page
    types shown: joining every type's table to the page table instead cost
    PostgreSQL 5 to 10 ms of planning per search for a 2 ms query.
    """
    texts = {page.pk: page.search_description for page in pages if page.search_description}
    wanted: dict[tuple[type[Page], str], list[int]] = {}
    fields = snippet_fields()
    for page in pages:
        field = fields.get(page.specific_class)
        if page.pk not in texts and field:
            wanted.setdefault((page.specific_class, field), []).append(page.pk)
    parts = [
        model.objects.filter(pk__in=ids).order_by().values_list("pk", field)
        for (model, field), ids in wanted.items()
    ]
    if parts:
        texts.update(parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0])
    return {
        pk: Truncator(strip_tags(text or "")).words(SNIPPET_WORDS) for pk, text in texts.items()
    }


def document_sources(document_ids: list[int], pages: PageQuerySet) -> dict[int, Page]:
    """For each document, the first (by title) of ``pages`` that attaches it, in one query."""
    page_ids = pages.values("pk")
    links = [
        model.objects.filter(document__in=document_ids, page__in=page_ids)
        .order_by()
        .values_list("document_id", "page_id", "page__title", "page__url_path", "page__path")
        for model in (PlanAttachment, MaterialFile)
    ]
    sources: dict[int, Page] = {}
    for document_id, page_id, title, url_path, path in sorted(
        links[0].union(links[1], all=True), key=lambda link: link[2]
    ):
        # Enough of a page to give its URL (Wagtail builds it from url_path alone)
        # and its school (from its tree path).
        sources.setdefault(document_id, Page(id=page_id, title=title, url_path=url_path, path=path))
    return sources


def as_results(items: list, request: HttpRequest, pages: PageQuerySet) -> list[Result]:
    """The results shown, with a document's page so the visitor sees its context."""
    document_ids = [item.pk for item in items if isinstance(item, SiteDocument)]
    sources = document_sources(document_ids, pages) if document_ids else {}
    snippets = page_snippets([item for item in items if not isinstance(item, SiteDocument)])
    sections = school_sections() if items else []
    links = PageLinks.for_request(request)

    results = []
    for item in items:
        if isinstance(item, SiteDocument):
            source = sources.get(item.pk)
            results.append(
                Result(
                    title=item.title,
                    url=item.url,
                    kind=capfirst(SiteDocument._meta.verbose_name),
                    detail=item.file_extension.upper(),
                    source_title=source.title if source else "",
                    source_url=(links.url(source) or "") if source else "",
                    school=school_name_for(source.path, sections) if source else "",
                )
            )
        else:
            model = item.specific_class or Page
            results.append(
                Result(
                    title=item.title,
                    url=links.url(item) or "",
                    kind=capfirst(model._meta.verbose_name),
                    snippet=snippets.get(item.pk, ""),
                    school=school_name_for(item.path, sections),
                )
            )
    return results


def search(request: HttpRequest) -> HttpResponse:
    """Find the site's published pages and documents, with or without diacritics.

    The query is folded as the index is (see the module docstring), so "bạo lực"
    in NFC or NFD and "bao luc" find the same things on SQLite and PostgreSQL.
    Only live, public pages of the visitor's site (or of the school searched from,
    see ``search_scope``) are searched, and only documents those pages publish.
    The query is kept as typed for the search box.
    """
    query = request.GET.get("q", "")
    terms = search_terms(query)
    topics = topic_choices()
    filters = read_filters(request, topics)
    scope = search_scope(request)
    context = {
        # The header's school: its name, menu and help line stay on the results.
        "section_school": scope.school,
        "scope_code": scope.school.code if scope.school and not scope.own_site else "",
        "whole_portal_url": whole_portal_url(request, scope, query) if scope.school else "",
        "query": query,
        "searched": bool(query.strip()),
        "filters": filters,
        "filtered": bool(filters["type"] or filters["topic"]),
        "type_choices": TYPE_CHOICES,
        "topic_choices": topics,
        "results": [],
        "results_page": None,
        "result_count": 0,
    }
    if terms:
        pages = candidate_pages(request, filters, scope)
        if uses_sqlite_fts() or uses_postgres_search():
            fetched = fts_results(request, pages, terms, within_school=scope.school is not None)
            results_page = Paginator(fetched, PAGE_SIZE).get_page(fetched.start // PAGE_SIZE + 1)
            context["more_results"] = fetched.more
        else:
            page_hits = Page.objects.filter(pk__in=pages.values("pk")).search(terms, operator="and")
            document_hits = SiteDocument.objects.filter(
                pk__in=published_documents(pages).values("pk")
            ).search(terms, operator="and")
            paginator = Paginator(ConcatenatedResults(page_hits, document_hits), PAGE_SIZE)
            results_page = paginator.get_page(request.GET.get("page"))
        paginator = results_page.paginator
        context.update(
            results=as_results(list(results_page.object_list), request, pages),
            results_page=results_page,
            result_count=paginator.count,
        )
    return render(request, "pages/search.html", context)
