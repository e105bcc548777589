"""Public pages reuse parts built from published content, and never show them stale.

Menus, help lines, the home page's listings, a listing's filter choices and a
plan's legal bases are kept (``page_cache.fragments.remember``) until the next
public change. The suite normally runs with that switched off; these tests turn
it on, as deployed, and check that a visitor sees every public change at once.
Links are built without Wagtail's per-link URL reversing: they must still be
the very links ``{% pageurl %}`` gives.
"""

import datetime

import pytest
from django.core.cache import caches
from django.template import Context, Template
from django.test import RequestFactory
from wagtail.models import Page, Site

from pages.models import Hotline, PlanIndexPage, PlanLegalBasis, StandardPage
from tests.pages.factories import plan, publish, site_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def fragments_on(settings, tmp_path):
    """Kept fragments as deployed: on, in a file cache that every worker shares."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "default"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    settings.FRAGMENT_CACHE_SECONDS = 600
    caches["pages"].clear()
    yield
    caches["pages"].clear()


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what waits for the commit (the new generation), as a real admin request would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_published_change_shows_at_once_on_kept_parts(
    client, fragments_on, committed, make_school
):
    # Every change runs what waits for its commit: one left waiting would hold
    # back the next change's new generation, as it would in one real transaction.
    with committed():
        home = make_school("HB").root_page
        plans = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach", show_in_menus=True))
        cited = plan(plans, "ke-hoach-goc", issue_date=datetime.date(2025, 9, 1))
    assert 'href="/truong-hb/ke-hoach/"' in client.get(home.url).content.decode()  # the menu
    assert "Phòng GD&amp;ĐT" not in client.get(plans.url).content.decode()
    assert "Văn bản trích dẫn" not in client.get(cited.url).content.decode()

    with committed():
        publish(
            home, StandardPage(title="Giới thiệu tổ tư vấn", slug="gioi-thieu", show_in_menus=True)
        )
        citing = plan(plans, "van-ban-moi", title="Văn bản trích dẫn", issuing_body="Phòng GD&ĐT")
        PlanLegalBasis.objects.create(page=citing, cited_page=cited)
        citing.save_revision().publish()

    assert "Giới thiệu tổ tư vấn" in client.get(home.url).content.decode()
    listing = client.get(plans.url).content.decode()
    assert '<option value="Phòng GD&amp;ĐT">Phòng GD&amp;ĐT</option>' in listing
    assert "Văn bản trích dẫn" in client.get(cited.url).content.decode()


def test_an_edited_hotline_shows_at_once_on_the_home_page(client, fragments_on, committed):
    with committed():
        home = site_home()
    assert "Đường dây thử nghiệm" not in client.get(home.url).content.decode()
    with committed():
        Hotline.objects.create(number="0000 123 456", name="Đường dây thử nghiệm", scope="national")
    assert "Đường dây thử nghiệm" in client.get(home.url).content.decode()


def render(source: str, host: str = "localhost", **context) -> str:
    request = RequestFactory().get("/", HTTP_HOST=host)
    return Template("{% load wagtailcore_tags pages_tags %}" + source).render(
        Context({"request": request, **context})
    )


def test_links_are_those_wagtail_gives():
    home = site_home()
    section = publish(home, StandardPage(title="Giới thiệu", slug="gioi-thieu"))
    unicode_slug = publish(home, StandardPage(title="Tiếng Việt", slug="tiếng-việt"))
    other_root = publish(Page.objects.get(depth=1), StandardPage(title="Khác", slug="khac"))
    Site.objects.create(hostname="truong-khac.example", port=443, root_page=other_root)
    elsewhere = publish(other_root, StandardPage(title="Trang khác", slug="trang-khac"))

    # The school's section is also a site of its own, so its pages are in two sites.
    Site.objects.create(hostname="truong-thu.example", port=80, root_page=home)

    for host in ("localhost", "truong-thu.example", "truong-khac.example"):
        for page in (home, section, unicode_slug, elsewhere):
            ours = render("{% page_url page %}", host=host, page=page)
            assert ours == render("{% pageurl page %}", host=host, page=page)
    assert render("{% page_url page %}", page=elsewhere).startswith("https://truong-khac.example")
    assert render("{% page_url page %}", page=section) == "/truong-thu/gioi-thieu/"
    assert render("{% page_url page %}", host="truong-thu.example", page=section) == "/gioi-thieu/"


def test_filter_options_mark_the_chosen_value_whatever_its_type():
    html = render(
        "{% filter_options choices selected %}",
        choices=[(2026, 2026), (2025, 2025), ("a&b", "A & B")],
        selected="2025",
    )
    assert html == (
        '<option value="2026">2026</option><option value="2025" selected>2025</option>'
        '<option value="a&amp;b">A &amp; B</option>'
    )


def test_an_unfiltered_plan_index_marks_no_issuer_chosen(client):
    home = site_home()
    plans = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    plan(plans, "ke-hoach-mot", issuing_body="Trường Thử")
    plan(plans, "ke-hoach-hai", issuing_body="Phòng GD&ĐT")

    html = client.get(plans.url).content.decode()

    assert "selected" not in html
    assert 'href="/truong-thu/ke-hoach/"' not in html  # no "clear filters" link
    chosen = client.get(plans.url, {"issuer": "Trường Thử"}).content.decode()
    assert '<option value="Trường Thử" selected>' in chosen


def test_a_count_is_grouped_as_the_language_writes_it():
    """In Vietnamese "14.809 kết quả", in English "14,809 results"; a year is not grouped."""
    from django.utils import translation

    with translation.override("vi"):
        assert render("{{ n|grouped }} · {{ year }}", n=14809, year=2026) == "14.809 · 2026"
    with translation.override("en"):
        assert render("{{ n|grouped }}", n=14809) == "14,809"
