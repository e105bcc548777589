"""The queue: whose concerns, in which order, narrowed how, at what cost."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from concerns.models import Channel, Status
from schools.roles import Role
from tests.concerns.triage.conftest import (
    WHAT_HAPPENED,
    make_concern,
    name_learner,
    sender_message,
    signed_in,
)
from tests.conftest import build_staff

QUEUE = "/admin/tiep-nhan-thong-tin/"


def listed(response) -> list[int]:
    return [concern.pk for concern in response.context["page"].object_list]


def test_the_queue_lives_at_its_agreed_address():
    assert reverse("triage:queue") == QUEUE


def test_a_case_worker_sees_every_channel_of_their_school_and_nothing_of_another(
    school, other_school, worker, worker_client
):
    mine = [make_concern(school, channel=channel) for channel in Channel.values]
    theirs = make_concern(other_school)
    response = worker_client.get(QUEUE)
    assert response.status_code == 200
    assert set(listed(response)) == {concern.pk for concern in mine}
    assert theirs.pk not in listed(response)


def test_the_principal_receives_the_queue_too(school, principal):
    concern = make_concern(school)
    response = signed_in(principal).get(QUEUE)
    assert listed(response) == [concern.pk]


@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.EDITOR, Role.ADMINISTRATOR, Role.DISTRICT_OFFICER]
)
def test_roles_without_a_case_role_get_404_on_the_queue_and_the_item(school, role):
    concern = make_concern(school)
    client = signed_in(build_staff("someone", role, school))
    assert client.get(QUEUE).status_code == 404
    assert client.get(f"{QUEUE}{concern.pk}/").status_code == 404
    assert client.get(f"{QUEUE}ghi-nhan/").status_code == 404
    assert client.post(f"{QUEUE}{concern.pk}/dong/", {"reason": "no_action"}).status_code == 404


def test_urgent_first_then_the_newest(school, worker_client):
    old = make_concern(school, minutes_ago=300)
    new = make_concern(school, minutes_ago=5)
    urgent_old = make_concern(school, minutes_ago=600, urgent=True)
    urgent_new = make_concern(school, minutes_ago=60, urgent=True)
    assert listed(worker_client.get(QUEUE)) == [urgent_new.pk, urgent_old.pk, new.pk, old.pk]


def test_the_queue_opens_on_open_items_and_filters_by_status_channel_and_urgency(
    school, worker_client
):
    received = make_concern(school, channel=Channel.PHONE)
    handling = make_concern(school, status=Status.HANDLING, urgent=True)
    closed = make_concern(school, status=Status.CLOSED)
    assert set(listed(worker_client.get(QUEUE))) == {received.pk, handling.pk}
    assert listed(worker_client.get(QUEUE, {"status": "closed"})) == [closed.pk]
    assert len(listed(worker_client.get(QUEUE, {"status": "all"}))) == 3
    assert listed(worker_client.get(QUEUE, {"channel": "phone"})) == [received.pk]
    assert listed(worker_client.get(QUEUE, {"urgent": "on"})) == [handling.pk]


def test_set_aside_items_have_their_own_tab_and_never_mix_into_the_queue(school, worker_client):
    real = make_concern(school, channel=Channel.ONLINE)
    spam = make_concern(school, channel=Channel.ONLINE, held_as_possible_spam=True)
    response = worker_client.get(QUEUE)
    assert listed(response) == [real.pk]
    assert response.context["aside_count"] == 1
    assert listed(worker_client.get(QUEUE, {"aside": "on"})) == [spam.pk]


def test_a_row_shows_the_learner_count_and_a_new_reply_but_never_the_text(school, worker_client):
    concern = make_concern(school, channel=Channel.ONLINE)
    name_learner(concern)
    name_learner(concern, "Lê Văn Cường")
    sender_message(concern)
    quiet = make_concern(school, channel=Channel.ONLINE)
    response = worker_client.get(QUEUE)
    rows = {row.pk: row for row in response.context["page"].object_list}
    assert rows[concern.pk].learner_count == 2
    assert rows[concern.pk].has_new_reply
    assert not rows[quiet.pk].has_new_reply
    body = response.content.decode()
    assert "Có tin nhắn mới" in body
    assert WHAT_HAPPENED not in body


def test_a_team_reply_after_the_senders_message_clears_new_reply(school, worker, worker_client):
    from concerns.decisions import reply

    concern = make_concern(school, channel=Channel.ONLINE)
    sender_message(concern)
    concern.refresh_from_db()
    reply(concern, worker, "Cô đã đọc, em yên tâm.")
    rows = worker_client.get(QUEUE).context["page"].object_list
    assert not rows[0].has_new_reply


def _queue_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries)


def test_a_page_costs_the_same_queries_with_10_items_or_60(school, worker_client):
    for number in range(10):
        name_learner(make_concern(school, minutes_ago=number + 1, urgent=number % 3 == 0))
    worker_client.get(QUEUE)  # warm the session and caches
    ten = _queue_queries(worker_client)
    for number in range(50):
        concern = make_concern(school, minutes_ago=number + 20, channel=Channel.ONLINE)
        name_learner(concern)
        sender_message(concern)
    sixty = _queue_queries(worker_client)
    assert ten == sixty


def test_the_queue_is_paginated(school, worker_client):
    for number in range(55):
        make_concern(school, minutes_ago=number + 1)
    first = worker_client.get(QUEUE)
    assert len(listed(first)) == 50
    assert len(listed(worker_client.get(QUEUE, {"p": 2}))) == 5


def test_the_menu_counts_new_items_for_case_roles_only(school, worker_client, teacher):
    make_concern(school)
    make_concern(school, status=Status.HANDLING)
    make_concern(school, held_as_possible_spam=True)
    body = worker_client.get("/admin/").content.decode()
    assert "(1 " in body
    assert QUEUE in body
    assert QUEUE not in signed_in(teacher).get("/admin/").content.decode()
