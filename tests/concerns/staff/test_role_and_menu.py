"""The teacher role: what it carries, who gives it, and the admin it opens."""

import json

import pytest
from django.contrib.auth.models import Group

from accounts.policy import requires_two_factor
from schools.models import RoleGroup
from schools.roles import GROUP_NAMES, Role
from schools.tenancy import grantable_roles, may_grant

pytestmark = pytest.mark.django_db


def test_the_teacher_group_opens_the_admin_and_nothing_else(school):
    group = Group.objects.get(name=GROUP_NAMES[Role.STAFF])
    names = {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}
    assert names == {"wagtailadmin.access_admin"}
    assert GROUP_NAMES[Role.STAFF] == "Giáo viên / nhân viên"
    # No page or collection rights on the school's part of the site.
    assert not RoleGroup.objects.filter(role=Role.STAFF, school=school).exists()


def test_a_teacher_needs_no_second_factor(teacher):
    assert not requires_two_factor(teacher)


def test_administrators_and_principals_give_the_teacher_role(school, make_staff, teacher):
    admin = make_staff("quantri", Role.ADMINISTRATOR, school)
    assert Role.STAFF in grantable_roles(admin, school.pk)
    assert may_grant(admin, school.pk, Role.STAFF, teacher.pk)
    assert not may_grant(teacher, school.pk, Role.STAFF, admin.pk)
    assert not may_grant(teacher, school.pk, Role.CASE_WORKER, admin.pk)


def test_the_teachers_dashboard_has_the_two_links_and_no_page_search(teacher_client):
    html = teacher_client.get("/admin/").content.decode()
    assert 'href="/admin/thong-tin-lo-ngai/moi/"' in html
    assert 'href="/admin/thong-tin-lo-ngai/"' in html
    assert 'role="search"' not in html
    assert "/admin/ho-so/" not in html
    assert "/admin/tiep-nhan-thong-tin/" not in html


def test_an_editor_keeps_the_page_search_and_gets_the_menu_item(make_staff, school, client):
    client.force_login(make_staff("bientap", Role.EDITOR, school))
    html = client.get("/admin/").content.decode()
    assert 'role="search"' in html
    assert "/admin/thong-tin-lo-ngai/moi/" in html  # the menu item


def test_the_district_officer_gets_no_menu_item(make_staff, school, client):
    client.force_login(make_staff("pgd", Role.DISTRICT_OFFICER, school))
    html = client.get("/admin/").content.decode()
    assert "/admin/thong-tin-lo-ngai/" not in html


def test_the_teachers_menu_holds_no_case_item(teacher_client):
    html = teacher_client.get("/admin/").content.decode()
    props = html.split('id="wagtail-sidebar-props"')[1].split(">", 1)[1].split("</script>")[0]
    menu = json.dumps(json.loads(props))
    assert "thong-tin-lo-ngai/moi" in menu
    for case_path in ("/admin/ho-so/", "/admin/forms_app/", "/admin/tiep-nhan-thong-tin/"):
        assert case_path not in menu
