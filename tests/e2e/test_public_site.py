"""What only a browser shows on a school's public site.

A pupil on a small phone finds a plan and downloads it; quick exit really leaves
(button or Esc) and keeps our page out of the back button; the help strip fits a
320 px screen; axe-core finds no serious or critical accessibility problem.
"""

import io
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from schools.models import School

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

# Neutral pages on another site, answered by Playwright (the machine has no internet).
ELSEWHERE = "https://example.org/tin-tuc"  # where the visitor was before coming to us
EXIT = "https://example.org/thoi-tiet"  # settings.QUICK_EXIT_URL during these tests

PLAN_2025 = "Kế hoạch công tác xã hội trong trường học năm học 2025–2026"
REPORT_2025 = "Báo cáo sơ kết công tác xã hội học kỳ I năm học 2025–2026"
PLAN_2026_2030 = "Kế hoạch tư vấn học đường giai đoạn 2026–2030"


@pytest.fixture
def hoa_ban(live_server, transactional_db):
    """Absolute URL of the demo school "HB" home page, with the demo content loaded."""
    call_command("load_demo_data", stdout=io.StringIO())
    school = School.objects.select_related("root_page").get(code="HB")
    return f"{live_server.url}/{school.root_page.slug}/"


def _touch_page(browser, width: int, height: int):
    context = browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=True, has_touch=True
    )
    return context, context.new_page()


@pytest.fixture
def small_phone(browser):
    """A 360×640 touch-screen phone."""
    context, page = _touch_page(browser, 360, 640)
    yield page
    context.close()


@pytest.fixture
def narrow_phone(browser):
    """The narrowest phone still in use: 320 px wide."""
    context, page = _touch_page(browser, 320, 568)
    yield page
    context.close()


@pytest.fixture
def quick_exit(settings):
    """Send quick exit to a neutral page that Playwright serves; returns a page-router."""
    settings.QUICK_EXIT_URL = EXIT

    def route(page):
        def fulfil(route):
            title = "neutral" if route.request.url.startswith(EXIT) else "elsewhere"
            route.fulfill(status=200, content_type="text/html", body=f"<title>{title}</title>")

        page.route("https://example.org/**", fulfil)
        return page

    return route


# 1. Finding a plan on a small phone ---------------------------------------------


def _result_titles(page):
    return page.locator("main ul.result-list > li h2 a")


def test_pupil_on_a_small_phone_filters_plans_by_year_and_downloads_the_signed_plan(
    small_phone, hoa_ban
):
    page = small_phone
    index_url = hoa_ban + "ke-hoach/"
    assert page.goto(hoa_ban).status == 200

    page.get_by_role("navigation").get_by_role("link", name="Kế hoạch và văn bản").tap()
    page.wait_for_url(index_url)
    year = page.locator("select#f-year")
    submit = page.locator("form.filters button[type=submit]")
    expect(_result_titles(page)).to_have_count(3)

    # Year 2027: only the 2026–2030 plan covers it.
    year.select_option("2027")
    submit.tap()
    page.wait_for_url(re.compile(r"/ke-hoach/\?year=2027\b"))
    expect(_result_titles(page)).to_have_text([PLAN_2026_2030])
    expect(year).to_have_value("2027")

    # Clear the filter: every document is back, the year select is reset.
    page.locator("main [role=status] a").tap()
    page.wait_for_url(index_url)
    expect(_result_titles(page)).to_have_count(3)
    expect(year).to_have_value("")

    # Year 2025: the 2025–2026 plan and report, not the 2026–2030 plan.
    year.select_option("2025")
    submit.tap()
    page.wait_for_url(re.compile(r"/ke-hoach/\?year=2025\b"))
    expect(_result_titles(page)).to_have_count(2)
    assert sorted(_result_titles(page).all_inner_texts()) == sorted([PLAN_2025, REPORT_2025])

    _result_titles(page).filter(has_text=PLAN_2025).tap()
    page.wait_for_url(index_url + "ke-hoach-cong-tac-xa-hoi-nam-hoc-2025-2026/")
    expect(page.locator("main h1")).to_have_text(PLAN_2025)

    attachment = page.locator("main ul.downloads a[download]")
    expect(attachment).to_have_count(1)
    expect(attachment).to_be_visible()
    with page.expect_download() as info:
        attachment.tap()
    download = info.value
    assert download.failure() is None, download.failure()
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    content = Path(download.path()).read_bytes()
    assert content.startswith(b"%PDF"), f"not a PDF, no %PDF header: {content[:24]!r}"
    assert b"%%EOF" in content[-32:], "the PDF is truncated"


# 2. Quick exit ---------------------------------------------------------------------


def _arrive_from_elsewhere(page, url):
    """Open ``url`` as a visitor coming from another site, so Back has somewhere to go."""
    page.goto(ELSEWHERE)
    response = page.goto(url)
    assert response.status == 200, url


def _assert_left_for_good(page, live_server, where):
    page.wait_for_url(EXIT + "**", timeout=5000)
    assert page.title() == "neutral", where
    page.go_back()
    assert page.url == ELSEWHERE, (
        f"Back after quick exit from {where} returned to {page.url}; "
        "our page must not stay in the history (location.replace)"
    )
    assert not page.url.startswith(live_server.url), where


def test_quick_exit_button_leaves_for_a_neutral_page_and_back_does_not_return(
    live_server, phone, hoa_ban, quick_exit
):
    page = quick_exit(phone)
    _arrive_from_elsewhere(page, hoa_ban)

    button = page.get_by_role("banner").locator("a[data-quick-exit]")
    expect(button).to_be_in_viewport(ratio=1)
    button.tap()
    _assert_left_for_good(page, live_server, "the quick-exit button")


def test_escape_key_leaves_from_any_public_page(live_server, desktop, hoa_ban, quick_exit):
    page = quick_exit(desktop)
    for path in [
        "",
        "ke-hoach/",
        "ke-hoach/ke-hoach-cong-tac-xa-hoi-nam-hoc-2025-2026/",
        "chien-dich/thang-hanh-dong-truong-em-khong-co-bao-luc/",
        "duong-day-nong/",
        "tai-lieu/",
        "to-tu-van/",
    ]:
        _arrive_from_elsewhere(page, hoa_ban + path)
        page.keyboard.press("Escape")
        _assert_left_for_good(page, live_server, hoa_ban + path)

    # Even while typing in the search box.
    _arrive_from_elsewhere(page, live_server.url + "/tim-kiem/")
    page.locator("#search-q").fill("bao luc")
    page.locator("#search-q").press("Escape")
    _assert_left_for_good(page, live_server, "the search box")


# 3. The help strip on a 320 px screen -----------------------------------------------

FITS = """el => {
    const box = el.getBoundingClientRect();
    return {left: box.left, right: box.right, bottom: box.bottom, height: box.height,
            clipped: el.scrollWidth > el.clientWidth};
}"""


def test_help_strip_fits_a_320_px_screen(live_server, narrow_phone, hoa_ban):
    page = narrow_phone
    width, height = 320, 568
    problems = []
    for url in [
        hoa_ban,
        hoa_ban + "ke-hoach/ke-hoach-cong-tac-xa-hoi-nam-hoc-2025-2026/",
        live_server.url + "/tim-kiem/?q=bao+luc",
    ]:
        assert page.goto(url).status == 200, url
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        if scroll_width > width:
            problems.append(f"{url}: page is {scroll_width}px wide, scrolls sideways")
        for name, selector in [
            ("111 link", 'a[href="tel:111"]'),
            ("quick exit", "a[data-quick-exit]"),
        ]:
            link = page.get_by_role("banner").locator(selector)
            if not link.is_visible():
                problems.append(f"{url}: {name} is not visible")
                continue
            box = link.evaluate(FITS)
            if box["left"] < 0 or box["right"] > width:
                problems.append(f"{url}: {name} spans x={box['left']}…{box['right']}")
            if box["bottom"] > height:
                problems.append(f"{url}: {name} is below the first screen (y={box['bottom']})")
            if box["clipped"]:
                problems.append(f"{url}: {name}'s text overflows its box")
            if box["height"] < 44:
                problems.append(f"{url}: {name} is {box['height']}px high, under 44px")
    assert not problems, "\n".join(problems)


# 4. Accessibility (axe-core) ----------------------------------------------------------

AXE = Axe()
SEVERE = {"serious", "critical"}


def _describe(violation):
    lines = [f"  {violation['id']} ({violation['impact']}): {violation['help']}"]
    for node in violation["nodes"]:
        summary = " ".join((node.get("failureSummary") or "").split())
        lines.append(f"    {node['target']}: {summary[:300]}")
    return "\n".join(lines)


def test_public_pages_have_no_serious_accessibility_violations(live_server, phone, hoa_ban):
    page = phone
    report = []
    for url in [
        hoa_ban,
        hoa_ban + "ke-hoach/ke-hoach-cong-tac-xa-hoi-nam-hoc-2025-2026/",
        hoa_ban + "chien-dich/thang-hanh-dong-truong-em-khong-co-bao-luc/",
        hoa_ban + "duong-day-nong/",
        live_server.url + "/tim-kiem/?q=bao+luc",
    ]:
        assert page.goto(url).status == 200, url
        if "/tim-kiem/" in url:
            # Check the page with results, not the "nothing found" one.
            expect(page.locator("main ol.result-list > li").first).to_be_visible()
        violations = [v for v in AXE.run(page).response["violations"] if v.get("impact") in SEVERE]
        if violations:
            report.append(url + "\n" + "\n".join(_describe(v) for v in violations))
    assert not report, "axe-core, serious or critical:\n" + "\n".join(report)
