"""Opening a case from a concern: Mẫu 01 prefilled, the concern linked once it is saved."""

from django.utils import timezone

from audit.models import AuditEntry
from concerns.models import Channel, Status
from forms_app.models import Case, CaseEvent, WizardDraft
from tests.concerns.triage.conftest import (
    LEARNER_NAME,
    OTHER_LEARNER_NAME,
    WHAT_HAPPENED,
    make_concern,
    name_learner,
)
from tests.forms_app.wizards.stepping import INTAKE_WIZARD

# What the case worker adds on the steps the concern cannot answer.
TYPED = {
    "family": {},
    "first_assessment": {"urgency": "urgent", "referral_suggested": "no"},
}


def open_from(client, concern, **data):
    response = client.post(f"/admin/tiep-nhan-thong-tin/{concern.pk}/mo-ho-so/", data)
    assert response.status_code == 302, response.content
    return response


def finish(client, draft: WizardDraft, typed: dict | None = None):
    """Post every step as the draft holds it (plus what only the case worker knows)."""
    step = INTAKE_WIZARD.first_step
    for _ in range(len(INTAKE_WIZARD.steps) + 1):
        draft.refresh_from_db()
        stored = draft.steps.get("data", {}).get(step, {})
        payload = {INTAKE_WIZARD.management: step, **stored}
        answers = {**TYPED, **(typed or {})}.get(step, {})
        payload.update({f"{step}-{name}": value for name, value in answers.items()})
        response = client.post(INTAKE_WIZARD.step_url(draft, step), payload)
        assert response.status_code == 302, response.context["form"].errors
        draft.refresh_from_db()
        if draft.record_id:
            return response
        step = response.url.rstrip("/").rsplit("/", 1)[-1]
    raise AssertionError("the wizard did not finish")


def test_open_a_case_prefills_mau_01_and_links_the_concern_after_the_final_step(
    school, worker, worker_client, staff_concern
):
    named = staff_concern.learners.get()
    response = open_from(worker_client, staff_concern, learner=named.pk)
    draft = WizardDraft.objects.get(source=f"concern:{staff_concern.pk}")
    assert draft.owner == worker
    assert draft.template == "01"
    assert response.url == INTAKE_WIZARD.step_url(draft, "source")
    assert AuditEntry.objects.filter(target=f"concern-open-case:{staff_concern.pk}").exists()

    received = timezone.localtime(staff_concern.received_at)
    first = worker_client.get(response.url)
    assert first.status_code == 200
    body = first.content.decode()
    assert f'value="{received:%Y-%m-%d}"' in body
    assert f'value="{received:%H:%M}"' in body
    assert not first.context["form"].errors

    learner_step = worker_client.get(INTAKE_WIZARD.step_url(draft, "learner"))
    learner_body = learner_step.content.decode()
    assert LEARNER_NAME in learner_body
    assert WHAT_HAPPENED in learner_body
    assert not learner_step.context["form"].errors

    finish(worker_client, draft)
    case = Case.objects.get()
    staff_concern.refresh_from_db()
    named.refresh_from_db()
    assert staff_concern.case == case
    assert staff_concern.status == Status.HANDLING
    assert named.case == case
    assert case.learner_name == LEARNER_NAME
    # The referral clock runs from the concern's receipt (to the minute).
    assert case.received_at == staff_concern.received_at.replace(second=0, microsecond=0)
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE).exists()
    intake = case.intake
    assert intake.informant_consented
    assert intake.answers["informant"]["name"] == "teacher"
    assert intake.answers["support_so_far"]["support_so_far"] == "Đã hỏi chuyện em."


def test_each_learner_named_gets_their_own_case(school, worker_client):
    concern = make_concern(school, channel=Channel.PHONE, caller="Tổng đài 111")
    first = name_learner(concern)
    second = name_learner(concern, OTHER_LEARNER_NAME, "7B")
    refused = worker_client.post(f"/admin/tiep-nhan-thong-tin/{concern.pk}/mo-ho-so/", {})
    assert refused.status_code == 400  # which learner must be chosen
    open_from(worker_client, concern, learner=second.pk)
    draft = WizardDraft.objects.get()
    finish(worker_client, draft)
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.case.learner_name == OTHER_LEARNER_NAME
    assert first.case is None
    # The first learner can still have a case of their own; the second is no longer offered.
    form = worker_client.get(f"/admin/tiep-nhan-thong-tin/{concern.pk}/").context["open_case_form"]
    assert list(form.fields["learner"].queryset) == [first]


def test_a_double_click_makes_one_draft(school, worker_client, staff_concern):
    named = staff_concern.learners.get()
    open_from(worker_client, staff_concern, learner=named.pk)
    open_from(worker_client, staff_concern, learner=named.pk)
    assert WizardDraft.objects.count() == 1


def test_an_intake_typed_from_scratch_links_no_concern(school, worker_client, staff_concern):
    draft = INTAKE_WIZARD.start(worker_client)
    assert draft.source == ""
    now = timezone.localtime()
    source = {"channel": "phone", "received_date": f"{now:%Y-%m-%d}", "received_time": "00:00"}
    finish(worker_client, draft, {"source": source, "informant_consent": {"consent": "no"}})
    assert Case.objects.count() == 1
    staff_concern.refresh_from_db()
    assert staff_concern.case is None
    assert staff_concern.status == Status.RECEIVED
