"""The learners' screens: a school's list, found by class or exact name, and one learner
added, corrected, marked as having left the roll; each audited, each closed to others."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEntry
from learners.models import Learner
from schools.roles import Role
from tests.conftest import build_staff

LIST = reverse("learners:list")
ADD = reverse("learners:add")
IMPORT = reverse("learners:import")
PREVIEW = reverse("learners:import_preview")


def edit_url(learner) -> str:
    return reverse("learners:edit", args=[learner.pk])


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR])
def test_the_list_shows_name_class_and_date_of_birth_to_the_schools_case_roles_and_admin(
    client_as, staff_of, school, learner_of, role
):
    import datetime

    learner_of(school, "Nguyễn Thị Thử", "6A", birth_date=datetime.date(2014, 3, 5))
    response = client_as(staff_of(role)).get(LIST)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nguyễn Thị Thử" in html
    assert "05/03/2014" in html
    assert "6A" in html


@pytest.mark.parametrize("role", [Role.EDITOR, Role.STAFF, Role.DISTRICT_OFFICER])
def test_editors_teachers_and_district_officers_get_404_everywhere(
    client_as, staff_of, school, learner_of, role
):
    learner = learner_of(school, "Nguyễn Thị Thử")
    client = client_as(staff_of(role))
    for url in (LIST, ADD, edit_url(learner), IMPORT, PREVIEW):
        assert client.get(url).status_code == 404, url
    assert client.post(edit_url(learner), {"leave_roll": "1"}).status_code == 404
    learner.refresh_from_db()
    assert learner.on_roll


def test_another_schools_learner_is_a_404(client_as, worker, other_school, learner_of):
    theirs = learner_of(other_school, "Trần Văn Thử")
    client = client_as(worker)
    assert client.get(edit_url(theirs)).status_code == 404
    assert client.post(edit_url(theirs), {"delete": "1"}).status_code == 404
    assert Learner.objects.filter(pk=theirs.pk).exists()
    assert client.get(LIST, {"school": other_school.pk}).status_code == 404
    assert "Trần Văn Thử" not in client.get(LIST).content.decode()


def test_filter_by_class(client_as, worker, school, learner_of):
    learner_of(school, "Học sinh Sáu", "6A")
    learner_of(school, "Học sinh Bảy", "7B")
    html = client_as(worker).get(LIST, {"class_name": "7B"}).content.decode()
    assert "Học sinh Bảy" in html
    assert "Học sinh Sáu" not in html


def test_find_by_exact_name_in_any_case_with_or_without_diacritics(
    client_as, worker, school, learner_of
):
    learner_of(school, "Nguyễn Thị Thử")
    learner_of(school, "Nguyễn Thị Khác")
    client = client_as(worker)
    for typed in ("nguyen thi thu", "NGUYỄN THỊ THỬ", "  Nguyễn  Thị Thử "):
        html = client.get(LIST, {"name": typed}).content.decode()
        assert "Nguyễn Thị Thử" in html, typed
        assert "Nguyễn Thị Khác" not in html
    # Part of a name finds nothing: the name is encrypted, only a whole one matches.
    html = client.get(LIST, {"name": "Nguyễn"}).content.decode()
    assert "Nguyễn Thị Thử" not in html
    assert "No learner of the school has exactly this name" in html or "Không có học sinh" in html


def test_the_list_is_paginated_with_constant_queries(client_as, worker, school, learner_of):
    client = client_as(worker)
    for number in range(3):
        learner_of(school, f"Học sinh Số {number}", "6A")
    client.get(LIST)
    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for number in range(3, 60):
        learner_of(school, f"Học sinh Số {number}", "6A")
    with CaptureQueriesContext(connection) as many:
        page = client.get(LIST)
    assert len(many) == len(few)
    assert page.context["page"].paginator.num_pages == 2
    assert len(page.context["page"].object_list) == 50
    assert "Học sinh Số 55" in client.get(LIST, {"p": 2}).content.decode()


def test_the_list_and_a_learner_read_are_audited_without_the_name(
    client_as, worker, school, learner_of
):
    learner = learner_of(school, "Nguyễn Thị Thử")
    client = client_as(worker)
    client.get(LIST, {"name": "Nguyễn Thị Thử"})
    client.get(edit_url(learner))
    entries = list(AuditEntry.objects.order_by("pk").values_list("action", "target", "detail"))
    assert entries[-2:] == [("search", "learner-list", ""), ("view", f"learner:{learner.pk}", "")]
    assert all("Thử" not in str(entry) for entry in entries)


def test_a_learner_is_added_and_corrected_by_hand(client_as, administrator, school):
    client = client_as(administrator)
    response = client.post(
        ADD,
        {
            "school": school.pk,
            "full_name": "  Lê   Văn Thử ",
            "class_name": "8a",
            "birth_date": "2012-05-01",
            "gender": "male",
            "personal_id": "001212000009",
        },
    )
    assert response.status_code == 302
    learner = Learner.objects.get(Learner.named("le van thu"))
    assert (learner.full_name, learner.class_name, learner.personal_id) == (
        "Lê Văn Thử",
        "8A",
        "001212000009",
    )
    assert AuditEntry.objects.filter(action="create", target=f"learner:{learner.pk}").exists()
    response = client.post(
        edit_url(learner),
        {"full_name": "Lê Văn Thử", "class_name": "8B", "birth_date": "", "gender": ""},
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.class_name == "8B"
    assert learner.personal_id == ""


def test_a_bad_personal_id_is_refused_with_the_input_kept(client_as, worker, school, learner_of):
    learner_of(school, "Người Khác", personal_id="001212000001")
    client = client_as(worker)
    data = {"school": school.pk, "full_name": "Lê Văn Thử", "class_name": "8A"}
    response = client.post(ADD, {**data, "personal_id": "00121200000"})
    assert response.status_code == 200
    assert response.context["form"].has_error("personal_id")
    assert 'value="Lê Văn Thử"' in response.content.decode()
    response = client.post(ADD, {**data, "personal_id": "001212000001"})
    assert response.context["form"].has_error("personal_id", "unique")
    assert Learner.objects.count() == 1


def test_leaving_the_roll_keeps_the_learner_and_a_named_one_is_never_deleted(
    client_as, worker, school, learner_of
):
    from forms_app.cases.opening import open_case

    learner = learner_of(school, "Nguyễn Thị Thử")
    client = client_as(worker)
    client.post(edit_url(learner), {"leave_roll": "1"})
    learner.refresh_from_db()
    assert not learner.on_roll
    assert "Nguyễn Thị Thử" not in client.get(LIST).content.decode()
    assert "Nguyễn Thị Thử" in client.get(LIST, {"roll": "left"}).content.decode()

    open_case(school, worker, learner_name="Nguyễn Thị Thử", learner=learner)
    client.post(edit_url(learner), {"delete": "1"})
    assert Learner.objects.filter(pk=learner.pk).exists()

    mistake = learner_of(school, "Nhập Nhầm")
    client.post(edit_url(mistake), {"delete": "1"})
    assert not Learner.objects.filter(pk=mistake.pk).exists()
    assert AuditEntry.objects.filter(action="delete", target=f"learner:{mistake.pk}").exists()


def test_the_menu_shows_learners_to_those_who_may_see_them(client_as, staff_of, school):
    import json
    import re

    def menu_names(user) -> str:
        html = client_as(user).get(reverse("wagtailadmin_home")).content.decode()
        found = re.search(r'id="wagtail-sidebar-props"[^>]*>(.*?)</script>', html, re.S)
        return json.dumps(json.loads(found.group(1))) if found else html

    assert LIST in menu_names(staff_of(Role.ADMINISTRATOR))
    assert LIST in menu_names(staff_of(Role.CASE_WORKER))
    assert LIST not in menu_names(staff_of(Role.EDITOR))


def test_a_case_worker_at_two_schools_chooses_the_school(
    client_as, school, other_school, learner_of
):
    learner_of(other_school, "Trần Văn Thử")
    both = build_staff("both", Role.CASE_WORKER, school, other_school)
    html = client_as(both).get(LIST, {"school": other_school.pk}).content.decode()
    assert "Trần Văn Thử" in html
