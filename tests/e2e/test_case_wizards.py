"""The case wizards in a real browser, for what only a browser shows: layout, scripts, focus."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from forms_app.models import CaseState
from schools.roles import Role
from tests.e2e.test_case_area import press, school, sign_in, staff  # noqa: F401 (fixture)
from tests.forms_app.factories import make_case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE_SMALL = {"width": 360, "height": 640}
LAPTOP = {"width": 1366, "height": 900}

ACTIVITIES = [
    {
        "Nhu cầu / vấn đề": "Em ngại giao tiếp",
        "Hoạt động, biện pháp": "Tham vấn cá nhân hằng tuần",
        "Thời gian": "Thứ Ba hằng tuần, tháng 3",
        "Nguồn lực": "Phòng tham vấn",
    },
    {
        "Nhu cầu / vấn đề": "Gia đình chưa phối hợp",
        "Hoạt động, biện pháp": "Gặp cha mẹ học sinh",
        "Thời gian": "Tuần đầu tháng 4",
        "Nguồn lực": "Giáo viên chủ nhiệm",
    },
]


@pytest.fixture
def worker_and_case(school):  # noqa: F811 (the fixture imported above)
    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    principal = staff("hieutruong.tn", Role.PRINCIPAL, school)
    return worker, make_case(school, worker, principal, state=CaseState.ASSESSED)


def _open_activities(page, base: str, case) -> None:
    sign_in(page, base, "ctxh.tn")
    page.goto(base + f"/admin/ho-so/ke-hoach/?case={case.pk}")
    page.get_by_label("Vấn đề, nhu cầu", exact=False).first.fill("Em ngại giao tiếp")
    press(page, "Tiếp theo")
    page.locator("textarea").first.fill("Em tự tin hơn khi trò chuyện với bạn")
    press(page, "Tiếp theo")


def test_plan_activities_are_cards_on_a_phone_and_are_read_back(
    live_server, browser, worker_and_case
):
    _worker, case = worker_and_case
    context = browser.new_context(viewport=PHONE_SMALL, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    _open_activities(page, base, case)

    page.locator("[data-rows-add]").click()
    cards = page.locator(".case-card")
    expect(cards).to_have_count(2)
    for card, activity in zip([cards.nth(0), cards.nth(1)], ACTIVITIES, strict=True):
        for label, text in activity.items():
            field = card.get_by_label(label, exact=True)
            # Each field has its label in sight and most of the phone's width.
            expect(card.get_by_text(label, exact=True)).to_be_visible()
            assert field.bounding_box()["width"] >= 250, label
            field.fill(text)
    # Nothing sticks out sideways: the page does not scroll horizontally.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_SMALL["width"]
    press(page, "Tiếp theo")

    today = timezone.localdate()
    page.get_by_label("Từ ngày").fill(today.isoformat())
    page.get_by_label("Đến ngày").fill((today + datetime.timedelta(days=60)).isoformat())
    review = today + datetime.timedelta(days=30)
    page.get_by_label("Ngày dự kiến rà soát").fill(review.isoformat())
    press(page, "Tiếp theo")

    # The last step reads the plan back as it will be sent.
    summary = page.locator("#plan-summary-title").locator("xpath=..")
    for activity in ACTIVITIES:
        for text in activity.values():
            expect(summary).to_contain_text(text)
    # And going back to the activities shows both cards as typed.
    page.locator("button[name=wizard_goto_step][value=activities]").click()
    for index, activity in enumerate(ACTIVITIES):
        card = page.locator(".case-card").nth(index)
        for label, text in activity.items():
            expect(card.get_by_label(label, exact=True)).to_have_value(text)
    context.close()


def test_plan_activities_have_room_on_a_laptop(live_server, browser, worker_and_case):
    _worker, case = worker_and_case
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _open_activities(page, live_server.url, case)

    card = page.locator(".case-card").first
    for label in ("Thời gian", "Nguồn lực", "Người / đơn vị thực hiện", "Kết quả mong đợi"):
        assert card.get_by_label(label, exact=True).bounding_box()["width"] >= 200, label
    context.close()


def _summary_has_focus_and_is_in_sight(page) -> None:
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.locator("#error-summary")).to_be_in_viewport()


def test_returning_a_plan_without_a_comment_shows_the_error_where_the_user_is(
    live_server,
    browser,
    school,  # noqa: F811 (the fixture imported above)
):
    from forms_app.models import InterventionPlan

    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    principal = staff("hieutruong.tn", Role.PRINCIPAL, school)
    case = make_case(school, worker, principal, state=CaseState.PLAN_SUBMITTED)
    plan = InterventionPlan.objects.get(case=case)
    context = browser.new_context(viewport=PHONE_SMALL, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    sign_in(page, base, "hieutruong.tn")
    page.goto(base + f"/admin/ho-so/ke-hoach/{plan.pk}/quyet-dinh/")

    page.locator("button[name=decision][value=return]").click()

    _summary_has_focus_and_is_in_sight(page)
    # Its link puts the cursor in the comment box.
    page.locator("#error-summary a").first.click()
    expect(page.locator("textarea").first).to_be_focused()
    plan.refresh_from_db()
    assert plan.status == InterventionPlan.Status.SUBMITTED
    context.close()


def test_a_review_date_before_the_start_is_refused_in_sight_with_the_dates_kept(
    live_server, browser, worker_and_case
):
    _worker, case = worker_and_case
    context = browser.new_context(viewport=PHONE_SMALL, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    _open_activities(page, live_server.url, case)
    page.locator(".case-card").first.get_by_label("Hoạt động, biện pháp").fill("Tham vấn")
    press(page, "Tiếp theo")

    start = timezone.localdate()
    end = start + datetime.timedelta(days=60)
    review = start - datetime.timedelta(days=1)
    page.get_by_label("Từ ngày").fill(start.isoformat())
    page.get_by_label("Đến ngày").fill(end.isoformat())
    page.get_by_label("Ngày dự kiến rà soát").fill(review.isoformat())
    press(page, "Tiếp theo")

    _summary_has_focus_and_is_in_sight(page)
    expect(page.locator("#error-summary")).to_contain_text(
        f"Ngày rà soát không được trước ngày bắt đầu kế hoạch ({start:%d/%m/%Y})"
    )
    expect(page.get_by_label("Từ ngày")).to_have_value(start.isoformat())
    expect(page.get_by_label("Đến ngày")).to_have_value(end.isoformat())
    expect(page.get_by_label("Ngày dự kiến rà soát")).to_have_value(review.isoformat())
    context.close()


def test_the_totals_of_a_rated_table_follow_the_levels_picked(
    live_server,
    browser,
    school,  # noqa: F811 (the fixture imported above)
):
    from forms_app.models import RatingCriterion

    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    case = make_case(school, worker, state=CaseState.RECEIVED)
    criteria = RatingCriterion.objects.filter(table="harm", active=True).count()
    assert criteria >= 3
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, live_server.url, "ctxh.tn")
    page.goto(live_server.url + f"/admin/ho-so/danh-gia/?case={case.pk}")
    page.locator("input[type=date]").first.fill(timezone.localdate().isoformat())
    for textarea in page.locator("form textarea").all():
        textarea.fill("Trao đổi với giáo viên chủ nhiệm")
    press(page, "Tiếp theo")

    table = page.locator("[data-rated-table]")
    count = {
        level: table.locator(f"[data-level-count={level}]") for level in ("high", "medium", "low")
    }
    expect(count["high"]).to_have_text("0")
    rows = table.locator("tbody tr")
    rows.nth(0).locator("input[value=high]").check()
    rows.nth(1).locator("input[value=high]").check()
    rows.nth(2).locator("input[value=low]").check()
    expect(count["high"]).to_have_text("2")
    expect(count["low"]).to_have_text("1")
    rows.nth(1).locator("input[value=medium]").check()
    expect(count["high"]).to_have_text("1")
    expect(count["medium"]).to_have_text("1")
    context.close()
