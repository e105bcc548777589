"""Every admin screen that a role reaches speaks Vietnamese.

Signs in as each staff role of schools/roles.py and as an operator (superuser),
visits every admin URL the resolver knows (crawl.py fills its parameters from the
demo world), and reads each page's visible text, its tooltips and labels, and
the JSON props Wagtail's sidebar is drawn from. A string that is an English
message of Wagtail, Django, wagtail-modeladmin or this project, left
untranslated (messages.py), fails the test, listed by role and URL.

``ADMIN_I18N_REPORT=/path`` writes every finding (role, URL, where on the page,
catalogue, string) to that file, tab-separated, for whoever finishes the
translations.
"""

import io
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.test.client import ClientMixin
from django.utils import translation
from wagtail.contrib.redirects.models import Redirect
from wagtail.contrib.settings.registry import registry as settings_registry
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Workflow

from forms_app.models import (
    Case,
    CaseState,
    InterventionPlan,
    Referral,
    SchoolCalendar,
    WizardDraft,
)
from forms_app.models.drafts import TemplateCode
from forms_app.printing.layout import RECORD_MODELS
from forms_app.wizards import WIZARDS
from guides.catalogue import GUIDES
from schools.models import School
from tests.admin_i18n import crawl
from tests.admin_i18n.messages import EnglishMessages, english_messages
from tests.forms_app.module_data import module_transaction

# Role → the demo account that holds it (pages/management/commands/load_demo_data.py),
# and how many screens that account must at least have read: a broken sign-in or a
# resolver walk that finds nothing must not pass by reading nothing.
ROLES: dict[str, tuple[str, int]] = {
    "editor": ("bientap.hb", 60),
    "principal": ("hieutruong.hb", 80),
    "case worker": ("ctxh.hb", 45),
    "district officer": ("pgd.canbo", 15),
    "administrator": ("quantri", 80),
    "teacher": ("giaovien.hb", 20),
    "operator": ("admin", 130),
}
SIGNED_OUT_MINIMUM = 2  # the sign-in and password-reset screens

REPORT = os.environ.get("ADMIN_I18N_REPORT")


@dataclass
class Crawl:
    read: list[str] = field(default_factory=list)
    findings: list[tuple[str, str, str, str]] = field(default_factory=list)  # url, where, cat, text
    not_vietnamese: list[str] = field(default_factory=list)  # URLs without lang="vi"
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))


def _world() -> crawl.World:
    call_command("load_demo_data", stdout=io.StringIO())
    school = School.objects.get(code="HB")
    pages = crawl.page_kinds(school)
    content_page = next(p for p in pages if p.depth > school.root_page.depth)
    world = crawl.World(school=school, pages=pages)
    User = get_user_model()
    editor = User.objects.get(username=ROLES["editor"][0])
    worker = User.objects.get(username=ROLES["case worker"][0])

    # A page waiting for the principal's review, so moderation screens have a subject.
    workflow = content_page.get_workflow() or Workflow.objects.filter(active=True).first()
    if workflow is not None and content_page.current_workflow_state is None:
        content_page.save_revision(user=editor)
        workflow.start(content_page, editor)
    world.extra["workflow_state"] = content_page.current_workflow_state

    cases = Case.objects.filter(school=school)

    def in_state(state: str) -> Case:
        return cases.filter(state=state).order_by("pk").first() or cases.order_by("pk").first()

    drafts = {}
    for code, wizard in WIZARDS.items():
        draft = WizardDraft.objects.create(
            owner=worker, school=school, template=code, case=in_state(CaseState.ASSESSED)
        )
        drafts[f"forms_app:{wizard.url_base}_step"] = [
            {"draft_id": draft.pk, "step": step} for step, _form in wizard.form_list
        ]
    SchoolCalendar.objects.get_or_create(school=school)
    redirect, _created = Redirect.objects.get_or_create(old_path="/cu", redirect_page=content_page)
    world.objects[Redirect] = redirect
    world.extra.update(
        content_page=content_page,
        creatable=crawl.creatable(pages),
        image_model=get_image_model(),
        document_model=get_document_model(),
        redirect_model=Redirect,
        settings_models=list(settings_registry),
        records={
            code: model.objects.filter(case__school=school).order_by("pk").first()
            for code, model in RECORD_MODELS.items()
        },
        case=in_state(CaseState.IN_PROGRESS),
        cases_for={
            "forms_app:case_start": in_state(CaseState.PLAN_APPROVED),
            "forms_app:case_refer": in_state(CaseState.ASSESSED),
            "forms_app:case_close": in_state(CaseState.REVIEWED),
        },
        submitted_plan=InterventionPlan.objects.filter(
            case__school=school, case__state=CaseState.PLAN_SUBMITTED
        ).first(),
        referral=Referral.objects.filter(case__school=school).first(),
        wizard_steps=drafts,
        draft=WizardDraft.objects.filter(owner=worker).order_by("created_at").first(),
        case_model=Case,
        slugs={"guides_guide": [guide.slug for guide in GUIDES]},
    )
    assert TemplateCode.values  # the printing routes are filled from RECORD_MODELS
    return world


@pytest.fixture(scope="module")
def world(request, django_db_setup, django_db_blocker):
    with module_transaction(request, django_db_blocker) as data:
        with data.writing():
            built = _world()
            visit, left_out = crawl.urls_to_visit(built)
        yield built, visit, left_out


@pytest.fixture(scope="module")
def english() -> EnglishMessages:
    return english_messages()


@pytest.fixture(scope="module")
def report():
    """The findings file, emptied once per run of this module."""
    if not REPORT:
        yield None
        return
    path = Path(REPORT)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        handle.write("role\turl\twhere\tcatalogue\tstring\n")
        yield handle


def _crawl(client: Client, visit: list[tuple[str, str]], english: EnglishMessages) -> Crawl:
    result = Crawl()
    seen: set[str] = set()
    queue = [url for _name, url in visit]
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        response = client.get(url)
        result.statuses[response.status_code] += 1
        if response.status_code in (301, 302):
            target = response.headers["Location"].split("?")[0]
            if target.startswith("/admin/") and "/login/" not in target and target not in seen:
                queue.insert(0, response.headers["Location"])
            continue
        if response.status_code != 200 and url != crawl.NOT_FOUND:
            continue
        kind = response.headers.get("Content-Type", "")
        if kind.startswith("application/json"):
            # Wagtail's modal choosers answer with JSON around an HTML fragment.
            reader = crawl.ScreenReader()
            reader._read_json(response.content.decode())
        elif kind.startswith("text/html"):
            reader = crawl.read_screen(response.content.decode())
            if reader.html_lang is not None and reader.html_lang != "vi":
                result.not_vietnamese.append(url)
            if reader.html_lang is None and b"<html" in response.content[:500]:
                result.not_vietnamese.append(url)
        else:
            continue
        result.read.append(url)
        for where, text in reader.strings:
            for candidate in crawl.candidates(text):
                message = english.message_of(candidate)
                if message is not None:
                    result.findings.append((url, where, message.source(candidate), candidate))
                    break
    return result


def _write(report, role: str, result: Crawl) -> None:
    if report is None:
        return
    for url, where, catalogue, text in result.findings:
        report.write(f"{role}\t{url}\t{where}\t{catalogue}\t{text}\n")
    report.flush()


def _summary(role: str, result: Crawl) -> str:
    by_url: dict[str, list[str]] = defaultdict(list)
    for url, where, catalogue, text in result.findings:
        entry = f"{text!r} ({catalogue}, {where})"
        if entry not in by_url[url]:
            by_url[url].append(entry)
    lines = [f"{role}: English on {len(by_url)} of {len(result.read)} screens"]
    for url, entries in by_url.items():
        lines.append(f"  {url}")
        lines += [f"    {entry}" for entry in entries]
    return "\n".join(lines)


def test_the_crawl_list_comes_from_the_resolver_and_skips_little(world, db):
    _built, visit, left_out = world
    assert len(visit) > 200
    # Each unfillable pattern is named with a reason in crawl.py; an unexplained one
    # ("no rule fills ...") means a new kind of URL parameter to teach the crawler.
    unexplained = {p: why for p, why in left_out.items() if why.startswith("no rule")}
    assert unexplained == {}


def test_signed_out_screens_speak_vietnamese(world, english, report, client, db):
    _built, visit, _left_out = world
    result = _crawl(
        client, [v for v in visit if "login" in v[1] or "password_reset" in v[1]], english
    )
    _write(report, "signed out", result)
    assert len(result.read) >= SIGNED_OUT_MINIMUM
    assert result.not_vietnamese == []
    assert result.findings == [], _summary("signed out", result)


def test_second_factor_screens_speak_vietnamese(world, english, report, client, db):
    # Signed in with a password only: the admin sends a principal to set up or enter
    # the second factor (accounts.middleware). ClientMixin's own force_login is the
    # sign-in without the second factor that tests/conftest.py adds to Client's.
    _built, visit, _left_out = world
    ClientMixin.force_login(client, get_user_model().objects.get(username=ROLES["principal"][0]))
    result = _crawl(client, [("home", "/admin/"), *[v for v in visit if "2-buoc" in v[1]]], english)
    _write(report, "before the second factor", result)
    assert any("thiet-lap" in url for url in result.read), dict(result.statuses)
    assert result.not_vietnamese == []
    assert result.findings == [], _summary("before the second factor", result)


@pytest.mark.parametrize("role", list(ROLES))
def test_every_admin_screen_a_role_reaches_speaks_vietnamese(
    role, world, english, report, client, db
):
    _built, visit, _left_out = world
    username, minimum = ROLES[role]
    client.force_login(get_user_model().objects.get(username=username))
    result = _crawl(client, visit, english)
    _write(report, role, result)
    assert len(result.read) >= minimum, dict(result.statuses)
    assert result.not_vietnamese == []
    assert result.findings == [], _summary(role, result)


def test_admin_pages_are_titled_with_the_site_name_not_wagtail(client, world, settings, db):
    client.force_login(get_user_model().objects.get(username="admin"))
    html = client.get("/admin/").content.decode()
    title = crawl.read_screen(html)
    titles = [text for where, text in title.strings if where == "<title>"]
    assert titles
    assert all("Wagtail" not in t for t in titles), titles
    assert all(settings.WAGTAIL_SITE_NAME in t for t in titles), titles


def test_slim_header_names_its_actions_landmark_in_vietnamese(client, world, db):
    # Wagtail 8.0 writes aria-label="Actions" in its template, out of gettext's reach.
    built, _visit, _left_out = world
    client.force_login(get_user_model().objects.get(username=ROLES["editor"][0]))
    html = client.get(f"/admin/pages/{built.extra['content_page'].pk}/").content.decode()
    with translation.override("vi"):
        assert f'aria-label="{translation.gettext("Actions")}" id="w-slim-header-buttons"' in html
    assert 'aria-label="Actions"' not in html


def test_relative_times_in_the_admin_are_vietnamese():
    # Wagtail's status panel says when a page went to review with humanize's naturaltime.
    from django.contrib.humanize.templatetags.humanize import naturaltime
    from django.utils import timezone

    with translation.override("vi"):
        shown = naturaltime(timezone.now() - timezone.timedelta(seconds=90))
    assert shown.replace("\xa0", " ") == "1 phút trước"
