"""Stepping through a case wizard as a browser does: start a draft, open a step, post it.

The four wizards of forms_app.wizards follow one contract (a draft per start, a URL
per step, a management form naming the step posted), so their tests drive them
through one ``Stepper`` each instead of four copies of the same helpers. The idea
is django-formtools' NamedWizardTests: the same steps, run against each wizard.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse
from formtools.wizard.views import normalize_name

from forms_app.models import Case, CaseState, WizardDraft
from forms_app.wizards import AssessmentWizard, CaseWizard, IntakeWizard, PlanWizard, ReviewWizard


@dataclass(frozen=True)
class Stepper:
    """One wizard's URLs and posts, as its tests use them."""

    wizard: type[CaseWizard]
    # The state a case must be in for a draft of this wizard to start (None: Mẫu 01,
    # which opens the case).
    case_state: str | None = None

    @property
    def management(self) -> str:
        """The management form's field: the step a post is for (formtools checks it)."""
        return f"{normalize_name(self.wizard.__name__)}-current_step"

    @property
    def first_step(self) -> str:
        return self.wizard.get_first_step()

    @property
    def steps(self) -> list[str]:
        """Every step the wizard may ask, in order (conditional ones included)."""
        return [name for name, _form in self.wizard.form_list]

    def start_url(self) -> str:
        return reverse(self.wizard.start_url_name())

    def step_url(self, draft: WizardDraft, step: str) -> str:
        return reverse(self.wizard.step_url_name(), kwargs={"draft_id": draft.pk, "step": step})

    def open_new(self, client: Client, case: Case | None = None, **params):
        """GET the start URL (of ``case`` for Mẫu 02–04): the first step, no draft made yet."""
        if case is not None:
            params["case"] = case.pk
        return client.get(self.start_url(), params)

    def start(self, client: Client, case: Case | None = None, **params) -> WizardDraft:
        """A new draft (of ``case`` for Mẫu 02–04) at its first step, with nothing typed.

        The start URL shows the first step of a draft it has not made (the first
        save makes it); the draft it shows is saved here as it is, so that a test
        can post each step, the first included, to the draft's own URLs.
        """
        response = self.open_new(client, case, **params)
        assert response.status_code == 200
        draft = response.context["draft"]
        assert response.context["wizard"]["steps"].current == self.first_step
        assert not WizardDraft.objects.filter(pk=draft.pk).exists()
        draft.save(force_insert=True)
        return draft

    def post(self, client: Client, draft: WizardDraft, step: str, data: dict, **buttons):
        """Post ``step`` with ``data`` given without the step's prefix, and any ``buttons``."""
        payload = {
            self.management: step,
            **{f"{step}-{name}": value for name, value in data.items()},
        }
        payload.update(buttons)
        return client.post(self.step_url(draft, step), payload)

    def fill(self, client: Client, draft: WizardDraft, steps: Iterable[tuple[str, dict, str]]):
        """Post each ``(step, data, following)`` and check that it leads on to ``following``."""
        for step, data, following in steps:
            response = self.post(client, draft, step, data)
            assert response.status_code == 302, response.context["form"].errors
            assert response.url == self.step_url(draft, following)


def stored(draft: WizardDraft) -> dict:
    """What the draft keeps of each step's input, read again from the database."""
    draft.refresh_from_db()
    return draft.steps.get("data", {})


INTAKE_WIZARD = Stepper(IntakeWizard)
ASSESSMENT_WIZARD = Stepper(AssessmentWizard, CaseState.RECEIVED)
PLAN_WIZARD = Stepper(PlanWizard, CaseState.ASSESSED)
REVIEW_WIZARD = Stepper(ReviewWizard, CaseState.IN_PROGRESS)
# By the wizards' URL stem ("intake", "assessment", "plan", "review").
STEPPERS = {
    stepper.wizard.url_base: stepper
    for stepper in (INTAKE_WIZARD, ASSESSMENT_WIZARD, PLAN_WIZARD, REVIEW_WIZARD)
}
