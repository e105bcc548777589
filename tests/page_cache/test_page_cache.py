"""Anonymous visitors get shared copies of public pages, and never a stale or private one."""

import pytest
from django.contrib.auth import get_user_model
from wagtail.models import PageViewRestriction

from pages.models import Hotline, PlanIndexPage
from tests.pages.factories import plan, publish, site_home

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_page(page_cache_on, committed):
    with committed():
        home = site_home()
        index = publish(home, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
        return plan(index, "ke-hoach-phong-chong-bao-luc", title="Kế hoạch phòng chống bạo lực")


def test_second_visitor_gets_the_stored_page_without_touching_the_database(
    client, plan_page, django_assert_num_queries
):
    first = client.get(plan_page.url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(plan_page.url)
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert "Kế hoạch phòng chống bạo lực" in second.content.decode()


def test_public_page_tells_browsers_and_proxies_how_to_keep_it(client, plan_page):
    response = client.get(plan_page.url)
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"public", "max-age=60", "s-maxage=600"} <= cache_control
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")


@pytest.mark.parametrize("visit", ["miss", "hit"])
def test_unchanged_page_is_answered_304_with_no_body(client, plan_page, visit):
    first = client.get(plan_page.url)
    if visit == "hit":
        assert client.get(plan_page.url)["X-Page-Cache"] == "hit"
    again = client.get(plan_page.url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    by_date = client.get(plan_page.url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert by_date.status_code == 304


def test_each_language_is_stored_apart(client, plan_page):
    vietnamese = client.get(plan_page.url).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(plan_page.url)
    assert english["X-Page-Cache"] == "miss"
    assert english["Content-Language"] == "en"
    assert english.content.decode() != vietnamese


def test_stored_page_carries_no_cookie_or_csrf_token(client, plan_page):
    client.get(plan_page.url)
    stored = client.get(plan_page.url)
    assert stored["X-Page-Cache"] == "hit"
    assert not stored.cookies
    html = stored.content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "sessionid" not in html


def test_publishing_a_change_shows_at_once(client, plan_page, committed):
    client.get(plan_page.url)
    assert client.get(plan_page.url)["X-Page-Cache"] == "hit"
    plan_page.title = "Kế hoạch đã sửa"
    with committed():
        plan_page.save_revision().publish()
    html = client.get(plan_page.url).content.decode()
    assert "Kế hoạch đã sửa" in html


def test_a_new_page_appears_in_the_listing_at_once(client, plan_page, committed):
    index = plan_page.get_parent()
    assert "Kế hoạch tuyển sinh" not in client.get(index.url).content.decode()
    assert client.get(index.url)["X-Page-Cache"] == "hit"
    with committed():
        plan(index.specific, "ke-hoach-moi", title="Kế hoạch tuyển sinh")
    assert "Kế hoạch tuyển sinh" in client.get(index.url).content.decode()


def test_unpublished_moved_and_deleted_pages_are_gone_at_once(client, plan_page, committed):
    url = plan_page.url
    client.get(url)
    with committed():
        plan_page.unpublish()
    assert client.get(url).status_code == 404

    with committed():
        plan_page.save_revision().publish()
    assert client.get(url).status_code == 200
    with committed():
        other = publish(plan_page.get_parent().get_parent(), PlanIndexPage(title="Lưu", slug="luu"))
        plan_page.move(other, pos="last-child")
    old_address = client.get(url)
    assert old_address.status_code == 301  # Wagtail leaves a redirect behind

    plan_page.refresh_from_db()
    moved = plan_page.url
    assert client.get(moved).status_code == 200
    with committed():
        plan_page.delete()
    assert client.get(moved).status_code == 404


def test_editing_a_hotline_or_the_school_shows_at_once(client, plan_page, committed, make_school):
    home = plan_page.get_parent().get_parent()
    line = Hotline.objects.get(number="111")
    assert line.name in client.get(home.url).content.decode()
    assert client.get(home.url)["X-Page-Cache"] == "hit"
    line.name = "Tổng đài thử nghiệm đổi tên"
    with committed():
        line.save()
    assert "Tổng đài thử nghiệm đổi tên" in client.get(home.url).content.decode()

    with committed():
        school = make_school("TT", hotline="0000 000 321")
    assert "0000 000 321" in client.get(school.root_page.url).content.decode()
    school.hotline = "0000 000 654"
    with committed():
        school.save()
    html = client.get(school.root_page.url).content.decode()
    assert "0000 000 654" in html
    assert "0000 000 321" not in html


def test_making_a_page_private_takes_it_out_of_the_cache(client, plan_page, committed):
    client.get(plan_page.url)
    with committed():
        PageViewRestriction.objects.create(page=plan_page, restriction_type="login")
    response = client.get(plan_page.url)
    assert response.status_code == 302
    assert "X-Page-Cache" not in response


def test_signed_in_pages_are_never_stored_or_served_from_the_store(client, plan_page, committed):
    editor = get_user_model().objects.create_user("bientap", password="pw-bientap-2026")
    client.get(plan_page.url)  # an anonymous copy is stored
    client.force_login(editor)
    signed_in = client.get(plan_page.url)
    assert "X-Page-Cache" not in signed_in
    assert "no-store" in signed_in["Cache-Control"]
    assert "public" not in signed_in["Cache-Control"]
    client.logout()
    client.cookies.clear()
    plan_page.title = "Trang chỉ người đăng nhập thấy trước"
    with committed():
        plan_page.save_revision()  # a draft: nothing public changes
    client.force_login(editor)
    client.get(plan_page.url)
    client.logout()
    client.cookies.clear()
    assert client.get(plan_page.url)["X-Page-Cache"] == "hit"
    assert "Trang chỉ người đăng nhập thấy trước" not in client.get(plan_page.url).content.decode()


def test_admin_and_case_area_are_never_stored(client, page_cache_on):
    for _ in range(2):
        response = client.get("/admin/login/")
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_a_page_with_a_form_token_is_not_stored(client, plan_page):
    PageViewRestriction.objects.create(
        page=plan_page, restriction_type="password", password="mat-khau-thu"
    )
    for _ in range(2):
        response = client.get(plan_page.url)
        assert response.status_code == 200
        assert "csrfmiddlewaretoken" in response.content.decode()
        assert "X-Page-Cache" not in response
        assert "public" not in response.get("Cache-Control", "")


def test_not_found_is_kept_a_minute_and_a_new_page_there_shows_at_once(
    client, plan_page, committed
):
    index = plan_page.get_parent().specific
    address = index.url + "ke-hoach-sap-co/"
    first = client.get(address)
    assert first.status_code == 404
    again = client.get(address)
    assert (again.status_code, again["X-Page-Cache"]) == (404, "hit")
    assert 'href="tel:111"' in again.content.decode()  # help stays one tap away
    assert "max-age=60" in again["Cache-Control"]
    with committed():
        plan(index, "ke-hoach-sap-co", title="Kế hoạch sắp có")
    assert client.get(address).status_code == 200


def test_server_errors_are_not_stored(client, plan_page, monkeypatch):
    from pages.models import PlanPage

    def fail(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(PlanPage, "serve", fail)
    client.raise_request_exception = False
    for _ in range(2):
        response = client.get(plan_page.url)
        assert response.status_code == 500
        assert "X-Page-Cache" not in response


def test_switched_off_the_page_is_rendered_each_time_but_still_revalidates(
    client, plan_page, settings
):
    settings.PAGE_CACHE_SECONDS = 0
    first = client.get(plan_page.url)
    second = client.get(plan_page.url)
    assert "X-Page-Cache" not in second
    assert second["ETag"] == first["ETag"]
    assert client.get(plan_page.url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
