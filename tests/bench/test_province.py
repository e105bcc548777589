"""The province dataset (bench/province.py): a tiny province built with the same code as
the full one answers as the runner and the servers expect.

PostgreSQL only: the builder writes with COPY and the search index as PostgreSQL's
backend stores it.
"""

from collections.abc import Iterator

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse
from wagtail.models import Site

from audit.chain import verify
from bench.province import PROVINCE_HOST, build, db_counts
from forms_app.models import Case
from schools.models import School
from tests.forms_app.module_data import copied, module_transaction

COUNTS = {"districts": 2, "schools": 3, "pages": 30, "cases": 20, "audit": 50, "concerns": 6}

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the province is built on PostgreSQL"
)


@pytest.fixture(scope="module")
def _built(request, django_db_setup, django_db_blocker) -> Iterator[dict]:
    """Built once for the module, in a transaction rolled back after it (module_data.py)."""
    with module_transaction(request, django_db_blocker) as data:
        yield data.build(build, COUNTS, log=lambda message: None)


@pytest.fixture
def manifest(db, _built) -> dict:
    return copied(_built)


def test_counts_match_the_manifest_and_what_was_asked(manifest):
    counts = db_counts()
    assert manifest["counts"] == counts
    assert counts["schools"] == COUNTS["schools"]
    assert counts["pages"] == COUNTS["pages"]
    assert counts["cases"] == COUNTS["cases"]
    assert counts["audit"] == COUNTS["audit"]
    # Copies of cases bring their records: every case has at least its Mẫu 01.
    assert counts["records"] >= COUNTS["cases"]
    # The Sở's site and one per school, each named in the hosts the runner allows.
    assert counts["sites"] == COUNTS["schools"] + 1
    assert set(manifest["hosts"]) == set(Site.objects.values_list("hostname", flat=True))


def test_each_school_site_answers_its_home_page_with_its_name(manifest):
    client = Client()
    for school in School.objects.all():
        host = f"{school.code.lower()}.tinh.example"
        response = client.get("/", HTTP_HOST=host)
        assert response.status_code == 200, host
        assert school.name in response.content.decode()


def test_manifest_public_pages_and_searches_answer(manifest):
    client = Client()
    for page in manifest["public"] + manifest["search"]:
        response = client.get(page["path"], HTTP_HOST=page["host"])
        expected = 404 if page["name"] == "404 page" else 200
        assert response.status_code == expected, page


def test_province_search_finds_pages_of_several_schools(manifest):
    response = Client().get("/tim-kiem/?q=ke+hoach", HTTP_HOST=PROVINCE_HOST)
    text = response.content.decode()
    # A result links into its school's section (or to the school's own site).
    linked = [s.code for s in School.objects.all() if s.code.lower() in text]
    assert len(linked) >= 2


def test_audit_chain_verifies(manifest):
    result = verify(anchors=[])
    assert result.ok, result.describe()
    assert result.checked == COUNTS["audit"]


def test_case_opens_for_its_worker_and_not_for_another_schools(manifest, client):
    first = School.objects.get(code=manifest["admin"]["school_code"])
    case = Case.objects.filter(school=first).order_by("pk").first()
    other = Case.objects.exclude(school=first).order_by("pk").first()
    url = reverse("forms_app_case_modeladmin_inspect", args=[case.pk])
    from django.contrib.auth import get_user_model

    worker = get_user_model().objects.get(username=manifest["admin"]["users"]["worker"]["username"])
    client.force_login(worker)
    assert client.get(url).status_code == 200
    # The other school's worker (a copy's new owner) cannot open it; the first can't open theirs.
    client.force_login(other.assigned_worker)
    assert client.get(url).status_code in (403, 404)
    client.force_login(worker)
    other_url = reverse("forms_app_case_modeladmin_inspect", args=[other.pk])
    assert client.get(other_url).status_code in (403, 404)


def test_admin_pages_of_the_manifest_answer_their_users(manifest, client):
    from django.contrib.auth import get_user_model

    users = manifest["admin"]["users"]
    for page in manifest["admin"]["pages"]:
        user = get_user_model().objects.get(username=users[page["user"]]["username"])
        client.force_login(user)
        assert client.get(page["path"]).status_code == 200, page


def test_bulk_school_set_up_is_what_a_school_save_makes(manifest):
    """Running the role and workflow sync again finds nothing to add."""
    from django.contrib.auth.models import Group
    from wagtail.models import Workflow

    from pages.workflows import sync_school_workflow
    from schools.roles import sync_school_groups

    groups, workflows = Group.objects.count(), Workflow.objects.count()
    for school in School.objects.all():
        sync_school_groups(school)
        sync_school_workflow(school)
    assert (Group.objects.count(), Workflow.objects.count()) == (groups, workflows)


def test_search_index_entries_equal_the_backends_own(manifest):
    """An entry written in bulk is the one Wagtail's backend writes for the same page."""
    from modelsearch.backends import get_search_backend
    from modelsearch.backends.database.postgres.postgres import IndexEntry

    from pages.models import PlanPage

    page = PlanPage.objects.order_by("pk").first()
    columns = ("title", "autocomplete", "body", "title_text", "body_text")
    entry = IndexEntry.objects.filter(object_id=str(page.pk)).values_list(*columns)
    ours = list(entry)
    get_search_backend().add(page)
    assert list(entry) == ours
