"""Help is one tap away: every public page carries 111, and a school's pages its own line."""

import pytest
from wagtail.models import Page

from pages.models import HomePage
from pages.templatetags.pages_tags import tel_href

pytestmark = pytest.mark.django_db


def test_page_under_a_school_shows_that_school_hotline_not_another(client, make_school):
    a = make_school("AL", hotline="0000 000 123")
    make_school("SM", hotline="0000 000 999")
    child = Page.objects.get(pk=a.root_page_id).add_child(
        instance=HomePage(title="Tổ tư vấn", slug="to-tu-van")
    )
    html = client.get(child.url).content.decode()
    assert 'href="tel:0000000123"' in html
    assert "0000 000 999" not in html
    assert 'href="tel:111"' in html


def test_404_page_offers_111(client, demo_data):
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert 'href="tel:111"' in response.content.decode()


@pytest.mark.parametrize(
    ("shown", "dialled"),
    [("0000 000 111", "0000000111"), ("+84 20 3812 345", "+84203812345"), ("111", "111")],
)
def test_tel_links_dial_digits_only(shown, dialled):
    assert tel_href(shown) == dialled
