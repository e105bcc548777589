"""Review before publication: editors submit, another member of the school's leadership approves."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupPagePermission, Page, Workflow, WorkflowPage, WorkflowTask

from pages.models import (
    CampaignIndexPage,
    CampaignPage,
    PlanIndexPage,
    PlanPage,
    PrincipalApprovalTask,
    StandardPage,
)
from pages.workflows import school_workflow, sync_all_school_workflows, sync_school_workflow
from schools.models import RoleGroup
from schools.roles import Role, school_group_name

pytestmark = pytest.mark.django_db


def draft(parent: Page, title: str, **fields) -> StandardPage:
    """An unpublished page below ``parent``."""
    slug = fields.pop("slug", title.lower().replace(" ", "-"))
    return parent.add_child(instance=StandardPage(title=title, slug=slug, live=False, **fields))


def submit(page: Page, user):
    """Save a revision as ``user`` and send it to the page's workflow; the current task state."""
    page.save_revision(user=user)
    workflow_state = page.get_workflow().start(page, user)
    return workflow_state.current_task_state


def action_names(task_state, page: Page, user) -> set[str]:
    return {name for name, _label, _modal in task_state.task.specific.get_actions(page, user)}


def is_live(page: Page) -> bool:
    return Page.objects.get(pk=page.pk).live


def later(hours: int):
    """Patch the clock forward, as if ``hours`` had passed."""
    return mock.patch(
        "django.utils.timezone.now",
        return_value=datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=hours),
    )


# The workflow each school gets


def test_school_gets_its_review_workflow_on_its_root_page(make_school):
    school = make_school("AL")
    workflow = Workflow.objects.get(name="Duyệt nội dung · AL")
    assert WorkflowPage.objects.get(page=school.root_page).workflow == workflow
    tasks = [task.specific for task in workflow.tasks]
    assert len(tasks) == 1
    assert isinstance(tasks[0], PrincipalApprovalTask)
    assert tasks[0].name == "Ban giám hiệu duyệt · AL"
    assert list(tasks[0].groups.values_list("name", flat=True)) == [
        school_group_name(Role.PRINCIPAL, "AL")
    ]
    assert school.root_page.get_workflow() == workflow


def test_syncing_workflows_twice_creates_no_duplicates(make_school):
    school = make_school("AL")
    make_school("BV")
    counts = (Workflow.objects.count(), WorkflowTask.objects.count(), WorkflowPage.objects.count())
    sync_all_school_workflows()
    sync_school_workflow(school)
    school.save()
    assert counts == (
        Workflow.objects.count(),
        WorkflowTask.objects.count(),
        WorkflowPage.objects.count(),
    )
    assert PrincipalApprovalTask.objects.filter(name="Ban giám hiệu duyệt · AL").count() == 1


def test_workflow_follows_the_school_to_a_new_root_page(make_school):
    school = make_school("AL")
    old_root = school.root_page
    new_root = old_root.get_parent().add_child(
        instance=StandardPage(title="Trang mới", slug="trang-moi")
    )
    school.root_page = new_root
    school.save()
    workflow = school_workflow(school)
    assert list(workflow.workflow_pages.values_list("page_id", flat=True)) == [new_root.pk]
    assert not WorkflowPage.objects.filter(page=old_root).exists()


def test_school_without_principal_group_gets_no_workflow(make_school):
    school = make_school("AL")
    workflow = school_workflow(school)
    RoleGroup.objects.filter(school=school, role=Role.PRINCIPAL).delete()
    workflow.delete()
    assert sync_school_workflow(school) is None
    assert not Workflow.objects.filter(name="Duyệt nội dung · AL").exists()


def test_each_school_is_reviewed_by_its_own_leadership(make_school):
    make_school("AL")
    make_school("BV")
    groups = {
        task.name: list(task.groups.values_list("name", flat=True))
        for task in PrincipalApprovalTask.objects.all()
    }
    assert groups["Ban giám hiệu duyệt · AL"] == [school_group_name(Role.PRINCIPAL, "AL")]
    assert groups["Ban giám hiệu duyệt · BV"] == [school_group_name(Role.PRINCIPAL, "BV")]


# Who may approve


def test_editor_cannot_publish_but_principal_can(make_school, make_staff):
    school = make_school("AL")
    editor = make_staff("editor", Role.EDITOR, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Tin tức")
    assert page.permissions_for_user(editor).can_edit()
    assert not page.permissions_for_user(editor).can_publish()
    assert page.permissions_for_user(principal).can_publish()


def test_principal_may_approve_editors_submission_but_editor_may_not(make_school, make_staff):
    school = make_school("AL")
    editor = make_staff("editor", Role.EDITOR, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Tin tức")

    task_state = submit(page, editor)

    assert "approve" in action_names(task_state, page, principal)
    assert action_names(task_state, page, editor) == set()
    assert task_state in task_state.task.specific.get_task_states_user_can_moderate(principal)
    assert not is_live(page)


def test_principal_of_another_school_cannot_approve(make_school, make_staff):
    school, other = make_school("AL"), make_school("BV")
    editor = make_staff("editor", Role.EDITOR, school)
    stranger = make_staff("stranger", Role.PRINCIPAL, other)
    page = draft(school.root_page, "Tin tức")

    task_state = submit(page, editor)

    assert action_names(task_state, page, stranger) == set()
    assert not task_state.task.specific.get_task_states_user_can_moderate(stranger).exists()


@pytest.fixture
def own_submission(make_school, make_staff):
    """A page a principal submitted, and another principal of the same school."""
    school = make_school("AL")
    author = make_staff("principal1", Role.PRINCIPAL, school)
    colleague = make_staff("principal2", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Kế hoạch tuần")
    return author, colleague, page, submit(page, author)


def test_principal_cannot_approve_own_page_but_another_principal_can(own_submission):
    author, colleague, page, task_state = own_submission
    task = task_state.task.specific

    assert action_names(task_state, page, author) == set()
    assert not task.get_task_states_user_can_moderate(author).exists()
    with pytest.raises(PermissionDenied):
        task.on_action(task_state, author, "approve")
    assert not is_live(page)

    assert "approve" in action_names(task_state, page, colleague)
    task.on_action(task_state, colleague, "approve")
    assert is_live(page)


def test_admin_refuses_approval_by_submitter_and_accepts_another_principal(client, own_submission):
    author, colleague, page, task_state = own_submission
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    assert url == f"/admin/pages/workflow/action/{page.pk}/approve/{task_state.pk}/"

    client.force_login(author)
    # The admin's modal posts with XHR and gets a 403; a plain POST is sent home.
    response = client.post(url, {"comment": ""}, headers={"x-requested-with": "XMLHttpRequest"})
    assert response.status_code == 403
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_home")
    assert not is_live(page)

    client.force_login(colleague)
    response = client.post(url, {"comment": ""})
    assert response.status_code == 302
    assert response.url == reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert is_live(page)


# "Approved by … on …"


@pytest.fixture
def plan_index(make_school):
    school = make_school("AL")
    return school, school.root_page.add_child(
        instance=PlanIndexPage(title="Kế hoạch", slug="ke-hoach")
    )


def new_plan(index: PlanIndexPage) -> PlanPage:
    return index.add_child(
        instance=PlanPage(
            title="Kế hoạch tư vấn học đường",
            slug="ke-hoach-tu-van",
            issuing_body="Trường THCS AL",
            live=False,
        )
    )


def test_plan_records_who_approved_it_and_when(plan_index, make_staff):
    school, index = plan_index
    editor = make_staff("editor", Role.EDITOR, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    principal.first_name, principal.last_name = "Hiệu trưởng", "Hoa Ban"
    principal.save()
    plan = new_plan(index)
    task_state = submit(plan, editor)
    assert PlanPage.objects.get(pk=plan.pk).approved_by_name == ""

    task_state.task.specific.on_action(task_state, principal, "approve")

    plan = PlanPage.objects.get(pk=plan.pk)
    task_state.refresh_from_db()
    assert plan.live
    assert plan.approved_by_name == "Hiệu trưởng Hoa Ban"
    assert plan.approved_at == task_state.finished_at


def test_plan_approved_after_reviewer_edits_still_records_the_reviewer(plan_index, make_staff):
    school, index = plan_index
    editor = make_staff("editor", Role.EDITOR, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    plan = new_plan(index)
    task_state = submit(plan, editor)

    # Approving from the edit screen saves the reviewer's revision, then approves.
    plan = PlanPage.objects.get(pk=plan.pk)
    plan.summary = "Sửa lỗi chính tả"
    plan.save_revision(user=principal)
    plan.current_workflow_task.on_action(plan.current_workflow_task_state, principal, "approve")

    plan = PlanPage.objects.get(pk=plan.pk)
    task_state.refresh_from_db()
    assert plan.summary == "Sửa lỗi chính tả"
    assert plan.approved_by_name == "principal"
    assert plan.approved_at == task_state.finished_at


def test_plan_published_directly_records_the_publisher(plan_index, make_staff):
    school, index = plan_index
    principal = make_staff("principal", Role.PRINCIPAL, school)
    plan = new_plan(index)
    before = timezone.now()

    plan.save_revision(user=principal).publish(user=principal)

    plan = PlanPage.objects.get(pk=plan.pk)
    assert plan.approved_by_name == "principal"
    assert plan.approved_at >= before
    assert plan.live_revision.content["approved_by_name"] == ""


# Scheduled publishing


def test_page_scheduled_to_go_live_is_published_by_publish_scheduled(make_school, make_staff):
    school = make_school("AL")
    principal = make_staff("principal", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Thông báo")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    revision = page.save_revision(user=principal)
    revision.publish(user=principal)
    revision.refresh_from_db()
    assert revision.approved_go_live_at == page.go_live_at
    assert not is_live(page)

    call_command("publish_scheduled")
    assert not is_live(page)

    with later(hours=2):
        call_command("publish_scheduled")
    assert is_live(page)


def test_page_past_its_expiry_is_unpublished_by_publish_scheduled(make_school, make_staff):
    school = make_school("AL")
    principal = make_staff("principal", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Thông báo")
    page.expire_at = timezone.now() + datetime.timedelta(hours=1)
    page.save_revision(user=principal).publish(user=principal)
    assert is_live(page)

    with later(hours=2):
        call_command("publish_scheduled")
    page = Page.objects.get(pk=page.pk)
    assert not page.live
    assert page.expired


def test_approved_submission_with_go_live_date_waits_for_its_date(make_school, make_staff):
    school = make_school("AL")
    editor = make_staff("editor", Role.EDITOR, school)
    principal = make_staff("principal", Role.PRINCIPAL, school)
    page = draft(school.root_page, "Thông báo")
    page.go_live_at = timezone.now() + datetime.timedelta(hours=1)
    task_state = submit(page, editor)

    task_state.task.specific.on_action(task_state, principal, "approve")
    assert not is_live(page)

    with later(hours=2):
        call_command("publish_scheduled")
    assert is_live(page)


# Section rights


@pytest.fixture
def campaigns(make_school):
    school = make_school("AL")
    index = school.root_page.add_child(
        instance=CampaignIndexPage(title="Chiến dịch", slug="chien-dich")
    )
    campaign = index.add_child(
        instance=CampaignPage(
            title="Tháng an toàn", slug="thang-an-toan", start_date=datetime.date(2026, 3, 1)
        )
    )
    return school, index, campaign


def grant(*args: str) -> str:
    out = StringIO()
    call_command("grant_section", *args, stdout=out)
    return out.getvalue()


def test_grant_section_gives_a_group_edit_rights_on_one_section_only(
    campaigns, make_school, django_user_model
):
    school, index, campaign = campaigns
    other_school = make_school("BV")
    youth = django_user_model.objects.create_user(username="doan.doi", password="x")

    grant("--group", "Đoàn Đội · AL", "--page", str(index.pk), "--perms", "add,change")
    youth.groups.add(Group.objects.get(name="Đoàn Đội · AL"))
    youth = django_user_model.objects.get(pk=youth.pk)

    assert youth.has_perm("wagtailadmin.access_admin")
    assert index.permissions_for_user(youth).can_edit()
    assert campaign.permissions_for_user(youth).can_edit()
    assert index.permissions_for_user(youth).can_add_subpage()
    assert not campaign.permissions_for_user(youth).can_publish()
    assert not school.root_page.permissions_for_user(youth).can_edit()
    assert not other_school.root_page.permissions_for_user(youth).can_edit()


def test_grant_section_is_idempotent_and_finds_pages_by_path(campaigns):
    _school, index, _campaign = campaigns
    grant("--group", "Đoàn Đội · AL", "--page", str(index.pk), "--perms", "add,change")
    count = GroupPagePermission.objects.count()

    output = grant("--group", "Đoàn Đội · AL", "--page", index.url_path, "--perms", "change,add")

    assert GroupPagePermission.objects.count() == count
    assert Group.objects.filter(name="Đoàn Đội · AL").count() == 1
    assert "không có gì thay đổi" in output

    # The path a visitor sees, below the default site's root, names it too.
    output = grant("--group", "Đoàn Đội · AL", "--page", "/truong-al/chien-dich", "--perms", "add")
    assert "không có gì thay đổi" in output


def test_grant_section_refuses_unknown_permissions_pages_and_role_groups(campaigns):
    _school, index, _campaign = campaigns
    with pytest.raises(CommandError, match="delete"):
        grant("--group", "Đoàn Đội · AL", "--page", str(index.pk), "--perms", "add,delete")
    with pytest.raises(CommandError, match="/khong-co/"):
        grant("--group", "Đoàn Đội · AL", "--page", "/khong-co/", "--perms", "add")
    with pytest.raises(CommandError, match="quản lý"):
        grant(
            "--group",
            school_group_name(Role.EDITOR, "AL"),
            "--page",
            str(index.pk),
            "--perms",
            "publish",
        )
    assert not Group.objects.filter(name="Đoàn Đội · AL").exists()
