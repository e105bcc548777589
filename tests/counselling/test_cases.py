"""A session referred to a case: linked to an open case of the school the user may read
(of the learner named), or a Mẫu 01 draft prefilled from it, linked back once the
wizard opens the case."""

import datetime

from django.utils import timezone

from counselling.models import CounsellingEntry
from forms_app.models import Case, CaseState, WizardDraft
from tests.counselling.conftest import NEW, edit_url, entry_data, entry_url
from tests.forms_app.factories import make_case
from tests.forms_app.wizards.stepping import INTAKE_WIZARD

NOTES = "Em kể bị bạn chặn đường đòi tiền nhiều lần"


def test_an_open_case_of_the_learner_is_offered_by_reference_and_linked(
    worker_client, worker, principal, school, other_school, area, learner_of
):
    hoa = learner_of(school, "Lê Thị Hoa", "7A")
    hers = make_case(school, worker, learner_name="Lê Thị Hoa", learner_class="7A")
    someone_else = make_case(school, worker, learner_name="Trần Văn Bình")
    closed = make_case(school, worker, principal, state=CaseState.CLOSED, learner_name="Lê Thị Hoa")
    theirs = make_case(other_school, worker, learner_name="Lê Thị Hoa")

    asked = worker_client.post(NEW, entry_data(area, names="Lê Thị Hoa", outcome="case"))
    offered = dict(asked.context["form"].fields["case_choice"].choices)
    assert str(hers.pk) in offered
    assert hers.reference in offered[str(hers.pk)]
    assert "Lê Thị Hoa" not in offered[str(hers.pk)]
    for left_out in (someone_else, closed, theirs):
        assert str(left_out.pk) not in offered

    refused = worker_client.post(
        NEW, entry_data(area, names="Lê Thị Hoa", outcome="case", case_choice=str(theirs.pk))
    )
    assert "case_choice" in refused.context["form"].errors
    assert not CounsellingEntry.objects.exists()

    response = worker_client.post(
        NEW, entry_data(area, names="Lê Thị Hoa", outcome="case", case_choice=str(hers.pk))
    )
    assert response.status_code == 302
    entry = CounsellingEntry.objects.get()
    assert entry.case == hers
    assert list(entry.learners.all()) == [hoa]
    page = worker_client.get(entry_url(entry)).content.decode()
    assert hers.reference in page


def test_without_a_learner_every_open_case_of_the_school_is_offered(
    worker_client, worker, school, area
):
    one = make_case(school, worker, learner_name="Lê Thị Hoa")
    two = make_case(school, worker, learner_name="Trần Văn Bình")
    asked = worker_client.post(NEW, entry_data(area, outcome="case"))
    offered = dict(asked.context["form"].fields["case_choice"].choices)
    assert {str(one.pk), str(two.pk), "new"} <= set(offered)


def test_another_outcome_unlinks_the_case(worker_client, worker, school, area, make_entry):
    case = make_case(school, worker)
    entry = make_entry(school, outcome="case", case=case)
    worker_client.post(edit_url(entry), entry_data(area, outcome="follow_up"))
    entry.refresh_from_db()
    assert entry.case is None


def _finish(client, draft: WizardDraft) -> None:
    """Post every step as the draft holds it, adding what the session could not tell."""
    typed = {
        "learner": {"learner_consent": "yes"},
        "informant_consent": {"consent": "no"},
        "first_assessment": {"urgency": "urgent", "referral_suggested": "no"},
    }
    step = INTAKE_WIZARD.first_step
    for _ in range(len(INTAKE_WIZARD.steps) + 1):
        draft.refresh_from_db()
        stored = draft.steps.get("data", {}).get(step, {})
        payload = {INTAKE_WIZARD.management: step, **stored}
        payload.update({f"{step}-{name}": value for name, value in typed.get(step, {}).items()})
        response = client.post(INTAKE_WIZARD.step_url(draft, step), payload)
        assert response.status_code == 302, response.context["form"].errors
        draft.refresh_from_db()
        if draft.record_id:
            return
        step = response.url.rstrip("/").rsplit("/", 1)[-1]
    raise AssertionError("the wizard did not finish")


def test_a_new_case_opens_a_prefilled_mau_01_and_the_case_is_linked_when_it_is_saved(
    worker_client, worker, school, area, learner_of
):
    hoa = learner_of(
        school, "Lê Thị Hoa", "7A", gender="female", birth_date=datetime.date(2013, 4, 2)
    )
    response = worker_client.post(
        NEW,
        entry_data(
            area, names="le thi hoa", outcome="case", case_choice="new", notes=NOTES, form="phone"
        ),
    )
    entry = CounsellingEntry.objects.get()
    assert entry.case is None
    draft = WizardDraft.objects.get(source=f"counselling:{entry.pk}")
    assert draft.owner == worker
    assert draft.school == school
    assert draft.template == "01"
    assert response.url == INTAKE_WIZARD.step_url(draft, "source")

    source = worker_client.get(response.url)
    assert f'value="{timezone.localdate().isoformat()}"' in source.content.decode()
    learner_step = worker_client.get(INTAKE_WIZARD.step_url(draft, "learner")).content.decode()
    assert "Lê Thị Hoa" in learner_step
    assert NOTES in learner_step
    stored = draft.steps["data"]
    assert stored["source"]["source-channel"] == ["phone"]
    assert stored["learner"]["learner-roll_learner"] == [str(hoa.pk)]

    # A second click on Save makes no second draft.
    worker_client.post(
        edit_url(entry), entry_data(area, names="Lê Thị Hoa", outcome="case", case_choice="new")
    )
    assert WizardDraft.objects.filter(source=f"counselling:{entry.pk}").count() == 1

    _finish(worker_client, draft)
    case = Case.objects.get()
    entry.refresh_from_db()
    assert entry.case == case
    assert entry.outcome == CounsellingEntry.Outcome.CASE
    assert case.learner == hoa
    assert case.learner_name == "Lê Thị Hoa"


def test_a_case_of_another_school_is_never_linked_by_the_signal(
    worker, school, other_school, make_entry
):
    from counselling.receivers import link_opened_case

    entry = make_entry(school, outcome="case")
    theirs = make_case(other_school, worker)
    link_opened_case(sender=None, case=theirs, source=f"counselling:{entry.pk}")
    link_opened_case(sender=None, case=theirs, source="counselling:nope")
    entry.refresh_from_db()
    assert entry.case is None
