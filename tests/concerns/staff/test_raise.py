"""Raising a concern: the form, matching the typed names, the file, the urgent answer."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from audit.models import AuditEntry
from concerns.models import Channel, Concern, ConcernAttachment, LearnerRole, Status
from schools.models import Membership
from schools.roles import Role
from tests.case_files import samples
from tests.concerns.staff.conftest import ONE_NAME, TWIN_NAME, concern_post

pytestmark = pytest.mark.django_db

RAISE = "/admin/thong-tin-lo-ngai/moi/"


def test_the_form_lives_at_its_vietnamese_address(teacher_client):
    assert reverse("concerns:raise") == RAISE
    response = teacher_client.get(RAISE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Ghi nhận thông tin lo ngại" in html or "Raise a concern" in html
    assert 'type="hidden" name="school"' in html  # one school: nothing to choose
    assert "no-store" in response["Cache-Control"]


def test_a_teacher_raises_a_concern_naming_a_known_learner(teacher_client, school, learners):
    response = teacher_client.post(RAISE, concern_post(school=school.pk, urgent="on"))
    concern = Concern.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("concerns:sent", args=[concern.pk])
    assert concern.channel == Channel.STAFF
    assert concern.school == school
    assert concern.reporter.username == "giaovien"
    assert concern.urgent is True
    assert concern.status == Status.RECEIVED
    named = concern.learners.get()
    # The learner of this school, not the namesake of the other school.
    assert named.learner == learners["binh"]
    assert named.role == LearnerRole.HARMED
    entry = AuditEntry.objects.get(target=f"concern:{concern.pk}", action="create")
    assert entry.school_id_value == school.pk
    assert ONE_NAME not in entry.detail


def test_an_unknown_name_is_kept_as_typed(teacher_client, school, learners):
    data = concern_post(school=school.pk)
    data["learners-0-name"] = "một em trai lớp 7"
    data["learners-0-class_name"] = "7?"
    teacher_client.post(RAISE, data)
    named = Concern.objects.get().learners.get()
    assert named.learner is None
    assert (named.typed_name, named.typed_class) == ("một em trai lớp 7", "7?")


def test_a_shared_name_asks_which_one_by_class_keeping_what_was_typed(
    teacher_client, school, learners
):
    data = concern_post(school=school.pk)
    data["learners-0-name"] = TWIN_NAME
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    html = response.content.decode()
    assert "Em bị các bạn lớp khác chặn đường đòi tiền." in html
    assert f'value="{TWIN_NAME}"' in html
    assert f'value="{learners["an_7a"].pk}"' in html
    assert f'value="{learners["an_8b"].pk}"' in html

    data["learners-0-learner"] = str(learners["an_8b"].pk)
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 302
    assert Concern.objects.get().learners.get().learner == learners["an_8b"]


def test_the_typed_class_decides_between_namesakes(teacher_client, school, learners):
    data = concern_post(school=school.pk)
    data["learners-0-name"] = "nguyen van an"  # without diacritics, as typed on a phone
    data["learners-0-class_name"] = "7a"
    assert teacher_client.post(RAISE, data).status_code == 302
    assert Concern.objects.get().learners.get().learner == learners["an_7a"]


def test_not_sure_keeps_the_typed_name(teacher_client, school, learners):
    data = concern_post(school=school.pk)
    data["learners-0-name"] = TWIN_NAME
    data["learners-0-learner"] = "none"
    assert teacher_client.post(RAISE, data).status_code == 302
    named = Concern.objects.get().learners.get()
    assert named.learner is None
    assert named.typed_name == TWIN_NAME


def test_a_learner_of_another_school_cannot_be_picked_by_id(teacher_client, school, learners):
    data = concern_post(school=school.pk)
    data["learners-0-name"] = TWIN_NAME
    data["learners-0-learner"] = str(learners["binh_elsewhere"].pk)
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 200
    assert not Concern.objects.exists()


def test_add_another_learner_keeps_everything_typed_and_saves_nothing(
    teacher_client, school, learners
):
    data = concern_post(school=school.pk, add_learner="1")
    data["learners-0-role"] = "witness"
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    html = response.content.decode()
    assert 'name="learners-TOTAL_FORMS" value="2"' in html
    assert 'name="learners-1-name"' in html
    assert f'value="{ONE_NAME}"' in html
    assert "Em bị các bạn lớp khác chặn đường đòi tiền." in html
    witness = re.search(r'<input[^>]*name="learners-0-role"[^>]*value="witness"[^>]*>', html)
    assert witness
    assert "checked" in witness.group(0)
    # No mistake is shown for the empty new row.
    assert "error-summary" not in html


def test_several_learners_each_in_their_role(teacher_client, school, learners):
    data = concern_post(school=school.pk)
    data.update(
        {
            "learners-TOTAL_FORMS": "3",
            "learners-1-name": TWIN_NAME,
            "learners-1-class_name": "8B",
            "learners-1-role": "caused_harm",
            "learners-2-name": "",
            "learners-2-role": "witness",
        }
    )
    assert teacher_client.post(RAISE, data).status_code == 302
    rows = list(Concern.objects.get().learners.order_by("pk"))
    assert [(r.learner, r.role) for r in rows] == [
        (learners["binh"], "harmed"),
        (learners["an_8b"], "caused_harm"),
    ]


def test_missing_text_and_learner_are_explained_and_nothing_is_lost(teacher_client, school):
    data = concern_post(school=school.pk, what_happened="", when_where="Giờ ra chơi")
    data["learners-0-name"] = ""
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    html = response.content.decode()
    assert "error-summary" in html
    assert 'value="Giờ ra chơi"' in html


def test_a_photo_is_stored_encrypted_with_the_concern(teacher_client, school, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    data = concern_post(school=school.pk)
    data["attachment"] = SimpleUploadedFile("anh-em-binh.jpg", samples.jpeg(), "image/jpeg")
    assert teacher_client.post(RAISE, data).status_code == 302
    attachment = ConcernAttachment.objects.get()
    assert attachment.concern == Concern.objects.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "anh-em-binh.jpg"
    stored = (tmp_path / attachment.blob).read_bytes()
    assert b"JFIF" not in stored
    assert b"\xff\xd8\xff" not in stored


def test_a_program_disguised_as_a_photo_is_refused_with_the_text_kept(
    teacher_client, school, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    data = concern_post(school=school.pk)
    data["attachment"] = SimpleUploadedFile("anh.png", b"MZ\x90\x00" + b"\x00" * 64, "image/png")
    response = teacher_client.post(RAISE, data)
    assert response.status_code == 200
    assert not Concern.objects.exists()
    assert not list(tmp_path.iterdir())
    assert "Em bị các bạn lớp khác chặn đường đòi tiền." in response.content.decode()


def test_a_teacher_of_two_schools_chooses_and_cannot_post_for_a_third(
    teacher, school, other_school, make_school, client
):
    Membership.objects.create(school=other_school, user=teacher, role=Role.STAFF)
    third = make_school("BA")
    client.force_login(teacher)
    html = client.get(RAISE).content.decode()
    assert '<select name="school"' in html
    assert third.name not in html
    assert client.post(RAISE, concern_post(school=third.pk)).status_code == 200
    assert not Concern.objects.exists()
    assert client.post(RAISE, concern_post(school=other_school.pk)).status_code == 302
    assert Concern.objects.get().school == other_school


def test_the_district_officer_and_strangers_get_404(make_staff, school, client):
    officer = make_staff("pgd", Role.DISTRICT_OFFICER, school)
    client.force_login(officer)
    assert client.get(RAISE).status_code == 404
    assert client.post(RAISE, concern_post(school=school.pk)).status_code == 404
    assert not Concern.objects.exists()


def test_every_other_staff_role_of_the_school_may_raise(make_staff, school, client):
    for role in (Role.EDITOR, Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR):
        user = make_staff(f"user-{role}", role, school)
        client.force_login(user)
        assert client.get(RAISE).status_code == 200, role


def test_the_confirmation_of_an_urgent_concern_shows_111_and_113(teacher_client, school):
    response = teacher_client.post(RAISE, concern_post(school=school.pk, urgent="on"), follow=True)
    html = response.content.decode()
    assert 'href="tel:111"' in html
    assert 'href="tel:113"' in html
    assert "Em bị các bạn lớp khác" not in html


def test_the_confirmation_of_a_calm_concern_shows_no_call(teacher_client, school):
    response = teacher_client.post(RAISE, concern_post(school=school.pk), follow=True)
    html = response.content.decode()
    assert "staff-concern__call" not in html
