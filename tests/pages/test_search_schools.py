"""Search across a district portal: whose result is whose, and searching one school.

A pupil who searches from their school's pages looks for their school's plans and
still needs their school's help line in reach; on the portal, two schools publish
plans with the same title, so each result says whose it is.
"""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from wagtail.models import Page, Site

from pages.models import (
    Audience,
    CampaignIndexPage,
    CampaignPage,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    SiteDocument,
    Topic,
)
from tests.conftest import build_school

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("search")


def publish(parent: Page, page: Page, **tags) -> Page:
    """Add ``page`` under ``parent`` and publish it as an editor would, with its tags."""
    page.live = False
    parent.add_child(instance=page)
    for field, values in tags.items():
        getattr(page, field).set(values)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def campaign(school, title: str, **tags) -> CampaignPage:
    index = school.root_page.get_children().type(CampaignIndexPage).first()
    if index is None:
        index = publish(school.root_page, CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
    slug = f"c{CampaignPage.objects.count()}"
    return publish(
        index, CampaignPage(title=title, slug=slug, start_date=datetime.date(2026, 3, 1)), **tags
    )


@pytest.fixture
def schools(db):
    first = build_school("HB", "Trường THCS Hoa Ban", hotline="0209 111 222")
    second = build_school("SM", "Trường TH Suối Mây", hotline="0209 333 444")
    for school in (first, second):
        campaign(school, "Tuần lễ an toàn trên mạng")
    return first, second


def results(response) -> list[tuple[str, str]]:
    return [(result.title, result.school) for result in response.context["results"]]


def test_each_result_names_its_school(client, schools):
    response = client.get(SEARCH_URL, {"q": "an toan tren mang"})

    assert sorted(results(response)) == [
        ("Tuần lễ an toàn trên mạng", "Trường TH Suối Mây"),
        ("Tuần lễ an toàn trên mạng", "Trường THCS Hoa Ban"),
    ]
    html = response.content.decode()
    assert "Trường THCS Hoa Ban" in html
    assert "Trường TH Suối Mây" in html


def test_a_document_result_names_the_school_of_the_page_that_publishes_it(client, schools):
    hoa_ban = schools[0]
    index = publish(hoa_ban.root_page, MaterialIndexPage(title="Tài liệu", slug="tai-lieu"))
    material = publish(index, MaterialPage(title="Tờ rơi", slug="to-roi"))
    document = SiteDocument.objects.create(
        title="Sổ tay phụ huynh", file=ContentFile(b"%PDF-1.4\n", name="so-tay.pdf")
    )
    MaterialFile.objects.create(page=material, document=document)

    response = client.get(SEARCH_URL, {"q": "so tay phu huynh"})

    assert results(response) == [("Sổ tay phụ huynh", "Trường THCS Hoa Ban")]


def test_a_schools_pages_link_to_a_search_of_that_school(client, schools):
    html = client.get(schools[0].root_page.url).content.decode()

    assert f'href="{SEARCH_URL}?school=HB"' in html


def test_search_from_a_school_finds_only_that_schools_pages(client, schools):
    response = client.get(SEARCH_URL, {"q": "an toan tren mang", "school": "HB"})

    assert results(response) == [("Tuần lễ an toàn trên mạng", "Trường THCS Hoa Ban")]
    html = response.content.decode()
    # The school's help line and name stay in the header, and the search stays in it.
    assert 'href="tel:0209111222"' in html
    assert 'name="school" value="HB"' in html
    # And the whole portal is one link away.
    assert f'href="{SEARCH_URL}?q=an+toan+tren+mang"' in html


def test_unknown_school_code_searches_the_whole_portal(client, schools):
    response = client.get(SEARCH_URL, {"q": "an toan tren mang", "school": "XX"})

    assert len(results(response)) == 2


def test_on_a_schools_own_site_the_whole_portal_is_the_default_site(client, schools):
    hoa_ban = schools[0]
    Site.objects.create(hostname="hoa-ban.example", port=80, root_page=hoa_ban.root_page)
    portal = Site.objects.get(is_default_site=True)

    response = client.get(SEARCH_URL, {"q": "an toan tren mang"}, HTTP_HOST="hoa-ban.example")

    assert results(response) == [("Tuần lễ an toàn trên mạng", "Trường THCS Hoa Ban")]
    assert f'href="{portal.root_url}{SEARCH_URL}?q=an+toan+tren+mang"' in response.content.decode()


@pytest.mark.parametrize("query", ["Bạo lực học đường", "bao luc hoc duong"])
def test_a_campaign_is_found_by_its_topic(client, schools, query):
    # One of the reference topics every site starts with.
    topic, _ = Topic.objects.get_or_create(
        name="Bạo lực học đường", defaults={"slug": "bao-luc-hoc-duong"}
    )
    campaign(schools[0], "Tháng hành động", topics=[topic])

    response = client.get(SEARCH_URL, {"q": query})

    assert results(response) == [("Tháng hành động", "Trường THCS Hoa Ban")]


def test_a_campaign_is_found_by_its_audience(client, schools):
    audience = Audience.objects.create(code="ong-ba-thu", name="Ông bà chăm cháu")
    campaign(schools[0], "Tháng hành động", audiences=[audience])

    response = client.get(SEARCH_URL, {"q": "ong ba cham chau"})

    assert results(response) == [("Tháng hành động", "Trường THCS Hoa Ban")]


def test_a_renamed_topic_finds_its_pages_under_the_new_name(client, schools):
    topic = Topic.objects.create(name="Chủ đề cũ", slug="chu-de-thu")
    campaign(schools[0], "Tháng hành động", topics=[topic])

    topic.name = "Phòng chống đuối nước"
    topic.save()

    assert results(client.get(SEARCH_URL, {"q": "phong chong duoi nuoc"})) == [
        ("Tháng hành động", "Trường THCS Hoa Ban")
    ]
