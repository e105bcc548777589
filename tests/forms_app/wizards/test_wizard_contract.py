"""What every case wizard promises, checked once against each wizard that has it.

Each wizard's own file tests its steps and records; the rules here are the same
for all of them (a management form that names the step, who may fill a template
in, whose draft is whose), so one test runs against each wizard, as django-formtools'
NamedWizardTests runs one set of tests against each of its wizards. Each test lists
the wizards whose files used to hold a copy of it.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from forms_app.models import Case, CaseState, WizardDraft
from schools.models import Membership
from schools.roles import Role
from tests.forms_app.wizards import test_assessment_wizard as assessment
from tests.forms_app.wizards import test_intake_wizard as intake
from tests.forms_app.wizards import test_plan_wizard as plan
from tests.forms_app.wizards import test_review_wizard as review
from tests.forms_app.wizards.stepping import (
    ASSESSMENT_WIZARD,
    INTAKE_WIZARD,
    PLAN_WIZARD,
    REVIEW_WIZARD,
    Stepper,
    stored,
)


@dataclass(frozen=True)
class Scene:
    """A wizard as these tests meet it: where its drafts start and what its first step takes."""

    name: str
    wizard: Stepper
    # Answers the first step accepts.
    first_data: dict
    # A case in the state the wizard starts from, built by the wizard's own tests
    # (school, worker, principal); None for Mẫu 01, which opens the case.
    case_builder: Callable | None = None

    def __str__(self) -> str:
        return self.name

    def make_case(self, school, worker, principal) -> Case | None:
        return self.case_builder(school, worker, principal) if self.case_builder else None

    def new_draft(self, client, school, case: Case | None) -> WizardDraft:
        """A draft started as the case page (or, for Mẫu 01, the school's menu) starts it."""
        if case is None:
            return self.wizard.start(client, school=school.pk)
        return self.wizard.start(client, case)


INTAKE = Scene("intake", INTAKE_WIZARD, intake.SOURCE)
ASSESSMENT = Scene(
    "assessment",
    ASSESSMENT_WIZARD,
    assessment.VERIFICATION,
    lambda school, worker, _principal: assessment.received_case(school, worker),
)
PLAN = Scene(
    "plan",
    PLAN_WIZARD,
    {"text": "Em bị trêu chọc, ngại đến lớp"},
    lambda school, worker, _principal: plan.assessed_case(school, worker),
)
REVIEW = Scene("review", REVIEW_WIZARD, review.GENERAL, review.case_in_progress)


# The wizards' names for their steps


@pytest.mark.parametrize(
    ("scene", "names"),
    [
        (
            INTAKE,
            [
                "source",
                "learner",
                "family",
                "support_so_far",
                "informant_consent",
                "informant",
                "first_assessment",
            ],
        ),
        (
            ASSESSMENT,
            ["verification", "harm", "resilience", "risk", "needs", "conclusion", "referral"],
        ),
        (REVIEW, ["general", "results", "harm", "resilience", "conclusion", "referral"]),
    ],
    ids=["intake", "assessment", "review"],
)
def test_wizard_step_names_are_words(scene, names):
    assert scene.wizard.steps == names


# Tampering


@pytest.mark.parametrize(
    ("scene", "step", "data", "button", "unknown_step"),
    [
        (INTAKE, "source", intake.SOURCE, {"wizard_goto_step": "source"}, "no-such-step"),
        (
            ASSESSMENT,
            "verification",
            assessment.VERIFICATION,
            {"wizard_goto_step": "harm"},
            "no-such-step",
        ),
        (
            PLAN,
            "activities",
            plan.rows([plan.ACTIVITY]),
            {"activities-add-row": "1"},
            "no-such-step",
        ),
        (REVIEW, "general", review.GENERAL, {"wizard_goto_step": "general"}, "nope"),
    ],
    ids=["intake", "assessment", "plan", "review"],
)
def test_a_missing_or_tampered_management_form_is_a_400(
    scene, step, data, button, unknown_step, client_as, school, worker, principal
):
    client = client_as(worker)
    draft = scene.new_draft(client, school, scene.make_case(school, worker, principal))
    url = scene.wizard.step_url(draft, step)
    posted = {f"{step}-{name}": value for name, value in data.items()}
    assert client.post(url, posted).status_code == 400
    assert client.post(url, {**posted, **button}).status_code == 400
    assert client.post(url, {**posted, scene.wizard.management: unknown_step}).status_code == 400
    assert stored(draft) == {}


# Who may fill a template in


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL])
@pytest.mark.parametrize("scene", [INTAKE, ASSESSMENT, REVIEW], ids=str)
def test_case_roles_of_the_school_can_fill_in_the_template(
    scene, role, client_as, make_staff, school, worker, principal
):
    case = scene.make_case(school, worker, principal)
    client = client_as(make_staff("staff", role, school))
    draft = scene.new_draft(client, school, case)
    first = scene.wizard.first_step
    assert client.get(scene.wizard.step_url(draft, first)).status_code == 200
    assert scene.wizard.post(client, draft, first, scene.first_data).status_code == 302
    assert client.get(reverse("forms_app:drafts")).status_code == 200


@pytest.mark.parametrize("role", [Role.EDITOR, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR])
@pytest.mark.parametrize("scene", [ASSESSMENT, REVIEW], ids=str)
def test_staff_without_a_case_role_cannot_start_one_nor_learn_the_case_exists(
    scene, role, client_as, make_staff, school, worker, principal
):
    case = scene.make_case(school, worker, principal)
    client = client_as(make_staff("staff", role, school))
    response = client.get(scene.wizard.start_url(), {"case": case.pk})
    assert response.status_code == 404
    assert case.learner_name not in response.content.decode()
    assert not WizardDraft.objects.exists()


@pytest.mark.parametrize(
    ("scene", "state"),
    [
        # Mẫu 02 assesses a case just received, and only that.
        *(
            (ASSESSMENT, state)
            for state in (
                CaseState.ASSESSED,
                CaseState.REFERRED,
                CaseState.IN_PROGRESS,
                CaseState.CLOSED,
            )
        ),
        # Mẫu 04 reviews a plan being carried out, and only that.
        *(
            (REVIEW, state)
            for state in (
                CaseState.RECEIVED,
                CaseState.PLAN_APPROVED,
                CaseState.REVIEWED,
                CaseState.CLOSED,
            )
        ),
    ],
    ids=str,
)
def test_a_draft_cannot_be_started_on_a_case_in_another_state(
    scene, state, client_as, school, worker, principal
):
    case = scene.make_case(school, worker, principal)
    Case.objects.filter(pk=case.pk).update(state=state)
    response = client_as(worker).get(scene.wizard.start_url(), {"case": case.pk})
    assert response.status_code == 403
    assert not WizardDraft.objects.exists()


# Whose draft is whose


@pytest.mark.parametrize("scene", [INTAKE, ASSESSMENT, REVIEW], ids=str)
def test_a_colleagues_draft_is_a_404_and_a_leaver_gets_403(
    scene, client_as, school, worker, colleague, principal
):
    draft = scene.new_draft(client_as(worker), school, scene.make_case(school, worker, principal))
    url = scene.wizard.step_url(draft, scene.wizard.first_step)
    assert client_as(colleague).get(url).status_code == 404

    # Still on the staff (as an editor), so still let into the admin.
    Membership.objects.create(school=school, user=worker, role=Role.EDITOR)
    worker.school_memberships.filter(role=Role.CASE_WORKER).delete()
    client = client_as(worker)
    assert client.get(url).status_code == 403
    assert client.get(reverse("forms_app:drafts")).status_code == 403


@pytest.mark.parametrize(
    ("scene", "step", "data"),
    [
        (ASSESSMENT, "harm", lambda: assessment.rated("harm")),
        (PLAN, "goals", lambda: plan.goals("Lạ")),
        (REVIEW, "general", lambda: {"notes": "x"}),
    ],
    ids=["assessment", "plan", "review"],
)
def test_a_case_worker_of_another_school_gets_404_on_the_case_and_the_draft(
    scene, step, data, client_as, school, worker, principal, worker_b
):
    wizard = scene.wizard
    case = scene.make_case(school, worker, principal)
    draft = wizard.start(client_as(worker), case)
    wizard.post(client_as(worker), draft, wizard.first_step, scene.first_data)
    before = stored(draft)
    client = client_as(worker_b)

    assert client.get(wizard.start_url(), {"case": case.pk}).status_code == 404
    assert client.get(wizard.step_url(draft, wizard.first_step)).status_code == 404
    assert wizard.post(client, draft, step, data()).status_code == 404
    assert client.get(wizard.start_url()).status_code == 404
    assert client.get(wizard.step_url(WizardDraft(pk=uuid.uuid4()), step)).status_code == 404
    # What the worker typed is still there, and nothing the stranger posted.
    assert stored(draft) == before
    for name, value in scene.first_data.items():
        assert before[wizard.first_step][f"{wizard.first_step}-{name}"] == [value]


# Finishing


def _finish_intake(client, _case) -> tuple:
    draft = intake.start(client)
    intake.fill_until_consent(client, draft)
    intake.post_step(client, draft, "informant_consent", {"consent": "no"})
    return draft, intake.post_step(client, draft, "first_assessment", intake.ASSESSMENT)


def _finish_assessment(client, case) -> tuple:
    draft = assessment.start(client, case)
    assessment.fill_until_conclusion(client, draft)
    return draft, assessment.post_step(client, draft, "conclusion", assessment.SUPPORT)


def _finish_plan(client, case) -> tuple:
    draft = plan.start(client, case)
    plan.fill_all_but_confirm(client, draft)
    return draft, plan.send(client, draft)


@pytest.mark.parametrize(
    ("scene", "finish", "saved"),
    [
        (INTAKE, _finish_intake, "%(template)s of case %(reference)s has been saved."),
        (ASSESSMENT, _finish_assessment, "%(template)s of case %(reference)s has been saved."),
        (
            PLAN,
            _finish_plan,
            "%(template)s of case %(reference)s has been sent to the principal for approval.",
        ),
    ],
    ids=["intake", "assessment", "plan"],
)
def test_finishing_a_wizard_says_what_was_saved_on_the_case_page(
    scene, finish, saved, client_as, school, worker, principal
):
    from django.utils.html import escape
    from django.utils.translation import gettext, override

    from forms_app.models import TemplateCode

    client = client_as(worker)
    draft, response = finish(client, scene.make_case(school, worker, principal))
    draft.refresh_from_db()
    assert draft.record_id is not None
    assert response.status_code == 302

    page = client.get(response.url)
    case = draft.case
    assert response.url == reverse("forms_app_case_modeladmin_inspect", args=[case.pk])
    with override("vi"):
        message = gettext(saved) % {
            "template": TemplateCode(draft.template).label,
            "reference": case.reference,
        }
    shown = [str(m).strip() for m in page.context["messages"]]
    assert shown == [message]
    assert escape(message) in page.content.decode()
    # The reference names the case; the learner's name stays out of the message.
    assert case.learner_name not in message
