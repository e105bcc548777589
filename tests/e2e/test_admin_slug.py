"""The page editor's live slug keeps every letter of a Vietnamese title."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from schools.models import Membership
from schools.roles import Role
from tests.conftest import build_school

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mat-khau-bien-tap-2026"


@pytest.fixture
def editor_page(live_server, desktop):
    """The editor's add-page form for a standard page under a school's home page."""
    school = build_school("SL", "Trường THCS Sơn La")
    user = get_user_model().objects.create_user(username="bientap", password=PASSWORD)
    Membership.objects.create(user=user, school=school, role=Role.EDITOR)
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "bientap")
    desktop.fill("#id_password", PASSWORD)
    desktop.locator("form button[type=submit]").click()
    desktop.wait_for_url(lambda url: "/admin/login/" not in url)
    desktop.goto(f"{live_server.url}/admin/pages/add/pages/standardpage/{school.root_page_id}/")
    return desktop


def test_typed_vietnamese_title_becomes_a_transliterated_slug(editor_page):
    title = editor_page.locator("#id_title")
    title.press_sequentially("Tuần lễ an toàn trên mạng, Đội tư vấn")
    title.blur()
    expect(editor_page.locator("#id_slug")).to_have_value(
        "tuan-le-an-toan-tren-mang-doi-tu-van", timeout=5000
    )
