"""Public search: what a visitor finds, typing with or without Vietnamese diacritics.

Every page here is published through ``save_revision().publish()``, so the tests
also prove that Wagtail's signal handlers put a published page into the index
without a manual ``update_index``. The assertions read only what the visitor is
shown, so they hold on SQLite and PostgreSQL alike.
"""

import datetime
import unicodedata
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils.text import capfirst, slugify
from wagtail.models import Page, Site

from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    HomePage,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    PlanAttachment,
    PlanIndexPage,
    PlanPage,
    SiteDocument,
    StandardPage,
    Topic,
)
from pages.search import PAGE_SIZE
from pages.text import fold

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("search")


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


def publish(parent: Page, page: Page) -> Page:
    """Add ``page`` as a draft under ``parent``, then publish it as an editor would."""
    page.live = False
    parent.add_child(instance=page)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def draft(parent: Page, page: Page) -> Page:
    page.live = False
    parent.add_child(instance=page)
    page.save_revision()
    return page


def make_document(title: str) -> SiteDocument:
    return SiteDocument.objects.create(
        title=title, file=ContentFile(b"%PDF-1.4\n", name="tai-lieu.pdf")
    )


@dataclass
class School:
    home: HomePage
    plans: PlanIndexPage
    campaigns: CampaignIndexPage
    materials: MaterialIndexPage


def build_school(root: Page, title: str, slug: str) -> School:
    home = publish(root, HomePage(title=title, slug=slug))
    return School(
        home=home,
        plans=publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach")),
        campaigns=publish(home, CampaignIndexPage(title="Chiến dịch", slug="chien-dich")),
        materials=publish(home, MaterialIndexPage(title="Tài liệu", slug="tai-lieu")),
    )


@pytest.fixture
def school(db) -> School:
    """A school's section of the default site, with its three indexes and no content."""
    return build_school(
        Site.objects.get(is_default_site=True).root_page, "Trường THCS Thử", "truong-thu"
    )


@pytest.fixture
def topic(db) -> Topic:
    return Topic.objects.create(name="Chủ đề thử nghiệm tìm kiếm", slug="chu-de-tim-kiem")


def plan(title: str, **fields) -> PlanPage:
    fields.setdefault("issuing_body", "Trường THCS Thử")
    fields.setdefault("slug", slugify(fold(title)))
    return PlanPage(title=title, **fields)


def find(client, q: str, **params) -> tuple[list[str], str]:
    """The result titles and the page's HTML for the query ``q`` and filters ``params``."""
    response = client.get(SEARCH_URL, {"q": q, **params})
    assert response.status_code == 200
    titles = [result.title for result in response.context["results"]]
    return titles, response.content.decode()


# Diacritics and Unicode forms -------------------------------------------------


def test_query_without_diacritics_finds_page_with_diacritics(client, school):
    publish(school.plans, plan("Kế hoạch phòng chống bạo lực học đường"))

    titles, html = find(client, "bao luc hoc duong")

    assert titles == ["Kế hoạch phòng chống bạo lực học đường"]
    assert "Kế hoạch phòng chống bạo lực học đường</a>" in html


def test_query_with_diacritics_finds_page_typed_without_them(client, school):
    publish(school.plans, plan("Ke hoach phong chong bao luc hoc duong"))

    titles, _html = find(client, "bạo lực học đường")

    assert titles == ["Ke hoach phong chong bao luc hoc duong"]


def test_decomposed_query_finds_precomposed_text(client, school):
    title = unicodedata.normalize("NFC", "Kế hoạch phòng chống bạo lực học đường")
    publish(school.plans, plan(title))

    titles, _html = find(client, nfd("bạo lực học đường"))

    assert titles == [title]


def test_precomposed_query_finds_decomposed_text(client, school):
    title = nfd("Kỹ năng ứng phó với bắt nạt")
    publish(school.plans, plan(title, slug="ky-nang"))

    titles, _html = find(client, unicodedata.normalize("NFC", "ứng phó bắt nạt"))

    assert titles == [title]


def test_d_with_stroke_and_plain_d_find_each_other(client, school):
    publish(school.plans, plan("Đường dây nóng của nhà trường", slug="duong-day"))
    publish(school.plans, plan("Ngay hoi doc sach", slug="doc-sach"))

    assert find(client, "duong day nong")[0] == ["Đường dây nóng của nhà trường"]
    assert find(client, "đọc sách")[0] == ["Ngay hoi doc sach"]


def test_text_of_the_page_body_is_found_not_only_the_title(client, school):
    publish(
        school.plans,
        plan("Kế hoạch năm học", summary="Tăng cường phòng, chống xâm hại trẻ em"),
    )

    assert find(client, "xam hai tre em")[0] == ["Kế hoạch năm học"]


def test_every_word_of_the_query_must_match(client, school):
    publish(school.plans, plan("Phòng chống bạo lực học đường", slug="a"))
    publish(school.plans, plan("Phòng chống đuối nước", slug="b"))

    assert find(client, "phong chong duoi nuoc")[0] == ["Phòng chống đuối nước"]


# What must never be found ------------------------------------------------------


def test_draft_page_is_not_found(client, school):
    draft(school.plans, plan("Kế hoạch bảo vệ trẻ em (bản nháp)"))

    titles, html = find(client, "bao ve tre em")

    assert titles == []
    assert "bản nháp" not in html


def test_unpublished_changes_to_a_live_page_are_not_found(client, school):
    page = publish(school.plans, plan("Kế hoạch tư vấn tâm lý"))
    page.title = "Kế hoạch tư vấn học đường bí mật"
    page.save_revision()

    assert find(client, "bi mat")[0] == []
    assert find(client, "tu van tam ly")[0] == ["Kế hoạch tư vấn tâm lý"]


def test_publishing_a_change_updates_what_search_finds(client, school):
    page = publish(school.plans, plan("Kế hoạch cũ"))
    page.title = "Kế hoạch giáo dục kỹ năng sống"
    page.save_revision().publish()

    assert find(client, "ky nang song")[0] == ["Kế hoạch giáo dục kỹ năng sống"]
    assert find(client, "ke hoach cu")[0] == []


def test_page_in_a_private_section_is_not_found(client, school):
    from wagtail.models import PageViewRestriction

    page = publish(school.plans, plan("Kế hoạch nội bộ tổ tư vấn"))
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )

    assert find(client, "noi bo to tu van")[0] == []


def test_pages_of_another_site_are_not_found(client, school):
    other = build_school(Page.get_first_root_node(), "Trường Tiểu học Khác", "truong-khac")
    Site.objects.create(hostname="khac.example", port=80, root_page=other.home)
    publish(other.plans, plan("Kế hoạch phòng chống đuối nước", slug="duoi-nuoc"))

    assert find(client, "duoi nuoc")[0] == []
    # The same search on the other school's own site does find it.
    response = client.get(SEARCH_URL, {"q": "duoi nuoc"}, HTTP_HOST="khac.example")
    assert [r.title for r in response.context["results"]] == ["Kế hoạch phòng chống đuối nước"]


# Documents -----------------------------------------------------------------------


def test_document_attached_to_a_live_plan_is_found_by_its_title_without_diacritics(client, school):
    document = make_document("Biên bản họp phụ huynh lớp 6")
    page = plan("Kế hoạch năm học 2025–2026")
    page.attachments = [PlanAttachment(document=document)]
    page = publish(school.plans, page)

    titles, html = find(client, "bien ban hop phu huynh")

    assert titles == ["Biên bản họp phụ huynh lớp 6"]
    assert f'href="{document.url}"' in html
    assert f'href="{page.relative_url(page.get_site())}"' in html  # the plan it belongs to


def test_document_attached_to_a_live_material_is_found(client, school):
    document = make_document("Tờ rơi an toàn trên mạng")
    material = MaterialPage(title="Tài liệu an toàn số", slug="an-toan-so")
    material.files = [MaterialFile(document=document)]
    publish(school.materials, material)

    assert find(client, "to roi an toan")[0] == ["Tờ rơi an toàn trên mạng"]


def test_document_not_used_on_a_published_page_is_not_found(client, school):
    make_document("Biên bản họp phụ huynh lớp 7")
    unpublished = plan("Kế hoạch chưa duyệt")
    document = make_document("Biên bản họp phụ huynh lớp 8")
    unpublished.attachments = [PlanAttachment(document=document)]
    draft(school.plans, unpublished)

    titles, html = find(client, "bien ban hop phu huynh")

    assert titles == []
    assert "lớp 7" not in html
    assert "lớp 8" not in html


# Filters --------------------------------------------------------------------------


@pytest.fixture
def mixed(school, topic) -> School:
    """One plan, campaign, material and standard page, all about school violence."""
    tagged_plan = plan("Kế hoạch phòng chống bạo lực", slug="kh-bao-luc")
    tagged_plan.topics = [topic]
    publish(school.plans, tagged_plan)
    publish(school.plans, plan("Báo cáo bạo lực năm trước", slug="bc-bao-luc"))
    publish(
        school.campaigns,
        CampaignPage(
            title="Tháng hành động chống bạo lực",
            slug="thang-hanh-dong",
            start_date=datetime.date(2025, 11, 1),
        ),
    )
    publish(school.materials, MaterialPage(title="Áp phích nói không với bạo lực", slug="ap-phich"))
    publish(school.home, StandardPage(title="Khi bị bạo lực, em làm gì?", slug="khi-bi-bao-luc"))
    return school


@pytest.mark.parametrize(
    ("page_type", "expected"),
    [
        ("plan", {"Kế hoạch phòng chống bạo lực", "Báo cáo bạo lực năm trước"}),
        ("campaign", {"Tháng hành động chống bạo lực"}),
        ("material", {"Áp phích nói không với bạo lực"}),
        ("page", {"Khi bị bạo lực, em làm gì?"}),
    ],
)
def test_type_filter_shows_only_that_type(client, mixed, page_type, expected):
    titles, html = find(client, "bao luc", type=page_type)

    assert set(titles) == expected
    assert f'<option value="{page_type}" selected>' in html


def test_results_show_the_page_type_and_a_snippet(client, school):
    publish(
        school.home,
        StandardPage(
            title="Tổ tư vấn học đường",
            slug="to-tu-van",
            intro="Phòng tư vấn mở cửa giờ ra chơi.",
        ),
    )

    response = client.get(SEARCH_URL, {"q": "to tu van"})

    [result] = response.context["results"]
    assert result.kind == capfirst(StandardPage._meta.verbose_name)
    assert "Phòng tư vấn mở cửa giờ ra chơi." in response.content.decode()


def test_topic_filter_shows_only_pages_with_that_topic(client, mixed, topic):
    titles, html = find(client, "bao luc", topic=topic.slug)

    assert titles == ["Kế hoạch phòng chống bạo lực"]
    assert f'<option value="{topic.slug}" selected>' in html


def test_topic_filter_also_narrows_documents_to_pages_with_that_topic(client, school, topic):
    tagged = plan("Kế hoạch có chủ đề", slug="co-chu-de")
    tagged.topics = [topic]
    tagged.attachments = [PlanAttachment(document=make_document("Phụ lục kế hoạch A"))]
    publish(school.plans, tagged)
    untagged = plan("Kế hoạch không chủ đề", slug="khong-chu-de")
    untagged.attachments = [PlanAttachment(document=make_document("Phụ lục kế hoạch B"))]
    publish(school.plans, untagged)

    assert find(client, "phu luc", topic=topic.slug)[0] == ["Phụ lục kế hoạch A"]
    assert set(find(client, "phu luc")[0]) == {"Phụ lục kế hoạch A", "Phụ lục kế hoạch B"}


def test_unknown_filter_values_are_ignored(client, mixed):
    unfiltered = set(find(client, "bao luc")[0])

    response = client.get(
        SEARCH_URL,
        {"q": "bao luc", "type": "<script>", "topic": "khong-co-chu-de-nay", "page": "abc"},
    )

    assert response.status_code == 200
    assert {r.title for r in response.context["results"]} == unfiltered
    assert len(unfiltered) == 5
    assert response.context["filters"] == {"type": "", "topic": ""}


# The form, paging and odd input -------------------------------------------------


def test_empty_query_shows_the_form_and_no_results(client, mixed):
    response = client.get(SEARCH_URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert response.context["results"] == []
    assert 'type="search" name="q"' in html
    assert 'id="results-heading"' not in html
    assert 'class="result-list"' not in html


def test_query_is_shown_back_as_typed_and_escaped(client, school):
    query = nfd("bạo lực") + ' <b>"x"</b>'

    response = client.get(SEARCH_URL, {"q": query})

    html = response.content.decode()
    assert response.context["query"] == query
    assert "<b>" not in html
    assert "&lt;b&gt;" in html


def test_no_results_offer_the_111_hotline(client, school):
    titles, html = find(client, "khong co gi ca")

    assert titles == []
    assert 'href="tel:111"' in html.split('id="results-heading"', 1)[1]


@pytest.mark.parametrize(
    "query",
    ['"bạo lực', "bao* AND luc OR", "100% (NEAR", "-", "a'b\\c", "x" * 1000],
)
def test_query_with_search_syntax_characters_does_not_error(client, mixed, query):
    response = client.get(SEARCH_URL, {"q": query})

    assert response.status_code == 200


def test_result_pages_link_to_each_other_keeping_the_filters(client, school):
    for number in range(PAGE_SIZE + 1):
        publish(school.home, StandardPage(title=f"Trang hướng dẫn {number}", slug=f"hd-{number}"))

    first = client.get(SEARCH_URL, {"q": "huong dan", "type": "page"})
    second = client.get(SEARCH_URL, {"q": "huong dan", "type": "page", "page": 2})

    assert len(first.context["results"]) == PAGE_SIZE
    assert len(second.context["results"]) == 1
    assert first.context["result_count"] == PAGE_SIZE + 1
    assert "q=huong%20dan&amp;type=page&amp;page=2" in first.content.decode()
    first_titles = {r.title for r in first.context["results"]}
    assert second.context["results"][0].title not in first_titles


# Relevance and paging through every result ---------------------------------------


def test_a_title_match_ranks_above_a_body_only_match(client, school):
    # A word spelled the same folded or not, so that it is in the title as indexed
    # (the folded copy is part of the body) on both engines.
    publish(school.plans, plan("An toàn khi dùng Internet", slug="tieu-de"))
    # Published last, so the newest-first tie-break alone would put it on top.
    publish(
        school.plans,
        plan(
            "Kế hoạch năm học",
            slug="than-bai",
            summary="Các hoạt động giáo dục kỹ năng sống trong năm học, trong đó có một buổi "
            "hướng dẫn học sinh dùng Internet.",
        ),
    )

    assert find(client, "internet")[0] == ["An toàn khi dùng Internet", "Kế hoạch năm học"]


def test_page_two_continues_page_one_without_repeats(client, school):
    document = make_document("Hướng dẫn sử dụng tài liệu")
    with_document = plan("Hướng dẫn kèm tài liệu", slug="kem-tai-lieu")
    with_document.attachments = [PlanAttachment(document=document)]
    publish(school.plans, with_document)
    for number in range(PAGE_SIZE + 2):
        publish(school.home, StandardPage(title=f"Trang hướng dẫn {number}", slug=f"hd-{number}"))
    expected = PAGE_SIZE + 4  # the pages, the plan and its document

    first = client.get(SEARCH_URL, {"q": "huong dan"})
    second = client.get(SEARCH_URL, {"q": "huong dan", "page": 2})
    past_the_end = client.get(SEARCH_URL, {"q": "huong dan", "page": 9})

    first_titles = [r.title for r in first.context["results"]]
    second_titles = [r.title for r in second.context["results"]]
    assert first.context["result_count"] == second.context["result_count"] == expected
    assert len(first_titles) == PAGE_SIZE
    assert not set(first_titles) & set(second_titles)
    assert len(set(first_titles + second_titles)) == expected
    # Pages come before the documents they publish.
    assert second_titles[-1] == "Hướng dẫn sử dụng tài liệu"
    assert [r.title for r in past_the_end.context["results"]] == second_titles
