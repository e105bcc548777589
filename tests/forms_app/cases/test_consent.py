"""Consent to share a learner's information, as the law asks it of a school.

Mẫu 01 records the learner's and the guardian's consent; from age 7 the learner's
own answer is required (Luật Trẻ em 2016 art. 33, Nghị định 13/2023 art. 20). A
referral without the needed consent is made only with the documented danger
exception, and with consent ``Referral.consent_given`` is set.
"""

import datetime

from django.urls import reverse
from django.utils import timezone, translation

from forms_app.cases.consent import age_from, consent_complete
from forms_app.models import CaseState, IntakeReport, Referral
from forms_app.wizards import IntakeWizard
from tests.forms_app.factories import make_case
from tests.forms_app.wizards.test_intake_wizard import (
    ASSESSMENT,
    FAMILY,
    LEARNER,
    SOURCE,
    SUPPORT,
    post_step,
    start,
    step_url,
)


def born_years_ago(years: int) -> str:
    today = timezone.localdate()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=1)).isoformat()


def learner(**changes) -> dict:
    data = {key: value for key, value in LEARNER.items() if key != "learner_consent"}
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


# The intake


def test_a_twelve_year_old_needs_their_own_consent_answer(worker_client):
    draft = start(worker_client)
    post_step(worker_client, draft, "source", SOURCE)

    response = post_step(worker_client, draft, "learner", learner(birth_date=born_years_ago(12)))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("learner_consent", "learner_consent_required")
    assert "12" in form.errors["learner_consent"][0]
    # What was typed is kept.
    assert response.context["form"]["name"].value() == LEARNER["name"]


def test_an_estimated_age_of_twelve_counts_too_and_too_young_is_refused(worker_client):
    draft = start(worker_client)
    post_step(worker_client, draft, "source", SOURCE)

    response = post_step(
        worker_client,
        draft,
        "learner",
        learner(birth_date=None, age_estimate="12", learner_consent="too_young"),
    )

    assert response.context["form"].has_error("learner_consent", "learner_not_too_young")


def test_a_five_year_old_needs_no_consent_answer_of_their_own(worker_client):
    draft = start(worker_client)
    post_step(worker_client, draft, "source", SOURCE)

    response = post_step(worker_client, draft, "learner", learner(birth_date=born_years_ago(5)))

    assert response.status_code == 302
    assert response.url == step_url(draft, "family")


def test_an_unknown_age_needs_no_consent_answer(worker_client):
    draft = start(worker_client)
    post_step(worker_client, draft, "source", SOURCE)

    response = post_step(worker_client, draft, "learner", learner(birth_date=None))

    assert response.status_code == 302


def test_both_consents_are_stored_in_the_answers_and_printed(worker_client):
    draft = start(worker_client)
    for step, data in [
        ("source", SOURCE),
        ("learner", learner(learner_consent="not_yet_asked")),
        ("family", {**FAMILY, "guardian_consent": "guardian_suspected"}),
        ("support_so_far", SUPPORT),
        ("informant_consent", {"consent": "no"}),
        ("first_assessment", ASSESSMENT),
    ]:
        assert post_step(worker_client, draft, step, data).status_code == 302

    report = IntakeReport.objects.get()
    assert report.answers["learner"]["learner_consent"] == "not_yet_asked"
    assert report.answers["family"]["guardian_consent"] == "guardian_suspected"
    with translation.override("en"):
        sections = IntakeWizard.describe_sections(report)
    rows = {row.label: row.value for section in sections for row in section.items}
    assert rows["Did the learner agree to their information being shared?"] == "Not asked yet"
    assert (
        rows["Did the parent or guardian agree to the learner's information being shared?"]
        == "Not asked: the parent or guardian is the suspected source of harm"
    )


def test_an_intake_from_before_the_question_prints_not_recorded(school, worker):
    case = make_case(school, worker)
    with translation.override("en"):
        sections = IntakeWizard.describe_sections(IntakeReport.objects.get(case=case))
    rows = {row.label: row.value for section in sections for row in section.items}
    assert rows["Did the learner agree to their information being shared?"] == "Not recorded"


def test_the_rule_of_consent():
    assert age_from(datetime.date(2019, 3, 2), None, on=datetime.date(2026, 3, 1)) == 6
    assert age_from(datetime.date(2019, 3, 2), None, on=datetime.date(2026, 3, 2)) == 7
    # An estimate grows with the years since it was given.
    grown = age_from(None, 6, estimated_on=datetime.date(2025, 1, 1), on=datetime.date(2026, 2, 1))
    assert grown == 7
    assert consent_complete("yes", "yes", 12)
    assert not consent_complete("yes", "not_reachable", 12)
    assert not consent_complete("not_yet_asked", "yes", 12)
    assert consent_complete("too_young", "yes", 5)
    assert consent_complete("", "yes", 5)
    assert not consent_complete("", "yes", None)


# The referral from intake (case action)


def intake_case(school, worker, *, learner_consent: str, guardian_consent: str, age: int = 12):
    case = make_case(school, worker, learner_age_estimate=age)
    IntakeReport.objects.filter(case=case).update(
        answers={
            "learner": {"learner_consent": learner_consent},
            "family": {"guardian_consent": guardian_consent},
        }
    )
    return case


def refer_url(case) -> str:
    return reverse("forms_app:case_refer", args=[case.pk])


def test_the_referral_screen_starts_from_the_consent_recorded_at_intake(
    worker_client, school, worker
):
    case = intake_case(school, worker, learner_consent="yes", guardian_consent="not_reachable")

    form = worker_client.get(refer_url(case)).context["form"]

    assert form["learner_consent"].value() == "yes"
    assert form["guardian_consent"].value() == "not_reachable"


def test_a_referral_without_consent_and_without_the_exception_is_refused(
    worker_client, school, worker, body
):
    case = intake_case(school, worker, learner_consent="yes", guardian_consent="not_reachable")
    data = {
        "receiving_body": body.pk,
        "learner_consent": "yes",
        "guardian_consent": "not_reachable",
    }

    response = worker_client.post(refer_url(case), data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("danger_exception", "exception_required")
    with translation.override("en"):
        assert "only be shared when the child is in danger" in form.errors["danger_exception"][0]
    assert not Referral.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED
    # Nothing typed is lost.
    assert response.context["form"]["guardian_consent"].value() == "not_reachable"


def test_a_referral_of_a_twelve_year_old_without_their_consent_needs_the_exception(
    worker_client, school, worker, body
):
    case = intake_case(school, worker, learner_consent="not_yet_asked", guardian_consent="yes")
    data = {
        "receiving_body": body.pk,
        "learner_consent": "not_yet_asked",
        "guardian_consent": "yes",
    }

    response = worker_client.post(refer_url(case), data)

    assert response.context["form"].has_error("danger_exception", "exception_required")
    assert not Referral.objects.exists()


def test_a_referral_with_the_documented_exception_is_recorded(worker_client, school, worker, body):
    case = intake_case(school, worker, learner_consent="yes", guardian_consent="guardian_suspected")
    exception = "Em bị người giám hộ đánh, cần bảo vệ ngay"

    response = worker_client.post(
        refer_url(case),
        {
            "receiving_body": body.pk,
            "learner_consent": "yes",
            "guardian_consent": "guardian_suspected",
            "danger_exception": exception,
        },
    )

    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.consent_given is False
    assert referral.danger_exception == exception
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED


def test_a_referral_with_consent_sets_consent_given_and_keeps_no_exception(
    worker_client, school, worker, body
):
    case = intake_case(school, worker, learner_consent="yes", guardian_consent="yes")

    response = worker_client.post(
        refer_url(case),
        {
            "receiving_body": body.pk,
            "learner_consent": "yes",
            "guardian_consent": "yes",
            "danger_exception": "không cần",
        },
    )

    assert response.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.consent_given is True
    assert referral.danger_exception == ""


def test_a_five_year_old_needs_only_the_guardians_consent(worker_client, school, worker, body):
    case = intake_case(school, worker, learner_consent="too_young", guardian_consent="yes", age=5)

    response = worker_client.post(
        refer_url(case),
        {
            "receiving_body": body.pk,
            "learner_consent": "too_young",
            "guardian_consent": "yes",
        },
    )

    assert response.status_code == 302
    assert Referral.objects.get(case=case).consent_given is True
