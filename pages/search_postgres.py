"""Ranking public search results on PostgreSQL in one query, as ``FTSRanking`` does on SQLite.

Wagtail's database backend (``modelsearch`` 1.3) filters on ``title || body`` of each
index entry, an expression no index covers, so every search read and concatenated
every entry's vectors: over 100,000 pages, 2 to 10 seconds (``bench/pg_search_measure.py``).
It then counted pages and documents in two more queries of the same shape.

Here the filter is ``body @@ query`` alone, which the backend's GIN index on ``body``
answers. That finds the same entries: the query is folded (``pages.search.search_terms``)
and the body of every entry holds the folded copy of the title (pages index
``folded_search_text``, which starts with the title; documents ``folded_title``), so a
folded word of the title is always in the body too, and an unfolded title word can never
match a folded query. The score is the backend's own (``ts_rank`` of the title with its
weights times ``title_norm``, plus ``ts_rank`` of the body), ties newest first; pages come
before documents, and both totals come with the slice, computed before ``LIMIT``. Above
``RANK_BODY_UP_TO`` hits, only the title is ranked (``PostgresRanking.slice_query``);
over a province's candidates, only that many are counted and shown, newest first after
the titles, found without reading the other hits (``PostgresRanking.newest_query``): a
common word over 100,000 pages, 160 ms of the database's time before, 17 ms after.

The title vector keeps the diacritics, so its weight only counts for a title without
any (on SQLite too): ranking a folded title instead (``translate`` of ``title_text``)
was tried and made a common word over 100,000 pages four times slower (1.2 s to 5.8 s).

Written against modelsearch 1.3.2 (``PostgresSearchQueryCompiler.get_index_vectors`` and
``build_tsrank``); ``tests/pages/test_search_postgres.py`` checks the same pages are found
with and without diacritics and that the plan uses the GIN index.
"""

from django.db import connections
from modelsearch.backends.database.postgres.weights import get_sql_weights
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import Page, PageQuerySet

from pages.models import MaterialFile, PlanAttachment, SiteDocument

# The backend's configuration (settings: SEARCH_CONFIG "simple"): no stemming, no stop
# words, so every Vietnamese syllable is a lexeme of its own.
CONFIG = "simple"
INDEX_TABLE = "wagtailsearch_indexentry"
# Above this many hits of a kind, the body is not ranked (``PostgresRanking.slice_query``);
# above this many pages over a province, only this many are counted and shown (``fetch``).
RANK_BODY_UP_TO = 1000
# Above it, how many of the newest candidate pages ``PostgresRanking.newest_query``
# looks at for a page of results before it ranks every hit instead (10 µs each).
WALK_UP_TO = 5000
# JIT is off for every connection (config/settings/base.py, DATABASES): the public-page
# filter's overestimated cost made PostgreSQL spend 0.7 s compiling this query, which
# runs in 1 ms.


class PostgresRanking:
    """Pages, then documents, matching every word, ranked as the PostgreSQL backend ranks them.

    Same interface as ``pages.search.FTSRanking``: ``fetch`` returns the shown slice
    and both totals in one query, ``count`` the number of hits for a page number past
    the end.
    """

    def __init__(
        self, pages: PageQuerySet, words: list[str], *, few_candidates: bool = False
    ) -> None:
        self.using = pages.db
        self.few_candidates = few_candidates
        self.capped = False
        self._pages_found: int | None = None
        ops = connections[self.using].ops
        page_sql, page_params = (
            pages.order_by().values("pk").query.get_compiler(using=self.using).as_sql()
        )
        # Candidate pages with their type, which keys their index entry.
        self.typed_sql, self.typed_params = (
            pages.order_by()
            .values("pk", "content_type_id")
            .query.get_compiler(using=self.using)
            .as_sql()
        )
        links = []
        for model in (PlanAttachment, MaterialFile):
            table = ops.quote_name(model._meta.db_table)
            document = ops.quote_name(model._meta.get_field("document").column)
            page = ops.quote_name(model._meta.get_field("page").column)
            links.append(f"SELECT {document} FROM {table} WHERE {page} IN (candidate)")
        page_types = get_descendants_content_types_pks(Page)
        document_types = get_descendants_content_types_pks(SiteDocument)
        # Which entries are of a candidate. object_id is text (any model's key), and
        # the entries of these content types hold the integer keys of pages and
        # documents. One school's hundred candidates: each one's entry looked up by
        # its unique key (content type, object id as text). A province's 100,000:
        # each hit's page looked up by its integer key, or hashed on it (as text,
        # hashing the candidates took twice as long, 250 ms).
        if few_candidates:
            among = "entry.object_id IN (SELECT id::text FROM ({ids}) candidate(id))"
        else:
            among = (
                "EXISTS (SELECT 1 FROM ({ids}) candidate(id) WHERE id = entry.object_id::bigint)"
            )
        # Pages and documents apart (UNION ALL, not OR), so that each is planned on
        # its own. The vectors are passed up, not ranked here: see slice_query.
        part = (
            "SELECT {kind} AS kind, entry.object_id, entry.title, entry.title_norm,"
            " entry.body, query"
            f" FROM {INDEX_TABLE} entry, plainto_tsquery(%s::regconfig, %s) query"
            " WHERE entry.body @@ query AND entry.content_type_id = ANY(%s)"
            f" AND {among}"
        )
        documents = f"{links[0]} UNION {links[1]}".replace("(candidate)", f"({page_sql})")
        self.hits_sql = (
            part.format(kind=0, ids=page_sql) + " UNION ALL " + part.format(kind=1, ids=documents)
        )
        query_params = [CONFIG, " ".join(words)]
        # Each candidate page with its index entry (an entry is of the page's own
        # type). The key is compared both ways, so that either side can be read
        # by its index: a common word walks the candidates newest first and looks
        # each entry up by its unique key; a rare one takes the GIN index's hits
        # and looks each page up by its primary key. With only one of the two, a
        # rare word over a province scanned every page of the hit's type per hit
        # (17 s for 700 hits).
        self.page_hits_sql = (
            "SELECT candidate.id, entry.title, entry.title_norm, query"
            f" FROM ({self.typed_sql}) candidate(id, content_type_id),"
            f" {INDEX_TABLE} entry, plainto_tsquery(%s::regconfig, %s) query"
            " WHERE entry.content_type_id = candidate.content_type_id"
            " AND entry.object_id = candidate.id::text"
            " AND candidate.id = entry.object_id::bigint AND entry.body @@ query"
        )
        self.query_params = query_params
        self.page_hits_params = [*self.typed_params, *query_params]
        self.hits_params = [
            *query_params,
            page_types,
            *page_params,
            *query_params,
            document_types,
            *page_params,
            *page_params,
        ]

    def slice_query(self, offset: int, limit: int) -> tuple[str, list]:
        """The SQL and parameters of ``fetch``, for its plan to be checked.

        The score is the backend's (``ts_rank`` of the title with its weights times
        ``title_norm``, plus ``ts_rank`` of the body), except that the body is not
        ranked when more than :data:`RANK_BODY_UP_TO` pages (or documents) match:
        reading each hit's body vector (about 4 KB, stored out of line) was most of
        the time of a common word over a province, a second for 29,000 hits. Those
        hits come titles with every word first (by the title's score), then newest
        first: ``ts_rank`` scores a title without the words 1e-20 times its norm, which
        would otherwise order the rest by title length. ``CASE`` is lazy, so a body
        vector passed up is read only when ranked.
        """
        weights = get_sql_weights()
        sql = (
            "SELECT kind, object_id, pages, documents FROM ("
            " SELECT hit.*, ts_rank(%s::float4[], title, query) * title_norm AS title_score,"
            " SUM(1 - kind) OVER () AS pages, SUM(kind) OVER () AS documents"
            f" FROM ({self.hits_sql}) hit"
            ") counted ORDER BY kind,"
            " CASE WHEN (CASE kind WHEN 0 THEN pages ELSE documents END) <= %s"
            " THEN title_score + ts_rank(%s::float4[], body, query)"
            " WHEN title @@ query THEN title_score ELSE 0 END DESC,"
            " object_id::bigint DESC LIMIT %s OFFSET %s"
        )
        return sql, [weights, *self.hits_params, RANK_BODY_UP_TO, weights, limit, offset]

    def pages_found(self, up_to: int) -> int:
        """How many candidate pages match, counting no further than ``up_to``.

        A common word over a province matches 30,000 pages: counting them exactly
        read every hit's entry and hashed all 100,000 candidates, 200 ms of the
        database's time per search. Up to a thousand, walking the newest candidates
        finds them in a few milliseconds.
        """
        sql = f"SELECT COUNT(*) FROM ({self.page_hits_sql} LIMIT %s) found"
        with connections[self.using].cursor() as cursor:
            cursor.execute(sql, [*self.page_hits_params, up_to])
            return cursor.fetchone()[0]

    def newest_query(self, offset: int, limit: int) -> tuple[str, list]:
        """The SQL and parameters of the pages shown when more than :data:`RANK_BODY_UP_TO` match.

        The order ``slice_query`` gives such hits (titles with every word first, by
        the title's score, then newest first), found without reading every hit:
        the titles through their own GIN index, the rest by walking the newest
        :data:`WALK_UP_TO` candidates and looking up each one's entry by its key
        (``OFFSET 0`` keeps that a lookup per candidate, whatever the estimates).
        Fewer rows than ``limit`` mean the walk was too short: ``fetch`` then
        ranks every hit. Documents are not reached: only the first
        :data:`RANK_BODY_UP_TO` hits are shown.
        """
        weights = get_sql_weights()
        enough = offset + limit
        sql = (
            "SELECT id FROM ("
            " (SELECT 0 AS part, id, ts_rank(%s::float4[], title, query) * title_norm AS score"
            f" FROM ({self.page_hits_sql}) hit WHERE title @@ query"
            " ORDER BY score DESC, id DESC LIMIT %s)"
            " UNION ALL"
            " (SELECT 1, candidate.id, 0"
            f" FROM ({self.typed_sql} ORDER BY 1 DESC LIMIT %s)"
            " candidate(id, content_type_id)"
            f" WHERE EXISTS (SELECT 1 FROM {INDEX_TABLE} entry"
            " WHERE entry.content_type_id = candidate.content_type_id"
            " AND entry.object_id = candidate.id::text"
            " AND entry.body @@ plainto_tsquery(%s::regconfig, %s)"
            " AND NOT entry.title @@ plainto_tsquery(%s::regconfig, %s) OFFSET 0)"
            " ORDER BY candidate.id DESC LIMIT %s)"
            ") ranked ORDER BY part, score DESC, id DESC LIMIT %s OFFSET %s"
        )
        params = [
            weights,
            *self.page_hits_params,
            enough,
            *self.typed_params,
            WALK_UP_TO,
            *self.query_params,
            *self.query_params,
            enough,
            limit,
            offset,
        ]
        return sql, params

    def fetch(self, offset: int, limit: int) -> tuple[list[tuple[int, int]], int, int]:
        """The (kind, id) of hits ``offset`` to ``offset + limit``, pages first, and both totals.

        Totals are 0 when the slice is empty, even if there are hits before it. When
        more than :data:`RANK_BODY_UP_TO` pages match over many candidates, only
        those first hits are counted and shown: ``capped`` is then true, the page
        total is :data:`RANK_BODY_UP_TO` and the document total 0.
        """
        if not self.few_candidates and self._pages_found is None:
            # Counted once: a page number past the end fetches a second time.
            self._pages_found = self.pages_found(RANK_BODY_UP_TO + 1)
            self.capped = self._pages_found > RANK_BODY_UP_TO
        if self.capped:
            limit = min(limit, RANK_BODY_UP_TO - offset)
            if limit <= 0:
                return [], 0, 0
            with connections[self.using].cursor() as cursor:
                cursor.execute(*self.newest_query(offset, limit))
                rows = cursor.fetchall()
                if len(rows) < limit:  # the hits are too sparse for the walk
                    cursor.execute(*self.slice_query(offset, limit))
                    rows = [(object_id,) for _kind, object_id, *_ in cursor.fetchall()]
            return [(0, int(page_id)) for (page_id,) in rows], RANK_BODY_UP_TO, 0
        with connections[self.using].cursor() as cursor:
            cursor.execute(*self.slice_query(offset, limit))
            rows = cursor.fetchall()
        if not rows:
            return [], 0, 0
        return (
            [(kind, int(object_id)) for kind, object_id, *_ in rows],
            int(rows[0][2]),
            int(rows[0][3]),
        )

    def count(self) -> int:
        """How many pages and documents match, for a page number past the end."""
        if self.capped:
            return RANK_BODY_UP_TO
        with connections[self.using].cursor() as cursor:
            cursor.execute(f"SELECT COUNT(*) FROM ({self.hits_sql}) hit", self.hits_params)
            return cursor.fetchone()[0]
