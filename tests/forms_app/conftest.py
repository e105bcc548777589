"""The case area's shared set-up: a school, its staff, signed-in clients, and the
Hypothesis profiles of its property tests.

School AL is "the school" of a test: a case worker, a colleague, two principals and
an editor work there. School BK is "another school", with a case worker and a
principal of its own, for what must stay out of reach across schools. They are
built once per module and read afresh for each test (module_data.py). Builders of
cases in each state are in factories.py.

Hypothesis: "ci" (the default) is derandomized, so every run posts the same
payloads and a failure is reproducible; "dev" explores new examples. Choose with
``HYPOTHESIS_PROFILE=dev``.
"""

import os
from collections.abc import Callable, Iterator
from types import SimpleNamespace

import pytest
from django.test import Client
from hypothesis import HealthCheck, settings

from forms_app.models import ReceivingBody
from schools.roles import Role
from tests.conftest import build_school, build_staff
from tests.forms_app.module_data import ModuleData, fresh, module_transaction

_COMMON = {
    "deadline": None,
    "suppress_health_check": [HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    "database": None,
}
settings.register_profile("ci", derandomize=True, **_COMMON)
settings.register_profile("dev", **_COMMON)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Built once for each module that asks for them (see module_data.py); each test
# gets its own fresh objects for them.


@pytest.fixture(scope="module")
def module_db(request, django_db_setup, django_db_blocker) -> Iterator[ModuleData]:
    with module_transaction(request, django_db_blocker) as data:
        yield data


@pytest.fixture(scope="module")
def module_school(module_db):
    return module_db.build(build_school, "AL")


@pytest.fixture(scope="module")
def module_other_school(module_db):
    return module_db.build(build_school, "BK")


@pytest.fixture(scope="module")
def module_worker(module_db, module_school):
    return module_db.build(build_staff, "worker", Role.CASE_WORKER, module_school)


@pytest.fixture(scope="module")
def module_colleague(module_db, module_school):
    return module_db.build(build_staff, "colleague", Role.CASE_WORKER, module_school)


@pytest.fixture(scope="module")
def module_principal(module_db, module_school):
    return module_db.build(build_staff, "principal", Role.PRINCIPAL, module_school)


@pytest.fixture(scope="module")
def module_vice_principal(module_db, module_school):
    return module_db.build(build_staff, "vice_principal", Role.PRINCIPAL, module_school)


@pytest.fixture(scope="module")
def module_editor(module_db, module_school):
    return module_db.build(build_staff, "editor", Role.EDITOR, module_school)


@pytest.fixture(scope="module")
def module_worker_b(module_db, module_other_school):
    return module_db.build(build_staff, "worker_b", Role.CASE_WORKER, module_other_school)


@pytest.fixture(scope="module")
def module_principal_b(module_db, module_other_school):
    return module_db.build(build_staff, "principal_b", Role.PRINCIPAL, module_other_school)


@pytest.fixture
def school(db, module_school):
    return fresh(module_school)


@pytest.fixture
def other_school(db, module_other_school):
    return fresh(module_other_school)


@pytest.fixture
def worker(db, module_worker):
    """The case worker of the school, who files and follows its cases."""
    return fresh(module_worker)


@pytest.fixture
def colleague(db, module_colleague):
    """A second case worker of the school: reads its cases, but not the worker's drafts."""
    return fresh(module_colleague)


@pytest.fixture
def principal(db, module_principal):
    return fresh(module_principal)


@pytest.fixture
def vice_principal(db, module_vice_principal):
    """A second holder of the principal role, who can decide on the principal's own plan."""
    return fresh(module_vice_principal)


@pytest.fixture
def editor(db, module_editor):
    """Staff of the school without a case role: edits its pages, never reads a case."""
    return fresh(module_editor)


@pytest.fixture
def worker_b(db, module_worker_b):
    return fresh(module_worker_b)


@pytest.fixture
def principal_b(db, module_principal_b):
    return fresh(module_principal_b)


@pytest.fixture
def staff(
    school,
    other_school,
    worker,
    colleague,
    principal,
    vice_principal,
    editor,
    worker_b,
    principal_b,
) -> SimpleNamespace:
    """Both schools and their staff by role, for tests that ask "who may do this?"."""
    return SimpleNamespace(
        school=school,
        other_school=other_school,
        worker=worker,
        colleague=colleague,
        principal=principal,
        vice=vice_principal,
        editor=editor,
        worker_b=worker_b,
        principal_b=principal_b,
    )


@pytest.fixture
def client_as(client) -> Callable[..., Client]:
    """Sign the test's client in as a user (both factors) and hand it back."""

    def login(user) -> Client:
        client.force_login(user)
        return client

    return login


@pytest.fixture
def worker_client(client_as, worker) -> Client:
    return client_as(worker)


@pytest.fixture
def body(db) -> ReceivingBody:
    """A receiving body every school may refer to (from the seeded reference lists)."""
    return ReceivingBody.objects.filter(school__isnull=True, active=True).first()
