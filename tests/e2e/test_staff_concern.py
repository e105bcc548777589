"""A teacher raises a concern from a phone, sees 111/113, and finds it among their own.

The teacher signs in with a password alone (their role asks no second factor).
Screenshots at 360×640 and 1366×900 go to var/screenshots/ (staff-concern-*.png).
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from concerns.models import Concern
from learners.models import Learner
from tests.e2e.test_case_area import PASSWORD, school, staff  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE_SMALL = {"width": 360, "height": 640}
LAPTOP = {"width": 1366, "height": 900}
LEARNER_NAME = "Lường Thị Hoa"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"staff-concern-{name}.png"), full_page=True)


def sign_in_with_password(page, base: str, username: str) -> None:
    page.goto(base + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    assert "xac-thuc-2-buoc" not in page.url


@pytest.mark.parametrize(
    ("viewport", "size"), [(PHONE_SMALL, "360"), (LAPTOP, "1366")], ids=["phone", "laptop"]
)
def test_a_teacher_raises_an_urgent_concern_and_follows_it(
    live_server,
    browser,
    school,  # noqa: F811 (the fixture imported above)
    viewport,
    size,
):
    staff("giaovien.tn", "staff", school)
    learner = Learner.objects.create(school=school, full_name=LEARNER_NAME, class_name="8A")
    mobile = size == "360"
    context = browser.new_context(viewport=viewport, is_mobile=mobile, has_touch=mobile)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    sign_in_with_password(page, base, "giaovien.tn")

    # The dashboard offers the two links and nothing of the case area.
    expect(page.locator("main a[href='/admin/thong-tin-lo-ngai/moi/']")).to_be_visible()
    expect(page.locator("a[href^='/admin/ho-so/']")).to_have_count(0)
    shoot(page, f"dashboard-{size}")

    page.locator("main a[href='/admin/thong-tin-lo-ngai/moi/']").first.click()
    shoot(page, f"form-top-{size}")
    page.fill("#id_learners-0-name", "luong thi hoa")  # typed fast, without diacritics
    page.fill("#id_what_happened", "Em Hoa có vết bầm trên tay, nói bị bố đánh tối qua.")
    page.fill("#id_when_where", "Sáng nay, lớp 8A")
    page.check("#id_urgent")
    shoot(page, f"form-{size}")
    page.locator("button.staff-concern__send").click()

    expect(page.locator("a[href='tel:111']")).to_be_visible()
    expect(page.locator("a[href='tel:113']")).to_be_visible()
    concern = Concern.objects.get()
    assert concern.urgent
    assert concern.learners.get().learner == learner
    shoot(page, f"sent-{size}")

    page.goto(base + "/admin/thong-tin-lo-ngai/")
    row = page.locator(f"a[href='/admin/thong-tin-lo-ngai/{concern.pk}/']")
    expect(row).to_be_visible()
    expect(page.locator("table.listing tbody tr").first).to_contain_text("Đã tiếp nhận")
    shoot(page, f"mine-{size}")
    context.close()
