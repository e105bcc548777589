"""The role matrix is written idempotently and scopes page rights to each school."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Page

from schools.models import Membership, RoleGroup
from schools.roles import GROUP_NAMES, Role, school_group_name, sync_role_groups

pytestmark = pytest.mark.django_db


def perms_of(group: Group) -> set[str]:
    return {
        f"{p.content_type.app_label}.{p.codename}"
        for p in group.permissions.select_related("content_type")
    }


def test_every_role_has_its_vietnamese_group_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert {
        "Biên tập viên",
        "Ban giám hiệu / Hiệu trưởng",
        "Cán bộ CTXH / Tổ tư vấn",
        "Cán bộ Phòng GD&ĐT",
        "Quản trị",
        "Giáo viên / nhân viên",
    } <= names


def test_syncing_roles_twice_creates_no_duplicates(make_school):
    make_school("AL")
    before = (Group.objects.count(), GroupPagePermission.objects.count(), RoleGroup.objects.count())
    call_command("sync_roles", stdout=open("/dev/null", "w"))  # noqa: SIM115
    sync_role_groups()
    after = (Group.objects.count(), GroupPagePermission.objects.count(), RoleGroup.objects.count())
    assert before == after


def test_all_staff_roles_may_enter_the_admin_but_only_the_administrator_manages_users():
    for role in Role.values:
        group = Group.objects.get(name=GROUP_NAMES[role])
        assert "wagtailadmin.access_admin" in perms_of(group)
        has_user_admin = "auth.change_user" in perms_of(group)
        assert has_user_admin == (role == Role.ADMINISTRATOR)


def test_district_officer_gets_no_page_or_collection_rights(make_school):
    school = make_school("AL")
    assert not RoleGroup.objects.filter(school=school, role=Role.DISTRICT_OFFICER).exists()
    assert not RoleGroup.objects.filter(school=school, role=Role.CASE_WORKER).exists()


def test_sync_restores_a_permission_removed_by_hand():
    group = Group.objects.get(name=GROUP_NAMES[Role.ADMINISTRATOR])
    group.permissions.clear()
    sync_role_groups()
    assert "auth.add_user" in perms_of(group)


def test_editor_may_edit_but_not_publish_only_in_own_school(make_school):
    school = make_school("AL")
    group = Group.objects.get(name=school_group_name(Role.EDITOR, "AL"))
    rights = {
        (gpp.page_id, gpp.permission.codename)
        for gpp in GroupPagePermission.objects.filter(group=group).select_related("permission")
    }
    assert rights == {(school.root_page_id, "add_page"), (school.root_page_id, "change_page")}
    assert GroupCollectionPermission.objects.filter(
        group=group, collection=school.collection, permission__codename="add_image"
    ).exists()


def test_principal_may_publish_in_own_school(make_school):
    school = make_school("AL")
    group = Group.objects.get(name=school_group_name(Role.PRINCIPAL, "AL"))
    codenames = set(
        GroupPagePermission.objects.filter(group=group, page=school.root_page).values_list(
            "permission__codename", flat=True
        )
    )
    assert {"publish_page", "change_page", "add_page"} <= codenames


def test_membership_puts_user_in_role_and_school_groups_and_removal_takes_them_out(
    make_school, make_staff
):
    a = make_school("AL")
    editor = make_staff("editor.al", Role.EDITOR, a)
    names = set(editor.groups.values_list("name", flat=True))
    assert names == {GROUP_NAMES[Role.EDITOR], school_group_name(Role.EDITOR, "AL")}

    Membership.objects.filter(user=editor).delete()
    assert not editor.groups.exists()


def test_editor_of_school_a_cannot_edit_school_b_pages(make_school, make_staff):
    a, b = make_school("AL"), make_school("SM")
    editor = make_staff("editor.al", Role.EDITOR, a)
    page_a = Page.objects.get(pk=a.root_page_id)
    page_b = Page.objects.get(pk=b.root_page_id)
    assert page_a.permissions_for_user(editor).can_edit()
    assert not page_a.permissions_for_user(editor).can_publish()
    assert not page_b.permissions_for_user(editor).can_edit()


def test_hand_made_groups_survive_membership_sync(make_school, make_staff):
    a = make_school("AL")
    editor = make_staff("editor.al", Role.EDITOR, a)
    custom = Group.objects.create(name="Nhóm tự tạo")
    editor.groups.add(custom)
    Membership.objects.create(school=a, user=editor, role=Role.CASE_WORKER)
    assert editor.groups.filter(pk=custom.pk).exists()


def test_editor_uploads_images_and_documents_only_to_own_school_collection(make_school, make_staff):
    from wagtail.documents import get_permission_policy as document_policy
    from wagtail.images import get_permission_policy as image_policy

    a, b = make_school("AL"), make_school("SM")
    editor = make_staff("editor.al", Role.EDITOR, a)
    for policy in (image_policy(), document_policy()):
        allowed = set(policy.collections_user_has_permission_for(editor, "add"))
        assert a.collection in allowed
        assert b.collection not in allowed


def test_only_the_administrator_manages_hotlines():
    admin = Group.objects.get(name=GROUP_NAMES[Role.ADMINISTRATOR])
    principal = Group.objects.get(name=GROUP_NAMES[Role.PRINCIPAL])
    assert "pages.change_hotline" in perms_of(admin)
    assert "pages.change_hotline" not in perms_of(principal)


def test_wagtails_page_permissions_are_named_in_vietnamese_for_the_groups_screens(db):
    from django.contrib.auth.models import Permission

    from schools.roles import PAGE_PERMISSION_NAMES

    names = dict(
        Permission.objects.filter(
            content_type__app_label="wagtailcore", codename__in=PAGE_PERMISSION_NAMES
        ).values_list("codename", "name")
    )
    assert names == PAGE_PERMISSION_NAMES
