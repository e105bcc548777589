"""The triage queue's set-up: a school (AL) and another (BK), their case roles and
the roles that receive nothing, and concerns built through each channel."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from concerns.models import Channel, Concern, ConcernLearner, ConcernMessage, Status
from schools.roles import Role
from tests.conftest import build_staff

# Fictitious names; tests/log_scan.py fails the run if one reaches a log.
LEARNER_NAME = "Phạm Thị Hoa"
OTHER_LEARNER_NAME = "Trần Văn Bình"
WHAT_HAPPENED = "Em Hoa khóc trong giờ ra chơi, trên tay có vết bầm."


@pytest.fixture
def worker(school):
    return build_staff("worker", Role.CASE_WORKER, school)


@pytest.fixture
def principal(school):
    return build_staff("principal", Role.PRINCIPAL, school)


@pytest.fixture
def worker_b(other_school):
    return build_staff("worker_b", Role.CASE_WORKER, other_school)


@pytest.fixture
def teacher(school):
    return build_staff("teacher", Role.STAFF, school)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def worker_client(worker) -> Client:
    return signed_in(worker)


def make_concern(school, *, channel=Channel.STAFF, minutes_ago=60, **fields) -> Concern:
    fields.setdefault("what_happened", WHAT_HAPPENED)
    fields.setdefault("received_at", timezone.now() - datetime.timedelta(minutes=minutes_ago))
    return Concern.objects.create(school=school, channel=channel, **fields)


def name_learner(concern: Concern, name: str = LEARNER_NAME, class_name: str = "6A", **fields):
    return ConcernLearner.objects.create(
        concern=concern, typed_name=name, typed_class=class_name, **fields
    )


def sender_message(concern: Concern, text: str = "Em vẫn sợ.", at=None) -> ConcernMessage:
    at = at or timezone.now()
    message = ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.REPORTER, text=text, created_at=at
    )
    Concern.objects.filter(pk=concern.pk).update(last_sender_message_at=at)
    return message


@pytest.fixture
def staff_concern(school, teacher) -> Concern:
    concern = make_concern(
        school,
        reporter=teacher,
        when_where="Sân trường, giờ ra chơi sáng thứ Hai",
        action_taken="Đã hỏi chuyện em.",
    )
    name_learner(concern)
    return concern


__all__ = ["Status"]
