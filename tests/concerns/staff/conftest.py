"""A school with a teacher, a case worker, a few learners (two share a name), and a
second school, for the staff concern screens."""

import pytest
from django.test import Client

from learners.models import Learner
from schools.roles import Role
from tests.conftest import build_school, build_staff

TWIN_NAME = "Nguyễn Văn An"
ONE_NAME = "Trần Thị Bình"


@pytest.fixture
def school(db):
    return build_school("GV", "Trường THCS Giáo Viên")


@pytest.fixture
def other_school(db):
    return build_school("KH", "Trường THCS Khác")


@pytest.fixture
def teacher(school):
    return build_staff("giaovien", Role.STAFF, school)


@pytest.fixture
def learners(school, other_school):
    return {
        "an_7a": Learner.objects.create(school=school, full_name=TWIN_NAME, class_name="7A"),
        "an_8b": Learner.objects.create(school=school, full_name=TWIN_NAME, class_name="8B"),
        "binh": Learner.objects.create(school=school, full_name=ONE_NAME, class_name="6C"),
        "binh_elsewhere": Learner.objects.create(
            school=other_school, full_name=ONE_NAME, class_name="6C"
        ),
    }


@pytest.fixture
def teacher_client(teacher) -> Client:
    client = Client()
    client.force_login(teacher)
    return client


def concern_post(**changes) -> dict:
    """The raise form as a browser posts it, one learner row."""
    data = {
        "learners-TOTAL_FORMS": "1",
        "learners-INITIAL_FORMS": "0",
        "learners-MIN_NUM_FORMS": "1",
        "learners-MAX_NUM_FORMS": "10",
        "learners-0-name": ONE_NAME,
        "learners-0-class_name": "",
        "learners-0-role": "harmed",
        "learners-0-learner": "",
        "what_happened": "Em bị các bạn lớp khác chặn đường đòi tiền.",
        "when_where": "Sáng thứ Hai, cổng sau",
        "action_taken": "Đã hỏi chuyện em",
    }
    data.update(changes)
    return data
