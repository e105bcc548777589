"""Each decision on an item: what it changes, its audit entry, and when it is refused."""

import pytest

from audit.models import Action, AuditEntry
from concerns.models import Channel, CloseReason, ConcernLearner, ConcernMessage, Status
from forms_app.cases.opening import open_case
from forms_app.models import CaseEvent, CaseState
from tests.concerns.triage.conftest import (
    LEARNER_NAME,
    OTHER_LEARNER_NAME,
    make_concern,
    signed_in,
)


def url(concern, action: str = "") -> str:
    return f"/admin/tiep-nhan-thong-tin/{concern.pk}/{action}"


def audited(concern, kind: str) -> AuditEntry:
    return AuditEntry.objects.get(target=f"{kind}:{concern.pk}", action=Action.CHANGE)


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


# Attach -------------------------------------------------------------------------------


def test_attach_offers_the_same_learners_open_cases_and_links_them(
    school, worker, worker_client, staff_concern
):
    same = open_case(school, worker, learner_name=LEARNER_NAME.upper())
    other = open_case(school, worker, learner_name=OTHER_LEARNER_NAME)
    closed = open_case(school, worker, learner_name=LEARNER_NAME)
    closed.state = CaseState.CLOSED
    closed.save()
    form = worker_client.get(url(staff_concern)).context["attach_form"]
    assert list(form.fields["case"].queryset) == [same]
    named = staff_concern.learners.get()
    response = worker_client.post(
        url(staff_concern, "gan-ho-so/"), {"case": other.pk, "learner": named.pk}
    )
    assert response.status_code == 400  # not one of the offered cases
    response = worker_client.post(
        url(staff_concern, "gan-ho-so/"), {"case": same.pk, "learner": named.pk}
    )
    assert response.status_code == 302
    staff_concern.refresh_from_db()
    named.refresh_from_db()
    assert staff_concern.case == same
    assert staff_concern.status == Status.HANDLING
    assert named.case == same
    note = CaseEvent.objects.get(case=same, kind=CaseEvent.Kind.NOTE)
    assert f"Thông tin lo ngại số {staff_concern.pk}," in note.note
    entry = audited(staff_concern, "concern-attach")
    assert entry.case_id_value == same.pk


def test_another_schools_case_is_never_offered(
    school, other_school, worker, worker_b, worker_client, staff_concern
):
    theirs = open_case(other_school, worker_b, learner_name=LEARNER_NAME)
    response = worker_client.post(url(staff_concern, "gan-ho-so/"), {"case": theirs.pk})
    assert response.status_code == 400
    staff_concern.refresh_from_db()
    assert staff_concern.case is None


# Reply --------------------------------------------------------------------------------


def test_a_reply_to_a_help_request_is_a_team_message_the_sender_can_read(
    school, worker, worker_client
):
    concern = make_concern(school, channel=Channel.ONLINE)
    response = worker_client.post(url(concern, "tra-loi/"), {"text": "Cô đã đọc thư của em."})
    assert response.status_code == 302
    message = ConcernMessage.objects.get(concern=concern)
    assert message.author_kind == ConcernMessage.Author.TEAM
    assert message.author == worker
    concern.refresh_from_db()
    assert concern.status == Status.HANDLING
    assert audited(concern, "concern-reply")


def test_an_empty_reply_is_shown_again_with_a_message(school, worker_client):
    concern = make_concern(school, channel=Channel.ONLINE)
    response = worker_client.post(url(concern, "tra-loi/"), {"text": ""})
    assert response.status_code == 400
    assert response.context["reply_form"].errors
    assert not ConcernMessage.objects.exists()


def test_a_staff_concern_cannot_be_replied_to(staff_concern, worker_client):
    response = worker_client.post(url(staff_concern, "tra-loi/"), {"text": "Xin chào"})
    assert response.status_code == 302
    assert messages_of(response)
    assert not ConcernMessage.objects.exists()
    assert not AuditEntry.objects.filter(target=f"concern-reply:{staff_concern.pk}").exists()


# Close and re-open --------------------------------------------------------------------


def test_close_with_a_reason_then_reopen(staff_concern, worker_client):
    response = worker_client.post(
        url(staff_concern, "dong/"), {"reason": CloseReason.DUPLICATE, "note": "Trùng #3"}
    )
    assert response.status_code == 302
    staff_concern.refresh_from_db()
    assert staff_concern.status == Status.CLOSED
    assert staff_concern.close_reason == CloseReason.DUPLICATE
    assert staff_concern.close_note == "Trùng #3"
    assert audited(staff_concern, "concern-close")

    again = worker_client.post(url(staff_concern, "dong/"), {"reason": CloseReason.NO_ACTION})
    assert messages_of(again)  # already closed: refused with a reason
    staff_concern.refresh_from_db()
    assert staff_concern.close_reason == CloseReason.DUPLICATE

    worker_client.post(url(staff_concern, "mo-lai/"))
    staff_concern.refresh_from_db()
    assert staff_concern.status == Status.RECEIVED
    assert staff_concern.close_reason == ""
    assert audited(staff_concern, "concern-reopen")


def test_close_without_a_reason_is_refused_with_the_form_again(staff_concern, worker_client):
    response = worker_client.post(url(staff_concern, "dong/"), {"note": "giữ lại ghi chú"})
    assert response.status_code == 400
    assert "giữ lại ghi chú" in response.content.decode()
    staff_concern.refresh_from_db()
    assert staff_concern.status == Status.RECEIVED


def test_a_closed_concern_refuses_opening_a_case(staff_concern, worker_client):
    staff_concern.status = Status.CLOSED
    staff_concern.save()
    response = worker_client.post(url(staff_concern, "mo-ho-so/"))
    assert response.status_code == 302
    assert response.url == url(staff_concern)
    assert messages_of(response)


# Set aside ----------------------------------------------------------------------------


def test_release_from_set_aside_puts_it_in_the_queue(school, worker_client):
    concern = make_concern(school, channel=Channel.ONLINE, held_as_possible_spam=True)
    refused = worker_client.post(url(concern, "tra-loi/"), {"text": "Chào em"})
    assert messages_of(refused)
    worker_client.post(url(concern, "khong-phai-thu-rac/"))
    concern.refresh_from_db()
    assert not concern.held_as_possible_spam
    assert audited(concern, "concern-release")
    queue = worker_client.get("/admin/tiep-nhan-thong-tin/")
    assert [row.pk for row in queue.context["page"].object_list] == [concern.pk]


def test_keeping_it_set_aside_closes_it_and_it_stays_in_its_tab(school, worker_client):
    concern = make_concern(school, channel=Channel.ONLINE, held_as_possible_spam=True)
    worker_client.post(url(concern, "giu-lai/"))
    concern.refresh_from_db()
    assert concern.held_as_possible_spam
    assert concern.status == Status.CLOSED
    assert audited(concern, "concern-keep-aside")
    tab = worker_client.get("/admin/tiep-nhan-thong-tin/", {"aside": "on", "status": "all"})
    assert [row.pk for row in tab.context["page"].object_list] == [concern.pk]


@pytest.mark.parametrize("action", ["mo-ho-so/", "gan-ho-so/", "dong/", "mo-lai/", "tra-loi/"])
def test_decisions_are_posts_only(staff_concern, worker_client, action):
    assert worker_client.get(url(staff_concern, action)).status_code == 405


def test_the_trail_on_the_item_lists_the_decisions(staff_concern, worker_client):
    worker_client.post(url(staff_concern, "dong/"), {"reason": CloseReason.NOT_SCHOOL_MATTER})
    response = worker_client.get(url(staff_concern))
    assert len(response.context["trail"]) == 1


def test_case_workers_of_another_school_cannot_decide(staff_concern, worker_b):
    client = signed_in(worker_b)
    assert client.post(url(staff_concern, "dong/"), {"reason": "no_action"}).status_code == 404
    assert ConcernLearner.objects.filter(concern=staff_concern, case__isnull=False).count() == 0
