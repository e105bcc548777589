"""The triage queue in a real browser: a teacher's concern becomes a case, with Mẫu 01 prefilled.

Screenshots at 360×640 and 1366×900 go to var/screenshots/ (triage-*.png).
"""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from concerns.models import Channel, Concern, ConcernLearner, Status
from forms_app.models import Case
from schools.roles import Role
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(settings.BASE_DIR) / "var" / "screenshots"
PHONE_SMALL = {"width": 360, "height": 640}
LAPTOP = {"width": 1366, "height": 900}
LEARNER_NAME = "Vi Thị Hạnh"
WHAT_HAPPENED = "Em Hạnh ngồi khóc một mình sau giờ học, nói không muốn về nhà."


@pytest.fixture
def concern(school):  # noqa: F811 (the fixture imported above)
    teacher = staff("giaovien.tn", Role.STAFF, school)
    staff("ctxh.tn", Role.CASE_WORKER, school)
    received = timezone.now() - datetime.timedelta(hours=3)
    concern = Concern.objects.create(
        school=school,
        channel=Channel.STAFF,
        reporter=teacher,
        received_at=received,
        what_happened=WHAT_HAPPENED,
        when_where="Lớp 9A, chiều thứ Ba",
    )
    ConcernLearner.objects.create(concern=concern, typed_name=LEARNER_NAME, typed_class="9A")
    return concern


def shoot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"triage-{name}.png"), full_page=True)


def next_step(page) -> None:
    # The step form's first submit button is "Next" (or "Save and finish" on the last step).
    page.locator("form[aria-labelledby=step-title] button[type=submit]").first.click()


def test_a_case_worker_opens_a_case_from_a_staff_concern_with_mau_01_prefilled(
    live_server, browser, concern
):
    base = live_server.url
    context = browser.new_context(viewport=PHONE_SMALL, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "ctxh.tn")

    page.goto(base + "/admin/tiep-nhan-thong-tin/")
    item_link = page.locator(f"a[href='/admin/tiep-nhan-thong-tin/{concern.pk}/']").first
    expect(item_link).to_be_visible()
    # The queue shows no text of the concern.
    expect(page.get_by_text(WHAT_HAPPENED)).to_have_count(0)
    shoot(page, "queue-360")

    item_link.click()
    expect(page.get_by_text(WHAT_HAPPENED)).to_be_visible()
    shoot(page, "item-360")
    page.locator(f"form[action='/admin/tiep-nhan-thong-tin/{concern.pk}/mo-ho-so/'] button").click()

    received = timezone.localtime(concern.received_at)
    expect(page.locator("input[type=date]").first).to_have_value(f"{received:%Y-%m-%d}")
    expect(page.locator("input[type=time]").first).to_have_value(f"{received:%H:%M}")
    shoot(page, "mau01-first-step-360")

    next_step(page)
    expect(page.locator("textarea").first).to_have_value(WHAT_HAPPENED)
    expect(page.locator("input[name='learner-name']")).to_have_value(LEARNER_NAME)
    shoot(page, "mau01-learner-360")

    # family, support so far, informant's consent (prefilled: the teacher), informant
    for _ in range(5):
        next_step(page)
        if page.locator("input[name='first_assessment-urgency']").count():
            break
    page.locator("input[name='first_assessment-urgency'][value='urgent']").check()
    page.locator("input[name='first_assessment-referral_suggested'][value='no']").check()
    next_step(page)
    page.wait_for_url(lambda url: "/tiep-nhan/" not in url)

    case = Case.objects.get()
    concern.refresh_from_db()
    assert concern.case_id == case.pk
    assert concern.status == Status.HANDLING
    assert case.received_at == concern.received_at.replace(second=0, microsecond=0)
    context.close()


def test_the_queue_and_item_on_a_laptop(live_server, browser, concern):
    base = live_server.url
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.set_default_timeout(10_000)
    sign_in(page, base, "ctxh.tn")
    page.goto(base + "/admin/tiep-nhan-thong-tin/")
    expect(
        page.locator(f"a[href='/admin/tiep-nhan-thong-tin/{concern.pk}/']").first
    ).to_be_visible()
    shoot(page, "queue-1366")
    page.goto(base + f"/admin/tiep-nhan-thong-tin/{concern.pk}/")
    shoot(page, "item-1366")
    page.goto(base + "/admin/tiep-nhan-thong-tin/ghi-nhan/")
    expect(page.locator("textarea[name=what_happened]")).to_be_visible()
    shoot(page, "log-1366")
    context.close()
