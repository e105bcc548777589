"""The log speaks as the reports do ("lượt tư vấn", never "buổi tư vấn"), and a gender
not known reads "Không rõ", on the form and on the session's page."""

from counselling.models import CounsellingEntry
from tests.counselling.conftest import LIST, NEW, edit_url, entry_data, entry_url


def test_the_log_counts_and_names_lượt_tư_vấn_never_buổi(worker_client, school, make_entry):
    entry = make_entry(school)
    for url in (LIST, NEW, entry_url(entry), edit_url(entry)):
        body = worker_client.get(url).content.decode()
        assert "buổi tư vấn" not in body.lower(), url
        assert "lượt tư vấn" in body.lower(), url
    body = worker_client.get(LIST).content.decode()
    assert "1 lượt tư vấn" in body
    assert "Ghi lượt tư vấn" in body
    assert "Các lượt tư vấn, mới nhất trước" in body
    assert "Sửa lượt tư vấn" in worker_client.get(entry_url(entry)).content.decode()
    assert "Lưu và ghi lượt khác" in worker_client.get(NEW).content.decode()


def test_an_empty_log_invites_the_first_lượt(worker_client):
    body = worker_client.get(LIST).content.decode()
    assert "0 lượt tư vấn" in body
    assert "Chưa có lượt tư vấn nào. Hãy ghi lại sau mỗi lượt tư vấn" in body


def test_saving_says_lượt_tư_vấn(worker_client, area):
    response = worker_client.post(NEW, entry_data(area), follow=True)
    assert "Đã lưu lượt tư vấn vào sổ theo dõi." in response.content.decode()


def test_a_group_of_one_is_sent_back_without_buổi(worker_client, area):
    response = worker_client.post(NEW, entry_data(area, form="group", participants="1"))
    body = response.content.decode()
    assert "Tư vấn nhóm hoặc cả lớp có ít nhất 2 người tham gia" in body
    assert "buổi" not in body.lower()


def test_a_gender_not_known_reads_không_rõ_on_the_form_and_the_page(
    worker_client, school, make_entry
):
    form = worker_client.get(NEW).content.decode()
    assert "Không rõ" in form
    assert "Không biết" not in form
    entry = make_entry(school, gender="unknown")
    page = worker_client.get(entry_url(entry)).content.decode()
    assert "<dd>Không rõ</dd>" in page
    assert "Không biết" not in page


def test_the_gender_not_known_is_still_saved_as_unknown(worker_client, area):
    worker_client.post(NEW, entry_data(area, gender="unknown"))
    assert CounsellingEntry.objects.get().gender == "unknown"
