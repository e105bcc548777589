"""The case page's next steps fit the case's state and the reader's role.

Seen on a fresh clone: after the worker's review proposed closing (Mẫu 04), the
case page offered the worker "Start carrying out the plan" and said nothing of
the principal, whose decision the case waits for.
"""

import html

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext

from forms_app.admin.next_steps import case_actions, waiting_note
from forms_app.cases import transitions
from forms_app.display import case_url
from forms_app.models import CaseState
from forms_app.wizards import PlanWizard, ReviewWizard
from tests.forms_app.factories import make_case

WAITS_FOR_PRINCIPAL = (
    "The review proposes closing the case. It waits for the principal, who decides."
)


@pytest.fixture
def proposed_closing(staff):
    """A case whose latest review (Mẫu 04, filed by the worker) proposes closing it."""
    return make_case(staff.school, staff.worker, staff.principal, state=CaseState.REVIEWED)


def shown(client, user, case) -> str:
    client.force_login(user)
    response = client.get(case_url(case.pk))
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def unrelated_urls(case) -> list[str]:
    """The screens of steps that do not follow a review proposing to close."""
    return [
        reverse("forms_app:case_start", args=[case.pk]),
        reverse("forms_app:case_refer", args=[case.pk]),
        reverse(PlanWizard.start_url_name()),
        reverse(ReviewWizard.start_url_name()),
    ]


@pytest.mark.parametrize("role", ["worker", "colleague"])
def test_after_proposing_to_close_a_case_worker_is_told_it_waits_for_the_principal(
    role, staff, proposed_closing, client
):
    user = getattr(staff, role)

    assert case_actions(user, proposed_closing) == []
    page = shown(client, user, proposed_closing)
    assert gettext(WAITS_FOR_PRINCIPAL) in page
    for url in [*unrelated_urls(proposed_closing), reverse("forms_app:case_close", args=[1])]:
        assert url.split("?")[0] not in page
    assert reverse("forms_app:case_close", args=[proposed_closing.pk]) not in page


@pytest.mark.parametrize("role", ["principal", "vice"])
def test_after_a_review_proposing_to_close_the_principal_is_offered_closing_only(
    role, staff, proposed_closing, client
):
    user = getattr(staff, role)

    actions = case_actions(user, proposed_closing)
    assert [action.url for action in actions] == [
        reverse("forms_app:case_close", args=[proposed_closing.pk])
    ]
    page = shown(client, user, proposed_closing)
    assert gettext(WAITS_FOR_PRINCIPAL) in page
    assert gettext("Close the case") in page
    for url in unrelated_urls(proposed_closing):
        assert url not in page


@pytest.mark.parametrize("role", ["worker_b", "principal_b", "editor"])
def test_nobody_outside_the_schools_case_roles_reads_that_page(
    role, staff, proposed_closing, client
):
    client.force_login(getattr(staff, role))
    assert client.get(case_url(proposed_closing.pk)).status_code in (403, 404)


def test_the_server_refuses_to_start_the_plan_again_after_a_review_proposing_to_close(
    staff, proposed_closing
):
    with pytest.raises(ValidationError) as raised:
        transitions.start_plan(proposed_closing, staff.worker)
    assert raised.value.code == "review_does_not_continue"
    proposed_closing.refresh_from_db()
    assert proposed_closing.state == CaseState.REVIEWED


def test_a_submitted_plan_tells_the_worker_whose_decision_it_waits_for(staff):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_SUBMITTED)
    assert waiting_note(staff.worker, case) == gettext("A plan waits for the principal's decision.")
    assert case_actions(staff.worker, case) == []


def test_nothing_is_said_to_wait_once_the_case_is_closed(staff):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.CLOSED)
    assert waiting_note(staff.principal, case) == ""
