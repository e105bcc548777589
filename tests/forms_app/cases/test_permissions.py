"""Who sees which case: the case list, the inspect view, the queryset functions, reference data.

Every staff role, a superuser without membership and an anonymous visitor are
checked against a case of their own school and one of another school. Only a case
worker or a principal of the case's own school reads it; everybody else gets a 404
for a case (never a 403) and no case list.
"""

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Group
from django.db import connection
from django.http import Http404, HttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, include, path, reverse
from django.utils import timezone

from config import urls as project_urls
from forms_app.cases import policy
from forms_app.cases.opening import open_case
from forms_app.models import (
    ActivityPartner,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    IssueCategory,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    Review,
)
from schools.models import Membership, School
from schools.roles import GROUP_NAMES, Role
from tests.forms_app.module_data import copied
from tests.forms_app.searching import search_cases

pytestmark = pytest.mark.django_db

LIST_URL = "/admin/forms_app/case/"
ROLE_KEYS = [
    Role.EDITOR,
    Role.PRINCIPAL,
    Role.CASE_WORKER,
    Role.DISTRICT_OFFICER,
    Role.ADMINISTRATOR,
    "superuser",
    "anonymous",
]
READERS = {Role.PRINCIPAL, Role.CASE_WORKER}


def _intake_placeholder(request):
    return HttpResponse("intake wizard")


# A URLconf with the intake wizard's URL name, as the wizard will provide it.
urlpatterns = [
    path(
        "ho-so/tiep-nhan/",
        include(([path("", _intake_placeholder, name="intake_start")], "forms_app")),
    ),
    *project_urls.urlpatterns,
]


def inspect_url(case: Case) -> str:
    return reverse("forms_app_case_modeladmin_inspect", args=[case.pk])


@pytest.fixture(scope="module")
def module_cases(module_db, module_school, module_other_school, module_worker, module_worker_b):
    """One case at each school, with an intake report: built once, read by every test."""

    def build():
        case_own = open_case(module_school, module_worker, learner_name="Nguyễn Thị Thử (giả định)")
        case_other = open_case(
            module_other_school, module_worker_b, learner_name="Trần Văn Mẫu (giả định)"
        )
        for case, worker in ((case_own, module_worker), (case_other, module_worker_b)):
            IntakeReport.objects.create(
                case=case, author=worker, received_at=case.received_at, template_version="2025.1"
            )
        return case_own, case_other

    return module_db.build(build)


@pytest.fixture
def world(school, other_school, worker, worker_b, module_cases):
    """Schools AL and BK, a case worker at each, and one case at each with an intake report."""
    case_own, case_other = copied(module_cases)
    return SimpleNamespace(
        own=school,
        other=other_school,
        worker_own=worker,
        worker_other=worker_b,
        case_own=case_own,
        case_other=case_other,
    )


def user_with(key: str, school: School, make_staff):
    """A user holding role ``key`` at ``school``; a superuser holds no membership."""
    if key == "anonymous":
        return AnonymousUser()
    if key == "superuser":
        return get_user_model().objects.create_superuser(
            username="root", email="root@example.invalid", password="pw-root"
        )
    return make_staff(f"{key}.al", key, school)


def client_for(client, user):
    if user.is_authenticated:
        client.force_login(user)
    return client


# The queryset functions ---------------------------------------------------------


@pytest.mark.parametrize("key", ROLE_KEYS)
def test_queryset_functions_give_cases_of_own_school_to_case_roles_only(key, world, make_staff):
    user = user_with(key, world.own, make_staff)
    reads = key in READERS

    assert set(policy.case_schools(user)) == ({world.own} if reads else set())
    assert set(policy.cases_for(user)) == ({world.case_own} if reads else set())
    assert policy.can_open_case(user, world.own) is reads
    assert policy.can_open_case(user, world.other) is False
    assert policy.is_principal(user, world.own) is (key == Role.PRINCIPAL)
    assert policy.is_principal(user, world.other) is False
    if reads:
        assert policy.get_case_or_404(user, world.case_own.pk) == world.case_own
    else:
        with pytest.raises(Http404):
            policy.get_case_or_404(user, world.case_own.pk)
    with pytest.raises(Http404):
        policy.get_case_or_404(user, world.case_other.pk)


def test_get_case_or_404_answers_404_for_a_missing_or_malformed_pk(world):
    for pk in (world.case_other.pk + 1000, "not-a-number", None):
        with pytest.raises(Http404):
            policy.get_case_or_404(world.worker_own, pk)


def test_inactive_case_worker_reads_nothing(world):
    world.worker_own.is_active = False
    world.worker_own.save()
    assert not policy.cases_for(world.worker_own).exists()
    assert not policy.case_schools(world.worker_own).exists()


def test_case_role_at_one_school_and_other_role_at_another_reads_only_the_first(world, make_staff):
    user = make_staff("mixed", Role.EDITOR, world.own)
    Membership.objects.create(user=user, school=world.other, role=Role.CASE_WORKER)
    assert set(policy.cases_for(user)) == {world.case_other}


def test_principal_who_is_also_case_worker_sees_each_case_once(world, make_staff):
    user = make_staff("both", Role.PRINCIPAL, world.own)
    Membership.objects.create(user=user, school=world.own, role=Role.CASE_WORKER)
    assert list(policy.cases_for(user)) == [world.case_own]


# The case list ---------------------------------------------------------------------


@pytest.mark.parametrize("key", ROLE_KEYS)
def test_case_list_shows_own_school_cases_to_case_roles_only(key, world, make_staff, client):
    user = user_with(key, world.own, make_staff)
    response = client_for(client, user).get(LIST_URL)
    html = response.content.decode()

    if key in READERS:
        assert response.status_code == 200
        assert world.case_own.reference in html
    elif key == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    else:
        # Wagtail turns the PermissionDenied into a redirect to the dashboard.
        assert response.status_code == 302
        assert response["Location"] == reverse("wagtailadmin_home")
    assert world.case_other.reference not in html
    assert world.case_own.learner_name not in html


@pytest.mark.parametrize("key", [k for k in ROLE_KEYS if k != "anonymous"])
def test_admin_menu_offers_case_records_to_case_roles_only(key, world, make_staff, client):
    user = user_with(key, world.own, make_staff)
    html = client_for(client, user).get(reverse("wagtailadmin_home")).content.decode()
    assert (LIST_URL in html) is (key in READERS)


def test_case_worker_sees_own_school_cases_only(world, client):
    response = client_for(client, world.worker_own).get(LIST_URL)
    assert response.status_code == 200
    shown = list(response.context["object_list"])
    assert shown == [world.case_own]


def test_list_filters_by_overdue_worker_and_category(world, client):
    late = open_case(world.own, world.worker_own, learner_name="Lê Văn Trễ (giả định)")
    late.next_deadline = timezone.now() - timezone.timedelta(hours=1)
    late.save()
    client = client_for(client, world.worker_own)

    overdue = client.get(LIST_URL, {"overdue": "yes"}).context["object_list"]
    assert list(overdue) == [late]
    on_time = client.get(LIST_URL, {"overdue": "no"}).context["object_list"]
    assert list(on_time) == [world.case_own]
    mine = client.get(LIST_URL, {"worker": world.worker_own.pk}).context["object_list"]
    assert set(mine) == {late, world.case_own}

    bullied = IssueCategory.objects.get(name="bị bắt nạt")
    late.categories.add(bullied, IssueCategory.objects.get(name="khác"))
    in_category = client.get(LIST_URL, {"category": bullied.pk}).context["object_list"]
    assert list(in_category) == [late]


def test_worker_filter_lists_no_staff_of_other_schools(world, client):
    response = client_for(client, world.worker_own).get(LIST_URL)
    assert world.worker_other.username not in response.content.decode()


# Search --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("Nguyễn Thị Thử (giả định)", True),
        ("nguyễn thị thử (giả định)", True),
        ("  Nguyễn   Thị Thử (giả định) ", True),
        ("Nguyễn", False),
        ("Thị Thử", False),
        ("Trần Văn Mẫu (giả định)", False),  # exact, but another school's learner
    ],
)
def test_search_finds_a_learner_only_by_exact_full_name(query, found, world, client):
    response = search_cases(client_for(client, world.worker_own), query)
    assert response.status_code == 200
    assert (world.case_own in response.context["object_list"]) is found
    assert world.case_other not in response.context["object_list"]


def test_search_finds_a_case_by_reference(world, client):
    client = client_for(client, world.worker_own)
    for query in (world.case_own.reference, world.case_own.reference.lower(), "AL-"):
        assert list(search_cases(client, query).context["object_list"]) == [world.case_own]
    assert not search_cases(client, world.case_other.reference).context["object_list"]


# Query count -------------------------------------------------------------------------------


def _add_cases(school: School, worker, count: int) -> None:
    categories = list(IssueCategory.objects.all()[:2])
    for i in range(count):
        case = open_case(school, worker, learner_name=f"Học sinh {i} (giả định)")
        case.categories.set(categories)
        if i % 3 == 0:
            case.next_deadline = timezone.now() - timezone.timedelta(days=1)
            case.save()


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL)
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_case_list_runs_the_same_number_of_queries_for_3_and_15_cases(world, make_staff, client):
    worker = make_staff("ctxh.count", Role.CASE_WORKER, world.other)
    client = client_for(client, worker)
    _add_cases(world.other, worker, 2)  # with world.case_other: 3 cases
    client.get(LIST_URL)  # warm up session and caches

    with_3 = _list_queries(client)
    _add_cases(world.other, worker, 12)
    with_15 = _list_queries(client)

    assert Case.objects.filter(school=world.other).count() == 15
    assert with_15 == with_3


# The inspect view ------------------------------------------------------------------------------


@pytest.mark.parametrize("which", ["own", "other"])
@pytest.mark.parametrize("key", ROLE_KEYS)
def test_inspect_view_by_role_and_school(key, which, world, make_staff, client):
    user = user_with(key, world.own, make_staff)
    case = world.case_own if which == "own" else world.case_other
    response = client_for(client, user).get(inspect_url(case))

    if key == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("wagtailadmin_login"))
    elif key in READERS and which == "own":
        assert response.status_code == 200
        html = response.content.decode()
        assert case.reference in html
        assert case.learner_name in html
    else:
        assert response.status_code == 404
        assert case.learner_name not in response.content.decode()


def test_inspect_view_shows_timeline_and_records(world, client):
    case = world.case_own
    plan = InterventionPlan.objects.create(
        case=case, author=world.worker_own, version=2, status=InterventionPlan.Status.APPROVED
    )
    Review.objects.create(
        case=case, plan=plan, author=world.worker_own, conclusion=Review.Conclusion.CLOSE
    )
    CaseEvent.objects.create(
        case=case,
        actor=world.worker_own,
        kind=CaseEvent.Kind.TRANSITION,
        from_state=CaseState.RECEIVED,
        to_state=CaseState.ASSESSED,
        note="Đã xác minh với gia đình",
    )
    html = client_for(client, world.worker_own).get(inspect_url(case)).content.decode()

    assert "<time datetime=" in html
    assert "Đã xác minh với gia đình" in html
    assert "2025.1" in html  # the intake report's template version
    assert str(plan.get_status_display()) in html
    assert str(Review.Conclusion.CLOSE.label) in html
    # no editable-by-anyone history view, no delete button
    assert "/history/" not in html
    assert "/delete/" not in html


@pytest.mark.parametrize("action", ["edit", "delete"])
def test_edit_and_delete_of_another_schools_case_answer_404(action, world, client):
    url = reverse(f"forms_app_case_modeladmin_{action}", args=[world.case_other.pk])
    assert client_for(client, world.worker_own).get(url).status_code == 404


def test_nobody_deletes_a_case(world, client):
    url = reverse("forms_app_case_modeladmin_delete", args=[world.case_own.pk])
    response = client_for(client, world.worker_own).post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")
    assert Case.objects.filter(pk=world.case_own.pk).exists()


def test_edit_changes_assignment_records_it_and_offers_only_own_school_staff(
    world, make_staff, client
):
    colleague = make_staff("ctxh.al2", Role.CASE_WORKER, world.own)
    make_staff("bientap.al", Role.EDITOR, world.own)
    url = reverse("forms_app_case_modeladmin_edit", args=[world.case_own.pk])
    client = client_for(client, world.worker_own)

    form = client.get(url).context["form"]
    offered = set(form.fields["assigned_worker"].queryset)
    assert offered == {world.worker_own, colleague}

    response = client.post(
        url,
        {
            "learner_name": world.case_own.learner_name,
            "learner_gender": "unknown",
            "assigned_worker": colleague.pk,
        },
    )
    assert response.status_code == 302
    world.case_own.refresh_from_db()
    assert world.case_own.assigned_worker == colleague
    assert world.case_own.events.filter(kind=CaseEvent.Kind.ASSIGNMENT).exists()
    assert world.case_own.reference.startswith("AL-")  # the reference is not editable


def test_closed_case_cannot_be_edited(world, client):
    Case.objects.filter(pk=world.case_own.pk).update(state=CaseState.CLOSED)
    url = reverse("forms_app_case_modeladmin_edit", args=[world.case_own.pk])
    response = client_for(client, world.worker_own).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# Opening a case goes through the intake wizard ----------------------------------------------


def test_add_button_leads_to_the_intake_wizard_when_it_exists(world, client, settings):
    settings.ROOT_URLCONF = __name__
    intake = reverse("forms_app:intake_start")
    client = client_for(client, world.worker_own)

    assert f'href="{intake}"' in client.get(LIST_URL).content.decode()
    response = client.get(reverse("forms_app_case_modeladmin_create"))
    assert response.status_code == 302
    assert response["Location"] == intake


def test_a_missing_intake_wizard_is_a_loud_error_not_a_hidden_button(world, client, monkeypatch):
    """A broken URLconf must fail where it is, not quietly drop the "add" button."""
    from forms_app.admin import case_admin

    monkeypatch.setattr(case_admin, "INTAKE_START_URL_NAME", "forms_app:no_such_view")
    client = client_for(client, world.worker_own)
    client.raise_request_exception = True
    with pytest.raises(NoReverseMatch):
        client.get(LIST_URL)


def test_editor_may_not_open_a_case_even_with_the_intake_wizard(
    world, make_staff, client, settings
):
    settings.ROOT_URLCONF = __name__
    editor = make_staff("bientap.al", Role.EDITOR, world.own)
    response = client_for(client, editor).get(reverse("forms_app_case_modeladmin_create"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


# The role matrix --------------------------------------------------------------------------------


def _perms(role: str) -> set[str]:
    group = Group.objects.get(name=GROUP_NAMES[role])
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL])
def test_case_roles_hold_case_permissions(role):
    assert {
        "forms_app.view_case",
        "forms_app.add_case",
        "forms_app.change_case",
        "forms_app.view_intakereport",
        "forms_app.view_interventionplan",
    } <= _perms(role)
    assert "forms_app.delete_case" not in _perms(role)


def test_administrator_edits_their_schools_lists_but_holds_no_case_permission():
    perms = _perms(Role.ADMINISTRATOR)
    assert {"forms_app.change_receivingbody", "forms_app.change_schoolcalendar"} <= perms
    # The shared lists follow the circulars for every school: the operator's.
    assert "forms_app.add_issuecategory" not in perms
    assert not {p for p in perms if p.endswith("_case") or "intakereport" in p}


@pytest.mark.parametrize("role", [Role.EDITOR, Role.DISTRICT_OFFICER])
def test_other_roles_hold_no_case_area_permission(role):
    assert not {p for p in _perms(role) if p.startswith("forms_app.")}


def test_administrator_reaches_their_schools_referral_bodies_not_the_shared_lists(
    world, make_staff, client
):
    admin = make_staff("quantri.al", Role.ADMINISTRATOR, world.own)
    signed_in = client_for(client, admin)
    url = reverse("wagtailsnippets_forms_app_issuecategory:list")
    assert signed_in.get(url).status_code == 302  # Wagtail's "no permission"
    url = reverse("wagtailsnippets_forms_app_receivingbody:list")
    assert signed_in.get(url).status_code == 200


# Reference data -----------------------------------------------------------------------------------


def test_reference_lists_are_seeded():
    assert {
        "có hoàn cảnh đặc biệt",
        "bị xâm hại",
        "bị bạo lực",
        "có hành vi bạo lực",
        "bị bắt nạt",
        "bỏ học / có nguy cơ bỏ học",
        "vi phạm pháp luật",
        "khó khăn tâm lý",
        "khác",
    } <= set(IssueCategory.objects.values_list("name", flat=True))
    assert RatingCriterion.objects.filter(table="harm").count() >= 3
    assert RatingCriterion.objects.filter(table="resilience", name="hiểu biết tự bảo vệ").exists()
    assert NeedDomain.objects.filter(name="vật chất / kinh tế").exists()
    hotline = ReceivingBody.objects.get(name="Tổng đài quốc gia bảo vệ trẻ em 111")
    assert hotline.phone == "111"
    assert hotline.school is None
    assert ActivityPartner.objects.filter(name="giáo viên chủ nhiệm").exists()


def test_reference_seed_adds_nothing_when_run_again():
    migration = importlib.import_module("forms_app.migrations.0002_reference_data")
    models = (IssueCategory, RatingCriterion, NeedDomain, ReceivingBody, ActivityPartner)
    before = [m.objects.count() for m in models]
    migration.seed_reference_data(apps, None)
    assert [m.objects.count() for m in models] == before
