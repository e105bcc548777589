#!/usr/bin/env python
"""Screenshots of the staff's screens, in Vietnamese, at a desk and on a phone.

`make screenshots` runs this: a fresh demo database in var/screenshots/ (never the
developer's own), the dev server on a spare port, and Debian's Chromium driven by
Playwright, signed in as the demo principal, case worker and editor. It writes
PNGs to var/screenshots/png/ (not committed) for a person to look at: the
dashboard, the page editor, the case list, a case page and a step of each of the
four case templates, each at 1366×900 and 360×640.
"""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "screenshots"
VIEWPORTS = {"desk": {"width": 1366, "height": 900}, "phone": {"width": 360, "height": 640}}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _environment(port: int) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        VAR_DIR=str(OUT / "var"),
        DATABASE_URL=f"sqlite:///{OUT / 'var' / 'db.sqlite3'}",
        PORT=str(port),
    )
    env.pop("CACHE_URL", None)
    return env


def _spare_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"screenshots: the server did not answer at {url}")


SETUP = r"""
import json
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django.urls import reverse
from wagtail.models import Page
from accounts.models import AuthenticatorDevice
from accounts.middleware import start_session_clock
from forms_app.models import Case, CaseState
from pages.models import PlanPage

def session_for(username):
    from django.contrib.auth import get_user_model
    user = get_user_model().objects.get(username=username)
    client = Client()
    client.force_login(user)
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = AuthenticatorDevice.objects.create(user=user, name="screenshots", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    start_session_clock(session)
    session.save()
    return session.session_key

cases = Case.objects.filter(school__code="HB")
def case_in(state):
    return cases.filter(state=state).order_by("pk").first()
plan = PlanPage.objects.filter(url_path__contains="hoa-ban").first()
plan = plan or PlanPage.objects.first()
shown = case_in(CaseState.IN_PROGRESS) or cases.first()
RECEIVED = case_in(CaseState.RECEIVED).pk
ASSESSED = case_in(CaseState.ASSESSED).pk
screens = {
    "principal": [
        ("dashboard", "/admin/"),
        ("case-list", "/admin/forms_app/case/"),
        ("case-page", f"/admin/forms_app/case/inspect/{shown.pk}/"),
        ("todo", reverse("forms_app:todo")),
    ],
    "case_worker": [
        ("mau-01", reverse("forms_app:intake_start")),
        ("mau-02", reverse("forms_app:assessment_start") + f"?case={RECEIVED}"),
        ("mau-03", reverse("forms_app:plan_start") + f"?case={ASSESSED}"),
        ("mau-04", reverse("forms_app:review_start") + f"?case={shown.pk}"),
        ("drafts", reverse("forms_app:drafts")),
    ],
    "editor": [
        ("page-editor", f"/admin/pages/{plan.pk}/edit/"),
        ("pages", f"/admin/pages/{plan.get_parent().pk}/"),
    ],
}
users = {"principal": "hieutruong.hb", "case_worker": "ctxh.hb", "editor": "bientap.hb"}
plan = {role: {"session": session_for(users[role]), "screens": screens[role]} for role in screens}
print(json.dumps(plan))
"""


def main() -> int:
    import json

    from playwright.sync_api import sync_playwright

    port = int(os.environ.get("SCREENSHOT_PORT") or _spare_port())
    env = _environment(port)
    (OUT / "var").mkdir(parents=True, exist_ok=True)
    (OUT / "var" / "db.sqlite3").unlink(missing_ok=True)
    _manage(env, "migrate", "--noinput", "-v", "0")
    _manage(env, "load_demo_data")
    plan = json.loads(
        subprocess.run(
            [sys.executable, "manage.py", "shell", "-c", SETUP],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    png_dir = OUT / "png"
    png_dir.mkdir(parents=True, exist_ok=True)
    written = 0
    try:
        _wait_for(base + "/healthz")
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
            for spec in plan.values():
                for size, viewport in VIEWPORTS.items():
                    context = browser.new_context(
                        viewport=viewport, is_mobile=size == "phone", locale="vi-VN"
                    )
                    context.add_cookies(
                        [{"name": "sessionid", "value": spec["session"], "url": base}]
                    )
                    page = context.new_page()
                    for name, path in spec["screens"]:
                        page.goto(base + path, wait_until="networkidle")
                        target = png_dir / f"{name}-{size}.png"
                        page.screenshot(path=str(target), full_page=True)
                        written += 1
                    context.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    print(f"screenshots: {written} images in {png_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
