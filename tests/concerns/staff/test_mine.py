""" "Thông tin tôi đã gửi": one's own concerns, their status, and follow-up notes."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry
from concerns.models import Channel, Concern, ConcernMessage, Status
from schools.roles import Role

pytestmark = pytest.mark.django_db

MINE = "/admin/thong-tin-lo-ngai/"


def raised(school, user, text="Em khóc trong giờ ra chơi.", **fields) -> Concern:
    return Concern.objects.create(
        school=school, channel=Channel.STAFF, reporter=user, what_happened=text, **fields
    )


def test_my_concerns_lists_only_mine_with_status_and_no_case(
    teacher_client, teacher, school, make_staff
):
    assert reverse("concerns:mine") == MINE
    colleague = make_staff("giaovien2", Role.STAFF, school)
    mine = raised(school, teacher, status=Status.HANDLING)
    theirs = raised(school, colleague, text="Chuyện của đồng nghiệp")
    response = teacher_client.get(MINE)
    assert response.status_code == 200
    html = response.content.decode()
    assert reverse("concerns:detail", args=[mine.pk]) in html
    assert reverse("concerns:detail", args=[theirs.pk]) not in html
    assert str(Status.HANDLING.label) in html or "Đang xử lý" in html
    assert "no-store" in response["Cache-Control"]
    entry = AuditEntry.objects.get(target="my-concerns")
    assert entry.detail == "items: 1"


def test_my_concern_shows_what_i_wrote_and_status_but_no_team_notes(
    teacher_client, teacher, school
):
    concern = raised(school, teacher, status=Status.CLOSED)
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.TEAM, text="Ghi chú nội bộ của tổ"
    )
    response = teacher_client.get(reverse("concerns:detail", args=[concern.pk]))
    html = response.content.decode()
    assert "Em khóc trong giờ ra chơi." in html
    assert "Ghi chú nội bộ của tổ" not in html
    assert AuditEntry.objects.filter(target=f"concern:{concern.pk}", action="view").exists()


def test_a_follow_up_note_is_added_to_my_own_concern(teacher_client, teacher, school):
    concern = raised(school, teacher)
    url = reverse("concerns:detail", args=[concern.pk])
    response = teacher_client.post(url, {"text": "Hôm nay em vẫn nghỉ học."})
    assert response.status_code == 302
    note = ConcernMessage.objects.get()
    assert note.author_kind == ConcernMessage.Author.REPORTER
    assert note.author == teacher
    concern.refresh_from_db()
    assert concern.last_sender_message_at == note.created_at
    assert "Hôm nay em vẫn nghỉ học." in teacher_client.get(url).content.decode()
    assert AuditEntry.objects.filter(
        target=f"concern:{concern.pk}", action="change", detail="follow-up note"
    ).exists()


def test_an_empty_note_is_explained(teacher_client, teacher, school):
    concern = raised(school, teacher)
    response = teacher_client.post(reverse("concerns:detail", args=[concern.pk]), {"text": ""})
    assert response.status_code == 200
    assert "error-summary" in response.content.decode()
    assert not ConcernMessage.objects.exists()


def test_someone_elses_concern_is_a_404_to_read_and_to_write(teacher_client, school, make_staff):
    colleague = make_staff("ctxh", Role.CASE_WORKER, school)
    theirs = raised(school, colleague)
    url = reverse("concerns:detail", args=[theirs.pk])
    assert teacher_client.get(url).status_code == 404
    assert teacher_client.post(url, {"text": "x"}).status_code == 404
    assert teacher_client.get(reverse("concerns:sent", args=[theirs.pk])).status_code == 404
    assert not ConcernMessage.objects.exists()
    assert not AuditEntry.objects.filter(target=f"concern:{theirs.pk}").exists()


def test_a_help_request_is_never_a_staff_members_own(teacher_client, teacher, school):
    online = Concern.objects.create(
        school=school, channel=Channel.ONLINE, reporter=teacher, what_happened="x"
    )
    assert teacher_client.get(reverse("concerns:detail", args=[online.pk])).status_code == 404


def test_the_district_officer_has_no_concerns_screen(client, make_staff, school):
    officer = make_staff("pgd", Role.DISTRICT_OFFICER, school)
    client.force_login(officer)
    assert client.get(MINE).status_code == 404
    assert client.get(reverse("concerns:raise")).status_code == 404
