"""The case list's search in a real browser: typed, sent with Enter, no name in any address.

Every address the browser requests is what an access log would write; none may
hold the name, in any form.
"""

import pytest
from django.utils import translation
from playwright.sync_api import expect

from forms_app.cases.opening import open_case
from schools.roles import Role
from tests.e2e.test_case_area import school, sign_in, staff  # noqa: F401  (school: a fixture)
from tests.forms_app.searching import url_holds

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NAME = "Vũ Minh Khang"


def test_a_worker_finds_a_learner_by_name_with_the_keyboard_alone(
    desktop,
    live_server,
    school,  # noqa: F811
):
    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    found = open_case(school, worker, learner_name=NAME)
    other = open_case(school, worker, learner_name="Lò Văn Minh")
    addresses = []
    desktop.on("request", lambda request: addresses.append(request.url))
    sign_in(desktop, live_server.url, "ctxh.tn")
    desktop.goto(live_server.url + "/admin/forms_app/case/")

    with translation.override("vi"):
        label = translation.gettext("Search for")
    box = desktop.get_by_role("searchbox", name=label)
    box.focus()
    desktop.keyboard.type("vu minh khang")
    desktop.keyboard.press("Enter")
    desktop.wait_for_url(lambda url: "?s=" in url)

    expect(desktop.locator("table.listing")).to_contain_text(found.reference)
    expect(desktop.locator("table.listing")).not_to_contain_text(other.reference)
    expect(box).to_have_value("vu minh khang")
    assert addresses
    for url in addresses:
        assert not url_holds(url, NAME), url
        assert not url_holds(url, "vu minh khang"), url
