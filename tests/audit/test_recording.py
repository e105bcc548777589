"""Every screen showing or changing case data writes one audit entry, after the permission check."""

import pytest
from django.urls import reverse

from audit.chain import verify
from audit.models import Action, AuditEntry
from forms_app.models import CaseState, IntakeReport, InterventionPlan
from tests.forms_app.factories import LEARNER_NAME, make_case
from tests.forms_app.searching import search_cases

ADDRESS = "203.0.113.7"


def only_entry() -> AuditEntry:
    entries = list(AuditEntry.objects.all())
    assert len(entries) == 1, [(e.action, e.target) for e in entries]
    return entries[0]


def assert_entry(entry: AuditEntry, user, action: str, case=None, target: str = "") -> None:
    assert entry.actor_id == user.pk
    assert entry.actor_username == user.get_username()
    assert entry.action == action
    assert entry.ip_address == ADDRESS
    if case is not None:
        assert entry.case_id_value == case.pk
        assert entry.case_reference == case.reference
        assert entry.school_id_value == case.school_id
    if target:
        assert entry.target == target


def test_opening_the_case_page_is_one_view(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)

    response = client.get(reverse("forms_app_case_modeladmin_inspect", args=[case.pk]))

    assert response.status_code == 200
    assert_entry(only_entry(), staff["worker"], Action.VIEW, case, f"case:{case.pk}")
    assert verify().ok


def test_a_case_page_refused_writes_nothing(client_as, staff, case):
    client = client_as(staff["other_worker"], ADDRESS)

    response = client.get(reverse("forms_app_case_modeladmin_inspect", args=[case.pk]))

    assert response.status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_search_records_the_number_of_results_never_the_term(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)

    response = search_cases(client, case.reference)

    assert response.status_code == 200
    entry = only_entry()
    assert_entry(entry, staff["worker"], Action.SEARCH, target="case-list")
    assert entry.detail == "results: 1"
    assert entry.school_id_value == case.school_id
    assert entry.case_reference == ""


def test_a_search_for_a_name_leaves_no_trace_of_the_name(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)

    search_cases(client, LEARNER_NAME)

    entry = only_entry()
    assert entry.action == Action.SEARCH
    assert entry.detail.startswith("results: ")
    stored = " ".join(str(value) for value in AuditEntry.objects.values().get().values())
    for part in LEARNER_NAME.split():
        assert part not in stored


def test_the_case_list_without_a_search_is_not_recorded(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)

    assert client.get(reverse("forms_app_case_modeladmin_index")).status_code == 200
    assert not AuditEntry.objects.exists()


def test_showing_a_wizard_step_of_a_case_is_one_view(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)
    # The start URL shows the first step of a draft not made yet: the form is named.
    response = client.get(reverse("forms_app:assessment_start"), {"case": case.pk})

    assert response.status_code == 200
    entry = only_entry()
    assert_entry(entry, staff["worker"], Action.VIEW, case)
    assert entry.target == "mau-02"
    assert entry.detail == "step: verification"

    # Once saved, the draft's own steps are named by the draft.
    draft = response.context["draft"]
    draft.save()
    response = client.get(reverse("forms_app:assessment_step", args=[draft.pk, "verification"]))
    assert response.status_code == 200
    assert AuditEntry.objects.order_by("-pk").first().target == f"draft:{draft.pk}"


def test_submitting_the_intake_wizard_is_one_creation(client_as, staff, school):
    from tests.forms_app.wizards.test_intake_wizard import (
        ASSESSMENT,
        INFORMANT,
        fill_until_consent,
        post_step,
        start,
    )

    client = client_as(staff["worker"], ADDRESS)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "yes"})
    post_step(client, draft, "informant", INFORMANT)
    before = AuditEntry.objects.count()
    last = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first()

    response = post_step(client, draft, "first_assessment", ASSESSMENT)

    assert response.status_code == 302
    report = IntakeReport.objects.get()
    created = list(AuditEntry.objects.filter(pk__gt=last))
    assert len(created) == 1
    assert_entry(created[0], staff["worker"], Action.CREATE, report.case, f"mau-01:{report.pk}")
    # Opening the form was one view; every step posted after, a change of the draft,
    # with no case yet.
    assert AuditEntry.objects.filter(action=Action.VIEW, target="mau-01").count() == 1
    saved = AuditEntry.objects.filter(action=Action.CHANGE)
    assert saved.count() == before - 1
    assert set(saved.values_list("case_id_value", flat=True)) == {None}
    assert set(saved.values_list("school_id_value", flat=True)) == {school.pk}
    assert verify().ok


@pytest.mark.parametrize(
    ("view", "action"),
    [("forms_app:record_print", Action.PRINT), ("forms_app:record_pdf", Action.PDF)],
)
def test_printing_and_pdf_are_recorded(client_as, staff, case, view, action):
    report = IntakeReport.objects.get(case=case)
    client = client_as(staff["principal"], ADDRESS)

    response = client.get(reverse(view, args=["01", report.pk]))

    assert response.status_code == 200
    assert_entry(only_entry(), staff["principal"], action, case, f"mau-01:{report.pk}")


def test_a_print_refused_writes_nothing(client_as, staff, case):
    report = IntakeReport.objects.get(case=case)
    client = client_as(staff["editor"], ADDRESS)

    assert client.get(reverse("forms_app:record_print", args=["01", report.pk])).status_code == 404
    assert not AuditEntry.objects.exists()


def test_a_case_action_shown_is_a_view_and_taken_is_a_change(client_as, staff, school):
    case = make_case(school, staff["worker"], staff["principal"], state=CaseState.PLAN_APPROVED)
    client = client_as(staff["worker"], ADDRESS)
    url = reverse("forms_app:case_start", args=[case.pk])

    assert client.get(url).status_code == 200
    assert_entry(only_entry(), staff["worker"], Action.VIEW, case, f"case-start:{case.pk}")

    response = client.post(url, {"note": ""})

    assert response.status_code == 302
    change = AuditEntry.objects.latest("pk")
    assert AuditEntry.objects.count() == 2
    assert_entry(change, staff["worker"], Action.CHANGE, case, f"case-start:{case.pk}")


def test_a_plan_decision_names_the_decision_and_the_plan(client_as, staff, school):
    case = make_case(school, staff["worker"], staff["principal"], state=CaseState.PLAN_SUBMITTED)
    plan = InterventionPlan.objects.get(case=case)
    client = client_as(staff["principal"], ADDRESS)

    response = client.post(
        reverse("forms_app:plan_decide", args=[plan.pk]), {"decision": "approve", "comment": ""}
    )

    assert response.status_code == 302
    assert_entry(only_entry(), staff["principal"], Action.CHANGE, case, f"plan-approve:{plan.pk}")


def test_a_decision_refused_to_a_case_worker_writes_nothing(client_as, staff, school):
    case = make_case(school, staff["worker"], staff["principal"], state=CaseState.PLAN_SUBMITTED)
    plan = InterventionPlan.objects.get(case=case)
    client = client_as(staff["worker"], ADDRESS)

    response = client.post(
        reverse("forms_app:plan_decide", args=[plan.pk]), {"decision": "approve"}
    )

    assert response.status_code == 403
    assert not AuditEntry.objects.exists()


def test_the_todo_page_listing_cases_is_one_view_per_school(client_as, staff, case):
    client = client_as(staff["worker"], ADDRESS)

    response = client.get(reverse("forms_app:todo"))

    assert response.status_code == 200
    assert response.context["items"]
    entry = only_entry()
    assert_entry(entry, staff["worker"], Action.VIEW, target="todo")
    assert entry.school_id_value == case.school_id
    assert entry.detail == f"items: {len(response.context['items'])}"


def test_an_empty_todo_page_is_not_recorded(client_as, staff):
    client = client_as(staff["other_worker"], ADDRESS)

    assert client.get(reverse("forms_app:todo")).status_code == 200
    assert not AuditEntry.objects.exists()


def test_opening_and_changing_the_learner_details_are_recorded_without_values(
    client_as, staff, case
):
    client = client_as(staff["worker"], ADDRESS)
    url = reverse("forms_app_case_modeladmin_edit", args=[case.pk])

    assert client.get(url).status_code == 200
    assert_entry(only_entry(), staff["worker"], Action.VIEW, case, f"case-edit:{case.pk}")

    response = client.post(
        url,
        {
            "learner_name": "Đinh Thị Mai Phương",
            "learner_class": "9C",
            "learner_birth_date": "2011-05-20",
            "learner_age_estimate": "",
            "learner_gender": "female",
        },
    )

    assert response.status_code == 302
    change = AuditEntry.objects.get(action=Action.CHANGE)
    assert_entry(change, staff["worker"], Action.CHANGE, case, f"case:{case.pk}")
    assert "learner_name" in change.detail
    assert "learner_class" in change.detail
    assert "Phương" not in change.detail
    assert "9C" not in change.detail
    assert verify().ok
