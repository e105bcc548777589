"""A counsellor records a session on a phone (360×640), without scrolling sideways."""

import pytest
from playwright.sync_api import expect

from counselling.models import CounsellingEntry
from learners.models import Learner
from schools.roles import Role
from tests.e2e.conftest import browser  # noqa: F401  (the session's Chromium)
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def small_phone(browser):  # noqa: F811
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
