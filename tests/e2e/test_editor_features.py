"""What Wagtail 8 gives an editor, seen in a browser and in Vietnamese.

The "Kiểm tra" (checks) panel of the page editor runs the content checker on the
page in the preview frame: a page that skips a heading level and whose image's
alternative text is a file name is reported, in Vietnamese, without a single
Content-Security-Policy violation in the admin or in the frame. The listings of
documents and images show where each file is used.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.admin.models import EditingSession

from schools.models import Membership
from schools.roles import Role
from tests.conftest import build_school
from tests.pages.editor_data import bad_standard_page, plan_using_document, small_document

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mat-khau-bien-tap-2026"
SHOTS = "/tmp/h4-editor/shots"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 360, "height": 640}

# Runs before any of a document's scripts (the admin's and the preview frame's)
# and records every violation the browser reports there, and when the editor's
# form starts watching for edits.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  (window.top.__violations || window.__violations).push(
    `${event.effectiveDirective} ${event.blockedURI}`
  );
});
document.addEventListener("w-unsaved:watch-edits", () => {
  document.documentElement.dataset.watchingEdits = "true";
});
"""


@pytest.fixture
def school(transactional_db):
    return build_school("KT", "Trường THCS Kiểm Tra")


@pytest.fixture
def editor(school):
    user = get_user_model().objects.create_user(username="bientap.kt", password=PASSWORD)
    Membership.objects.create(user=user, school=school, role=Role.EDITOR)
    return user


def signed_in(browser, live_server, viewport: dict):
    context = browser.new_context(viewport=viewport)
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    page.goto(live_server.url + "/admin/login/")
    page.fill("#id_username", "bientap.kt")
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    return context, page


def leave_editor(page, live_server) -> None:
    """Go to the dashboard and wait until the editor has released its editing session.

    Leaving the editor sends a beacon that deletes the editing session (a write
    the browser does not report back); waiting for it keeps it from racing the
    database's cleanup after the test.
    """
    page.goto(live_server.url + "/admin/")
    for _attempt in range(100):
        if not EditingSession.objects.exists():
            return
        page.wait_for_timeout(100)
    pytest.fail("The editor never released its editing session.")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_checks_panel_reports_a_bad_page_in_vietnamese(
    live_server, browser, school, editor, viewport
):
    school.refresh_from_db()
    bad = bad_standard_page(school.root_page, school.collection)
    context, page = signed_in(browser, live_server, viewport)
    try:
        page.goto(f"{live_server.url}/admin/pages/{bad.pk}/edit/")
        page.locator('[data-side-panel-toggle="checks"]').click()
        panel = page.locator('[data-side-panel="checks"]')
        expect(panel.get_by_role("heading", name="Số liệu nội dung")).to_be_visible()
        issues = panel.locator("[data-checks-panel] [data-content-checker-row]")
        expect(issues.first).to_be_visible(timeout=15000)
        names = panel.locator("[data-content-checker-name]").all_inner_texts()
        page.screenshot(path=f"{SHOTS}/checks-{viewport['width']}.png")
        assert "Thứ bậc tiêu đề không đúng" in names, names
        assert "Văn bản thay thế của ảnh không phù hợp" in names, names
        expect(panel.get_by_text("Tránh bỏ qua cấp tiêu đề")).to_be_visible()
        expect(panel.locator("[data-content-word-count]")).not_to_have_text("-")
        assert page.evaluate("window.__violations") == []
        leave_editor(page, live_server)
    finally:
        context.close()


def test_autosave_keeps_a_draft_while_the_editor_types(live_server, browser, school, editor):
    school.refresh_from_db()
    bad = bad_standard_page(school.root_page, school.collection)
    context, page = signed_in(browser, live_server, DESKTOP)
    try:
        page.goto(f"{live_server.url}/admin/pages/{bad.pk}/edit/")
        # The form notices edits once it has taken its first snapshot of the fields.
        expect(page.locator("html")).to_have_attribute("data-watching-edits", "true")
        # Typed key by key, as an editor does: the form counts an edit on its key and
        # change events, which a programmatic fill does not always raise.
        page.locator("#id_intro").press_sequentially("Tổ tư vấn luôn sẵn sàng lắng nghe em.")
        page.locator("#id_intro").blur()
        indicator = page.locator("#w-autosave-indicator")
        expect(indicator).to_have_attribute("data-w-autosave-state-value", "saved", timeout=15000)
        expect(indicator.get_by_text("Đã lưu", exact=True)).to_be_visible()
        page.screenshot(path=f"{SHOTS}/autosave-1366.png")
        bad.refresh_from_db()
        draft = bad.get_latest_revision_as_object()
        assert draft.intro == "Tổ tư vấn luôn sẵn sàng lắng nghe em."
        assert bad.intro == ""  # a draft: the live page is as it was
        assert page.evaluate("window.__violations") == []
        leave_editor(page, live_server)
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_listings_show_where_each_file_is_used(live_server, browser, school, editor, viewport):
    school.refresh_from_db()
    used = small_document(school.collection, "Kế hoạch bản ký")
    small_document(school.collection, "Tờ rơi chưa dùng")
    plan_using_document(school.root_page, used)
    bad_standard_page(school.root_page, school.collection)
    context, page = signed_in(browser, live_server, viewport)
    try:
        page.goto(f"{live_server.url}/admin/documents/")
        table = page.locator("table.listing")
        expect(table.get_by_role("columnheader", name="Nơi sử dụng")).to_be_visible()
        row = table.locator("tr", has_text="Kế hoạch bản ký")
        expect(row.get_by_role("link", name="Dùng 1 lần")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/documents-{viewport['width']}.png", full_page=True)
        row.get_by_role("link", name="Dùng 1 lần").click()
        expect(page.get_by_role("link", name="Kế hoạch năm học")).to_be_visible()
        page.screenshot(path=f"{SHOTS}/document-usage-{viewport['width']}.png", full_page=True)

        page.goto(f"{live_server.url}/admin/images/?layout=list")
        table = page.locator("table.listing")
        expect(table.get_by_role("columnheader", name="Nơi sử dụng")).to_be_visible()
        expect(table.locator("tr", has_text="Ảnh sân trường")).to_contain_text("Dùng 1 lần")
        page.screenshot(path=f"{SHOTS}/images-{viewport['width']}.png", full_page=True)
        assert page.evaluate("window.__violations") == []
    finally:
        context.close()
