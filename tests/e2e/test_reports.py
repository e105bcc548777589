"""Accountability through a real browser: a counsellor logs a session on a phone, the
principal builds, writes and submits the semester I report, and the district officer
finds it submitted, with its charts, on the district's overview.

Screenshots at 360×640 and 1366×900 go to var/screenshots/ (reports-*.png), or to
the folder named by E2E_SCREENSHOTS.
"""

import os
import re
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.reports_data import ACTIVITY_TITLE, EARLIER_ENTRIES, reports_world  # noqa: F401 (fixture)
from tests.e2e.test_case_area import school, sign_in  # noqa: F401 (fixture)
from tests.e2e.test_staff_concern import sign_in_with_password

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("E2E_SCREENSHOTS") or Path(settings.BASE_DIR) / "var" / "screenshots")
PHONE_SMALL = {"width": 360, "height": 640}
LAPTOP = {"width": 1366, "height": 900}
# A Vietnamese phone or laptop: the browser's own date fields read day/month/year.
PHONE = {"viewport": PHONE_SMALL, "is_mobile": True, "has_touch": True, "locale": "vi-VN"}
DESKTOP = {"viewport": LAPTOP, "locale": "vi-VN"}

NOTES = "Em lo lắng trước kỳ kiểm tra giữa kỳ, mất ngủ hai tuần nay."
WENT_WELL = "Tổ tư vấn trực phòng tư vấn hằng ngày; học sinh chủ động tìm đến nhiều hơn."
DIFFICULTIES = "Chưa có phòng tư vấn riêng; giáo viên kiêm nhiệm nên ít thời gian."
PROPOSALS = "Đề nghị Phòng GD&ĐT tổ chức tập huấn kỹ năng tư vấn cho giáo viên kiêm nhiệm."


# The admin scrolls inside its own box, which a full-page screenshot does not unroll:
# the window is made as tall as the tallest scrolling box for the picture.
CONTENT_HEIGHT = """() => Math.max(document.documentElement.scrollHeight, ...Array.from(
    document.querySelectorAll("body *"),
    (el) => /(auto|scroll)/.test(getComputedStyle(el).overflowY) ? el.scrollHeight : 0))"""


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    height = min(page.evaluate(CONTENT_HEIGHT), 8000)
    if height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": height})
    page.screenshot(path=str(SHOTS / f"reports-{name}.png"), full_page=True)
    page.set_viewport_size(size)


def shoot_at_360(page, name: str, *, must_fit: bool = True) -> None:
    """The same screen, as the same user, on a 360×640 phone."""
    context = page.context.browser.new_context(**PHONE, storage_state=page.context.storage_state())
    phone = context.new_page()
    phone.goto(page.url)
    shoot(phone, name)
    if must_fit:
        fits_the_screen(phone)
    context.close()


# Form controls and buttons whose right edge is past the window's (cut off, where a
# box that clips hides the overflow from the page's own width).
CUT_OFF_CONTROLS = """() => Array.from(
    document.querySelectorAll("main input, main select, main textarea, main button, main .button"))
    .filter((el) => el.offsetParent !== null && el.type !== "hidden")
    .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1)
    .map((el) => `${el.tagName.toLowerCase()}#${el.id || el.name || el.textContent.trim()}`
        + ` ends at ${Math.round(el.getBoundingClientRect().right)} px`)"""


def fits_the_screen(page) -> None:
    """Nothing makes a phone scroll sideways (wide tables scroll inside their own box)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"{page.url} is {width} px wide"


def open_the_log_from_the_menu(page, base: str) -> None:
    """Through the side menu, as on a phone: the menu, then "Hồ sơ vụ việc", then the log."""
    page.get_by_role("button", name="Ẩn/hiện thanh bên").click()
    menu = page.get_by_role("complementary", name="Thanh bên")
    menu.get_by_role("button", name="Hồ sơ vụ việc").click()
    menu.get_by_role("link", name="Sổ theo dõi tư vấn").click()


def sessions_counted(count: int) -> re.Pattern:
    return re.compile(rf"^{count} (buổi|lượt) tư vấn$")


def chart_titled(page, title: str):
    """A server-drawn chart (an SVG image named by its title)."""
    return page.locator(
        "svg[role=img]", has=page.locator("title", has_text=re.compile(rf"^{re.escape(title)}$"))
    )


def row_of(page, text: str):
    return page.locator("tr", has_text=text).first


def test_a_session_logged_on_a_phone_reaches_the_district_in_the_semester_report(
    live_server,
    browser,
    reports_world,  # noqa: F811 (the fixture imported above)
):
    base = live_server.url
    world = reports_world
    school_name = world.school.name
    session_day = world.session_day
    sessions_before = len(EARLIER_ENTRIES)
    individual_before = sum(1 for entry in EARLIER_ENTRIES if entry[1] == "individual")

    # (a) The counsellor, on a phone, opens the log from the menu and records a session.
    context = browser.new_context(**PHONE)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "ctxh.tn")
    open_the_log_from_the_menu(page, base)
    expect(page.get_by_role("heading", name="Sổ theo dõi tư vấn")).to_be_visible()
    expect(page.get_by_text(sessions_counted(sessions_before))).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Ghi (buổi|lượt) tư vấn")).first.click()

    page.fill("#id_held_on", f"{session_day:%Y-%m-%d}")
    page.get_by_role("radio", name="Cá nhân", exact=True).check()
    page.get_by_role("radio", name="Tâm lý", exact=True).check()
    page.get_by_label("Khối lớp").select_option(label="Khối 8")
    page.get_by_role("radio", name="Nữ", exact=True).check()
    page.fill("#id_duration_minutes", "30")
    page.get_by_role("radio", name="Cần theo dõi tiếp", exact=True).check()
    page.fill("#id_notes", NOTES)
    shoot(page, "entry-form-360")
    fits_the_screen(page)
    page.get_by_role("button", name="Lưu", exact=True).click()

    page.goto(base + "/admin/so-tu-van/")
    expect(page.get_by_text(sessions_counted(sessions_before + 1))).to_be_visible()
    row = row_of(page, "Tâm lý")
    expect(row).to_contain_text(f"{session_day:%d/%m/%Y}")
    expect(row).to_contain_text("Cá nhân")
    expect(row).to_contain_text("Cần theo dõi tiếp")
    # The list is a register, not the notes.
    expect(page.get_by_text(NOTES)).to_have_count(0)
    shoot(page, "entry-list-360")
    fits_the_screen(page)
    page.goto(base + "/admin/so-tu-van/hoat-dong/moi/")
    shoot(page, "activity-form-360")
    fits_the_screen(page)
    context.close()

    # (b) The principal, on a laptop, starts the semester I report, writes it and submits it.
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "hieutruong.tn")
    for url, name in [
        ("/admin/so-tu-van/", "entry-list-1366"),
        ("/admin/so-tu-van/moi/", "entry-form-1366"),
        ("/admin/so-tu-van/hoat-dong/moi/", "activity-form-1366"),
    ]:
        page.goto(base + url)
        shoot(page, name)
    page.goto(base + "/admin/bao-cao/")
    semester_row = row_of(page, world.semester.label)
    expect(semester_row).to_contain_text("Chưa bắt đầu")
    semester_row.get_by_role("button", name="Lập báo cáo").click()

    expect(page.get_by_role("heading", name=world.semester.label).first).to_be_visible()
    expect(row_of(page, "Số lượt tư vấn")).to_contain_text(str(sessions_before + 1))
    expect(row_of(page, "Số hoạt động truyền thông")).to_contain_text("1")
    # The chart of sessions by form, titled, counts the new individual session too.
    chart = chart_titled(page, "Lượt tư vấn theo hình thức")
    expect(chart).to_be_visible()
    expect(chart.locator("title", has_text=f"Cá nhân: {individual_before + 1} lượt")).to_have_count(
        1
    )
    page.get_by_label("Những việc đã làm tốt").fill(WENT_WELL)
    page.get_by_label("Khó khăn, vướng mắc").fill(DIFFICULTIES)
    page.get_by_label("Đề xuất, kiến nghị").fill(PROPOSALS)
    page.get_by_label("Số báo cáo").fill("15")
    page.get_by_role("button", name="Lưu nội dung").click()
    expect(page.get_by_text("Đã lưu")).to_be_visible()
    expect(page.get_by_label("Những việc đã làm tốt")).to_have_value(WENT_WELL)
    shoot(page, "report-1366")
    shoot_at_360(page, "report-360")
    report_url = page.url

    page.goto(report_url + "in/")
    expect(page.get_by_text(WENT_WELL)).to_be_visible()
    expect(page.get_by_text("Độc lập - Tự do - Hạnh phúc")).to_be_visible()
    shoot(page, "print-1366")
    shoot_at_360(page, "print-360", must_fit=False)  # an A4 page
    pdf = page.request.get(report_url + "pdf/")
    assert pdf.ok
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.body().startswith(b"%PDF")
    (SHOTS / "reports-report.pdf").write_bytes(pdf.body())

    page.goto(report_url)
    page.get_by_role("link", name="Nộp lên Phòng GD&ĐT").click()
    # A page says what submitting means before the report goes.
    expect(page.get_by_role("heading", name="Nộp báo cáo")).to_be_visible()
    shoot(page, "confirm-submit-1366")
    page.get_by_role("button", name="Nộp lên Phòng GD&ĐT").click()
    expect(page.get_by_text("Đã nộp lên Phòng GD&ĐT").first).to_be_visible()
    # Frozen once submitted: nothing left to type into.
    expect(page.locator("textarea")).to_have_count(0)
    context.close()

    # (c) The district officer sees it submitted on the overview, with the charts, and opens it.
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in_with_password(page, base, "pgd.canbo")
    page.goto(base + "/admin/phong-gd/")
    row = row_of(page, school_name)
    expect(row).to_contain_text("Đã nộp")
    expect(row_of(page, world.other_school.name)).to_contain_text("Chưa bắt đầu")
    expect(page.locator("svg[role=img] title").first).not_to_be_empty()
    shoot(page, "district-1366")
    shoot_at_360(page, "district-360")
    row.get_by_role("link").first.click()
    expect(page.get_by_text(school_name).first).to_be_visible()
    expect(page.get_by_text(WENT_WELL)).to_be_visible()
    expect(page.locator("svg[role=img] title").first).not_to_be_empty()
    # Nothing of a session's notes or of the log reaches the district.
    expect(page.get_by_text(NOTES)).to_have_count(0)
    expect(page.get_by_text(ACTIVITY_TITLE)).to_have_count(0)
    shoot(page, "district-report-1366")
    context.close()


def test_the_forms_of_the_log_and_the_district_fit_a_360_px_phone(
    live_server,
    browser,
    reports_world,  # noqa: F811 (the fixture imported above)
):
    base = live_server.url
    cut_off = {}
    for username, urls in [
        (
            "ctxh.tn",
            ["/admin/so-tu-van/", "/admin/so-tu-van/moi/", "/admin/so-tu-van/hoat-dong/moi/"],
        ),
        ("pgd.canbo", ["/admin/phong-gd/"]),
    ]:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        page.set_default_timeout(10_000)
        if username == "pgd.canbo":
            sign_in_with_password(page, base, username)
        else:
            sign_in(page, base, username)
        for url in urls:
            page.goto(base + url)
            expect(page.locator("main form").first).to_be_visible()
            fits_the_screen(page)
            cut_off[url] = page.evaluate(CUT_OFF_CONTROLS)
        context.close()
    assert not any(cut_off.values()), cut_off
