"""Public pages stay light for slow mobile links: small, self-hosted, with WebP images.

A pupil in a mountain district opens the home page on a weak 3G signal; the page,
its style sheet and its script together must stay under 60 KB compressed, load
nothing from another origin (a blocked or slow third party would hold the page
back), and send pictures as WebP renditions of the size they are shown at.
"""

import gzip
import re
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.db import transaction
from django.test import Client

from tests.pages.test_query_counts import build_public_site

pytestmark = pytest.mark.django_db

MAX_GZIPPED_BYTES = 60 * 1024
STYLESHEET = re.compile(r"<link\b[^>]*\brel=\"stylesheet\"[^>]*>")
SCRIPT = re.compile(r"<script\b[^>]*>")
IMG = re.compile(r"<img\b[^>]*>")
ATTRIBUTE = re.compile(r'\b([a-z-]+)="([^"]*)"')
# ManifestStaticFilesStorage names a file style.0123456789ab.css.
HASHED = re.compile(r"\.[0-9a-f]{12}(\.[a-z0-9]+)$")


PAGES = ("portal", "home", "plans", "plan", "campaign", "material", "standard")


@pytest.fixture(scope="module")
def html_of(django_db_setup, django_db_blocker) -> dict[str, str]:
    """The HTML of each page type, from a site built once (in a rolled-back transaction)."""
    pages = {}
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        site = build_public_site()
        client = Client()
        for name in PAGES:
            response = client.get(getattr(site, name).get_url())
            assert response.status_code == 200, name
            pages[name] = response.content.decode()
        transaction.set_rollback(True)
        cache.clear()
    return pages


def attributes(tag: str) -> dict[str, str]:
    return dict(ATTRIBUTE.findall(tag))


def static_file(url: str) -> bytes:
    """The bytes of a file the page links to under STATIC_URL, from the project's sources."""
    path = urlsplit(url).path
    assert path.startswith(settings.STATIC_URL), f"{url} is not one of our static files"
    name = path[len(settings.STATIC_URL) :]
    found = finders.find(name) or finders.find(HASHED.sub(r"\1", name))
    assert found, f"{name} is not among the static files"
    with open(found, "rb") as file:
        return file.read()


def assets_of(html: str) -> list[str]:
    """The style sheets and scripts the page loads."""
    links = [attributes(tag).get("href", "") for tag in STYLESHEET.findall(html)]
    scripts = [attributes(tag)["src"] for tag in SCRIPT.findall(html) if "src=" in tag]
    return links + scripts


@pytest.mark.parametrize("page", ["portal", "home"])
def test_home_page_with_its_styles_and_scripts_is_at_most_60_kb_compressed(html_of, page):
    html = html_of[page]
    assets = assets_of(html)
    assert any(url.endswith(".css") for url in assets), "the page should have its style sheet"
    total = len(gzip.compress(html.encode(), 9)) + sum(
        len(gzip.compress(static_file(url), 9)) for url in assets
    )
    assert total <= MAX_GZIPPED_BYTES, f"{total} bytes compressed"


@pytest.mark.parametrize("page", PAGES)
def test_page_loads_no_style_sheet_or_script_from_another_origin(html_of, page):
    html = html_of[page]
    for url in assets_of(html):
        assert url.startswith("/"), url
        assert not url.startswith("//"), url
    # Scripts are deferred: none holds back the first paint.
    for tag in SCRIPT.findall(html):
        assert "defer" in attributes(tag) or " defer" in tag, tag


@pytest.mark.parametrize("page", ["home", "campaign", "material", "standard"])
def test_every_image_is_a_webp_rendition_with_its_size(html_of, page):
    html = html_of[page]
    images = IMG.findall(html)
    if page != "home":
        assert images, "the page should show its pictures"
    for tag in images:
        image = attributes(tag)
        assert image["src"].endswith(".webp"), tag
        for candidate in filter(None, image.get("srcset", "").split(",")):
            assert candidate.split()[0].endswith(".webp"), tag
        assert image.get("width", "").isdigit(), tag
        assert image.get("height", "").isdigit(), tag
        assert image.get("alt") is not None, tag
        # Only the campaign's main picture is above the fold; the rest wait for a scroll.
        if image.get("fetchpriority") != "high":
            assert image.get("loading") == "lazy", tag
