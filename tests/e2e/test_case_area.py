"""The case area through a real browser: a worker's intake survives signing out."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import Site

from forms_app.models import Case, IntakeReport, WizardDraft
from pages.models import HomePage
from schools.models import Membership, School
from schools.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"


@pytest.fixture
def school(transactional_db):
    root = Site.objects.get(is_default_site=True).root_page
    home = root.add_child(instance=HomePage(title="Trường THCS Thử Nghiệm", slug="thcs-thu-nghiem"))
    return School.objects.create(
        code="TN", name="Trường THCS Thử Nghiệm", root_page=home, level=School.Level.LOWER_SECONDARY
    )


def staff(username: str, role: str, school: School):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD)
    Membership.objects.create(user=user, school=school, role=role)
    return user


def sign_in(page, base_url: str, username: str) -> None:
    """Both factors: the password, then the code an authenticator app would show.

    The user's authenticator device is made here (enrolment itself is driven in
    test_smoke.py); the code is computed from its secret like the app does.
    """
    from accounts.models import AuthenticatorDevice
    from tests.accounts.otp import next_code

    user = get_user_model().objects.get(username=username)
    device, _created = AuthenticatorDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"name": "e2e"}
    )
    page.goto(base_url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)
    assert "/admin/xac-thuc-2-buoc/nhap-ma/" in page.url
    page.fill("#id_code", next_code(device))
    page.locator("form.login-form button[type=submit]").click()
    page.wait_for_url(lambda url: "/xac-thuc-2-buoc/" not in url)


def press(page, name: str) -> None:
    page.get_by_role("button", name=name, exact=True).click()


def test_intake_left_midway_is_finished_after_signing_in_again(live_server, desktop, school):
    staff("ctxh.tn", Role.CASE_WORKER, school)
    base = live_server.url
    page = desktop

    sign_in(page, base, "ctxh.tn")
    page.goto(base + "/admin/ho-so/tiep-nhan/")
    expect(page.get_by_role("heading", level=2)).to_contain_text("1")
    page.get_by_label("Qua điện thoại").check()
    press(page, "Tiếp theo")

    page.get_by_label("Họ và tên").fill("Phạm Thị Hồng Nhung")
    page.get_by_label("Lớp").fill("8B")
    press(page, "Lưu và thoát")
    expect(page.get_by_text("Đã lưu bản nháp.")).to_be_visible()

    # Signing out (here: losing the session, as on another device) keeps the draft.
    page.context.clear_cookies()
    sign_in(page, base, "ctxh.tn")
    page.goto(base + "/admin/ho-so/nhap/")
    page.get_by_role("link", name="Tiếp tục").first.click()
    expect(page.get_by_label("Họ và tên")).to_have_value("Phạm Thị Hồng Nhung")
    press(page, "Tiếp theo")  # learner
    press(page, "Tiếp theo")  # family: nothing known yet
    press(page, "Tiếp theo")  # support so far
    page.get_by_role("group", name="Người cung cấp thông tin có đồng ý").get_by_label(
        "Không"
    ).check()
    press(page, "Tiếp theo")
    page.get_by_label("Khẩn cấp", exact=True).check()
    page.get_by_role("group", name="Có cần chuyển gửi").get_by_label("Không").check()
    press(page, "Lưu và hoàn thành")

    case = Case.objects.get()
    expect(page.locator("main")).to_contain_text(case.reference)
    assert case.learner_name == "Phạm Thị Hồng Nhung"
    assert case.learner_class == "8B"
    assert IntakeReport.objects.filter(case=case, informant_consented=False).count() == 1
    assert not WizardDraft.objects.filter(submitted_at__isnull=True).exists()


def test_principal_approves_a_waiting_plan_from_the_dashboard(live_server, desktop, school):
    from forms_app.models import CaseState, InterventionPlan
    from tests.forms_app.factories import make_case

    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    principal = staff("hieutruong.tn", Role.PRINCIPAL, school)
    case = make_case(school, worker, principal, state=CaseState.PLAN_SUBMITTED)
    base = live_server.url
    page = desktop

    sign_in(page, base, "hieutruong.tn")
    page.goto(base + "/admin/")
    # The dashboard says what waits for the principal and leads to the case.
    panel = page.locator("main")
    expect(panel).to_contain_text("Việc cần làm")
    panel.get_by_role("link", name=case.reference).first.click()
    page.get_by_role("link", name="Phê duyệt kế hoạch (phiên bản 1)").click()
    page.get_by_label("Ý kiến").fill("Đồng ý, lưu ý phối hợp với gia đình.")
    press(page, "Phê duyệt kế hoạch")
    expect(page.get_by_text("Kế hoạch (phiên bản 1) đã được phê duyệt.")).to_be_visible()

    plan = InterventionPlan.objects.get(case=case)
    assert plan.status == InterventionPlan.Status.APPROVED
    assert plan.decided_by == principal
    case.refresh_from_db()
    assert case.state == CaseState.PLAN_APPROVED


def test_case_screens_have_no_serious_accessibility_violations(live_server, phone, school):
    """The wizards' steps (choices, tables, the growing activities table) and the case page."""
    from axe_playwright_python.sync_playwright import Axe

    from forms_app.models import CaseState
    from tests.e2e.test_public_site import SEVERE, _describe
    from tests.forms_app.factories import make_case

    worker = staff("ctxh.tn", Role.CASE_WORKER, school)
    principal = staff("hieutruong.tn", Role.PRINCIPAL, school)
    received = make_case(school, worker, principal, state=CaseState.RECEIVED)
    assessed = make_case(school, worker, principal, state=CaseState.ASSESSED)
    base, page, axe = live_server.url, phone, Axe()
    sign_in(page, base, "ctxh.tn")

    screens = [
        f"/admin/forms_app/case/inspect/{received.pk}/",
        "/admin/ho-so/tiep-nhan/",
        f"/admin/ho-so/danh-gia/?case={received.pk}",
        f"/admin/ho-so/ke-hoach/?case={assessed.pk}",
    ]
    report = []
    for url in screens:
        page.goto(base + url)
        pages = [page.url]
        if "/ke-hoach/" in url or "/danh-gia/" in url:
            # The steps with tables: harm ratings (Mẫu 02), activities (Mẫu 03).
            press(page, "Tiếp theo")
            pages.append(page.url)
        for shown in pages:
            page.goto(shown)
            violations = [v for v in axe.run(page).response["violations"] if v["impact"] in SEVERE]
            if violations:
                report.append(shown + "\n" + "\n".join(_describe(v) for v in violations))
    assert not report, "axe-core, serious or critical:\n" + "\n".join(report)
