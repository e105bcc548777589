"""Each school's review workflow: what its editors submit, its leadership approves.

A school gets one Wagtail workflow with one task, a :class:`PrincipalApprovalTask`
for the school's principal group, assigned to the school's root page, so every page
of its section passes the leadership's review before it goes live (the Plone
"submit for publication" habit). :func:`sync_school_workflow` writes that state
idempotently; it runs after every save of a school and after every ``migrate``.
"""

import logging

from django.contrib.auth.models import Group
from django.db import transaction
from wagtail.models import Workflow, WorkflowPage, WorkflowTask

from pages.models.workflow import PrincipalApprovalTask
from schools.models import RoleGroup, School
from schools.roles import Role

logger = logging.getLogger(__name__)

# Names are data shown to Vietnamese administrators, like the role groups' names.
WORKFLOW_NAME = "Duyệt nội dung · {code}"
TASK_NAME = "Ban giám hiệu duyệt · {code}"


def workflow_name(school: School) -> str:
    """Name of the school's review workflow, e.g. "Duyệt nội dung · HB"."""
    return WORKFLOW_NAME.format(code=school.code)


def task_name(school: School) -> str:
    """Name of the school's approval task, e.g. "Ban giám hiệu duyệt · HB"."""
    return TASK_NAME.format(code=school.code)


def principal_group(school: School) -> Group | None:
    """The school's own principal group, or None before the role sync has made it."""
    link = (
        RoleGroup.objects.filter(role=Role.PRINCIPAL, school=school).select_related("group").first()
    )
    return link.group if link else None


def school_task(school: School) -> PrincipalApprovalTask | None:
    """The school's approval task, found by its group (names change with the code), or None."""
    group = principal_group(school)
    if group is None:
        return None
    return PrincipalApprovalTask.objects.filter(groups=group).order_by("pk").first()


def school_workflow(school: School) -> Workflow | None:
    """The workflow holding the school's approval task, or None if sync has not run."""
    task = school_task(school)
    if task is None:
        return None
    return Workflow.objects.filter(workflow_tasks__task=task).order_by("pk").first()


def _ensure_task(school: School, group: Group) -> PrincipalApprovalTask:
    task = school_task(school)
    if task is None:
        task = PrincipalApprovalTask.objects.filter(name=task_name(school)).order_by("pk").first()
    if task is None:
        task = PrincipalApprovalTask.objects.create(name=task_name(school))
    if task.name != task_name(school) or not task.active:
        task.name = task_name(school)
        task.active = True
        task.save(update_fields=["name", "active"])
    # Only this school's leadership reviews its pages.
    task.groups.set([group])
    return task


def _ensure_workflow(school: School, task: PrincipalApprovalTask) -> Workflow:
    workflow = Workflow.objects.filter(workflow_tasks__task=task).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.filter(name=workflow_name(school)).order_by("pk").first()
    if workflow is None:
        workflow = Workflow.objects.create(name=workflow_name(school), active=True)
    if workflow.name != workflow_name(school) or not workflow.active:
        workflow.name = workflow_name(school)
        workflow.active = True
        workflow.save(update_fields=["name", "active"])
    WorkflowTask.objects.filter(workflow=workflow).exclude(task=task).delete()
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    return workflow


@transaction.atomic
def sync_school_workflow(school: School) -> Workflow | None:
    """Create or update the school's review workflow and assign it to its root page.

    Safe to run any number of times. Creates nothing, and returns None, while the
    school has no principal group yet (the role sync makes it on the same save)
    or no root page. When the root page changes the workflow moves with it; when
    the root page is removed the workflow stays, assigned to no page.
    """
    group = principal_group(school)
    if group is None:
        logger.debug("No principal group for school %s yet; workflow not synced.", school.code)
        return None
    if school.root_page_id is None:
        workflow = school_workflow(school)
        if workflow is not None:
            WorkflowPage.objects.filter(workflow=workflow).delete()
        return workflow

    task = _ensure_task(school, group)
    workflow = _ensure_workflow(school, task)
    WorkflowPage.objects.filter(workflow=workflow).exclude(page_id=school.root_page_id).delete()
    WorkflowPage.objects.update_or_create(
        page_id=school.root_page_id, defaults={"workflow": workflow}
    )
    return workflow


def sync_all_school_workflows() -> list[Workflow]:
    """Sync the review workflow of every school that has a root page."""
    workflows = []
    for school in School.objects.filter(root_page__isnull=False):
        workflow = sync_school_workflow(school)
        if workflow is not None:
            workflows.append(workflow)
    return workflows
