"""A pupil on a small phone writes to the counselling team and comes back for the answer.

At 360×640, from the help strip of the school's page: writes anonymously, reads the
code and the secret words on the receipt; the team replies; in a fresh browser (no
cookie, no history) the pupil types code and words, reads the reply and answers;
the answer is stored. Screenshots at 360×640 and 1366×900 go to var/screenshots/.
"""

from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from concerns.models import Concern, ConcernMessage
from tests.conftest import build_school

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
MESSAGE = "Mấy bạn lớp 7B hay chặn đường em ở nhà xe và đòi tiền. Em sợ không dám kể với mẹ."
REPLY = "Cô Hạnh đây. Cô đã đọc tin của em. Sáng thứ Hai em ghé phòng tư vấn tầng 2 nhé."
ANSWER = "Dạ, em cảm ơn cô. Thứ Hai em sẽ đến ạ."


@pytest.fixture
def school(transactional_db):
    return build_school("TV", "Trường THCS Tân Việt", hotline="0203 555 222")


def _context(browser, width: int, height: int):
    return browser.new_context(
        viewport={"width": width, "height": height}, is_mobile=width < 800, has_touch=width < 800
    )


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _no_horizontal_scroll(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_pupil_posts_anonymously_and_reads_the_reply_in_a_fresh_browser(
    browser, live_server, school
):
    # 1. From the school's page, one tap on the help strip.
    first = _context(browser, 360, 640)
    page = first.new_page()
    page.goto(f"{live_server.url}{school.root_page.url}")
    page.locator(".help-strip__message").click()
    expect(page.locator("h1")).to_be_visible()
    assert page.url.endswith("/tro-giup/TV/")
    expect(page.locator(".danger-note a[href='tel:111']")).to_be_visible()
    _no_horizontal_scroll(page)
    _shot(page, "help-channel-write-360")

    page.get_by_label(page.locator("label[for='id_sender_role_0'] span").inner_text()).check()
    page.locator("#id_text").fill(MESSAGE)
    expect(page.locator("#id_reach_0")).to_be_checked()  # anonymous unless they choose
    page.wait_for_timeout(3200)  # a person takes longer than the time token's minimum
    page.locator("button[type=submit]").click()

    # 2. The receipt: code and secret words, once.
    code = page.locator("[data-receipt=code]").inner_text().strip()
    secret = page.locator("[data-receipt=secret]").inner_text().strip()
    assert len(code) == 9
    assert len(secret.split(" · ")) == 4
    _no_horizontal_scroll(page)
    _shot(page, "help-channel-receipt-360")
    page.reload()
    expect(page.locator("[data-receipt=code]")).to_have_count(0)
    first.close()

    concern = Concern.objects.get()
    assert concern.what_happened == MESSAGE
    assert concern.contact == ""
    assert concern.held_as_possible_spam is False

    # 3. The team replies.
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.TEAM, text=REPLY
    )

    # 4. A fresh browser: nothing from before, only what the pupil wrote down.
    fresh = _context(browser, 360, 640)
    page = fresh.new_page()
    page.goto(f"{live_server.url}{school.root_page.url}")
    page.locator(".help-strip__message").click()
    page.locator("a[href='/tro-giup/theo-doi/']").first.click()
    page.locator("#id_code").fill(code.lower())
    page.locator("#id_secret").fill(secret.replace(" · ", " "))
    _shot(page, "help-channel-come-back-360")
    page.locator("button[type=submit]").click()
    assert page.url.endswith("/tro-giup/theo-doi/tin-nhan/")
    expect(page.locator(".thread__message--team")).to_contain_text("phòng tư vấn tầng 2")
    expect(page.locator(".thread__message--mine").first).to_contain_text("chặn đường")
    _no_horizontal_scroll(page)
    _shot(page, "help-channel-thread-360")

    page.locator("#id_text").fill(ANSWER)
    page.locator("button[type=submit]").click()
    expect(page.locator(".thread__message--mine").last).to_contain_text(ANSWER)
    expect(page.locator(".notice")).to_be_visible()
    _shot(page, "help-channel-answered-360")
    fresh.close()

    stored = concern.messages.filter(author_kind=ConcernMessage.Author.REPORTER)
    assert [m.text for m in stored] == [ANSWER]


def test_help_channel_pages_on_a_desktop_and_quick_exit_ends_the_visit(
    browser, live_server, school, settings
):
    settings.QUICK_EXIT_URL = "https://example.org/thoi-tiet"
    context = _context(browser, 1366, 900)
    page = context.new_page()
    page.route(
        "https://example.org/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>neutral</title>"
        ),
    )
    page.goto(f"{live_server.url}/tro-giup/TV/")
    _shot(page, "help-channel-write-1366")
    # Mistakes: the summary is focused, each field says what is wrong, the text stays.
    page.locator("#id_text").fill("   ")
    page.locator("#id_reach_1").check()
    page.locator("button[type=submit]").click()
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#id_contact")).to_have_attribute("aria-invalid", "true")
    _shot(page, "help-channel-errors-1366")
    page.goto(f"{live_server.url}/tro-giup/theo-doi/")
    _shot(page, "help-channel-come-back-1366")
    page.locator(".quick-exit").click()
    page.wait_for_url("https://example.org/thoi-tiet")
    assert page.title() == "neutral"
    context.close()
