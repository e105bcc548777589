"""The case list costs the same few SQL queries with 3 cases or 40, for every role and filter.

A query per row (a case's worker, categories, records or deadline, a permission
or a button checked per row) would make the list slower with every case a
school files; these counts fail as soon as one creeps in.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from forms_app.admin.case_admin import CaseAdmin
from forms_app.cases.opening import open_case
from forms_app.models import Case, CaseState, IssueCategory
from tests.forms_app.factories import LEARNER_NAME, make_case

LIST_URL = "/admin/forms_app/case/"

# Whatever the data size. Of these, seven belong to the admin around the list
# (session, user, second factor, Django's permissions twice, Wagtail's user
# profile, locale and page and collection permissions for its menu), one to the
# audit menu, three to the front door's menu items (the schools where the user may
# raise a concern, the number of new concerns, the number of unread alerts), and the
# rest to the list: roles, the two filters' choices, the count (a second one when
# filtered, for "n out of all"), the page and its categories. A search adds its
# audit entry. A principal's menu has one more (Wagtail's page explorer, as they
# edit their school's pages).
BOUND = {"list": 17, "filtered": 18, "search": 22}
PRINCIPAL_EXTRA = 1
# An audit entry first takes the chain's lock (audit.log): an advisory lock on
# PostgreSQL, SQLite's write lock (a no-op UPDATE) on SQLite.
AUDIT_LOCK = {"postgresql": 1, "sqlite": 1}

# Cases move through the procedure, so the list shows every state, record and deadline.
STATES = [
    CaseState.RECEIVED,
    CaseState.ASSESSED,
    CaseState.PLAN_SUBMITTED,
    CaseState.PLAN_RETURNED,
    CaseState.IN_PROGRESS,
    CaseState.REVIEWED,
    CaseState.REFERRED,
    CaseState.CLOSED,
]


def add_cases(staff, count: int) -> None:
    """``count`` cases at the school, with records, categories, two workers and late ones."""
    categories = list(IssueCategory.objects.all()[:3])
    start = Case.objects.filter(school=staff.school).count()
    for i in range(start, start + count):
        worker = staff.worker if i % 2 else staff.colleague
        case = make_case(staff.school, worker, staff.principal, state=STATES[i % len(STATES)])
        case.categories.set(categories[: 1 + i % len(categories)])
        if i % 3 == 0:
            Case.objects.filter(pk=case.pk).update(
                next_deadline=timezone.now() - datetime.timedelta(hours=2)
            )
    # Another school's cases are never listed, but are there to be filtered out.
    open_case(staff.other_school, staff.worker_b, learner_name=LEARNER_NAME)


def search_id(client, term: str) -> str:
    """The id of a search for ``term``, made as the page makes it (a POST; see case_search)."""
    location = client.post(LIST_URL, {"q": term})["Location"]
    return location.split("s=", 1)[1]


def scenarios(staff, client) -> dict[str, tuple[str, dict]]:
    category = IssueCategory.objects.order_by("pk").first()
    return {
        "all": ("list", {}),
        "by state": ("filtered", {"state": CaseState.RECEIVED}),
        "overdue": ("filtered", {"overdue": "yes"}),
        "by category": ("filtered", {"category": category.pk}),
        "by worker": ("filtered", {"worker": staff.worker.pk}),
        "sorted by worker": ("list", {"o": "3"}),
        "search by reference": ("search", {"s": search_id(client, staff.school.code)}),
        "search by name": ("search", {"s": search_id(client, LEARNER_NAME.lower())}),
    }


def count_queries(client, params: dict) -> tuple[int, int]:
    client.get(LIST_URL, params)  # the same request once before, as a user would have
    with CaptureQueriesContext(connection) as captured:
        response = client.get(LIST_URL, params)
    assert response.status_code == 200
    return len(captured.captured_queries), len(response.context["object_list"])


def queries_per_scenario(client, staff) -> dict[str, tuple[int, int]]:
    return {
        name: count_queries(client, params)
        for name, (_, params) in scenarios(staff, client).items()
    }


@pytest.mark.parametrize("role", ["worker", "principal"])
def test_case_list_runs_the_same_few_queries_for_3_and_40_cases(role, staff, client):
    user = getattr(staff, role)
    client.force_login(user)
    add_cases(staff, 3)
    few = queries_per_scenario(client, staff)
    add_cases(staff, 37)
    many = queries_per_scenario(client, staff)

    assert Case.objects.filter(school=staff.school).count() == 40
    # More rows shown, not more queries run.
    assert many["all"][1] == CaseAdmin.list_per_page > few["all"][1]
    assert many["by category"][1] > few["by category"][1]
    assert many["search by name"][1] > few["search by name"][1]
    assert {name: n for name, (n, _) in many.items()} == {name: n for name, (n, _) in few.items()}
    extra = PRINCIPAL_EXTRA if role == "principal" else 0
    for name, (kind, _params) in scenarios(staff, client).items():
        audit = AUDIT_LOCK.get(connection.vendor, 0) if kind == "search" else 0
        assert many[name][0] <= BOUND[kind] + extra + audit, name


def test_case_list_reads_no_learner_details(staff, client, monkeypatch):
    """The list shows none of the encrypted learner fields, so it decrypts none of them."""
    from forms_app import fields

    add_cases(staff, 3)
    decrypted = []
    original = fields.EncryptedFieldMixin.decrypt_stored

    def spy(self, stored):
        if self.model is Case:
            decrypted.append(self.name)
        return original(self, stored)

    monkeypatch.setattr(fields.EncryptedFieldMixin, "decrypt_stored", spy)
    client.force_login(staff.worker)
    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert len(response.context["object_list"]) == 3
    assert decrypted == []


def test_case_list_rows_keep_their_columns_and_buttons(staff, client):
    add_cases(staff, 8)
    late = Case.objects.filter(school=staff.school, state=CaseState.IN_PROGRESS).first()
    Case.objects.filter(pk=late.pk).update(
        next_deadline=timezone.now() - datetime.timedelta(hours=2),
        next_deadline_label="review",
    )
    late.refresh_from_db()
    closed = Case.objects.get(school=staff.school, state=CaseState.CLOSED)
    client.force_login(staff.worker)
    html = client.get(LIST_URL).content.decode()

    late_row = html[html.index(f'data-object-pk="{late.pk}"') :].split("</tr>")[0]
    assert f'href="/admin/forms_app/case/inspect/{late.pk}/"' in late_row
    assert f'href="/admin/forms_app/case/edit/{late.pk}/"' in late_row
    assert late.reference in late_row
    assert "w-status--label" in late_row
    assert timezone.localtime(late.next_deadline).strftime("%d/%m/%Y") in late_row
    # A closed case is read, never changed: no edit button.
    closed_row = html[html.index(f'data-object-pk="{closed.pk}"') :].split("</tr>")[0]
    assert f"/admin/forms_app/case/edit/{closed.pk}/" not in closed_row
    assert f'href="/admin/forms_app/case/inspect/{closed.pk}/"' in closed_row


def test_a_renamed_category_shows_in_the_filter_at_once(
    staff, client, django_capture_on_commit_callbacks
):
    client.force_login(staff.principal)
    add_cases(staff, 1)
    category = IssueCategory.objects.order_by("pk").first()
    old_name = category.name
    assert old_name in client.get(LIST_URL).content.decode()
    category.name = "Nhóm vấn đề đã đổi tên"
    with django_capture_on_commit_callbacks(execute=True):
        category.save()
    html = client.get(LIST_URL).content.decode()
    assert "Nhóm vấn đề đã đổi tên" in html
    assert old_name not in html  # the filter's kept choices were dropped too


def test_a_category_renamed_while_redis_was_away_shows_once_it_is_back(staff, client):
    """The rename could not drop the kept choices; Redis coming back does."""
    from config.cache import cache_recovered

    client.force_login(staff.principal)
    add_cases(staff, 1)
    category = IssueCategory.objects.order_by("pk").first()
    old_name = category.name
    assert old_name in client.get(LIST_URL).content.decode()
    # Saved without its signal's drop, as when the cache could not be reached.
    IssueCategory.objects.filter(pk=category.pk).update(name="Nhóm vấn đề đổi tên lúc mất Redis")
    assert old_name in client.get(LIST_URL).content.decode()

    cache_recovered.send(sender=None, location="redis-thu")

    html = client.get(LIST_URL).content.decode()
    assert "Nhóm vấn đề đổi tên lúc mất Redis" in html
    assert old_name not in html
