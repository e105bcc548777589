import pytest

from schools.roles import Role
from tests.forms_app.factories import make_case


@pytest.fixture
def school(make_school):
    return make_school("AU")


@pytest.fixture
def other_school(make_school):
    return make_school("OT")


@pytest.fixture
def staff(make_staff, school, other_school):
    """One user per role at ``school``, and a worker and a principal of ``other_school``."""
    return {
        "worker": make_staff("worker", Role.CASE_WORKER, school),
        "principal": make_staff("principal", Role.PRINCIPAL, school),
        "editor": make_staff("editor", Role.EDITOR, school),
        "district": make_staff("district", Role.DISTRICT_OFFICER, school),
        "administrator": make_staff("administrator", Role.ADMINISTRATOR, school),
        "other_worker": make_staff("other_worker", Role.CASE_WORKER, other_school),
        "other_principal": make_staff("other_principal", Role.PRINCIPAL, other_school),
    }


@pytest.fixture
def case(school, staff):
    return make_case(school, staff["worker"], staff["principal"])


@pytest.fixture
def client_as(client):
    def login(user, address: str = "203.0.113.7"):
        client.force_login(user)
        client.defaults["REMOTE_ADDR"] = address
        return client

    return login


@pytest.fixture(autouse=True)
def anchor_file(settings, tmp_path):
    """Each test anchors into its own file, so no anchor of one test is checked in another."""
    settings.AUDIT_ANCHOR_FILE = tmp_path / "anchors.jsonl"
    settings.AUDIT_ANCHOR_EMAIL = []
    return settings.AUDIT_ANCHOR_FILE


@pytest.fixture
def attacker():
    """Raw SQL past the triggers, as someone with the database file or its owner's password.

    The triggers refuse UPDATE and DELETE on both engines (tests/audit/test_triggers.py);
    the chain and the anchors must find what is done once they are out of the way.
    """
    from django.db import connection

    from audit import triggers

    def run(sql: str, params: list | tuple = ()) -> None:
        with triggers.lifted(connection), connection.cursor() as cursor:
            cursor.execute(sql, list(params))

    return run
