"""An editor imports a plan from a Word file, corrects it and sends the draft for review.

The whole path in a real browser: the "Nhập từ tệp Word hoặc PDF" button of the
school's plan index, the file, the review screen (one value corrected), the draft
in Wagtail's editor, and Wagtail's own "submit for review", after which the page
waits for the principal and is not live. Screenshots of both screens at phone and
desktop sizes go to var/screenshots/plan_import/.
"""

from pathlib import Path

import pytest
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from pages.models import PlanIndexPage, PlanPage
from schools.roles import Role
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401 (fixture)
from tests.pages.factories import publish
from tests.plan_import.documents import docx_from_text
from tests.plan_import.test_views import PLAN

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots" / "plan_import"
SIZES = {"phone": {"width": 360, "height": 640}, "desktop": {"width": 1366, "height": 900}}
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        page.reload()  # the admin lays out its menu for the width it loads at
        page.screenshot(path=str(SHOTS / f"{name}-{size}.png"), full_page=True)
        # Nothing runs past the right edge of a phone's screen.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"], f"{name} is {width}px wide at {size} size"
        # The admin scrolls inside its main column: a tall window shows the whole screen.
        page.set_viewport_size({"width": viewport["width"], "height": 4000})
        page.screenshot(path=str(SHOTS / f"{name}-{size}-whole.png"))
    page.set_viewport_size(SIZES["desktop"])
    page.reload()


def test_an_editor_imports_a_word_plan_and_sends_the_draft_for_review(
    live_server,
    browser,
    school,  # noqa: F811
):
    staff("bientap.kh", Role.EDITOR, school)
    staff("hieutruong.kh", Role.PRINCIPAL, school)
    index = publish(school.root_page, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    base = live_server.url
    context = browser.new_context(viewport=SIZES["desktop"], locale="vi-VN")
    page = context.new_page()
    refused = []  # the admin's Content-Security-Policy allows no inline script or style
    page.on(
        "console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else 0
    )
    try:
        sign_in(page, base, "bientap.kh")
        page.goto(f"{base}/admin/pages/{index.pk}/")
        button = page.get_by_role("link", name="Nhập từ tệp Word hoặc PDF")
        if not button.is_visible():
            page.get_by_role("button", name="Thao tác").first.click()
        button.click()

        expect(
            page.get_by_role("heading", name="Nhập kế hoạch từ tệp Word hoặc PDF")
        ).to_be_visible()
        shoot(page, "1-document")
        page.get_by_label("Tệp Word hoặc PDF").set_input_files(
            {"name": "ke-hoach-15.docx", "mimeType": DOCX, "buffer": docx_from_text(PLAN)}
        )
        page.get_by_role("button", name="Đọc kế hoạch").click()

        expect(page.get_by_role("heading", name="Soát lại kế hoạch được nhập")).to_be_visible()
        expect(page.get_by_label("Số văn bản")).to_have_value("15/KH-THCS")
        expect(page.get_by_text("Số: 15/KH-THCS", exact=True)).to_be_visible()
        shoot(page, "2-review")
        page.get_by_label("Người ký").fill("Nguyễn Thị Sửa")
        page.get_by_role("button", name="Tạo bản nháp").click()

        page.wait_for_url(lambda url: "/edit/" in url)
        plan = PlanPage.objects.get()
        assert plan.signer_name == "Nguyễn Thị Sửa"
        assert not plan.live
        expect(page.get_by_text("Đã tạo bản nháp")).to_be_visible()

        submit = page.locator("button[name='action-submit']")
        if not submit.is_visible():
            page.locator("footer [data-w-dropdown-target='toggle']").last.click()
        submit.click()
        page.wait_for_load_state()

        state = WorkflowState.objects.get(object_id=str(plan.pk))
        assert state.status == WorkflowState.STATUS_IN_PROGRESS
        plan.refresh_from_db()
        assert not plan.live
        assert plan.attachments.get().is_signed_original
        assert refused == []
    finally:
        context.close()
