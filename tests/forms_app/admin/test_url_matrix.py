"""Every role against every URL of the case area, for its own school, another school and nobody.

The case area here is everything that shows or changes case data: the case list and
page, the wizards and drafts, print and PDF (one record or the whole case), the
principal's export, case files (add, download, remove) and the access audit (a case's
trail, the school's report and its exports).

The server decides for every object: a case (or a record, a draft) the user may
not read is a 404 whatever their role; a screen of the area they have no part
in is refused; a decision that is not theirs on a case they read is a 403; a
visitor who is not signed in is sent to the sign-in page. Nothing of a child's
data is in any refused answer.
"""

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from audit import log as audit
from audit.models import Action
from case_files.validation import validate_bytes
from case_files.views import attach
from forms_app.models import (
    Assessment,
    CaseState,
    IntakeReport,
    InterventionPlan,
    Referral,
    Review,
    WizardDraft,
)
from schools.roles import Role
from tests.case_files.samples import pdf
from tests.conftest import build_staff
from tests.forms_app.factories import LEARNER_NAME, make_case
from tests.forms_app.module_data import copied

CASE_ROLES_A = {"worker_a", "principal_a"}
USERS = [
    "anonymous",
    "worker_a",
    "principal_a",
    "editor_a",
    "administrator_a",
    "district_a",
    "teacher_a",
    "superuser",
    "worker_b",
    "principal_b",
]


@pytest.fixture(scope="module")
def module_world(
    module_db,
    module_school,
    module_worker,
    module_principal,
    module_editor,
    module_worker_b,
    module_principal_b,
):
    """School A's staff by role and a case in each state, built once: every cell of the
    matrix only reads it (what a request writes, such as its audit entry, is undone
    after each test)."""

    def build():
        a = module_school
        users = {
            "worker_a": module_worker,
            "principal_a": module_principal,
            "editor_a": module_editor,
            "administrator_a": build_staff("administrator_a", Role.ADMINISTRATOR, a),
            "district_a": build_staff("district_a", Role.DISTRICT_OFFICER, a),
            "teacher_a": build_staff("teacher_a", Role.STAFF, a),
            "worker_b": module_worker_b,
            "principal_b": module_principal_b,
            "superuser": get_user_model().objects.create_superuser("root", password="pw-root"),
        }
        worker, principal = users["worker_a"], users["principal_a"]
        cases = {
            state: make_case(a, worker, principal, state=state, learner_name=LEARNER_NAME)
            for state in (
                CaseState.RECEIVED,
                CaseState.ASSESSED,
                CaseState.PLAN_SUBMITTED,
                CaseState.PLAN_APPROVED,
                CaseState.IN_PROGRESS,
                CaseState.REVIEWED,
                CaseState.REFERRED,
            )
        }
        draft = WizardDraft.objects.create(
            owner=worker, school=a, template="01", current_step="source"
        )
        attachment = attach(
            cases[CaseState.RECEIVED],
            worker,
            validate_bytes(pdf()),
            kind="signed_form",
            description="Biên bản có chữ ký",
            original_name=f"{LEARNER_NAME}.pdf",
        )
        audit.record(None, Action.VIEW, case=cases[CaseState.RECEIVED], user=worker, target="case")
        return {"school": a, "users": users, "cases": cases, "draft": draft, "file": attachment}

    return module_db.build(build)


@pytest.fixture
def world(db, module_world):
    return copied(module_world)


@dataclass
class Screen:
    name: str
    url: Callable[[dict], str]
    allowed: frozenset
    # "object": about one case, record or draft: refused with 404 to whoever may not read it.
    # "area": a screen of the case area as a whole: refused to those without a case role.
    # "school": about one school: 404 to case roles of another school, 403 to the rest.
    kind: str = "object"
    # What a case worker or principal of the same school gets when this is not theirs:
    # 403 for a decision that is someone else's, 404 for what is private to others.
    own_refusal: int = 403


def _case(state):
    return lambda w: w["cases"][state]


def _start(base: str, state: str) -> Callable[[dict], str]:
    return lambda w: reverse(f"forms_app:{base}_start") + f"?case={w['cases'][state].pk}"


def _record(code: str, model, view: str) -> Callable[[dict], str]:
    def url(w):
        record = model.objects.filter(case__school=w["school"]).first()
        return reverse(f"forms_app:{view}", args=[code, record.pk])

    return url


BOTH = frozenset(CASE_ROLES_A)
PRINCIPAL = frozenset({"principal_a"})
# Who reads the access audit of school A: its principal and its administrator.
AUDITORS = frozenset({"principal_a", "administrator_a"})
SCREENS = [
    Screen(
        "case inspect",
        lambda w: reverse("forms_app_case_modeladmin_inspect", args=[_case("received")(w).pk]),
        BOTH,
    ),
    Screen(
        "case edit",
        lambda w: reverse("forms_app_case_modeladmin_edit", args=[_case("received")(w).pk]),
        BOTH,
    ),
    Screen("start Mẫu 02", _start("assessment", CaseState.RECEIVED), BOTH),
    Screen("start Mẫu 03", _start("plan", CaseState.ASSESSED), BOTH),
    Screen("start Mẫu 04", _start("review", CaseState.IN_PROGRESS), BOTH),
    Screen(
        "Mẫu 01 draft",
        lambda w: reverse(
            "forms_app:intake_step", kwargs={"draft_id": w["draft"].pk, "step": "source"}
        ),
        frozenset({"worker_a"}),
        own_refusal=404,
    ),
    Screen(
        "delete a Mẫu 01 draft (asks first)",
        lambda w: reverse("forms_app:draft_delete", args=[w["draft"].pk]),
        frozenset({"worker_a"}),
        own_refusal=404,
    ),
    *(
        Screen(f"{view} Mẫu {code}", _record(code, model, view), BOTH)
        for code, model in (
            ("01", IntakeReport),
            ("02", Assessment),
            ("03", InterventionPlan),
            ("04", Review),
        )
        for view in ("record_print", "record_pdf")
    ),
    Screen(
        "whole case PDF",
        lambda w: reverse("forms_app:case_bundle_pdf", args=[_case("received")(w).pk]),
        BOTH,
    ),
    Screen(
        "decide on a plan",
        lambda w: reverse(
            "forms_app:plan_decide",
            args=[InterventionPlan.objects.get(case=w["cases"][CaseState.PLAN_SUBMITTED]).pk],
        ),
        PRINCIPAL,
    ),
    Screen(
        "start the plan",
        lambda w: reverse("forms_app:case_start", args=[w["cases"][CaseState.PLAN_APPROVED].pk]),
        BOTH,
    ),
    Screen(
        "refer",
        lambda w: reverse("forms_app:case_refer", args=[w["cases"][CaseState.RECEIVED].pk]),
        BOTH,
    ),
    Screen(
        "referral sent",
        lambda w: reverse(
            "forms_app:referral_sent",
            args=[Referral.objects.get(case=w["cases"][CaseState.REFERRED]).pk],
        ),
        BOTH,
    ),
    Screen(
        "close",
        lambda w: reverse("forms_app:case_close", args=[w["cases"][CaseState.REVIEWED].pk]),
        PRINCIPAL,
    ),
    Screen(
        "export the case list",
        lambda w: reverse("forms_app:case_export", args=[w["school"].pk, "csv"]),
        PRINCIPAL,
    ),
    Screen(
        "add a file to a case",
        lambda w: reverse("case_files:upload", args=[_case("received")(w).pk]),
        BOTH,
    ),
    Screen(
        "download a case file",
        lambda w: reverse("case_files:download", args=[w["file"].pk]),
        BOTH,
    ),
    Screen(
        "remove a case file",
        lambda w: reverse("case_files:delete", args=[w["file"].pk]),
        PRINCIPAL,
    ),
    Screen(
        "who has accessed the case",
        lambda w: reverse("audit:case_trail", args=[_case("received")(w).pk]),
        AUDITORS,
        own_refusal=404,
    ),
    Screen(
        "new intake at school A",
        lambda w: reverse("forms_app:intake_start") + f"?school={w['school'].pk}",
        BOTH,
        kind="school",
    ),
]

# Screens of the whole area: every case role has them, each with their own content.
AREA_SCREENS = {
    "case list": lambda w: reverse("forms_app_case_modeladmin_index"),
    "my drafts": lambda w: reverse("forms_app:drafts"),
    "to do": lambda w: reverse("forms_app:todo"),
}
CASE_ROLE_USERS = {"worker_a", "principal_a", "worker_b", "principal_b"}
# Role.STAFF alone: every URL of the case area, its files and its audit is a 404.
TEACHER = "teacher_a"


def _client(client, world, key):
    if key != "anonymous":
        client.force_login(world["users"][key])
    return client


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("screen", SCREENS, ids=lambda s: s.name)
def test_case_screens_by_role_and_school(screen, user, world, client):
    url = screen.url(world)
    response = _client(client, world, user).get(url)

    if user == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response.url
        return
    if user in screen.allowed:
        assert response.status_code in (200, 302), (screen.name, user, response.status_code)
        if response.status_code == 302:
            # A start leads into its wizard; nothing else redirects an allowed user.
            assert "/admin/ho-so/" in response.url, response.url
        else:
            # A child's data is never kept by a browser's or a proxy's cache.
            assert "no-store" in response["Cache-Control"], screen.name
        return

    body = response.content.decode(errors="replace") if response.status_code == 200 else ""
    assert LEARNER_NAME not in body
    if user == TEACHER:
        # A teacher raises concerns; the case area does not exist for them.
        assert response.status_code == 404, (screen.name, user, response.status_code)
    elif screen.kind == "object" and user not in CASE_ROLES_A:
        assert response.status_code == 404, (screen.name, user, response.status_code)
    elif user in CASE_ROLES_A:
        # Reads the case, but this is not theirs to do (a principal's decision: 403;
        # someone else's draft, or the audit a worker is the subject of: 404).
        assert response.status_code == screen.own_refusal, (
            screen.name,
            user,
            response.status_code,
        )
    elif screen.kind == "school" and user in CASE_ROLE_USERS:
        # A case role at another school: school A is not there for them.
        assert response.status_code == 404, (screen.name, user, response.status_code)
    else:
        # A screen of the area to someone with no case role anywhere.
        assert response.status_code == 403, (screen.name, user, response.status_code)


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("screen", list(AREA_SCREENS), ids=str)
def test_area_screens_by_role(screen, user, world, client):
    response = _client(client, world, user).get(AREA_SCREENS[screen](world))
    if user == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response.url
    elif user in CASE_ROLE_USERS:
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
        html = response.content.decode()
        own = user.endswith("_a")
        for case in world["cases"].values():
            if not own:
                assert case.reference not in html
        if not own:
            assert LEARNER_NAME not in html
    elif user == TEACHER:
        assert response.status_code == 404, (screen, user, response.status_code)
    elif screen == "case list":
        # wagtail-modeladmin's refusal: back to the dashboard, with a message.
        assert (response.status_code, response.url) == (302, "/admin/"), (screen, user)
    else:
        assert response.status_code == 403, (screen, user, response.status_code)


# The access audit of a whole school: its principals and administrators, each their own.
AUDIT_AREA_SCREENS = {
    "access report": lambda w: reverse("audit:report"),
    "access report as CSV": lambda w: reverse("audit:report_export", args=["csv"]),
    "access report as XLSX": lambda w: reverse("audit:report_export", args=["xlsx"]),
}
AUDIT_READERS = {"principal_a", "administrator_a", "principal_b"}


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize("screen", list(AUDIT_AREA_SCREENS), ids=str)
def test_audit_screens_by_role(screen, user, world, client):
    response = _client(client, world, user).get(AUDIT_AREA_SCREENS[screen](world))
    if user == "anonymous":
        assert response.status_code == 302
        assert "/admin/login/" in response.url
        return
    if user not in AUDIT_READERS:
        # Case workers are what the audit watches; editors, district officers and a bare
        # superuser have no part in it: the screen does not exist for them.
        assert response.status_code == 404, (screen, user, response.status_code)
        return
    assert response.status_code == 200, (screen, user, response.status_code)
    assert "no-store" in response["Cache-Control"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    reference = world["cases"][CaseState.RECEIVED].reference
    if screen == "access report as XLSX":
        return  # a zip: its cells are checked in tests/audit; here only who gets it
    text = body.decode("utf-8-sig")
    assert (reference in text) is user.endswith("_a"), (screen, user)
    assert LEARNER_NAME not in text


def test_every_case_area_url_is_in_the_matrix():
    """A new URL of the case area, its files or its audit must be added to the matrix above."""
    from audit import urls as audit_urls
    from case_files import urls as file_urls
    from forms_app import urls

    covered = {
        "drafts",
        "draft_delete",
        "todo",
        "plan_decide",
        "case_start",
        "case_refer",
        "referral_sent",
        "case_close",
        "record_print",
        "record_pdf",
        "case_bundle_pdf",
        "case_export",
        "intake_start",
        "intake_step",
        "assessment_start",
        "assessment_step",
        "plan_start",
        "plan_step",
        "review_start",
        "review_step",
    }
    covered |= {"upload", "download", "delete", "report", "report_export", "case_trail"}
    names = {
        pattern.name for module in (urls, file_urls, audit_urls) for pattern in module.urlpatterns
    }
    assert names <= covered, names - covered


def _triage_urls(concern_pk: int) -> list[str]:
    from concerns import urls_triage

    urls = []
    for pattern in urls_triage.urlpatterns:
        wanted = set(pattern.pattern.converters)
        kwargs = {name: concern_pk for name in wanted}
        urls.append(reverse(f"triage:{pattern.name}", kwargs=kwargs))
    return urls


def test_a_teacher_meets_404_on_case_search_create_and_every_triage_url(world, client):
    """Also the triage URLs of the teacher's own concern: they read its status, not the item."""
    from concerns.models import Channel, Concern

    teacher = world["users"][TEACHER]
    own = Concern.objects.create(
        school=world["school"], channel=Channel.STAFF, reporter=teacher, what_happened="x"
    )
    client.force_login(teacher)
    case_list = reverse("forms_app_case_modeladmin_index")
    assert client.post(case_list, {"q": LEARNER_NAME}).status_code == 404
    assert client.get(case_list, {"q": LEARNER_NAME}).status_code == 404
    assert client.get(reverse("forms_app_case_modeladmin_create")).status_code == 404
    triage = _triage_urls(own.pk)
    assert len(triage) >= 4
    for url in triage:
        # A decision (POST only) or a screen (GET only) answers the other method 405
        # before asking who it is; the method it takes answers the teacher 404.
        answers = {client.get(url).status_code, client.post(url, {}).status_code}
        assert answers in ({404}, {404, 405}), (url, answers)
    own.refresh_from_db()
    assert (own.status, own.case_id) == ("received", None)
    # Their own door stays open.
    assert client.get(reverse("concerns:detail", args=[own.pk])).status_code == 200
