"""A call, visit or suggestion-box note logged by hand lands in the queue."""

import datetime

from django.utils import timezone

from audit.models import Action, AuditEntry
from concerns.models import Channel, Concern
from learners.models import Learner
from tests.concerns.triage.conftest import LEARNER_NAME, OTHER_LEARNER_NAME

LOG = "/admin/tiep-nhan-thong-tin/ghi-nhan/"


def posted(when: datetime.datetime, **data) -> dict:
    local = timezone.localtime(when)
    return {
        "channel": Channel.PHONE,
        "caller": "Tổng đài 111",
        "received_date": f"{local:%Y-%m-%d}",
        "received_time": f"{local:%H:%M}",
        "what_happened": "Tổng đài 111 báo một em lớp 6 bị bạn đánh.",
        **data,
    }


def test_a_call_logged_earlier_today_is_in_the_queue_with_its_caller_and_learners(
    school, worker, worker_client
):
    listed = Learner.objects.create(school=school, full_name=LEARNER_NAME, class_name="6A")
    earlier = timezone.now() - datetime.timedelta(hours=2)
    learners = f"{LEARNER_NAME.lower()}, 6A\n{OTHER_LEARNER_NAME}, 7B"
    response = worker_client.post(
        LOG, posted(earlier, school=school.pk, urgent="on", learners=learners)
    )
    assert response.status_code == 302
    concern = Concern.objects.get()
    assert response.url == f"/admin/tiep-nhan-thong-tin/{concern.pk}/"
    assert concern.channel == Channel.PHONE
    assert concern.caller == "Tổng đài 111"
    assert concern.reporter == worker
    assert concern.urgent
    assert concern.received_at == earlier.replace(second=0, microsecond=0)
    first, second = concern.learners.all()
    assert first.learner == listed
    assert second.learner is None
    assert second.typed_name == OTHER_LEARNER_NAME
    assert second.typed_class == "7B"
    assert AuditEntry.objects.get(target=f"concern:{concern.pk}").action == Action.CREATE
    queue = worker_client.get("/admin/tiep-nhan-thong-tin/")
    assert [row.pk for row in queue.context["page"].object_list] == [concern.pk]


def test_the_form_opens_at_now(worker_client):
    form = worker_client.get(LOG).context["form"]
    assert form.initial["received_date"] == timezone.localdate()


def test_a_time_in_the_future_is_refused_and_nothing_typed_is_lost(school, worker_client):
    later = timezone.now() + datetime.timedelta(days=1)
    response = worker_client.post(LOG, posted(later, school=school.pk))
    assert response.status_code == 400
    assert "received_date" in response.context["form"].errors
    assert "Tổng đài 111 báo một em lớp 6" in response.content.decode()
    assert not Concern.objects.exists()


def test_another_schools_id_is_refused(school, other_school, worker_client):
    response = worker_client.post(LOG, posted(timezone.now(), school=other_school.pk))
    assert response.status_code == 400
    assert not Concern.objects.exists()
