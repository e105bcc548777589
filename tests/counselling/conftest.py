"""The counselling log's tests: the school, someone of each role there, signed-in
clients, learners on the school's list and entries built directly."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from counselling.models import Activity, CounsellingArea, CounsellingEntry
from learners.models import Learner
from schools.roles import Role
from tests.conftest import build_staff

NEW = "/admin/so-tu-van/moi/"
LIST = "/admin/so-tu-van/"
ACTIVITIES = "/admin/so-tu-van/hoat-dong/"
ACTIVITY_NEW = "/admin/so-tu-van/hoat-dong/moi/"


def entry_url(entry) -> str:
    return f"/admin/so-tu-van/{entry.pk}/"


def edit_url(entry) -> str:
    return f"/admin/so-tu-van/{entry.pk}/sua/"


def activity_url(activity) -> str:
    return f"/admin/so-tu-van/hoat-dong/{activity.pk}/"


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
def principal(staff_of):
    return staff_of(Role.PRINCIPAL)


@pytest.fixture
def client_as():
    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in


@pytest.fixture
def worker_client(client_as, worker) -> Client:
    return client_as(worker)


@pytest.fixture
def area(db) -> CounsellingArea:
    """The first of the seven content areas the migration seeds."""
    return CounsellingArea.objects.filter(active=True).order_by("sort_order", "pk").first()


@pytest.fixture
def learner_of():
    def make(school, full_name: str, class_name: str = "7A", **fields) -> Learner:
        return Learner.objects.create(
            school=school, full_name=full_name, class_name=class_name, **fields
        )

    return make


@pytest.fixture
def make_entry(area):
    def make(school, **fields) -> CounsellingEntry:
        fields.setdefault("area", area)
        fields.setdefault("held_on", timezone.localdate() - datetime.timedelta(days=1))
        learners = fields.pop("learners", [])
        entry = CounsellingEntry.objects.create(school=school, **fields)
        entry.learners.set(learners)
        return entry

    return make


@pytest.fixture
def make_activity(area):
    def make(school, **fields) -> Activity:
        fields.setdefault("area", area)
        fields.setdefault("title", "Nói chuyện chuyên đề phòng chống bắt nạt")
        return Activity.objects.create(school=school, **fields)

    return make


def entry_data(area, **changes) -> dict:
    """A whole new entry as the phone form posts it."""
    data = {
        "held_on": timezone.localdate().isoformat(),
        "form": "individual",
        "area": str(area.pk),
        "names": "",
        "participants": "1",
        "grade": "auto",
        "gender": "unknown",
        "duration_minutes": "20",
        "outcome": "resolved",
        "notes": "",
    }
    data.update(changes)
    return data
