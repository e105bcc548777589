"""Pages waiting for the principal's review sit in the same to-do as the case tasks.

The school's review workflow (pages/workflows.py, PrincipalApprovalTask) asks its
principals to approve what editors submit. The to-do page and its dashboard panel
list those pages of the principal's own schools, once each, with "Approve" (a
POST to Wagtail's workflow action URL) and "Request changes" (Wagtail's modal,
which asks for the comment) one click away; never the submitter's own page, and
never to a principal of another school.
"""

import html
import json

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory
from django.urls import reverse
from wagtail.models import Page, TaskState

from forms_app.admin.dashboard import TodoPanel
from forms_app.cases.todo import todo_for
from forms_app.models import CaseState
from pages.models import StandardPage
from tests.forms_app.factories import make_case

TODO_URL = "/admin/ho-so/viec-can-lam/"


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def submitted(school, user, title: str = "Tuần lễ an toàn trên mạng") -> StandardPage:
    """A draft page of ``school`` that ``user`` sent to the school's review."""
    page = school.root_page.add_child(
        instance=StandardPage(title=title, slug=f"trang-{Page.objects.count()}", live=False)
    )
    page.save_revision(user=user)
    page.get_workflow().start(page, user)
    return page


def page_items(user) -> list:
    return [item for item in todo_for(fresh(user)).items if item.kind == "page_review"]


def action_url(page, name: str) -> str:
    state = page.current_workflow_task_state
    return reverse("wagtailadmin_pages:workflow_action", args=(page.pk, name, state.pk))


def shown(client, user, url: str = TODO_URL) -> str:
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_a_submitted_page_waits_on_each_principals_to_do_with_both_actions(staff, client):
    page = submitted(staff.school, staff.editor)

    for principal in (staff.principal, staff.vice):
        [item] = page_items(principal)
        assert item.case_reference == page.title
        assert [(a.url, a.method) for a in item.actions] == [
            (action_url(page, "approve"), "post"),
            (action_url(page, "reject"), "modal"),
        ]

    text = shown(client, staff.principal)
    assert text.count(page.title) == 1
    assert f'<form method="post" action="{action_url(page, "approve")}">' in text
    assert f'data-workflow-action-url="{action_url(page, "reject")}" data-launch-modal' in text
    assert "csrfmiddlewaretoken" in text
    # Wagtail's script opens the modal; loaded once.
    assert text.count("wagtailadmin/js/workflow-action.js") == 1


def test_approving_from_the_to_do_publishes_and_comes_back_to_it(staff, client):
    page = submitted(staff.school, staff.editor)
    client.force_login(staff.principal)

    response = client.post(action_url(page, "approve"), {"comment": "", "next": TODO_URL})

    assert response.status_code == 302
    assert response.url == TODO_URL
    assert Page.objects.get(pk=page.pk).live
    assert page_items(staff.principal) == []


def test_request_changes_opens_wagtails_form_for_the_comment(staff, client):
    page = submitted(staff.school, staff.editor)
    client.force_login(staff.principal)

    response = client.get(
        action_url(page, "reject"), headers={"x-requested-with": "XMLHttpRequest"}
    )

    assert response.status_code == 200
    assert json.loads(response.content)["step"] == "action"


def test_a_principals_own_submission_waits_for_another_principal(staff, client):
    page = submitted(staff.school, staff.principal)

    assert page_items(staff.principal) == []
    assert [item.case_reference for item in page_items(staff.vice)] == [page.title]
    # Self-approval is refused on the server, whatever the list offers.
    client.force_login(staff.principal)
    client.post(action_url(page, "approve"), {"comment": "", "next": TODO_URL})
    assert not Page.objects.get(pk=page.pk).live


@pytest.mark.parametrize("role", ["principal_b", "worker_b", "worker", "colleague"])
def test_nobody_but_the_schools_principals_sees_its_pages_waiting(role, staff, client):
    page = submitted(staff.school, staff.editor)
    user = getattr(staff, role)

    assert page_items(user) == []
    assert page.title not in shown(client, user)


def test_a_principal_of_another_school_put_in_this_schools_review_group_sees_nothing(staff):
    """Group membership by hand gives Wagtail's moderation rights, not this school's to-do."""
    page = submitted(staff.school, staff.editor)
    school_task = page.current_workflow_task.specific
    staff.principal_b.groups.add(*school_task.groups.all())
    assert TaskState.objects.reviewable_by(fresh(staff.principal_b)).exists()  # Wagtail's view

    assert page_items(staff.principal_b) == []


def test_a_principal_of_two_schools_sees_each_page_once(staff, client, make_staff):
    from schools.models import Membership

    Membership.objects.create(school=staff.other_school, user=staff.principal, role="principal")
    here = submitted(staff.school, staff.editor, "Tin tức trường AL")
    there = submitted(staff.other_school, staff.worker_b, "Tin tức trường BK")

    titles = [item.case_reference for item in page_items(staff.principal)]
    assert sorted(titles) == sorted([here.title, there.title])
    assert [item.case_reference for item in page_items(staff.principal_b)] == [there.title]


def test_the_dashboard_panel_lists_the_page_beside_the_cases(staff, client):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_SUBMITTED)
    page = submitted(staff.school, staff.editor)
    request = RequestFactory().get("/admin/")
    request.user = fresh(staff.principal)

    rendered = html.unescape(TodoPanel(request).render_html({}))

    assert case.reference in rendered
    assert page.title in rendered
    assert f'action="{action_url(page, "approve")}"' in rendered
    assert 'name="csrfmiddlewaretoken"' in rendered

    # On the dashboard, Wagtail's panel brings the script that opens the modal, once.
    text = shown(client, staff.principal, reverse("wagtailadmin_home"))
    assert text.count("wagtailadmin/js/workflow-action.js") == 1
    assert f'data-workflow-action-url="{action_url(page, "reject")}"' in text
