"""A counsellor records a session on a phone (360×640), without scrolling sideways."""

import datetime

import pytest
from playwright.sync_api import expect

from counselling.models import CounsellingEntry
from learners.models import Learner
from schools.roles import Role
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def small_phone(browser):
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    yield page
    context.close()


def test_a_session_is_logged_on_a_phone(small_phone, live_server, school):  # noqa: F811
    staff("tuvan", Role.CASE_WORKER, school)
    Learner.objects.create(school=school, full_name="Lê Thị Hoa", class_name="7A", gender="female")
    page = small_phone
    sign_in(page, live_server.url, "tuvan")
    page.goto(live_server.url + "/admin/so-tu-van/moi/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.get_by_label("Học sinh (không bắt buộc)").fill("le thi hoa")
    page.get_by_label("Học tập").check()
    page.get_by_label("Cần theo dõi tiếp").check()
    page.get_by_label("Ghi chú").fill("Em lo lắng vì điểm kiểm tra")
    page.get_by_role("button", name="Lưu", exact=True).click()
    page.wait_for_url(live_server.url + "/admin/so-tu-van/")
    expect(page.get_by_text("Đã lưu lượt tư vấn vào sổ theo dõi.")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    entry = CounsellingEntry.objects.get()
    assert entry.grade == 7
    assert entry.gender == "female"
    assert entry.outcome == "follow_up"


CUT_OFF = """() => Array.from(document.querySelectorAll("main input, main select, main textarea"))
    .filter((el) => el.offsetParent !== null && el.type !== "hidden")
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id || el.name}`)"""


def test_no_select_or_box_of_the_log_runs_past_a_phones_edge(
    small_phone,
    live_server,
    school,  # noqa: F811
):
    staff("tuvan", Role.CASE_WORKER, school)
    page = small_phone
    sign_in(page, live_server.url, "tuvan")
    for url in ("/admin/so-tu-van/", "/admin/so-tu-van/moi/", "/admin/so-tu-van/hoat-dong/moi/"):
        page.goto(live_server.url + url)
        assert page.evaluate(CUT_OFF) == [], url
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
    page.goto(live_server.url + "/admin/so-tu-van/moi/")
    assert page.locator("select#id_grade").bounding_box()["width"] > 250


def test_the_list_on_a_phone_keeps_date_form_area_and_outcome_in_view(
    small_phone,
    live_server,
    school,  # noqa: F811
    browser,
):
    from counselling.models import CounsellingArea

    staff("tuvan", Role.CASE_WORKER, school)
    area = CounsellingArea.objects.filter(active=True).order_by("pk").first()
    CounsellingEntry.objects.create(
        school=school,
        held_on=datetime.date(2026, 11, 3),
        form="individual",
        area=area,
        participants=1,
        outcome="follow_up",
    )
    page = small_phone
    sign_in(page, live_server.url, "tuvan")
    page.goto(live_server.url + "/admin/so-tu-van/")
    table = page.get_by_role("table")
    for heading in ("Ngày", "Hình thức tư vấn", "Nội dung tư vấn", "Kết quả"):
        cell = table.get_by_role("columnheader", name=heading, exact=True)
        expect(cell).to_be_visible()
        assert cell.bounding_box()["x"] + cell.bounding_box()["width"] <= 361, heading
    outcome = table.get_by_role("cell", name="Cần theo dõi tiếp").bounding_box()
    assert outcome["x"] >= 0
    assert outcome["x"] + outcome["width"] <= 361
    for heading in ("Người tham gia", "Khối lớp"):
        expect(table.get_by_role("columnheader", name=heading)).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    wide = browser.new_context(viewport={"width": 1366, "height": 800})
    desk = wide.new_page()
    sign_in(desk, live_server.url, "tuvan")
    desk.goto(live_server.url + "/admin/so-tu-van/")
    for heading in ("Người tham gia", "Khối lớp", "Kết quả"):
        expect(desk.get_by_role("table").get_by_role("columnheader", name=heading)).to_be_visible()
    wide.close()
