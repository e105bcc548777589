"""The language switch is a plain link: it works without a form token and stays on the site."""

import pytest

from pages.models import StandardPage
from tests.pages.factories import publish, site_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def page():
    return publish(site_home(), StandardPage(title="Giới thiệu", slug="gioi-thieu"))


def test_footer_offers_english_as_a_link_back_to_the_same_page(client, page):
    html = client.get(page.url).content.decode()
    assert f'href="/ngon-ngu/en/?next={page.url.replace("/", "%2F")}"' in html
    assert "csrfmiddlewaretoken" not in html


def test_choosing_english_shows_the_page_in_english_and_back(client, page):
    response = client.get(f"/ngon-ngu/en/?next={page.url}")
    assert response.status_code == 302
    assert response["Location"] == page.url
    assert "no-store" in response["Cache-Control"]
    assert client.get(page.url)["Content-Language"] == "en"
    client.get(f"/ngon-ngu/vi/?next={page.url}")
    assert client.get(page.url)["Content-Language"] == "vi"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"]
)
def test_never_sends_the_visitor_to_another_site(client, target):
    response = client.get("/ngon-ngu/en/", {"next": target})
    assert response["Location"] == "/"


def test_unknown_language_is_not_found(client):
    assert client.get("/ngon-ngu/xx/").status_code == 404
    assert "django_language" not in client.cookies
