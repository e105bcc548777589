"""Staff belong to schools: a user of school A is listed under A and never under B."""

import pytest
from django.contrib.auth import get_user_model
from django.db import IntegrityError

from schools.models import Membership, School
from schools.roles import Role

pytestmark = pytest.mark.django_db


def test_user_of_school_a_is_listed_only_under_school_a(make_school, make_staff):
    a, b = make_school("AL"), make_school("SM")
    teacher = make_staff("ctxh.al", Role.CASE_WORKER, a)
    other = make_staff("ctxh.sm", Role.CASE_WORKER, b)

    assert list(a.staff()) == [teacher]
    assert list(b.staff()) == [other]
    assert list(School.objects.for_user(teacher)) == [a]


def test_user_with_roles_at_two_schools_is_listed_under_both_once(make_school, make_staff):
    a, b = make_school("AL"), make_school("SM")
    officer = make_staff("pgd", Role.DISTRICT_OFFICER, a, b)
    Membership.objects.create(school=a, user=officer, role=Role.EDITOR)
    assert list(a.staff()) == [officer]
    assert list(b.staff()) == [officer]
    assert set(School.objects.for_user(officer)) == {a, b}


def test_school_inspect_screen_lists_its_own_staff_only(client, make_school, make_staff):
    a, b = make_school("AL"), make_school("SM")
    make_staff("nguoi.cua.truong.a", Role.EDITOR, a)
    make_staff("nguoi.cua.truong.b", Role.EDITOR, b)
    admin = get_user_model().objects.create_superuser("root", password="x")
    client.force_login(admin)

    response = client.get(f"/admin/snippets/schools/school/inspect/{a.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "nguoi.cua.truong.a" in html
    assert "nguoi.cua.truong.b" not in html


def test_same_role_twice_at_one_school_is_refused(make_school, make_staff):
    a = make_school("AL")
    user = make_staff("x", Role.EDITOR, a)
    with pytest.raises(IntegrityError):
        Membership.objects.create(school=a, user=user, role=Role.EDITOR)


def test_anonymous_and_inactive_users_belong_to_no_school(make_school, make_staff):
    from django.contrib.auth.models import AnonymousUser

    a = make_school("AL")
    user = make_staff("x", Role.EDITOR, a)
    user.is_active = False
    assert not School.objects.for_user(user).exists()
    assert not School.objects.for_user(AnonymousUser()).exists()
