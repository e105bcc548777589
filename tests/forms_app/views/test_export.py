"""The principal's export of the school's case list (CSV and XLSX).

Only the principal of the school gets it; it holds the school's cases and none
of another school's, no learner's name, and nothing a spreadsheet would run as a
formula. Each export is in the audit trail.
"""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from audit.models import AuditEntry
from forms_app.models import IssueCategory
from tests.forms_app.factories import LEARNER_NAME, make_case
from tests.forms_app.module_data import copied


@pytest.fixture(scope="module")
def module_cases(module_db, module_school, module_worker, module_other_school, module_worker_b):
    """A case at each school, built once. The worker's name and a category are written as a
    spreadsheet formula, which the export must neutralise."""

    def build():
        module_worker.first_name, module_worker.last_name = '=HYPERLINK("http://evil")', ""
        module_worker.save()
        case = make_case(module_school, module_worker)
        case.assigned_worker = module_worker
        case.save()
        category = IssueCategory.objects.create(name="=1+1", sort_order=99)
        case.categories.add(category)
        return case, make_case(module_other_school, module_worker_b)

    return module_db.build(build)


@pytest.fixture
def world(school, worker, principal, editor, principal_b, module_cases):
    case, other = copied(module_cases)
    return {
        "school": school,
        "case": case,
        "other": other,
        "principal": principal,
        "worker": worker,
        "editor": editor,
        "principal_b": principal_b,
    }


def export_url(school, fmt: str) -> str:
    return reverse("forms_app:case_export", args=[school.pk, fmt])


def test_the_principal_gets_the_schools_cases_as_csv(world, client):
    client.force_login(world["principal"])

    response = client.get(export_url(world["school"], "csv"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "no-store" in response["Cache-Control"]
    assert 'filename="ho-so-al.csv"' in response["Content-Disposition"]
    content = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(content)))
    assert len(rows) == 2
    assert rows[1][0] == world["case"].reference
    assert world["other"].reference not in content
    # No fact about the learner leaves the protected area.
    assert LEARNER_NAME not in content
    # Text a spreadsheet would run as a formula is neutralised.
    assert "'=1+1" in rows[1]
    assert rows[1][-1] == '\'=HYPERLINK("http://evil")'
    entry = AuditEntry.objects.get(action="export")
    assert entry.detail == "cases csv"
    assert entry.actor_username == "principal"


def test_the_principal_gets_the_schools_cases_as_xlsx(world, client):
    client.force_login(world["principal"])

    response = client.get(export_url(world["school"], "xlsx"))

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert len(rows) == 2
    assert rows[1][0] == world["case"].reference
    assert "'=1+1" in rows[1]
    assert rows[1][-1].startswith("'=")
    assert all(LEARNER_NAME not in str(value) for row in rows for value in row)
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


@pytest.mark.parametrize(
    ("user", "status"),
    [("worker", 403), ("editor", 404), ("principal_b", 404)],
)
def test_other_roles_are_refused(world, client, user, status):
    client.force_login(world[user])

    response = client.get(export_url(world["school"], "csv"))

    assert response.status_code == status
    assert world["case"].reference.encode() not in response.content
    assert not AuditEntry.objects.filter(action="export").exists()


def test_an_unknown_format_or_school_is_not_found(world, client):
    client.force_login(world["principal"])

    assert client.get(export_url(world["school"], "pdf")).status_code == 404
    assert client.get(reverse("forms_app:case_export", args=[99999, "csv"])).status_code == 404


def test_a_visitor_is_sent_to_sign_in(world, client):
    response = client.get(export_url(world["school"], "csv"))

    assert response.status_code == 302
    assert "/admin/login/" in response.url
