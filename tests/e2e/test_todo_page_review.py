"""A principal reviews pages straight from the to-do list, in a real browser.

"Request changes" opens Wagtail's own modal (its workflow-action.js) for the
comment and sends the page back; "Approve" publishes in one click. Both come
back to the to-do.
"""

import pytest
from playwright.sync_api import expect
from wagtail.models import Page, TaskState

from pages.models import StandardPage
from schools.roles import Role
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401 (fixture)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

TODO = "/admin/ho-so/viec-can-lam/"


def submitted(school_, user, title: str, slug: str) -> StandardPage:
    page = school_.root_page.add_child(instance=StandardPage(title=title, slug=slug, live=False))
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def test_principal_requests_changes_and_approves_from_the_to_do(live_server, desktop, school):  # noqa: F811
    editor = staff("bientap.tn", Role.EDITOR, school)
    staff("hieutruong.tn", Role.PRINCIPAL, school)
    returned = submitted(school, editor, "Lịch trực tư vấn", "lich-truc")
    approved = submitted(school, editor, "Tuần lễ an toàn trên mạng", "tuan-le")
    base = live_server.url
    page = desktop

    sign_in(page, base, "hieutruong.tn")
    page.goto(base + TODO)
    row = page.locator("tr", has_text=returned.title)
    row.locator("[data-workflow-action-url][data-launch-modal]").click()
    modal = page.locator(".modal")
    modal.locator("textarea").fill("Cần ghi rõ số điện thoại của tổ tư vấn.")
    modal.locator("button[type=submit]").click()
    page.wait_for_url(base + TODO)
    expect(page.locator("tr", has_text=returned.title)).to_have_count(0)

    page.locator("tr", has_text=approved.title).locator("form button[type=submit]").click()
    page.wait_for_url(base + TODO)
    expect(page.locator("tr", has_text=approved.title)).to_have_count(0)

    assert Page.objects.get(pk=approved.pk).live
    assert not Page.objects.get(pk=returned.pk).live
    state = TaskState.objects.filter(workflow_state__object_id=str(returned.pk)).get()
    assert state.status == TaskState.STATUS_REJECTED
    assert state.comment == "Cần ghi rõ số điện thoại của tổ tư vấn."
