"""The learners' tests: a school and another, someone of each role at the school, and
signed-in clients."""

import pytest
from django.test import Client

from learners.models import Learner
from schools.roles import Role
from tests.conftest import build_staff


@pytest.fixture
def staff_of(school):
    """A user holding ``role`` at the school (made once per role and test)."""
    made = {}

    def make(role: str):
        if role not in made:
            made[role] = build_staff(f"{role}-al", role, school)
        return made[role]

    return make


@pytest.fixture
def worker(staff_of):
    return staff_of(Role.CASE_WORKER)


@pytest.fixture
def administrator(staff_of):
    return staff_of(Role.ADMINISTRATOR)


@pytest.fixture
def client_as():
    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def learner_of():
    def make(school, full_name: str, class_name: str = "6A", **fields) -> Learner:
        return Learner.objects.create(
            school=school, full_name=full_name, class_name=class_name, **fields
        )

    return make
