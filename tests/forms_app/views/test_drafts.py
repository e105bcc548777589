"""Starting a wizard and the user's drafts ("Bản nháp của tôi").

A draft is made only when its first step is saved, so opening a wizard and going
away leaves nothing; the list says what each draft is (template, learner, when it
was saved) to its owner alone, who may delete it, with an audit entry.
"""

import pytest
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext, override

from audit.describe import describe_entry
from audit.models import Action, AuditEntry
from forms_app.display import local_moment
from forms_app.models import WizardDraft
from tests.forms_app.factories import make_case
from tests.forms_app.wizards import test_intake_wizard as intake
from tests.forms_app.wizards.stepping import ASSESSMENT_WIZARD, INTAKE_WIZARD, stored

MANAGEMENT = INTAKE_WIZARD.management


def test_opening_a_new_intake_makes_no_draft_until_its_first_step_is_saved(client_as, worker):
    client = client_as(worker)
    url = INTAKE_WIZARD.start_url()

    for _click in range(3):
        page = client.get(url)
        assert page.status_code == 200
        assert page.context["wizard"]["steps"].current == "source"
    # The first step sent with a mistake is shown again, and still makes nothing.
    invalid = client.post(url, {MANAGEMENT: "source", "source-channel": "carrier pigeon"})
    assert invalid.status_code == 200
    assert invalid.context["form"].has_error("channel")
    assert not WizardDraft.objects.exists()
    # Seen, not changed: the audit names the form, there being no draft to name.
    assert set(AuditEntry.objects.values_list("action", "target")) == {(Action.VIEW, "mau-01")}

    saved = client.post(
        url, {MANAGEMENT: "source", **{f"source-{k}": v for k, v in intake.SOURCE.items()}}
    )

    draft = WizardDraft.objects.get()
    assert (draft.owner, draft.template, draft.current_step) == (worker, "01", "learner")
    assert saved.url == INTAKE_WIZARD.step_url(draft, "learner")
    assert stored(draft)["source"]["source-channel"] == ["phone"]
    last = AuditEntry.objects.order_by("-pk").first()
    assert (last.action, last.target) == (Action.CHANGE, f"draft:{draft.pk}")
    assert client.get(saved.url).status_code == 200


def test_save_and_leave_on_a_new_draft_keeps_it(client_as, worker):
    client = client_as(worker)
    response = client.post(
        INTAKE_WIZARD.start_url(),
        {MANAGEMENT: "source", "source-channel": "phone", "wizard_save_and_leave": "1"},
    )
    assert response.url == reverse("forms_app:drafts")
    assert stored(WizardDraft.objects.get())["source"]["source-channel"] == ["phone"]


def test_a_new_draft_cannot_be_posted_at_a_later_step(client_as, worker):
    client = client_as(worker)
    posted = {MANAGEMENT: "learner", "learner-name": "Nguyễn Văn An"}
    assert client.post(INTAKE_WIZARD.start_url(), posted).status_code == 400
    assert not WizardDraft.objects.exists()


def test_my_drafts_say_the_template_the_learner_and_when_each_was_saved(client_as, school, worker):
    client = client_as(worker)
    new_intake = INTAKE_WIZARD.start(client)
    INTAKE_WIZARD.post(client, new_intake, "source", intake.SOURCE)
    INTAKE_WIZARD.post(client, new_intake, "learner", intake.LEARNER)
    case = make_case(school, worker, learner_name="Trần Thị Bích")
    assessment = ASSESSMENT_WIZARD.start(client, case)
    anonymous = INTAKE_WIZARD.start(client)

    page = client.get(reverse("forms_app:drafts"))

    rows = {row["draft"].pk: row for row in page.context["rows"]}
    assert rows[new_intake.pk]["learner"] == intake.LEARNER["name"]
    assert rows[assessment.pk]["learner"] == "Trần Thị Bích"
    assert rows[anonymous.pk]["learner"] == ""
    html = page.content.decode()
    for draft in (new_intake, assessment, anonymous):
        draft.refresh_from_db()
        assert escape(draft.get_template_display()) in html
        assert local_moment(draft.updated_at) in html
        assert reverse("forms_app:draft_delete", args=[draft.pk]) in html
    assert escape(intake.LEARNER["name"]) in html
    assert escape("Trần Thị Bích") in html
    assert case.reference in html


def test_the_owner_deletes_a_draft_after_confirming_and_it_is_audited(client_as, school, worker):
    client = client_as(worker)
    case = make_case(school, worker)
    draft = ASSESSMENT_WIZARD.start(client, case)
    url = reverse("forms_app:draft_delete", args=[draft.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert 'method="post"' in confirm.content.decode()
    assert WizardDraft.objects.filter(pk=draft.pk).exists()
    before = AuditEntry.objects.count()

    response = client.post(url)

    assert response.url == reverse("forms_app:drafts")
    assert not WizardDraft.objects.filter(pk=draft.pk).exists()
    entry = AuditEntry.objects.order_by("-pk").first()
    assert AuditEntry.objects.count() == before + 1
    assert (entry.action, entry.target, entry.case_id_value) == (
        Action.DELETE,
        f"draft:{draft.pk}",
        case.pk,
    )
    # The trail reads it in words: "Deleted", "Draft of a form", the case's reference.
    with override("vi"):
        assert describe_entry(entry).what == gettext("Draft of a form")
        assert entry.get_action_display() == gettext("Deleted")


def test_nobody_but_the_owner_can_delete_a_draft(client_as, school, worker, colleague, principal):
    draft = INTAKE_WIZARD.start(client_as(worker))
    url = reverse("forms_app:draft_delete", args=[draft.pk])
    for other in (colleague, principal):
        client = client_as(other)
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert WizardDraft.objects.filter(pk=draft.pk).exists()


def test_deleting_needs_the_csrf_token(client_as, worker):
    from django.test import Client

    draft = INTAKE_WIZARD.start(client_as(worker))
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client_as(worker).cookies
    url = reverse("forms_app:draft_delete", args=[draft.pk])
    assert strict.post(url).status_code == 403
    assert WizardDraft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("method", ["put", "delete"])
def test_deleting_takes_a_post_only(client_as, worker, method):
    client = client_as(worker)
    draft = INTAKE_WIZARD.start(client)
    url = reverse("forms_app:draft_delete", args=[draft.pk])
    assert getattr(client, method)(url).status_code == 405
    assert WizardDraft.objects.filter(pk=draft.pk).exists()
