"""Picking a learner from the school's list in Mẫu 01: the name typed offers the learners
who have it, with "none of these"; the one chosen fills what was left empty and is
linked to the case. A server round trip, so it works without script."""

import datetime

import pytest

from forms_app.models import Case, Gender
from tests.forms_app.wizards.stepping import INTAKE_WIZARD, stored
from tests.forms_app.wizards.test_intake_wizard import ASSESSMENT, FAMILY, SOURCE, SUPPORT

LEARNER_NAME = "Phạm Thị Thử"
# What a case worker types on the learner step: the name only, without diacritics.
TYPED = {"name": "pham thi thu", "learner_consent": "yes"}


@pytest.fixture
def roll(school, other_school, learner_of):
    return {
        "6A": learner_of(
            school, LEARNER_NAME, "6A", birth_date=datetime.date(2014, 2, 3), gender="female"
        ),
        "8C": learner_of(school, LEARNER_NAME, "8C", birth_date=datetime.date(2012, 6, 7)),
        "left": learner_of(school, LEARNER_NAME, "9A", on_roll=False),
        "elsewhere": learner_of(other_school, LEARNER_NAME, "6A"),
    }


def _to_learner_step(client):
    draft = INTAKE_WIZARD.start(client)
    INTAKE_WIZARD.fill(client, draft, [("source", SOURCE, "learner")])
    return draft


def _finish(client, draft):
    INTAKE_WIZARD.fill(
        client,
        draft,
        [
            ("family", FAMILY, "support_so_far"),
            ("support_so_far", SUPPORT, "informant_consent"),
        ],
    )
    INTAKE_WIZARD.post(client, draft, "informant_consent", {"consent": "no"})
    return INTAKE_WIZARD.post(client, draft, "first_assessment", ASSESSMENT)


def test_a_name_on_the_list_offers_its_learners_and_none_of_these(client_as, worker, roll):
    client = client_as(worker)
    draft = _to_learner_step(client)
    response = INTAKE_WIZARD.post(client, draft, "learner", TYPED)
    assert response.status_code == 200  # the step comes back, asking
    form = response.context["form"]
    assert form.has_error("roll_learner", "choose")
    offered = dict(form.fields["roll_learner"].choices)
    assert set(offered) == {str(roll["6A"].pk), str(roll["8C"].pk), "none"}
    html = response.content.decode()
    assert 'type="radio"' in html
    assert "03/02/2014" in html
    assert "6A" in html
    # Nothing typed is lost while the question is asked.
    assert stored(draft)["learner"]["learner-name"] == ["pham thi thu"]


def test_choosing_a_learner_fills_what_was_left_empty_and_links_the_case(
    client_as, worker, school, roll
):
    client = client_as(worker)
    draft = _to_learner_step(client)
    INTAKE_WIZARD.post(client, draft, "learner", TYPED)
    response = INTAKE_WIZARD.post(
        client, draft, "learner", {**TYPED, "roll_learner": roll["6A"].pk}
    )
    assert response.status_code == 302
    # Going back shows what the list filled in.
    page = client.get(INTAKE_WIZARD.step_url(draft, "learner"))
    assert page.context["form"]["learner_class"].value() == "6A"
    assert page.context["form"]["birth_date"].value() == "2014-02-03"
    assert page.context["form"]["gender"].value() == Gender.FEMALE

    assert _finish(client, draft).status_code == 302
    case = Case.objects.get()
    assert case.learner == roll["6A"]
    assert case.learner_class == "6A"
    assert case.learner_birth_date == datetime.date(2014, 2, 3)
    assert case.learner_gender == Gender.FEMALE


def test_what_was_typed_wins_over_the_list(client_as, worker, roll):
    client = client_as(worker)
    draft = _to_learner_step(client)
    typed = {**TYPED, "learner_class": "6A1", "gender": Gender.MALE}
    INTAKE_WIZARD.post(client, draft, "learner", {**typed, "roll_learner": roll["6A"].pk})
    _finish(client, draft)
    case = Case.objects.get()
    assert case.learner == roll["6A"]
    assert (case.learner_class, case.learner_gender) == ("6A1", Gender.MALE)


def test_none_of_these_opens_the_case_without_a_learner_from_the_list(client_as, worker, roll):
    client = client_as(worker)
    draft = _to_learner_step(client)
    response = INTAKE_WIZARD.post(client, draft, "learner", {**TYPED, "roll_learner": "none"})
    assert response.status_code == 302
    _finish(client, draft)
    case = Case.objects.get()
    assert case.learner is None
    assert case.learner_class == ""


def test_a_name_not_on_the_list_asks_nothing(client_as, worker, roll):
    client = client_as(worker)
    draft = _to_learner_step(client)
    response = INTAKE_WIZARD.post(client, draft, "learner", {**TYPED, "name": "Phạm Thị"})
    assert response.status_code == 302


def test_another_schools_learner_cannot_be_posted(client_as, worker, roll):
    client = client_as(worker)
    draft = _to_learner_step(client)
    response = INTAKE_WIZARD.post(
        client, draft, "learner", {**TYPED, "roll_learner": roll["elsewhere"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("roll_learner", "invalid_choice")


def test_a_changed_name_asks_again(client_as, worker, school, roll, learner_of):
    other = learner_of(school, "Võ Văn Thử", "7A")
    client = client_as(worker)
    draft = _to_learner_step(client)
    response = INTAKE_WIZARD.post(
        client, draft, "learner", {**TYPED, "name": "vo van thu", "roll_learner": roll["6A"].pk}
    )
    assert response.status_code == 200
    assert set(dict(response.context["form"].fields["roll_learner"].choices)) == {
        str(other.pk),
        "none",
    }
