"""What only a browser shows: the demo sites on a phone, and signing in to the admin."""

import base64
import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django_otp.oath import totp
from playwright.sync_api import expect

from schools.models import School

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo_sites(transactional_db):
    call_command("load_demo_data", stdout=io.StringIO())
    return {s.code: f"/{s.root_page.slug}/" for s in School.objects.select_related("root_page")}


@pytest.mark.parametrize("code", ["HB", "SM"])
def test_school_home_on_a_phone_shows_111_at_the_top_ready_to_tap(
    live_server, phone, demo_sites, code
):
    response = phone.goto(live_server.url + demo_sites[code])
    assert response.status == 200

    call = phone.locator('header a[href="tel:111"]')
    assert call.is_visible()
    box = call.bounding_box()
    assert box["y"] < 200, "111 must be visible without scrolling"
    assert box["height"] >= 44, "touch target at least 44 px high"

    school = School.objects.get(code=code)
    assert phone.locator(f'header a[href^="tel:"]:has-text("{school.hotline}")').is_visible()
    # Nothing forces sideways scrolling on a narrow phone.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_portal_leads_to_a_school_site(live_server, phone, demo_sites):
    phone.goto(live_server.url + "/")
    phone.get_by_role("link", name="Trường THCS Hoa Ban (trường minh họa)").click()
    phone.wait_for_url(live_server.url + demo_sites["HB"])
    assert phone.locator("h1").inner_text() == "Trường THCS Hoa Ban (trường minh họa)"


def enrol_second_step(page) -> None:
    """Set up the authenticator app as a person would: read the key, type its code."""
    assert "/admin/xac-thuc-2-buoc/thiet-lap/" in page.url
    expect(page.locator(".accounts-qr svg")).to_be_visible()
    secret = page.locator(".accounts-secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.fill("#id_code", str(totp(key)).zfill(6))
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/ma-du-phong/" in url)
    expect(page.locator(".accounts-codes li")).to_have_count(10)
    page.locator("main a.button").click()  # "I have saved the codes, continue"


def test_staff_member_signs_in_to_the_admin(live_server, desktop, transactional_db):
    get_user_model().objects.create_superuser("hieutruong", password="mat-khau-thu-nghiem")
    desktop.goto(live_server.url + "/admin/")
    assert "/admin/login/" in desktop.url
    desktop.fill("#id_username", "hieutruong")
    desktop.fill("#id_password", "mat-khau-thu-nghiem")
    desktop.locator("form button[type=submit]").click()
    desktop.wait_for_url(lambda url: "/admin/login/" not in url)
    enrol_second_step(desktop)
    desktop.wait_for_url(live_server.url + "/admin/")
    expect(desktop.locator("main")).to_be_visible()
    assert desktop.locator("html").get_attribute("lang") == "vi"


def test_wrong_password_is_refused_with_a_vietnamese_message(
    live_server, desktop, transactional_db
):
    get_user_model().objects.create_user("giaovien", password="dung-mat-khau")
    desktop.goto(live_server.url + "/admin/login/")
    desktop.fill("#id_username", "giaovien")
    desktop.fill("#id_password", "sai-mat-khau")
    desktop.locator("form button[type=submit]").click()
    desktop.wait_for_load_state()
    expect(desktop.locator("main")).to_contain_text("không trùng với mật khẩu")
    assert "/admin/login/" in desktop.url
    assert desktop.locator("#id_username").input_value() == "giaovien"
