"""The Content-Security-Policy in a real browser.

On a public page an injected inline script, event handler, style attribute or
``javascript:`` link does nothing, while the page's own help strip, quick exit
and menu still work. The Wagtail admin, under its looser policy, loads its
screens (editor, date pickers, choosers) without a single CSP violation.
"""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect
from wagtail.models import Site

from pages.models import CampaignIndexPage, HomePage, StandardPage
from schools.models import Membership, School
from schools.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PASSWORD = "mat-khau-thu-nghiem-2026"
EXIT = "https://example.org/thoi-tiet"

# Runs before any of the page's scripts, outside the page's policy (Playwright
# injects it), and records every violation the browser reports.
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(`${event.effectiveDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def site_pages(transactional_db):
    root = Site.objects.get(is_default_site=True).root_page
    home = root.add_child(instance=HomePage(title="Trường THCS Thử Nghiệm", slug="thcs-thu"))
    about = home.add_child(
        instance=StandardPage(title="Tổ tư vấn", slug="to-tu-van", show_in_menus=True)
    )
    campaigns = home.add_child(instance=CampaignIndexPage(title="Chiến dịch", slug="chien-dich"))
    school = School.objects.create(
        code="TN", name="Trường THCS Thử Nghiệm", root_page=home, level=School.Level.LOWER_SECONDARY
    )
    return {"home": home, "about": about, "campaigns": campaigns, "school": school}


def _watch(page):
    """Record CSP violations and CSP console errors of ``page``; returns both lists."""
    console = []
    page.on(
        "console",
        lambda msg: (
            console.append(msg.text)
            if msg.type == "error" and "Content Security Policy" in msg.text
            else None
        ),
    )
    page.add_init_script(WATCH_VIOLATIONS)
    return console


def test_injected_inline_code_is_blocked_while_the_page_still_works(
    live_server, desktop, site_pages, settings
):
    settings.QUICK_EXIT_URL = EXIT
    page = desktop
    page.route(
        "https://example.org/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>x</title>"),
    )
    console = _watch(page)
    home_url = f"{live_server.url}{site_pages['home'].url}"
    response = page.goto(home_url)
    assert response.status == 200
    policy = response.headers["content-security-policy"]
    assert "script-src 'self';" in policy + ";"
    assert "unsafe-inline" not in policy

    # The page's own scripts and styles load without a single violation.
    assert page.evaluate("window.__violations") == []
    assert console == []

    # An inline <script>, an onerror handler, a style attribute, a javascript: link.
    page.evaluate(
        """() => {
        const script = document.createElement("script");
        script.textContent = "window.__pwned = 'script'";
        document.body.appendChild(script);
        document.body.insertAdjacentHTML("beforeend",
          '<img id="bad-img" src="/no-such-image.png" onerror="window.__pwned = \\'onerror\\'">' +
          '<p id="bad-style" style="color: rgb(255, 0, 0)">x</p>' +
          '<a id="bad-link" href="javascript:window.__pwned = \\'link\\'">x</a>');
      }"""
    )
    page.locator("#bad-link").click()
    page.wait_for_function("window.__violations.length >= 4")
    assert page.evaluate("window.__pwned") is None
    assert page.locator("#bad-style").evaluate("e => getComputedStyle(e).color") != "rgb(255, 0, 0)"
    directives = " ".join(page.evaluate("window.__violations"))
    assert "script-src-elem inline" in directives
    assert "script-src-attr inline" in directives
    assert "style-src-attr inline" in directives
    assert any("Content Security Policy" in line for line in console)

    # The page's own features: the 111 line, the menu, quick exit (a static script).
    help_line = page.get_by_role("banner").locator('a[href="tel:111"]')
    expect(help_line).to_be_visible()
    page.get_by_role("navigation").get_by_role("link", name="Tổ tư vấn").click()
    page.wait_for_url(f"{live_server.url}{site_pages['about'].url}")
    expect(page.locator("main h1")).to_have_text("Tổ tư vấn")
    page.get_by_role("banner").locator("a[data-quick-exit]").click()
    page.wait_for_url(EXIT)


def test_the_hotline_poster_and_search_load_without_violations(live_server, desktop, site_pages):
    page = desktop
    console = _watch(page)
    for path in ["/ap-phich/TN/", "/tim-kiem/?q=%3Cscript%3Ewindow.__pwned%3D1%3C/script%3E"]:
        assert page.goto(live_server.url + path).status == 200, path
        assert page.evaluate("window.__violations") == [], path
        assert page.evaluate("window.__pwned") is None, path
    # The poster's Print button is shown by its (static) script.
    page.goto(live_server.url + "/ap-phich/TN/")
    expect(page.locator("[data-print]")).to_be_visible()
    assert console == []


@pytest.fixture
def editor(site_pages):
    user = get_user_model().objects.create_user(username="bientap.tn", password=PASSWORD)
    Membership.objects.create(user=user, school=site_pages["school"], role=Role.EDITOR)
    return user


def test_wagtail_admin_works_under_its_policy_without_violations(
    live_server, desktop, site_pages, editor
):
    page = desktop
    console = _watch(page)
    base = live_server.url
    response = page.goto(base + "/admin/login/")
    policy = response.headers["content-security-policy"]
    assert "'unsafe-eval'" not in policy
    assert "frame-ancestors 'self'" in policy
    page.fill("#id_username", editor.username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").click()
    page.wait_for_url(lambda url: "/admin/login/" not in url)

    home, about, campaigns = site_pages["home"], site_pages["about"], site_pages["campaigns"]
    screens = {
        "dashboard": "/admin/",
        "explorer": f"/admin/pages/{home.pk}/",
        "rich text editor": f"/admin/pages/{home.pk}/edit/",
        "stream field editor": f"/admin/pages/{about.pk}/edit/",
        "date pickers": f"/admin/pages/add/pages/campaignpage/{campaigns.pk}/",
        "images": "/admin/images/",
        "documents": "/admin/documents/",
    }
    problems = []
    for name, path in screens.items():
        assert page.goto(base + path).status == 200, path
        page.wait_for_load_state("networkidle")
        if name == "date pickers":
            page.locator("#id_start_date").click()
            expect(page.locator(".xdsoft_datetimepicker:visible")).to_have_count(1)
        if name == "rich text editor":
            # The checks panel runs axe-core on the page in the preview frame.
            page.locator('[data-side-panel-toggle="checks"]').click()
            page.locator('[data-side-panel="checks"]').wait_for()
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(1500)
        if name == "stream field editor":
            # Open the block chooser: telepath builds the blocks from inline JSON.
            # By its class: its label is translated (Wagtail's JavaScript catalogue).
            page.locator("button.c-sf-add-button").first.click()
        violations = page.evaluate("window.__violations")
        if violations:
            problems.append(f"{name} ({path}): {violations}")
    assert not problems, "\n".join(problems)
    assert console == []
