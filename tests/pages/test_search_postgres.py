"""Public search on PostgreSQL (``pages.search_postgres.PostgresRanking``).

What a visitor sees on PostgreSQL: the same pages with or without diacritics and in
NFD, every word required, title matches first, one school's pages only when searching
from it, and the last page for a page number past the end. The plan test is the reason
for the module: the backend's own query read every index entry; this one must find the
hits through the GIN index on the entries' body. Skipped on SQLite, whose ranking is
``FTSRanking`` (tests/pages/test_search.py covers both engines).
"""

import unicodedata

import pytest
from django.db import connection
from django.urls import reverse
from wagtail.models import Page, Site

from pages.models import StandardPage
from pages.search import PAGE_SIZE, Scope, candidate_pages
from pages.search_postgres import PostgresRanking
from tests.conftest import build_school

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's ranking"),
]

SEARCH_URL = reverse("search")
ENTRY_INDEXES = (
    "wagtailsear_body_90c85d_gin",
    "wagtailsearch_indexentry_content_type_id_object_i_bcd7ba73_uniq",
)


def publish(parent: Page, title: str, intro: str = "") -> Page:
    page = StandardPage(title=title, slug=f"p{Page.objects.count()}", intro=intro, live=False)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def titles(client, **params) -> list[str]:
    response = client.get(SEARCH_URL, params)
    assert response.status_code == 200
    return [result.title for result in response.context["results"]]


@pytest.fixture
def schools(db):
    hoa_ban = build_school("HB", "Trường THCS Hoa Ban")
    suoi_may = build_school("SM", "Trường TH Suối Mây")
    publish(hoa_ban.root_page, "Phòng chống bạo lực học đường")
    publish(suoi_may.root_page, "Tuần lễ an toàn", intro="Nói không với bạo lực.")
    publish(suoi_may.root_page, "Lực lượng thanh niên tình nguyện")
    return hoa_ban, suoi_may


@pytest.mark.parametrize(
    "query",
    ["bạo lực", unicodedata.normalize("NFD", "bạo lực"), "bao luc", "BAO LỰC"],
)
def test_every_spelling_finds_the_same_pages(client, schools, query):
    assert sorted(titles(client, q=query)) == ["Phòng chống bạo lực học đường", "Tuần lễ an toàn"]


def test_a_title_match_ranks_above_a_match_in_the_text_alone(client, schools):
    # The title's weight applies to the title as indexed (with its diacritics, if any).
    publish(schools[0].root_page, "Internet an toàn")
    publish(schools[0].root_page, "Tuần lễ số", intro="Dùng Internet an toàn.")

    assert titles(client, q="internet") == ["Internet an toàn", "Tuần lễ số"]


def test_every_word_must_match(client, schools):
    assert titles(client, q="luc luong") == ["Lực lượng thanh niên tình nguyện"]
    assert titles(client, q="bao luc tinh nguyen") == []


def test_a_school_search_finds_only_that_schools_pages(client, schools):
    assert titles(client, q="bao luc", school="SM") == ["Tuần lễ an toàn"]


def test_a_schools_own_site_finds_only_its_pages(client, schools):
    Site.objects.create(hostname="hoa-ban.example", port=80, root_page=schools[0].root_page)

    response = client.get(SEARCH_URL, {"q": "bao luc"}, HTTP_HOST="hoa-ban.example")

    assert [r.title for r in response.context["results"]] == ["Phòng chống bạo lực học đường"]


def test_a_draft_is_not_found(client, schools):
    draft = StandardPage(title="Bạo lực bản nháp", slug="nhap", live=False)
    schools[0].root_page.add_child(instance=draft)
    draft.save_revision()

    assert "Bạo lực bản nháp" not in titles(client, q="bao luc")


def test_a_page_number_past_the_end_shows_the_last_page(client, schools):
    for number in range(PAGE_SIZE + 2):
        publish(schools[0].root_page, f"Hướng dẫn số {number}")

    last = titles(client, q="huong dan", page="99")
    second = titles(client, q="huong dan", page="2")

    assert len(last) == 2
    assert last == second


@pytest.fixture
def many_entries(schools):
    """Enough index entries that reading them all would cost more than the index.

    Entries of standard pages that do not exist (ids from 10,000,001), so no page is
    added: the planner sees 10,000 page entries of which the query's words match two.
    """
    from django.contrib.contenttypes.models import ContentType

    page_type = ContentType.objects.get_for_model(StandardPage).pk
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title,"
            " autocomplete, body, title_norm, title_text, body_text)"
            " SELECT %s, (10000000 + n)::text, to_tsvector('simple', 'trang ' || n),"
            " to_tsvector('simple', ''), to_tsvector('simple', text), 1.0, '', text"
            # A page's worth of words (200), as a real entry has.
            " FROM generate_series(1, 10000) n, LATERAL (SELECT string_agg("
            "'tu' || ((n * 31 + k * 7) %% 3000), ' ') AS text FROM generate_series(1, 200) k) t",
            [page_type],
        )
        cursor.execute("ANALYZE wagtailsearch_indexentry")


@pytest.mark.parametrize("few_candidates", [False, True], ids=["province", "one school"])
def test_the_hits_are_found_through_the_gin_index(many_entries, rf, few_candidates):
    request = rf.get(SEARCH_URL)
    pages = candidate_pages(request, {"type": "", "topic": ""}, Scope(site=Site.objects.first()))
    ranking = PostgresRanking(pages, ["bao", "luc"], few_candidates=few_candidates)

    queries = [
        ranking.slice_query(0, PAGE_SIZE),
        # Above RANK_BODY_UP_TO hits: the count and the newest first.
        (
            f"SELECT COUNT(*) FROM ({ranking.page_hits_sql} LIMIT 1001) found",
            ranking.page_hits_params,
        ),
        ranking.newest_query(0, PAGE_SIZE),
    ]
    for sql, params in queries:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN " + sql, params)
            plan = "\n".join(row[0] for row in cursor.fetchall())

        # Never every entry read: the hits come through the GIN index on the body, or
        # (few candidate pages, as here) each candidate's entry by its unique key.
        assert "Seq Scan on wagtailsearch_indexentry" not in plan, plan
        assert any(index in plan for index in ENTRY_INDEXES), plan
    # And the query answers what the view shows: the two pages, no document.
    hits, page_total, document_total = ranking.fetch(0, PAGE_SIZE)
    assert (len(hits), page_total, document_total) == (2, 2, 0)


def test_a_word_found_everywhere_is_ranked_by_titles_then_newest(client, schools, monkeypatch):
    """Above RANK_BODY_UP_TO hits the bodies are not read: titles with every word come
    first, then the newest, however often an older page's text repeats the words."""
    from pages import search_postgres

    hoa_ban = schools[0].root_page
    titled = publish(hoa_ban, "Internet cho hoc sinh")
    wordy = publish(hoa_ban, "Ghi chép tuần", intro="internet " * 40)
    newest = publish(hoa_ban, "Thông báo mới", intro="Dùng internet.")
    found = sorted([titled.title, wordy.title, newest.title])

    ranked = titles(client, q="internet")
    assert sorted(ranked) == found
    assert ranked[0] == titled.title
    assert ranked.index(wordy.title) < ranked.index(newest.title)  # its text counts

    # One school's pages: every hit is still counted and shown.
    monkeypatch.setattr(search_postgres, "RANK_BODY_UP_TO", 2)
    ranked = titles(client, q="internet", school="HB")
    assert ranked == [titled.title, newest.title, wordy.title]  # newest next, not wordiest


@pytest.mark.parametrize("walk", [5000, 1], ids=["walked", "too sparse to walk"])
def test_over_a_province_only_the_first_hits_are_counted_and_shown(
    client, schools, monkeypatch, walk
):
    """Above RANK_BODY_UP_TO hits over the whole portal, the visitor is told there are
    more, sees the first ones in the same order (titles, then newest), and is asked to
    narrow the search; a page past them shows the last page of them."""
    from pages import search_postgres

    hoa_ban, suoi_may = (school.root_page for school in schools)
    older = publish(suoi_may, "Ghi chép tuần", intro="internet " * 40)
    titled = publish(hoa_ban, "Internet cho hoc sinh")
    newest = publish(hoa_ban, "Thông báo mới", intro="Dùng internet.")
    monkeypatch.setattr(search_postgres, "RANK_BODY_UP_TO", 2)
    monkeypatch.setattr(search_postgres, "WALK_UP_TO", walk)

    response = client.get(SEARCH_URL, {"q": "internet"})

    assert [r.title for r in response.context["results"]] == [titled.title, newest.title]
    page = response.content.decode()
    assert "Hơn 2 kết quả" in page
    assert "Chỉ hiện 2 kết quả đầu tiên" in page
    assert older.title not in page
    assert titles(client, q="internet", page="7") == [titled.title, newest.title]
