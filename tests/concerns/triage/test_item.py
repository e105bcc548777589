"""The item page: what it shows, that reading it is audited, and its files."""

from audit.models import Action, AuditEntry
from case_files import storage as file_storage
from concerns.models import Channel, ConcernAttachment
from tests.concerns.triage.conftest import (
    LEARNER_NAME,
    WHAT_HAPPENED,
    make_concern,
    sender_message,
    signed_in,
)


def item_url(concern) -> str:
    return f"/admin/tiep-nhan-thong-tin/{concern.pk}/"


def test_the_item_shows_the_concern_its_learners_and_thread_and_is_audited(
    staff_concern, worker, worker_client
):
    sender_message(staff_concern, "Hôm nay em Hoa lại nghỉ học.")
    response = worker_client.get(item_url(staff_concern))
    assert response.status_code == 200
    body = response.content.decode()
    for text in (WHAT_HAPPENED, LEARNER_NAME, "Sân trường", "Đã hỏi chuyện em.", "lại nghỉ học"):
        assert text in body
    entry = AuditEntry.objects.get(target=f"concern:{staff_concern.pk}")
    assert entry.action == Action.VIEW
    assert entry.actor_id == worker.pk
    assert LEARNER_NAME not in entry.detail


def test_another_schools_case_worker_gets_404(staff_concern, worker_b):
    assert signed_in(worker_b).get(item_url(staff_concern)).status_code == 404
    assert not AuditEntry.objects.filter(target=f"concern:{staff_concern.pk}").exists()


def test_a_file_sent_with_it_downloads_for_the_team_only_and_is_audited(
    school, worker_client, worker_b
):
    concern = make_concern(school, channel=Channel.ONLINE)
    data = b"%PDF-1.4 fictitious"
    sent = ConcernAttachment.objects.create(
        concern=concern,
        content_type="application/pdf",
        extension="pdf",
        size=len(data),
        sha256="0" * 64,
        blob=file_storage.write_blob(data),
    )
    url = f"{item_url(concern)}tep/{sent.pk}/"
    assert url in worker_client.get(item_url(concern)).content.decode()
    response = worker_client.get(url)
    assert response.status_code == 200
    assert response.content == data
    assert response["Content-Disposition"].startswith("attachment")
    assert AuditEntry.objects.filter(
        target=f"concern-file:{sent.pk}", action=Action.DOWNLOAD
    ).exists()
    assert signed_in(worker_b).get(url).status_code == 404
