"""A session recorded on the phone form: the happy path, every mistake sent back in
Vietnamese with what was typed kept, learners found by name, the grade and gender
taken from the list, the notes encrypted, and each screen audited."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from audit.models import AuditEntry
from counselling.models import CounsellingEntry, CountGender
from schools.roles import Role
from tests.conftest import build_staff
from tests.counselling.conftest import LIST, NEW, edit_url, entry_data, entry_url

NOTES = "Em lo lắng vì điểm kiểm tra toán giữa kỳ"


def test_a_session_is_saved_with_todays_date_by_default_and_audited(worker_client, worker, area):
    form = worker_client.get(NEW)
    assert form.status_code == 200
    assert f'value="{timezone.localdate().isoformat()}"' in form.content.decode()
    assert AuditEntry.objects.filter(target="counselling-entry-new").exists()

    response = worker_client.post(NEW, entry_data(area, notes=NOTES))
    assert response.status_code == 302
    assert response.url == LIST
    entry = CounsellingEntry.objects.get()
    assert entry.held_on == timezone.localdate()
    assert entry.counsellor == worker
    assert entry.notes == NOTES
    assert entry.grade is None
    assert AuditEntry.objects.filter(target=f"counselling-entry-new:{entry.pk}").exists()
    assert "Đã lưu lượt tư vấn vào sổ theo dõi." in worker_client.get(LIST).content.decode()


def test_save_and_record_another_comes_back_to_an_empty_form(worker_client, area):
    response = worker_client.post(NEW, {**entry_data(area), "another": "1"})
    assert response.url == NEW


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"held_on": (timezone.localdate() + datetime.timedelta(days=1)).isoformat()},
            "held_on",
            "Ngày tư vấn không thể ở tương lai.",
        ),
        ({"held_on": ""}, "held_on", "Hãy nhập ngày tư vấn."),
        ({"held_on": "31/02/2026"}, "held_on", "Hãy nhập ngày theo dạng ngày/tháng/năm."),
        ({"area": ""}, "area", "Hãy chọn nội dung tư vấn."),
        (
            {"form": "group", "participants": "1"},
            "participants",
            "Tư vấn nhóm hoặc cả lớp có ít nhất 2 người tham gia",
        ),
        ({"participants": "0"}, "participants", "Hãy nhập số người tham gia (ít nhất 1)."),
        ({"duration_minutes": "900"}, "duration_minutes", "từ 1 đến 600"),
        (
            {"names": "Người Không Có Thật"},
            "names",
            "Không có học sinh nào của trường tên là “Người Không Có Thật”",
        ),
        (
            {"outcome": "case"},
            "case_choice",
            "Hãy chọn hồ sơ vụ việc để liên kết lượt tư vấn này, hoặc mở hồ sơ mới.",
        ),
    ],
)
def test_a_mistake_is_said_in_vietnamese_and_everything_typed_is_kept(
    worker_client, area, changes, field, message
):
    data = {**entry_data(area, notes=NOTES, duration_minutes="35"), **changes}
    response = worker_client.post(NEW, data)
    assert response.status_code == 200
    assert not CounsellingEntry.objects.exists()
    form = response.context["form"]
    assert field in form.errors
    body = response.content.decode()
    assert message in body
    assert NOTES in body
    for name in ("names", "participants", "duration_minutes"):
        if data[name]:
            assert f"{data[name]}" in body


def test_two_learners_named_need_two_participants(worker_client, school, area, learner_of):
    learner_of(school, "Lê Thị Hoa", "7A")
    learner_of(school, "Trần Văn Bình", "8B")
    response = worker_client.post(
        NEW, entry_data(area, form="group", names="Lê Thị Hoa\nTrần Văn Bình", participants="1")
    )
    assert "Đã nêu tên 2 học sinh" in response.content.decode()


def test_a_learner_is_found_without_diacritics_and_gives_grade_and_gender(
    worker_client, school, area, learner_of
):
    hoa = learner_of(school, "Lê Thị Hoa", "7A", gender="female")
    response = worker_client.post(NEW, entry_data(area, names="le thi hoa"))
    assert response.status_code == 302
    entry = CounsellingEntry.objects.get()
    assert list(entry.learners.all()) == [hoa]
    assert entry.grade == 7
    assert entry.gender == CountGender.FEMALE


def test_the_grade_can_be_set_by_hand_or_left_for_several(worker_client, school, area, learner_of):
    learner_of(school, "Lê Thị Hoa", "7A")
    worker_client.post(NEW, entry_data(area, names="Lê Thị Hoa", grade="9"))
    worker_client.post(NEW, entry_data(area, names="Lê Thị Hoa", grade=""))
    assert [e.grade for e in CounsellingEntry.objects.order_by("pk")] == [9, None]


def test_learners_of_two_grades_count_as_several_and_a_mixed_group(
    worker_client, school, area, learner_of
):
    learner_of(school, "Lê Thị Hoa", "7A", gender="female")
    learner_of(school, "Trần Văn Bình", "8B", gender="male")
    worker_client.post(
        NEW,
        entry_data(area, form="group", names="Lê Thị Hoa\nTrần Văn Bình", participants="3"),
    )
    entry = CounsellingEntry.objects.get()
    assert entry.grade is None
    assert entry.gender == CountGender.MIXED
    assert entry.learners.count() == 2


def test_namesakes_are_told_apart_by_class(worker_client, school, area, learner_of):
    in_7a = learner_of(school, "Nguyễn Văn An", "7A")
    in_9c = learner_of(school, "Nguyễn Văn An", "9C")
    first = worker_client.post(NEW, entry_data(area, names="Nguyen Van An", notes=NOTES))
    assert first.status_code == 200
    body = first.content.decode()
    assert "Có nhiều học sinh tên “Nguyen Van An”" in body
    assert "lớp 7A" in body
    assert "lớp 9C" in body
    assert NOTES in body
    assert not CounsellingEntry.objects.exists()

    second = worker_client.post(
        NEW, entry_data(area, names="Nguyen Van An", notes=NOTES, picks=[str(in_9c.pk)])
    )
    assert second.status_code == 302
    entry = CounsellingEntry.objects.get()
    assert list(entry.learners.all()) == [in_9c]
    assert entry.grade == 9
    assert in_7a not in entry.learners.all()


def test_another_schools_learner_is_never_found(worker_client, other_school, area, learner_of):
    learner_of(other_school, "Lê Thị Hoa", "7A")
    response = worker_client.post(NEW, entry_data(area, names="Lê Thị Hoa"))
    assert "names" in response.context["form"].errors


def test_check_the_names_shows_who_was_found_and_saves_nothing(
    worker_client, school, area, learner_of
):
    learner_of(school, "Lê Thị Hoa", "7A")
    response = worker_client.post(NEW, {**entry_data(area, names="le thi hoa"), "check": "1"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Học sinh tìm thấy trong danh sách của trường:" in body
    assert "Lê Thị Hoa · 7A" in body
    assert not CounsellingEntry.objects.exists()


def test_the_notes_are_stored_encrypted(worker_client, area):
    worker_client.post(NEW, entry_data(area, notes=NOTES))
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM counselling_counsellingentry")
        (raw,) = cursor.fetchone()
    assert raw
    assert "điểm kiểm tra" not in str(raw)
    assert CounsellingEntry.objects.get().notes == NOTES


def test_a_user_of_two_schools_chooses_the_school(client_as, school, other_school, area):
    both = build_staff("both", Role.CASE_WORKER, school, other_school)
    client = client_as(both)
    missing = client.post(NEW, entry_data(area))
    assert "school" in missing.context["form"].errors
    assert client.post(NEW, entry_data(area, school=str(other_school.pk))).status_code == 302
    assert CounsellingEntry.objects.get().school == other_school


def test_the_entry_page_shows_the_notes_and_learners_and_is_audited(
    worker_client, school, make_entry, learner_of
):
    hoa = learner_of(school, "Lê Thị Hoa", "7A")
    entry = make_entry(school, notes=NOTES, learners=[hoa], grade=7)
    response = worker_client.get(entry_url(entry))
    assert response.status_code == 200
    body = response.content.decode()
    assert NOTES in body
    assert "Lê Thị Hoa" in body
    assert AuditEntry.objects.filter(target=f"counselling-entry:{entry.pk}").exists()


def test_an_entry_is_changed_and_the_change_audited(
    worker_client, school, area, make_entry, learner_of
):
    hoa = learner_of(school, "Lê Thị Hoa", "7A")
    entry = make_entry(school, notes=NOTES, learners=[hoa], grade=7)
    form = worker_client.get(edit_url(entry))
    assert "Lê Thị Hoa" in form.content.decode()
    assert AuditEntry.objects.filter(target=f"counselling-entry-edit:{entry.pk}").exists()
    response = worker_client.post(
        edit_url(entry),
        entry_data(area, names="Lê Thị Hoa", grade="7", outcome="follow_up", notes="Hẹn tuần sau"),
    )
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.outcome == "follow_up"
    assert entry.notes == "Hẹn tuần sau"
    assert AuditEntry.objects.filter(
        target=f"counselling-entry-edit:{entry.pk}", action="change"
    ).exists()


def test_the_list_shows_counts_never_names_or_notes(worker_client, school, make_entry, learner_of):
    hoa = learner_of(school, "Lê Thị Hoa", "7A")
    make_entry(school, notes=NOTES, learners=[hoa], grade=7, participants=1)
    make_entry(school, form="group", participants=6, outcome="follow_up")
    response = worker_client.get(LIST)
    body = response.content.decode()
    assert response.context["count"] == 2
    assert "2 lượt tư vấn" in body
    assert "Lê Thị Hoa" not in body
    assert NOTES not in body
    assert "Cần theo dõi tiếp" in body
    assert "Hình thức tư vấn" in body
    assert AuditEntry.objects.filter(target="counselling-log", school_id_value=school.pk).exists()


def test_the_list_filters_by_month_form_area_and_outcome(worker_client, school, area, make_entry):
    from counselling.models import CounsellingArea

    other_area = CounsellingArea.objects.exclude(pk=area.pk).first()
    make_entry(school, held_on=datetime.date(2026, 9, 10), form="group", participants=4)
    make_entry(school, held_on=datetime.date(2026, 10, 2), outcome="follow_up")
    make_entry(school, held_on=datetime.date(2026, 10, 3), area=other_area)
    assert worker_client.get(LIST, {"month": "2026-10"}).context["count"] == 2
    assert worker_client.get(LIST, {"form": "group"}).context["count"] == 1
    assert worker_client.get(LIST, {"area": other_area.pk}).context["count"] == 1
    assert worker_client.get(LIST, {"outcome": "follow_up"}).context["count"] == 1
    # A hand-edited address never errors.
    assert worker_client.get(LIST, {"month": "tháng 10"}).status_code == 200


@pytest.mark.parametrize("count", [5, 50])
def test_the_list_costs_the_same_queries_for_5_or_50_entries(
    worker_client, school, make_entry, django_assert_max_num_queries, count
):
    for index in range(count):
        make_entry(school, held_on=timezone.localdate() - datetime.timedelta(days=index % 30))
    worker_client.get(LIST)  # warm the session and the menu's caches
    with django_assert_max_num_queries(QUERY_BUDGET):
        response = worker_client.get(LIST)
    assert len(response.context["rows"]) == min(count, 50)


# Sign-in, session, menu and audit queries included; the same for any number of entries.
QUERY_BUDGET = 30


def test_an_entry_keeps_a_content_area_no_longer_offered(worker_client, school, area, make_entry):
    entry = make_entry(school, area=area)
    area.active = False
    area.save()
    offered = worker_client.get(NEW).context["form"].fields["area"].choices
    assert str(area.pk) not in {str(value) for value, _label in offered}
    response = worker_client.post(edit_url(entry), entry_data(area, notes="Tiếp tục"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.area == area
    assert entry.notes == "Tiếp tục"
