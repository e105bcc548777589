"""The site has an icon: named by every public page and the admin, and at /favicon.ico."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

pytestmark = pytest.mark.django_db

ICON = static("favicon.svg")


def icon_links(html: str) -> list[str]:
    return re.findall(r'<link rel="(?:shortcut )?icon" href="([^"]+)"', html)


def test_the_icon_is_a_static_file():
    assert finders.find("favicon.svg")


def test_public_pages_name_the_icon(client, make_school):
    school = make_school("IC")
    assert icon_links(client.get(school.root_page.url).content.decode()) == [ICON]
    assert icon_links(client.get("/tim-kiem/").content.decode()) == [ICON]


def test_admin_names_the_same_icon(client):
    assert icon_links(client.get("/admin/login/").content.decode()) == [ICON]


def test_favicon_ico_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == ICON
