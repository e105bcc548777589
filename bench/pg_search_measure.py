"""Public search on PostgreSQL at a province's size: a quick dataset, and its timing in process.

Issue 18 asks for search over 100,000 pages with p99 under 300 ms at 16 connections.
This module answers the first half of that question without a server: it times the
search view itself (``pages.search.search`` called with a ``RequestFactory`` request
carrying the site's host) and explains the queries it runs, so a slow plan shows as a
plan, not only as a number.

Two parts, usable apart:

- ``build(pages, schools)`` fills an already migrated PostgreSQL database holding the
  demo content (``load_demo_data``) with ``schools`` schools, each a Wagtail ``Site``
  and a ``School`` whose home page has ``pages / schools - 1`` standard pages, and their
  search index entries, written with ``COPY`` and ``INSERT … SELECT`` (100,000 pages in
  about a minute; ``add_child`` and the indexer would take hours). The text is invented
  Vietnamese-like prose with a few words at known frequencies (``COMMON``, ``PAIR``,
  ``RARE``), indexed as the backend indexes a page: the title with weight B, then the
  folded copy and the text.
- ``measure_search(cases)`` times each case and returns p50/p99, the number of results,
  the queries run and the plan of the slowest one; ``default_cases()`` names the six
  kinds the issue lists (a common word, a rare word, two words, without diacritics,
  one school's site, the whole portal) for whatever database Django is pointed at, so
  the province dataset (``bench/province.py``) can be measured the same way.

Run::

    DJANGO_SETTINGS_MODULE=config.settings.test \\
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/search_bench_100k \\
        .venv/bin/python bench/pg_search_measure.py --build --measure
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent

# Words placed at known frequencies, so that each kind of query has a known answer size.
COMMON = "học"  # the most frequent word: in nearly every page
PAIR = "bạo lực"  # in about PAIR_SHARE of the pages (two words, each also alone elsewhere)
PAIR_SHARE = 0.05
RARE = "khuyết"  # in RARE_PAGES pages across the province
RARE_PAGES = 25
BODY_WORDS = 200
TITLE_WORDS = (5, 12)

# Common Vietnamese syllables, most frequent first (the head of the word distribution);
# the tail is made of syllables built from onsets, rhymes and tones.
HEAD = [
    "học",
    "sinh",
    "trường",
    "và",
    "của",
    "các",
    "em",
    "có",
    "trong",
    "cho",
    "là",
    "được",
    "với",
    "không",
    "những",
    "một",
    "người",
    "này",
    "thầy",
    "cô",
    "giáo",
    "dục",
    "năm",
    "kế",
    "hoạch",
    "tư",
    "vấn",
    "tâm",
    "lý",
    "xã",
    "hội",
    "công",
    "tác",
    "phòng",
    "chống",
    "an",
    "toàn",
    "gia",
    "đình",
    "cha",
    "mẹ",
    "lớp",
    "bạn",
    "hỗ",
    "trợ",
    "chăm",
    "sóc",
    "sức",
    "khỏe",
    "kỹ",
    "năng",
    "sống",
    "tuyên",
    "truyền",
    "hoạt",
    "động",
    "nhà",
    "phối",
    "hợp",
    "thực",
    "hiện",
    "báo",
    "cáo",
    "quyền",
    "trẻ",
    "tổ",
    "chức",
    "buổi",
    "sinh",
    "hoạt",
    "chủ",
    "đề",
    "ngày",
    "tháng",
    "tuần",
    "lễ",
    "đường",
    "dây",
    "nóng",
    "giúp",
    "đỡ",
    "lắng",
    "nghe",
    "chia",
    "sẻ",
    "khó",
    "khăn",
    "tình",
    "huống",
    "mạng",
    "internet",
    "thông",
    "tin",
    "bảo",
    "vệ",
    "pháp",
    "luật",
    "quy",
    "định",
    "thông",
    "tư",
    "nghị",
    "định",
    "ban",
    "giám",
    "hiệu",
    "hiệu",
    "trưởng",
    "phó",
    "đoàn",
    "đội",
    "thiếu",
    "niên",
    "tiền",
    "phong",
    "giáo",
    "viên",
    "chủ",
    "nhiệm",
]
ONSETS = [
    "b",
    "c",
    "ch",
    "d",
    "đ",
    "g",
    "gi",
    "h",
    "k",
    "kh",
    "l",
    "m",
    "n",
    "ng",
    "nh",
    "ph",
    "qu",
    "s",
    "t",
    "th",
    "tr",
    "v",
    "x",
]
RHYMES = [
    "a",
    "ai",
    "an",
    "ang",
    "anh",
    "ao",
    "au",
    "ay",
    "e",
    "em",
    "en",
    "eo",
    "i",
    "ia",
    "iên",
    "iêu",
    "in",
    "inh",
    "it",
    "o",
    "oa",
    "oai",
    "oan",
    "oang",
    "oc",
    "oi",
    "om",
    "on",
    "ong",
    "u",
    "ua",
    "uân",
    "uôi",
    "uôn",
    "uông",
    "ưa",
    "ươi",
    "ươn",
    "ương",
    "ưu",
    "y",
]
TONES = ["", "\u0300", "\u0301", "\u0303", "\u0309", "\u0323"]  # ngang huyền sắc ngã hỏi nặng


def _setup_django() -> None:
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()


def vocabulary(rng: random.Random, size: int = 3000) -> list[str]:
    """``HEAD`` then built syllables, NFC, without the words placed on purpose."""
    import unicodedata

    placed = {COMMON, RARE, *PAIR.split()}
    words = [w for w in dict.fromkeys(HEAD) if w not in placed]
    seen = set(words) | placed
    while len(words) < size:
        rhyme = rng.choice(RHYMES)
        # The tone mark sits on the rhyme's first vowel: near enough for an index.
        syllable = rng.choice(ONSETS) + rhyme[0] + rng.choice(TONES) + rhyme[1:]
        syllable = unicodedata.normalize("NFC", syllable)
        if syllable not in seen:
            seen.add(syllable)
            words.append(syllable)
    return words


def _texts(count: int, seed: int = 18) -> list[tuple[str, str, str]]:
    """(title, intro, body) of ``count`` pages: Zipf-distributed words, placed words added."""
    rng = random.Random(seed)
    words = vocabulary(rng)
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    cumulative, total = [], 0.0
    for weight in weights:
        total += weight
        cumulative.append(total)
    pair_every = round(1 / PAIR_SHARE)
    rare_every = max(1, count // RARE_PAGES)
    texts = []
    for number in range(count):
        title = rng.choices(words, cum_weights=cumulative, k=rng.randint(*TITLE_WORDS))
        body = rng.choices(words, cum_weights=cumulative, k=BODY_WORDS)
        if number % 3 == 0:
            title[0] = COMMON
        body[rng.randrange(BODY_WORDS)] = COMMON
        if number % pair_every == 7:
            body.insert(rng.randrange(BODY_WORDS), PAIR)
            if number % (pair_every * 5) == 7:
                title.append(PAIR)
        if number % rare_every == 11 and number // rare_every < RARE_PAGES:
            body.insert(rng.randrange(BODY_WORDS), RARE)
        title_text = " ".join(title).capitalize()
        texts.append((title_text, " ".join(body[:30]), " ".join(body[30:])))
    return texts


def build(pages: int = 100_000, schools: int = 1000, log=print) -> dict[str, Any]:
    """Add ``schools`` schools with ``pages`` pages in all, and their index entries.

    Needs a migrated PostgreSQL database with the demo content; the new schools are
    sections of the demo portal (the default site's root page), each with a site of
    its own (``school-0001.bench.localhost`` …).
    """
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction
    from wagtail.models import Page, Site

    from pages.models import HomePage, StandardPage
    from pages.text import fold

    if connection.vendor != "postgresql":
        raise SystemExit("This dataset is for PostgreSQL.")
    started = time.perf_counter()
    portal = Site.objects.get(is_default_site=True).root_page
    home_template = HomePage.objects.exclude(pk=portal.pk).order_by("path").first()
    page_template = StandardPage.objects.order_by("path").first()
    per_school = pages // schools - 1
    texts = _texts(schools * (per_school + 1))
    log(f"texts ready in {time.perf_counter() - started:.0f} s")
    home_type = ContentType.objects.get_for_model(HomePage).pk
    page_type = ContentType.objects.get_for_model(StandardPage).pk
    first_step = portal.numchild + 1

    rows = []
    number = 0
    for school in range(schools):
        home_path = Page._get_path(portal.path, portal.depth + 1, first_step + school)
        code = f"P{school + 1:04d}"
        title = f"Trường THCS Thử Nghiệm số {school + 1}"
        for child in range(per_school + 1):
            page_title, intro, body = texts[number]
            if child == 0:
                path, depth, kind, page_title = home_path, portal.depth + 1, home_type, title
                slug = f"truong-{code.lower()}"
                url_path = f"{portal.url_path}{slug}/"
            else:
                path = Page._get_path(home_path, portal.depth + 2, child)
                depth, kind, slug = portal.depth + 2, page_type, f"trang-{child}"
                url_path = f"{portal.url_path}truong-{code.lower()}/{slug}/"
            folded = fold(" ".join((page_title, intro, body)))
            rows.append(
                (
                    path,
                    depth,
                    per_school if child == 0 else 0,
                    page_title,
                    slug,
                    url_path,
                    kind,
                    intro,
                    body,
                    folded,
                    school + 1,
                    number,
                )
            )
            number += 1
    log(f"rows ready in {time.perf_counter() - started:.0f} s")

    columns = [
        c.column
        for c in Page._meta.concrete_fields
        if c.column not in {"id", "path", "depth", "numchild", "title", "draft_title", "slug"}
        and c.column not in {"url_path", "content_type_id", "translation_key", "search_description"}
        and c.column not in {"first_published_at", "last_published_at"}
        and c.column not in {"live_revision_id", "latest_revision_id", "latest_revision_created_at"}
        and c.column != "show_in_menus"
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "CREATE TEMP TABLE bench_page (path text, depth int, numchild int, title text,"
            " slug text, url_path text, content_type_id int, intro text, body text,"
            " folded text, school int, number int) ON COMMIT DROP"
        )
        with cursor.cursor.copy(
            "COPY bench_page (path, depth, numchild, title, slug, url_path, content_type_id,"
            " intro, body, folded, school, number) FROM STDIN"
        ) as copy:
            for row in rows:
                copy.write_row(row)
        log(f"copied in {time.perf_counter() - started:.0f} s")
        template = ", ".join(f"t.{c}" for c in columns)
        cursor.execute(
            "INSERT INTO wagtailcore_page (path, depth, numchild, title, draft_title, slug,"
            " url_path, content_type_id, translation_key, search_description, show_in_menus,"
            f" first_published_at, last_published_at, {', '.join(columns)})"
            " SELECT b.path, b.depth, b.numchild, b.title, b.title, b.slug, b.url_path,"
            # Out of the menus, as the demo's school home pages are: the portal's menu
            # is not what is measured here.
            " b.content_type_id, gen_random_uuid(), '', false,"
            " now() - make_interval(mins => b.number), now() - make_interval(mins => b.number),"
            f" {template} FROM bench_page b, wagtailcore_page t WHERE t.id = %s",
            [page_template.pk],
        )
        cursor.execute(
            "UPDATE wagtailcore_page SET numchild = numchild + %s WHERE id = %s",
            [schools, portal.pk],
        )
        cursor.execute(
            "INSERT INTO pages_homepage (page_ptr_id, intro, how_to_get_help,"
            " counselling_contact) SELECT p.id, '<p>' || b.intro || '</p>', t.how_to_get_help,"
            " t.counselling_contact FROM bench_page b JOIN wagtailcore_page p ON p.path = b.path,"
            " pages_homepage t WHERE b.content_type_id = %s AND t.page_ptr_id = %s",
            [home_type, home_template.pk],
        )
        cursor.execute(
            "INSERT INTO pages_standardpage (page_ptr_id, intro, body) SELECT p.id, b.intro,"
            " '[]'::jsonb FROM bench_page b JOIN wagtailcore_page p ON p.path = b.path"
            " WHERE b.content_type_id = %s",
            [page_type],
        )
        cursor.execute(
            "INSERT INTO wagtailcore_site (hostname, port, site_name, root_page_id,"
            " is_default_site) SELECT 'school-' || lpad(b.school::text, 4, '0')"
            " || '.bench.localhost', 80, b.title, p.id, false FROM bench_page b"
            " JOIN wagtailcore_page p ON p.path = b.path WHERE b.content_type_id = %s",
            [home_type],
        )
        cursor.execute(
            "INSERT INTO schools_school (name, code, level, address, phone, hotline, email,"
            " place_name, district_id, root_page_id) SELECT b.title,"
            " 'P' || lpad(b.school::text, 4, '0'), 'lower_secondary', '', '', '', '', '',"
            " (SELECT district_id FROM schools_school WHERE root_page_id = %s), p.id"
            " FROM bench_page b JOIN wagtailcore_page p ON p.path = b.path"
            " WHERE b.content_type_id = %s",
            [home_template.pk, home_type],
        )
        # As the backend writes an entry (see PostgresIndex.add_items): the title
        # weighted B, the rest (the folded copy first) at the default weight D.
        cursor.execute(
            "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title,"
            " autocomplete, body, title_norm, title_text, body_text)"
            " SELECT b.content_type_id, p.id::text,"
            " setweight(to_tsvector('simple', b.title), 'B'), to_tsvector('simple', b.title),"
            " to_tsvector('simple', b.folded) || to_tsvector('simple', b.intro)"
            " || to_tsvector('simple', b.body), 1.0, b.title,"
            " b.folded || ' ' || b.intro || ' ' || b.body"
            " FROM bench_page b JOIN wagtailcore_page p ON p.path = b.path"
        )
        log(f"pages and entries inserted in {time.perf_counter() - started:.0f} s")
        # The backend's own title norms: average title length over each one's.
        cursor.execute(
            "UPDATE wagtailsearch_indexentry SET title_norm = (SELECT avg(length(title))"
            " FROM wagtailsearch_indexentry WHERE length(title) > 0) / length(title)"
            " WHERE length(title) > 0"
        )
    with connection.cursor() as cursor:
        for table in ("wagtailcore_page", "wagtailsearch_indexentry", "wagtailcore_site"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    log(f"built in {time.perf_counter() - started:.0f} s")
    return {"pages": Page.objects.count(), "schools": schools}


@dataclass(frozen=True)
class SearchCase:
    """One search to time: its name in the report, the site's host and the query string."""

    name: str
    host: str
    params: dict[str, str] = field(default_factory=dict)


def default_cases() -> list[SearchCase]:
    """The kinds of search issue 18 names, on the database Django is pointed at.

    The portal is the default site (it searches every school under it); the school is
    the one in the middle of the schools with a site of their own.
    """
    from wagtail.models import Site

    from schools.models import School

    portal = Site.objects.get(is_default_site=True)
    own_sites = Site.objects.filter(root_page__in=School.objects.values("root_page"))
    school_site = own_sites.order_by("root_page__path")[own_sites.count() // 2]
    return [
        SearchCase("common word, portal", portal.hostname, {"q": COMMON}),
        SearchCase("common word, page 50, portal", portal.hostname, {"q": COMMON, "page": "50"}),
        SearchCase("rare word, portal", portal.hostname, {"q": RARE}),
        SearchCase("two words, portal", portal.hostname, {"q": PAIR}),
        SearchCase("no diacritics, portal", portal.hostname, {"q": "bao luc"}),
        SearchCase("two words, one school's site", school_site.hostname, {"q": PAIR}),
        SearchCase("common word, one school's site", school_site.hostname, {"q": COMMON}),
        SearchCase("four frequent words, portal", portal.hostname, {"q": "khong co tu nay"}),
        SearchCase("no match, portal", portal.hostname, {"q": "xyzzy"}),
    ]


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1), "p99_ms": round(p99 * 1000, 1)}


def measure_search(cases: list[SearchCase] | None = None, runs: int = 30) -> dict[str, Any]:
    """Time the search view for each case; with the plan of its slowest query.

    Each case runs once to warm the process and the database's cache, then ``runs``
    times. The view is called directly (no page cache, no middleware), so the figure is
    the search's own. The plan is ``EXPLAIN (ANALYZE, BUFFERS)`` of the query that took
    longest in the last run.
    """
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection, transaction
    from django.shortcuts import render
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from pages.search import search

    factory = RequestFactory()
    results: dict[str, Any] = {}
    for case in cases or default_cases():

        def call(case: SearchCase = case):
            request = factory.get("/tim-kiem/", case.params, HTTP_HOST=case.host)
            request.user = AnonymousUser()
            return search(request)

        # Once more untimed, to read what the visitor is shown.
        shown: dict[str, Any] = {}

        def capture(request, template, context, shown=shown):
            shown.update(context)
            return render(request, template, context)

        with mock.patch("pages.search.render", capture):
            call()
        seconds = []
        for _n in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = call()
                seconds.append(time.perf_counter() - started)
        captured = queries.captured_queries
        by_time = sorted(range(len(captured)), key=lambda i: -float(captured[i]["time"]))
        slowest = captured[by_time[0]] if captured else None
        plan = ""
        if slowest is not None and connection.vendor == "postgresql":
            # Replayed as the view ran it (JIT is off on every connection, base settings).
            before = captured[by_time[0] - 1]["sql"] if by_time[0] else ""
            with transaction.atomic(), connection.cursor() as cursor:
                if before.startswith("SET LOCAL"):
                    cursor.execute(before)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slowest["sql"])
                plan = "\n".join(row[0] for row in cursor.fetchall())
        results[case.name] = {
            **_percentiles(seconds),
            "status": response.status_code,
            "results": shown.get("result_count"),
            "queries": len(queries),
            "slowest_sql": slowest["sql"] if slowest else "",
            "slowest_ms": [round(float(captured[i]["time"]) * 1000) for i in by_time[:4]],
            "plan": plan,
        }
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--build", action="store_true", help="add the schools and pages first")
    parser.add_argument("--pages", type=int, default=100_000)
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--measure", action="store_true")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--plans", action="store_true", help="print each case's plan")
    parser.add_argument("--json", help="write the figures to this file")
    parser.add_argument(
        "--backend-ranking",
        action="store_true",
        help="time Wagtail's own PostgreSQL search instead of PostgresRanking (the 'before')",
    )
    args = parser.parse_args(argv)
    _setup_django()
    if args.backend_ranking:
        mock.patch("pages.search.uses_postgres_search", return_value=False).start()
    if args.build:
        print(json.dumps(build(args.pages, args.schools)))
    if args.measure:
        figures = measure_search(runs=args.runs)
        for name, row in figures.items():
            print(
                f"{name:34} p50 {row['p50_ms']:8.1f} ms  p99 {row['p99_ms']:8.1f} ms"
                f"  results {row['results']}  queries {row['queries']}"
                f"  slowest {row['slowest_ms']} ms"
            )
            if args.plans:
                print(row["slowest_sql"][:2000])
                print(row["plan"])
        if args.json:
            Path(args.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
