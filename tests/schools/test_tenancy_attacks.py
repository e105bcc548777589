"""The attacks of the tenancy probe, each replayed as the careless or hostile insider did.

An administrator of school A (a "Quản trị" membership at A only) must stay inside A:
before this was fixed, each test below succeeded.
"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Site

from forms_app.cases import policy as case_permissions
from forms_app.models import SchoolCalendar
from pages.models import Hotline
from schools.models import Membership
from schools.roles import Role

pytestmark = pytest.mark.django_db


def school_edit_post(school, memberships, **changes) -> dict:
    """The school edit form as the browser posts it, with ``memberships`` as its staff rows."""
    data = {
        "name": school.name,
        "code": school.code,
        "level": school.level,
        "district": school.district_id or "",
        "address": school.address,
        "phone": school.phone,
        "hotline": school.hotline,
        "email": school.email,
        "root_page": school.root_page_id or "",
        "memberships-TOTAL_FORMS": str(len(memberships)),
        "memberships-INITIAL_FORMS": str(sum(1 for m in memberships if m.get("id"))),
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    for i, row in enumerate(memberships):
        data[f"memberships-{i}-id"] = row.get("id", "")
        data[f"memberships-{i}-user"] = row["user"]
        data[f"memberships-{i}-role"] = row["role"]
        data[f"memberships-{i}-ORDER"] = str(i + 1)
        data[f"memberships-{i}-DELETE"] = "on" if row.get("delete") else ""
    data.update(changes)
    return data


def current_rows(school) -> list[dict]:
    return [
        {"id": m.pk, "user": m.user_id, "role": m.role}
        for m in Membership.objects.filter(school=school).order_by("pk")
    ]


def assert_refused(response) -> None:
    """Wagtail's refusal (followed): back to the dashboard, saying so in Vietnamese."""
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Bạn không có quyền truy cập vào khu vực này." in response.content.decode()


def edit_url(school) -> str:
    return reverse("wagtailsnippets_schools_school:edit", args=[school.pk])


def add_to_staff(client, school, user, role: str):
    """Post the school's edit form with ``user`` added to its staff as ``role``."""
    rows = [*current_rows(school), {"user": user.pk, "role": role}]
    return client.post(edit_url(school), school_edit_post(school, rows))


# Another school --------------------------------------------------------------------------


def test_administrator_of_a_cannot_open_school_b(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    for name in ("edit", "inspect", "history", "usage", "delete"):
        url = reverse(f"wagtailsnippets_schools_school:{name}", args=[tenancy.b.school.pk])
        assert client.get(url).status_code == 404, name
    listing = client.get(reverse("wagtailsnippets_schools_school:list")).content.decode()
    assert tenancy.a.school.name in listing
    assert tenancy.b.school.name not in listing


def test_administrator_of_a_cannot_add_themselves_to_school_b(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    school = tenancy.b.school
    response = add_to_staff(signed_in(admin), school, admin, Role.CASE_WORKER)
    assert response.status_code == 404
    assert not Membership.objects.filter(user=admin, school=school).exists()
    assert not case_permissions.can_list_cases(get_user_model().objects.get(pk=admin.pk))


def test_administrator_cannot_give_themselves_a_case_role_at_their_own_school(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    school = tenancy.a.school
    client = signed_in(admin)
    for role in (Role.CASE_WORKER, Role.EDITOR):
        response = add_to_staff(client, school, admin, role)
        assert response.status_code == 200
        assert not Membership.objects.filter(user=admin, role=role).exists()
    # Even a role they could give anyone else: not to themselves.
    assert "Bạn không thể tự thay đổi vai trò của mình" in response.content.decode()


def test_administrator_cannot_give_a_teacher_a_case_role_they_do_not_hold(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    editor = tenancy.users["editor_a"]
    school = tenancy.a.school
    response = add_to_staff(signed_in(admin), school, editor, Role.CASE_WORKER)
    assert response.status_code == 200
    assert not Membership.objects.filter(user=editor, role=Role.CASE_WORKER).exists()
    # What was typed is still there to correct.
    assert 'value="Trường THCS Hư Cấu A"' in response.content.decode()


def test_administrator_cannot_remove_the_principal(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    school = tenancy.a.school
    rows = current_rows(school)
    for row in rows:
        if row["role"] == Role.PRINCIPAL:
            row["delete"] = True
    signed_in(admin).post(edit_url(school), school_edit_post(school, rows))
    assert Membership.objects.filter(school=school, role=Role.PRINCIPAL).exists()


def test_principal_who_administers_appoints_the_counselling_team(tenancy, signed_in):
    head = tenancy.users["head_a"]
    editor = tenancy.users["editor_a"]
    school = tenancy.a.school
    response = add_to_staff(signed_in(head), school, editor, Role.CASE_WORKER)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Membership.objects.filter(user=editor, school=school, role=Role.CASE_WORKER).exists()


def test_administrator_adds_an_editor_at_their_school(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    worker = tenancy.users["worker_a"]
    school = tenancy.a.school
    response = add_to_staff(signed_in(admin), school, worker, Role.EDITOR)
    assert response.status_code == 302
    assert Membership.objects.filter(user=worker, school=school, role=Role.EDITOR).exists()


def test_administrator_cannot_move_the_school_onto_another_home_page(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    school = tenancy.a.school
    data = school_edit_post(
        school, current_rows(school), root_page=tenancy.b.school.root_page_id, code="ZZ"
    )
    signed_in(admin).post(edit_url(school), data)
    school.refresh_from_db()
    assert school.root_page_id != tenancy.b.school.root_page_id
    assert school.code == "AA"


# Accounts ----------------------------------------------------------------------------------


def test_administrator_lists_only_their_schools_staff(tenancy, signed_in):
    html = signed_in(tenancy.users["administrator_a"]).get(reverse("wagtailusers_users:index"))
    text = html.content.decode()
    assert "editor_a" in text
    for outsider in ("teacher_b", "administrator_b", "operator", "district"):
        assert outsider not in text


def test_administrator_cannot_edit_an_account_of_another_school(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    for username in ("teacher_b", "operator", "district"):
        user = tenancy.users[username]
        url = reverse("wagtailusers_users:edit", args=[user.pk])
        assert client.get(url).status_code == 404, username
        response = client.post(
            url,
            {
                "username": user.username,
                "email": "attacker@example.org",
                "first_name": "x",
                "last_name": "y",
                "password1": "Mot-mat-khau-rat-dai-2026",
                "password2": "Mot-mat-khau-rat-dai-2026",
                "is_active": "on",
            },
        )
        assert response.status_code == 404, username
        user.refresh_from_db()
        assert user.email != "attacker@example.org"


def test_administrator_cannot_make_anyone_a_superuser(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    editor = tenancy.users["editor_a"]
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    form = client.get(url).content.decode()
    assert 'name="is_superuser"' not in form
    assert 'name="groups"' not in form
    response = client.post(
        url,
        {
            "username": editor.username,
            "email": editor.email,
            "first_name": editor.first_name,
            "last_name": editor.last_name,
            "is_active": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in editor.groups.model.objects.all()],
        },
    )
    assert response.status_code == 302
    editor.refresh_from_db()
    assert not editor.is_superuser
    assert set(editor.groups.values_list("name", flat=True)) == {
        "Biên tập viên",
        "Biên tập viên · AA",
    }


def test_administrator_cannot_put_accounts_in_groups_in_bulk(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    editor = tenancy.users["editor_a"]
    url = reverse("wagtail_bulk_action", args=["auth", "user", "assign_role"])
    assert_refused(client.get(url, {"id": editor.pk}, follow=True))


def test_bulk_actions_on_accounts_of_another_school_answer_404(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    outsider = tenancy.users["teacher_b"]
    url = reverse("wagtail_bulk_action", args=["auth", "user", "set_active_state"])
    assert client.get(url, {"id": outsider.pk}).status_code == 404
    assert client.post(url + f"?id={outsider.pk}", {"mark_as_active": ""}).status_code == 404
    assert client.get(url, {"id": "all"}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.is_active


def test_new_account_comes_with_a_role_at_the_creators_school(tenancy, signed_in):
    admin = tenancy.users["administrator_a"]
    client = signed_in(admin)
    form = client.get(reverse("wagtailusers_users:add")).content.decode()
    assert 'name="school"' in form
    assert 'name="role"' in form
    assert 'name="is_superuser"' not in form
    assert "Hư Cấu B" not in form
    password = "Cay-phuong-do-truoc-san-2026"
    data = {
        "username": "gv.moi",
        "email": "gv.moi@example.org",
        "first_name": "Giáo viên",
        "last_name": "Mới",
        "password1": password,
        "password2": password,
        "school": tenancy.a.school.pk,
        "role": Role.CASE_WORKER,
        "is_superuser": "on",
    }
    refused = client.post(reverse("wagtailusers_users:add"), data)
    assert refused.status_code == 200
    assert not get_user_model().objects.filter(username="gv.moi").exists()

    data["role"] = Role.EDITOR
    data["school"] = tenancy.b.school.pk
    assert client.post(reverse("wagtailusers_users:add"), data).status_code == 200
    assert not get_user_model().objects.filter(username="gv.moi").exists()

    data["school"] = tenancy.a.school.pk
    response = client.post(reverse("wagtailusers_users:add"), data)
    assert response.status_code == 302
    created = get_user_model().objects.get(username="gv.moi")
    assert not created.is_superuser
    assert list(created.school_memberships.values_list("school__code", "role")) == [
        ("AA", Role.EDITOR)
    ]
    # The new account is theirs to manage: it is on their list.
    assert "gv.moi" in client.get(reverse("wagtailusers_users:index")).content.decode()


def test_operator_still_makes_superusers(tenancy, signed_in):
    client = signed_in(tenancy.users["operator"])
    editor = tenancy.users["editor_a"]
    url = reverse("wagtailusers_users:edit", args=[editor.pk])
    assert 'name="is_superuser"' in client.get(url).content.decode()


# The school's public face and its deadlines ----------------------------------------------


def test_administrator_of_a_cannot_change_school_bs_help_line(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    line = tenancy.b.hotline
    url = reverse("wagtailsnippets_pages_hotline:edit", args=[line.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"number": "1900 6666", "name": "Lừa đảo", "scope": "school", "school": line.school_id}
    )
    assert response.status_code == 404
    line.refresh_from_db()
    assert line.number != "1900 6666"
    listing = client.get(reverse("wagtailsnippets_pages_hotline:list")).content.decode()
    assert tenancy.a.hotline.name in listing
    assert tenancy.b.hotline.name not in listing


def test_administrator_cannot_add_a_line_to_another_school_or_the_whole_country(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    url = reverse("wagtailsnippets_pages_hotline:add")
    base = {"number": "1900 6666", "name": "Lừa đảo", "sort_order": "1", "active": "on"}
    response = client.post(url, {**base, "scope": "school", "school": tenancy.b.school.pk})
    assert response.status_code == 200
    response = client.post(url, {**base, "scope": "national", "school": tenancy.a.school.pk})
    assert response.status_code == 200
    assert "chỉ người vận hành" in response.content.decode()
    assert not Hotline.objects.filter(number="1900 6666").exists()
    response = client.post(url, {**base, "scope": "school", "school": tenancy.a.school.pk})
    assert response.status_code == 302
    assert Hotline.objects.get(number="1900 6666").school == tenancy.a.school


def test_administrator_cannot_create_a_redirect_or_open_a_site(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    before = Redirect.objects.count()
    response = client.post(
        reverse("wagtailredirects:add"),
        {
            "old_path": "/tro-giup-khan",
            "site": tenancy.b.site.pk,
            "redirect_link": "https://lua-dao.example/",
            "is_permanent": "on",
        },
    )
    assert response.status_code in (302, 403)
    assert Redirect.objects.count() == before
    assert client.get(reverse("wagtailredirects:index")).status_code in (302, 403)
    response = client.get(reverse("wagtailsites:edit", args=[tenancy.b.site.pk]))
    assert response.status_code in (302, 403)
    assert Site.objects.filter(pk=tenancy.b.site.pk).exists()


def test_administrator_cannot_create_or_change_another_schools_calendar(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    tenancy.b.calendar.delete()
    response = client.post(
        reverse("wagtailsnippets_forms_app_schoolcalendar:add"),
        {
            "school": tenancy.b.school.pk,
            "morning_start": "07:00",
            "morning_end": "11:30",
            "afternoon_start": "13:30",
            "afternoon_end": "17:00",
            "exceptions-TOTAL_FORMS": "0",
            "exceptions-INITIAL_FORMS": "0",
            "exceptions-MIN_NUM_FORMS": "0",
            "exceptions-MAX_NUM_FORMS": "1000",
        },
    )
    assert response.status_code == 200
    assert not SchoolCalendar.objects.filter(school=tenancy.b.school).exists()
    url = reverse("wagtailsnippets_forms_app_schoolcalendar:edit", args=[tenancy.a.calendar.pk])
    assert client.get(url).status_code == 200


def test_operator_only_reports_are_refused_to_school_staff(tenancy, signed_in):
    client = signed_in(tenancy.users["administrator_a"])
    for name in ("site_history", "page_types_usage"):
        assert_refused(client.get(reverse(f"wagtailadmin_reports:{name}"), follow=True))
    operator = signed_in(tenancy.users["operator"])
    assert operator.get(reverse("wagtailadmin_reports:site_history")).status_code == 200


# Smaller items of the probe -------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"title": "Trang sửa tay", "slug": "trang-sua-tay", "body-count": "abc"},
        {"title": "Trang sửa tay", "slug": "trang-sua-tay", "comments-TOTAL_FORMS": "x"},
    ],
    ids=["empty", "bad-stream-count", "bad-formset-total"],
)
def test_malformed_page_edit_post_is_a_bad_request_not_a_server_error(tenancy, signed_in, data):
    client = signed_in(tenancy.users["administrator_a"])
    response = client.post(reverse("wagtailadmin_pages:edit", args=[tenancy.a.page.pk]), data)
    assert response.status_code == 400
    assert "Không đọc được yêu cầu" in response.content.decode()
    tenancy.a.page.refresh_from_db()
    assert tenancy.a.page.title == "Giới thiệu trường AA"


def test_intake_start_for_another_school_answers_404(tenancy, signed_in):
    client = signed_in(tenancy.users["worker_a"])
    url = reverse("forms_app:intake_start")
    assert client.post(url + f"?school={tenancy.b.school.pk}").status_code == 404
    assert client.get(url + f"?school={tenancy.b.school.pk}").status_code == 404
