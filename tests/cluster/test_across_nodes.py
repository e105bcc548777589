"""What one node does, the other sees at once: sessions and published pages.

Each test reaches the two live nodes of ``cluster`` (tests/cluster/conftest.py) over
real HTTP, signing in and publishing through the nodes' own pages; this process only
prepares rows. They are committed (``transaction=True``) so that the nodes read them;
``serialized_rollback`` puts back what the migrations made after the flush.
"""

import re
import uuid

import pytest
import requests
from django.urls import reverse

from accounts.models import AuthenticatorDevice
from forms_app.models import WizardDraft
from pages.models import PlanIndexPage
from schools.roles import Role
from tests.accounts.otp import next_code
from tests.conftest import build_school, build_staff
from tests.forms_app.wizards.stepping import INTAKE_WIZARD
from tests.forms_app.wizards.test_intake_wizard import LEARNER, SOURCE
from tests.pages.factories import plan, publish

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
DRAFT_ID = re.compile(r"/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/")


def sign_in(http: requests.Session, node: str, username: str, password: str) -> None:
    """Sign in through the admin's own sign-in page on ``node``."""
    form = http.get(f"{node}/admin/login/", timeout=30)
    token = CSRF_FIELD.search(form.text).group(1)
    answer = http.post(
        f"{node}/admin/login/",
        data={"csrfmiddlewaretoken": token, "username": username, "password": password},
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]


def test_a_session_started_on_one_node_works_on_the_other(cluster):
    school = build_school("CL")
    build_staff("bientap-cum", Role.EDITOR, school)
    node_a, node_b = cluster.urls
    http = requests.Session()
    assert http.get(f"{node_b}/admin/", allow_redirects=False, timeout=30).status_code == 302

    sign_in(http, node_a, "bientap-cum", "pw-bientap-cum")

    dashboard = http.get(f"{node_b}/admin/", allow_redirects=False, timeout=30)
    assert dashboard.status_code == 200
    assert "bientap-cum" in dashboard.text

    # Signing out on B ends the session on A too.
    token = http.cookies["csrftoken"]
    signed_out = http.post(
        f"{node_b}/admin/logout/",
        data={"csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )
    assert signed_out.status_code == 302
    assert http.get(f"{node_a}/admin/", allow_redirects=False, timeout=30).status_code == 302


def sign_in_with_second_factor(http: requests.Session, node: str, user) -> None:
    """Password, then the authenticator app's code, through ``node``'s own pages."""
    device = AuthenticatorDevice.objects.create(user=user, name="điện thoại", confirmed=True)
    sign_in(http, node, user.username, f"pw-{user.username}")
    answer = http.post(
        f"{node}{reverse('accounts_2fa_verify')}",
        data={
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
            "code": next_code(device),
            "next": "/admin/",
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:500]
    assert http.get(f"{node}/admin/", allow_redirects=False, timeout=30).status_code == 200


def test_a_page_published_on_one_node_shows_at_once_on_the_other_that_kept_it(cluster):
    school = build_school("CL")
    principal = build_staff("hieutruong-cum", Role.PRINCIPAL, school)
    index = publish(school.root_page, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    page = plan(index, "ke-hoach-cum", title="Kế hoạch phòng chống bạo lực")
    node_a, node_b = cluster.urls
    # Behind the front every node is asked for the site's own host name.
    visitor = requests.Session()
    visitor.headers["Host"] = "localhost"

    first = visitor.get(f"{node_b}{page.url}", timeout=30)
    assert first.status_code == 200
    assert "Kế hoạch phòng chống bạo lực" in first.text
    assert first.headers["X-Page-Cache"] == "miss"
    # Node A answers with the copy node B kept: one page cache for both.
    assert visitor.get(f"{node_a}{page.url}", timeout=30).headers["X-Page-Cache"] == "hit"

    # A draft, published by the principal through node A's admin.
    page.title = "Kế hoạch phòng chống bạo lực (sửa đổi)"
    page.save_revision(user=principal)
    staff = requests.Session()
    sign_in_with_second_factor(staff, node_a, principal)
    action = f"{node_a}/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/"
    assert staff.get(action, timeout=30).status_code == 200
    published = staff.post(
        action,
        data={"csrfmiddlewaretoken": staff.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code == 302, published.text[:500]
    page.refresh_from_db()
    assert page.title == "Kế hoạch phòng chống bạo lực (sửa đổi)"

    for node in (node_b, node_a):
        after = visitor.get(f"{node}{page.url}", timeout=30)
        assert "Kế hoạch phòng chống bạo lực (sửa đổi)" in after.text


def post_step(http: requests.Session, url: str, step: str, data: dict) -> str:
    """Post one step of the intake wizard; return where it leads."""
    answer = http.post(
        url,
        data={
            "csrfmiddlewaretoken": http.cookies["csrftoken"],
            INTAKE_WIZARD.management: step,
            **{f"{step}-{name}": value for name, value in data.items()},
        },
        allow_redirects=False,
        timeout=30,
    )
    assert answer.status_code == 302, answer.text[:2000]
    return answer.headers["Location"]


def test_a_case_draft_saved_on_one_node_resumes_on_the_other(cluster):
    school = build_school("CL")
    worker = build_staff("ctxh-cum", Role.CASE_WORKER, school)
    node_a, node_b = cluster.urls
    staff = requests.Session()
    sign_in_with_second_factor(staff, node_a, worker)

    # The first step is posted to the start URL, which makes the draft.
    start = f"{node_a}{INTAKE_WIZARD.start_url()}"
    assert staff.get(start, timeout=30).status_code == 200
    following = post_step(staff, start, "source", SOURCE)
    draft = WizardDraft(pk=uuid.UUID(DRAFT_ID.search(following).group(1)))
    post_step(staff, f"{node_a}{INTAKE_WIZARD.step_url(draft, 'learner')}", "learner", LEARNER)

    resumed = staff.get(f"{node_b}{INTAKE_WIZARD.step_url(draft, 'learner')}", timeout=30)
    assert resumed.status_code == 200
    assert 'value="Nguyễn Văn An"' in resumed.text
    drafts = staff.get(f"{node_b}{reverse('forms_app:drafts')}", timeout=30)
    # "My drafts" on B lists it, leading back to where it was left.
    assert INTAKE_WIZARD.step_url(draft, "learner") in drafts.text
    # Neither node wrote the child's name to its log.
    assert LEARNER["name"].casefold() not in cluster.logs().casefold()
