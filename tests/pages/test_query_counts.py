"""Every public page runs a small, constant number of SQL queries, whatever the data size.

A campaign shared on social media brings thousands of visitors to a two-core
school server; a page whose queries grow with the number of plans, images or
hotlines (an N+1) would fall over exactly then. Each page type is requested
by an anonymous visitor on a site with a few items of every kind, then again
after the site has grown tenfold; the two counts must be equal and small.

Both measurements follow one warm-up request of the same URL: Wagtail keeps
the site root paths and image renditions in the default cache (emptied around
every test by tests/conftest.py), and the first request of a page also writes
its renditions. What is counted is the steady state every later visitor gets.
"""

import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from wagtail.models import Page, Site

from pages.demo import minimal_pdf
from pages.models import (
    Audience,
    CampaignIndexPage,
    CampaignMaterial,
    CampaignPage,
    HomePage,
    Hotline,
    HotlineNoticePage,
    MaterialFile,
    MaterialIndexPage,
    MaterialPage,
    PlanAttachment,
    PlanIndexPage,
    PlanIndicator,
    PlanLegalBasis,
    PlanMilestone,
    PlanPage,
    PlanResponsibility,
    SiteDocument,
    SiteImage,
    StandardPage,
    Topic,
)
from schools.models import School

pytestmark = pytest.mark.django_db

SMALL = 3
LARGE = 30
# The ceiling for any public page: the benchmark's targets (bench/run.py) hold every
# public page to it, with the same count at both sizes of site.
MAX_QUERIES = 10


def tiny_png(shade: int) -> bytes:
    """A small picture, so that making dozens of renditions stays quick."""
    buffer = io.BytesIO()
    Image.new("RGB", (64, 36), (shade % 256, 120, 90)).save(buffer, format="PNG")
    return buffer.getvalue()


def new_image(number: int) -> SiteImage:
    return SiteImage.objects.create(
        title=f"Ảnh {number}",
        alt_text=f"Hình minh họa {number}",
        file=ImageFile(io.BytesIO(tiny_png(number)), name=f"anh-{number}.png"),
    )


def new_document(number: int) -> SiteDocument:
    document = SiteDocument(title=f"Kế hoạch bản ký {number}")
    document.file.save(f"ban-ky-{number}.pdf", ContentFile(minimal_pdf(["x"])), save=False)
    document.save()
    return document


def add(parent: Page, page: Page) -> Page:
    """Add ``page`` live under ``parent``, quicker than a revision and a publish."""
    page.first_published_at = page.last_published_at = timezone.now()
    return parent.add_child(instance=page)


def image_body(images: list[SiteImage]) -> list[dict]:
    return [
        {"type": "paragraph", "value": "<p>Đoạn văn về an toàn trường học.</p>"},
        *(
            {"type": "image", "value": {"image": image.pk, "alt_text": "", "decorative": False}}
            for image in images
        ),
    ]


@dataclass
class PublicSite:
    """A school section with every public page type, able to grow to ``n`` items of each kind.

    The pages measured (one plan, one campaign, one material) gain items of their
    own as the site grows: legal bases, citing documents, attachments, related
    materials, topics, audiences and body images.
    """

    portal: HomePage
    school: School
    home: HomePage
    plans: PlanIndexPage
    campaigns: CampaignIndexPage
    materials: MaterialIndexPage
    notice: HotlineNoticePage
    standard: StandardPage
    plan: PlanPage
    campaign: CampaignPage
    material: MaterialPage
    size: int = 0
    counter: dict[str, int] = field(default_factory=dict)

    def next(self, kind: str) -> int:
        self.counter[kind] = self.counter.get(kind, 0) + 1
        return self.counter[kind]

    def grow(self, n: int) -> None:
        """Add items until there are ``n`` of each kind."""
        today = datetime.date.today()
        for _ in range(self.size, n):
            i = self.next("item")
            topic = Topic.objects.create(name=f"Chủ đề {i}", slug=f"chu-de-{i}", sort_order=i)
            audience = Audience.objects.create(code=f"nhom-{i}", name=f"Nhóm {i}")
            Hotline.objects.create(
                number=f"0000 100 {i:03d}",
                name=f"Đường dây {i}",
                hours="24/7",
                is_free=True,
                scope=Hotline.Scope.PROVINCIAL,
            )
            Hotline.objects.create(
                number=f"0000 200 {i:03d}",
                name=f"Tư vấn {i}",
                scope=Hotline.Scope.SCHOOL,
                school=self.school,
            )
            add(
                self.home,
                StandardPage(
                    title=f"Trang {i}", slug=f"trang-{i}", show_in_menus=True, intro="Giới thiệu"
                ),
            )
            member = add(
                self.portal, HomePage(title=f"Trường thành viên {i}", slug=f"thanh-vien-{i}")
            )
            School.objects.create(
                code=f"TV{i}",
                name=f"Trường thành viên {i}",
                level=School.Level.PRIMARY,
                address="Xã Thử Nghiệm",
                root_page=member,
            )

            document = new_document(i)
            plan = add(
                self.plans,
                PlanPage(
                    title=f"Kế hoạch phòng chống bạo lực {i}",
                    slug=f"ke-hoach-{i}",
                    document_number=f"{i}/KH-THU",
                    issuing_body=f"Cơ quan {i % 7}",
                    issue_date=datetime.date(2020 + i % 6, 1 + i % 12, 1),
                    period_start_year=2020 + i % 6,
                    period_end_year=2021 + i % 6,
                    summary="Kế hoạch phòng, chống bạo lực học đường trong nhà trường.",
                ),
            )
            plan.topics.add(topic)
            PlanAttachment.objects.create(page=plan, document=document, label="Bản ký")
            # Every new plan cites the measured one, which cites it back.
            PlanLegalBasis.objects.create(page=plan, cited_page=self.plan)
            PlanLegalBasis.objects.create(page=self.plan, cited_page=plan, sort_order=i)
            PlanLegalBasis.objects.create(
                page=self.plan, number=f"{i}/2018/TT-BGDĐT", title="Thông tư", sort_order=i
            )
            PlanAttachment.objects.create(page=self.plan, document=document, sort_order=i)
            PlanIndicator.objects.create(page=self.plan, description="Chỉ tiêu", target="100%")
            PlanMilestone.objects.create(page=self.plan, year=str(2020 + i), activities="Làm")
            PlanResponsibility.objects.create(page=self.plan, unit=f"Tổ {i}", duties="Làm")
            self.plan.topics.add(topic)

            image = new_image(i)
            campaign = add(
                self.campaigns,
                CampaignPage(
                    title=f"Chiến dịch an toàn {i}",
                    slug=f"chien-dich-{i}",
                    start_date=today - datetime.timedelta(days=i),
                    end_date=today + datetime.timedelta(days=i),
                    intro="Tháng hành động vì trẻ em.",
                    hero_image=image,
                ),
            )
            campaign.topics.add(topic)
            campaign.audiences.add(audience)
            material = add(
                self.materials,
                MaterialPage(
                    title=f"Tài liệu an toàn {i}",
                    slug=f"tai-lieu-{i}",
                    intro="Tờ rơi cho học sinh.",
                    image=image,
                ),
            )
            material.topics.add(topic)
            material.audiences.add(audience)
            CampaignMaterial.objects.create(page=self.campaign, material=material, sort_order=i)
            MaterialFile.objects.create(page=self.material, document=document, sort_order=i)
            for page in (self.campaign, self.material):
                page.topics.add(topic)
                page.audiences.add(audience)

        images = list(SiteImage.objects.order_by("pk"))
        for page in (self.campaign, self.material, self.standard, self.notice):
            type(page).objects.filter(pk=page.pk).update(body=image_body(images))
        self.size = n


def build_public_site() -> PublicSite:
    site = Site.objects.get(is_default_site=True)
    portal = add(site.root_page, HomePage(title="Cổng thông tin Phòng GD", slug="cong"))
    # As in a deployment (and the demo): the district portal is the site's home.
    site.root_page = portal
    site.save()
    home = add(portal, HomePage(title="Trường Thử", slug="truong-thu"))
    school = School.objects.create(
        code="THU",
        name="Trường THCS Thử",
        level=School.Level.LOWER_SECONDARY,
        address="Xã Thử Nghiệm",
        phone="0000 000 001",
        hotline="0000 000 123",
        email="thu@example.invalid",
        root_page=home,
    )
    plans = add(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    campaigns = add(home, CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
    materials = add(home, MaterialIndexPage(title="Tài liệu", slug="tai-lieu"))
    notice = add(home, HotlineNoticePage(title="Đường dây nóng", slug="duong-day-nong"))
    standard = add(home, StandardPage(title="Giới thiệu", slug="gioi-thieu"))
    plan = add(
        plans,
        PlanPage(
            title="Kế hoạch công tác xã hội",
            slug="ke-hoach-ctxh",
            issuing_body="Trường THCS Thử",
            issue_date=datetime.date(2025, 9, 1),
            recipients="Phòng GD\nLưu: VT",
            signer_name="Nguyễn Văn Minh Họa",
        ),
    )
    today = datetime.date.today()
    campaign = add(
        campaigns,
        CampaignPage(
            title="Tháng hành động", slug="thang-hanh-dong", start_date=today, intro="Cùng nhau."
        ),
    )
    material = add(materials, MaterialPage(title="Tờ rơi", slug="to-roi"))
    public_site = PublicSite(
        portal=portal,
        school=school,
        home=home,
        plans=plans,
        campaigns=campaigns,
        materials=materials,
        notice=notice,
        standard=standard,
        plan=plan,
        campaign=campaign,
        material=material,
    )
    public_site.grow(SMALL)
    return public_site


def url_of(page: Page) -> str:
    return page.get_url()


PAGES: dict[str, tuple[Callable[[PublicSite], str], int]] = {
    "portal home": (lambda s: url_of(s.portal), 200),
    "school home": (lambda s: url_of(s.home), 200),
    "plan index": (lambda s: url_of(s.plans), 200),
    "plan index, filtered": (
        lambda s: url_of(s.plans) + "?year=2023&kind=plan&topic=chu-de-1&issuer=C%C6%A1+quan+1",
        200,
    ),
    "plan index, page 2": (lambda s: url_of(s.plans) + "?page=2", 200),
    "plan page": (lambda s: url_of(s.plan), 200),
    "campaign index": (lambda s: url_of(s.campaigns), 200),
    "campaign index, filtered": (
        lambda s: url_of(s.campaigns) + "?status=ongoing&topic=chu-de-2",
        200,
    ),
    "campaign page": (lambda s: url_of(s.campaign), 200),
    "material index": (lambda s: url_of(s.materials), 200),
    "material index, filtered": (
        lambda s: url_of(s.materials) + "?topic=chu-de-1&audience=nhom-1&format=leaflet",
        200,
    ),
    "material page": (lambda s: url_of(s.material), 200),
    "hotline notice": (lambda s: url_of(s.notice), 200),
    "standard page": (lambda s: url_of(s.standard), 200),
    "search form": (lambda s: "/tim-kiem/", 200),
    "search finding pages": (lambda s: "/tim-kiem/?q=an+toan", 200),
    "search finding documents": (lambda s: "/tim-kiem/?q=ban+ky", 200),
    "search, filtered": (lambda s: "/tim-kiem/?q=an+toan&type=campaign&topic=chu-de-1", 200),
    "search without results": (lambda s: "/tim-kiem/?q=khongcogi", 200),
    "search of one school": (lambda s: f"/tim-kiem/?q=an+toan&school={s.school.code}", 200),
    "404": (lambda s: url_of(s.home) + "khong-co-trang-nay/", 404),
    "hotline poster": (lambda s: f"/ap-phich/{s.school.code}/", 200),
    "sitemap": (lambda s: "/sitemap.xml", 200),
    "rss": (lambda s: "/tin-moi/rss.xml", 200),
    "atom": (lambda s: "/tin-moi/atom.xml", 200),
    "ical": (lambda s: "/chien-dich.ics", 200),
    "robots": (lambda s: "/robots.txt", 200),
}


@dataclass
class Measure:
    """Queries of one URL at the small and the large size."""

    small: int = 0
    large: int = 0
    sql: list[str] = field(default_factory=list)


def count_queries(client: Client, url: str, status: int) -> tuple[int, list[str]]:
    """Queries of an anonymous GET of ``url`` after one warm-up request of it."""
    assert client.get(url).status_code == status, url
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == status, url
    return len(queries), [query["sql"] for query in queries.captured_queries]


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker) -> dict[str, Measure]:
    """Every public URL measured at both sizes, on one site built once for the module.

    Building thirty items of every kind takes seconds, so the site is built once,
    in a transaction rolled back at the end, rather than once per page type.
    """
    results = {name: Measure() for name in PAGES}
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        site = build_public_site()
        client = Client()
        for name, (make_url, status) in PAGES.items():
            results[name].small, _ = count_queries(client, make_url(site), status)
        site.grow(LARGE)
        for name, (make_url, status) in PAGES.items():
            results[name].large, results[name].sql = count_queries(client, make_url(site), status)
        transaction.set_rollback(True)
        cache.clear()
    return results


@pytest.mark.parametrize("name", PAGES)
def test_public_page_runs_the_same_few_queries_at_any_size(measured, name):
    result = measured[name]
    queries = "\n".join(result.sql)
    assert result.large == result.small, (
        f"{name}: {result.small} queries with {SMALL} items, {result.large} with {LARGE}:\n"
        + queries
    )
    assert result.large <= MAX_QUERIES, f"{name}: {result.large} queries:\n{queries}"


@pytest.mark.django_db
def test_a_path_is_looked_up_through_an_index():
    """A 404 or a first visit asks which page has a url_path; Wagtail leaves the column
    unindexed, so over a province's 100,000 pages each 404 read the whole table."""
    lookup = Page.objects.filter(url_path="/trang-chu/khong-co/").values_list("pk")
    sql, params = lookup.query.sql_with_params()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")  # a small test table
            cursor.execute("EXPLAIN " + sql, params)
        else:
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        plan = " ".join(str(row) for row in cursor.fetchall())
    assert "pages_wagtailcore_page_url_path" in plan, plan
