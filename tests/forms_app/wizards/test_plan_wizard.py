"""The Mẫu 03 plan wizard: the wizard contract, its four situations and its rows of activities."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from django.utils.translation import gettext

from forms_app.cases import deadlines, transitions
from forms_app.cases.opening import open_case
from forms_app.display import case_url
from forms_app.models import (
    ActivityPartner,
    Assessment,
    Case,
    CaseState,
    InterventionPlan,
    NeedDomain,
    Review,
    WizardDraft,
)
from forms_app.printing.sections import Table, snapshot
from forms_app.wizards import PlanWizard
from tests.forms_app.factories import make_case, plan_answers
from tests.forms_app.wizards.stepping import PLAN_WIZARD, stored

start, step_url, post = PLAN_WIZARD.start, PLAN_WIZARD.step_url, PLAN_WIZARD.post
Status = InterventionPlan.Status

GOALS = ["Em đến lớp đều đặn", "Em có thêm hai bạn thân trong lớp"]
ACTIVITY = {
    "need": "an toàn",
    "activity": "Tham vấn cá nhân mỗi tuần một buổi",
    "responsible": "Cô Lương Thị Hạnh, tổ tư vấn",
    "timing": "Tuần 1 – tuần 8",
    "resources": "Phòng tư vấn",
    "expected_result": "Em nói được điều em lo lắng",
}
SECOND_ACTIVITY = {
    "need": "học tập",
    "activity": "Kèm môn Toán sau giờ học",
    "responsible": "Thầy Vũ Đức Long, GVCN",
    "timing": "Thứ Ba, thứ Năm",
    "resources": "",
    "expected_result": "Điểm Toán trên trung bình",
}


def assessed_case(school, worker, conclusion=Assessment.Conclusion.SUPPORT, **learner) -> Case:
    """A case whose assessment (Mẫu 02) concluded ``conclusion``, moved to "assessed"."""
    learner.setdefault("learner_name", "Phạm Minh Khôi")
    learner.setdefault("learner_class", "8B")
    case = open_case(
        school, worker, received_at=timezone.now() - datetime.timedelta(hours=2), **learner
    )
    safety, study = NeedDomain.objects.get(name="an toàn"), NeedDomain.objects.get(name="học tập")
    Assessment.objects.create(
        case=case,
        conclusion=conclusion,
        author=worker,
        answers={
            "needs": {
                "items": [
                    {"domain": snapshot(safety), "priority": "high", "note": "Bị trêu chọc"},
                    {"domain": snapshot(study), "priority": "low", "note": ""},
                ]
            },
            "conclusion": {"conclusion": conclusion},
        },
    )
    transitions.transition(case, CaseState.ASSESSED, worker)
    case.refresh_from_db()
    return case


def rows(rows_: list[dict], total: int | None = None) -> dict:
    """A formset's input, keys without the step's prefix: ``items-0-need``…"""
    data = {
        "items-TOTAL_FORMS": str(len(rows_) if total is None else total),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "0",
        "items-MAX_NUM_FORMS": "30",
    }
    for index, row in enumerate(rows_):
        data.update({f"items-{index}-{name}": value for name, value in row.items()})
    return data


def goals(*texts: str) -> dict:
    return rows([{"text": text} for text in texts])


def period(start: datetime.date, end: datetime.date, review: datetime.date) -> dict:
    return {
        "period_start": start.isoformat(),
        "period_end": end.isoformat(),
        "review_date": review.isoformat(),
    }


TODAY = datetime.date(2026, 3, 2)
PERIOD = period(TODAY, TODAY + datetime.timedelta(days=60), TODAY + datetime.timedelta(days=60))


def ui(msgid: str, params: dict | None = None) -> str:
    """``msgid`` as the admin shows it (in Vietnamese once translated), params filled in."""
    with translation.override("vi"):
        text = gettext(msgid)
    return text % params if params else text


def fill_all_but_confirm(client, draft, activities=None) -> None:
    PLAN_WIZARD.fill(
        client,
        draft,
        [
            ("problems", {"text": "Em bị trêu chọc, ngại đến lớp"}, "goals"),
            ("goals", goals(*GOALS), "activities"),
            ("activities", rows(activities or [ACTIVITY]), "period"),
            ("period", PERIOD, "confirm"),
        ],
    )


def send(client, draft):
    return post(client, draft, "confirm", {"confirm": "on"})


# Happy path: the first plan after an assessment


def test_first_plan_is_sent_to_the_principal_as_version_1(client_as, school, worker):
    case = assessed_case(school, worker)
    family, teacher = ActivityPartner.objects.filter(name__in=["gia đình", "giáo viên chủ nhiệm"])
    client = client_as(worker)
    draft = start(client, case)
    with_partners = {**ACTIVITY, "partners": [family.pk, teacher.pk]}
    fill_all_but_confirm(client, draft, [with_partners, SECOND_ACTIVITY])

    before = timezone.now()
    response = send(client, draft)

    plan = InterventionPlan.objects.get()
    case.refresh_from_db()
    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    assert (plan.case, plan.version, plan.status, plan.author) == (
        case,
        1,
        Status.SUBMITTED,
        worker,
    )
    assert case.state == CaseState.PLAN_SUBMITTED
    assert plan.submitted_at >= before
    assert plan.approval_due_at == deadlines.plan_approval_due(school, plan.submitted_at)
    assert case.next_deadline == plan.approval_due_at
    assert (plan.period_start, plan.period_end, plan.review_date) == (
        TODAY,
        TODAY + datetime.timedelta(days=60),
        TODAY + datetime.timedelta(days=60),
    )
    assert plan.template_version == "2025.1"
    assert plan.legal_basis == "Thông tư 18/2025/TT-BGDĐT"
    assert plan.answers == {
        "problems": {"text": "Em bị trêu chọc, ngại đến lớp"},
        "goals": {"items": [{"text": GOALS[0]}, {"text": GOALS[1]}]},
        "activities": {
            "items": [
                {**ACTIVITY, "partners": [snapshot(family), snapshot(teacher)]},
                {**SECOND_ACTIVITY, "partners": []},
            ]
        },
    }
    draft.refresh_from_db()
    assert draft.record_id == plan.pk
    assert draft.steps == {}


def test_problems_are_prefilled_from_the_assessments_needs(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    page = client.get(step_url(draft, "problems"))

    line = "%(domain)s (priority: %(priority)s)"
    safety = ui(line, {"domain": "an toàn", "priority": ui("High")}) + ": Bị trêu chọc"
    study = ui(line, {"domain": "học tập", "priority": ui("Low")})
    assert page.context["form"]["text"].value() == f"{safety}\n{study}"
    html = page.content.decode()
    assert "Phạm Minh Khôi" in html
    assert "8B" in html
    assert escape(safety) in html
    assert html.count('name="problems-text"') == 1


def test_the_assessed_needs_are_offered_in_the_activities_table(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    post(client, draft, "problems", {"text": "Ngại đến lớp"})
    post(client, draft, "goals", goals("Đi học đều"))

    html = client.get(step_url(draft, "activities")).content.decode()

    assert '<datalist id="plan-need-suggestions">' in html
    assert '<option value="an toàn">' in html
    assert 'list="plan-need-suggestions"' in html
    assert "js/rows.js" in html


def test_the_last_step_shows_the_plan_and_when_the_principal_must_decide(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    fill_all_but_confirm(client, draft)

    page = client.get(step_url(draft, "confirm"))

    html = page.content.decode()
    due = deadlines.plan_approval_due(school, timezone.now()).strftime("%d/%m/%Y")
    assert due in str(page.context["form"]["confirm"].help_text)
    assert due in html
    assert html.count('name="confirm-confirm"') == 1
    for text in [*GOALS, ACTIVITY["activity"], "02/03/2026", "Em bị trêu chọc, ngại đến lớp"]:
        assert text in html
    # Not sent without the author's confirmation.
    response = post(client, draft, "confirm", {})
    assert response.status_code == 200
    assert response.context["form"].has_error("confirm", "required")
    assert not InterventionPlan.objects.exists()


# Rows of activities and goals, without JavaScript


def test_adding_a_row_keeps_what_was_typed_and_shows_no_errors(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    response = post(client, draft, "activities", rows([ACTIVITY]), **{"activities-add-row": "1"})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.formset.total_form_count() == 2
    assert form.formset.forms[0]["activity"].value() == ACTIVITY["activity"]
    assert form.formset.forms[1]["activity"].value() in (None, "")
    html = response.content.decode()
    assert ACTIVITY["responsible"] in html
    assert 'id="error-summary"' not in html
    assert 'name="activities-items-1-activity"' in html
    # Kept in the draft: a reload shows both rows.
    assert stored(draft)["activities"]["activities-items-TOTAL_FORMS"] == ["2"]
    again = client.get(step_url(draft, "activities"))
    assert again.context["form"].formset.forms[0]["activity"].value() == ACTIVITY["activity"]
    assert again.context["form"].formset.total_form_count() == 2


def test_removing_a_row_keeps_the_other_rows_and_forgets_the_removed_one(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    third = {**ACTIVITY, "activity": "Gặp gia đình em", "responsible": "GVCN"}

    response = post(
        client,
        draft,
        "activities",
        rows([ACTIVITY, SECOND_ACTIVITY, third]),
        **{"activities-remove-row": "1"},
    )

    assert response.status_code == 200
    formset = response.context["form"].formset
    assert [row["activity"].value() for row in formset.forms] == [
        ACTIVITY["activity"],
        "Gặp gia đình em",
    ]
    assert formset.forms[1]["responsible"].value() == "GVCN"
    assert SECOND_ACTIVITY["activity"] not in str(stored(draft))

    response = post(client, draft, "activities", rows([ACTIVITY, third]))
    assert response.url == step_url(draft, "period")
    post(client, draft, "problems", {"text": "Ngại đến lớp"})
    post(client, draft, "goals", goals("Đi học đều"))
    post(client, draft, "period", PERIOD)
    send(client, draft)
    items = InterventionPlan.objects.get().answers["activities"]["items"]
    assert [item["activity"] for item in items] == [ACTIVITY["activity"], "Gặp gia đình em"]


def test_a_goal_can_be_added_and_removed_without_javascript(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    added = post(client, draft, "goals", goals(GOALS[0]), **{"goals-add-row": "1"})
    assert added.context["form"].formset.total_form_count() == 2
    removed = post(client, draft, "goals", goals(*GOALS), **{"goals-remove-row": "0"})
    assert [row["text"].value() for row in removed.context["form"].formset.forms] == [GOALS[1]]


def test_rows_removed_in_the_browser_and_empty_rows_are_ignored(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    removed_in_browser = {**SECOND_ACTIVITY, "DELETE": "on"}

    response = post(client, draft, "activities", rows([ACTIVITY, removed_in_browser, {}]))

    assert response.status_code == 302
    post(client, draft, "problems", {"text": "Ngại đến lớp"})
    post(client, draft, "goals", goals("", "Đi học đều", ""))
    post(client, draft, "period", PERIOD)
    send(client, draft)
    plan = InterventionPlan.objects.get()
    assert [item["activity"] for item in plan.answers["activities"]["items"]] == [
        ACTIVITY["activity"]
    ]
    assert plan.answers["goals"]["items"] == [{"text": "Đi học đều"}]


def test_at_least_one_activity_is_required(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    response = post(client, draft, "activities", rows([{}, {}]))

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "no_rows")
    assert escape(ui("Add at least one activity.")) in response.content.decode()


def test_a_row_without_its_activity_is_refused_with_the_row_named(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    response = post(
        client, draft, "activities", rows([ACTIVITY, {**SECOND_ACTIVITY, "activity": ""}])
    )

    assert response.status_code == 200
    html = response.content.decode()
    row = ui("Activity %(number)s", {"number": 2})
    error = ui("Say what the activity or measure is, or remove the row.")
    assert escape(f"{row}: {ui('Activity or measure')}: {error}") in html
    # The rest of the row is still there to be completed.
    assert SECOND_ACTIVITY["responsible"] in html


def test_at_least_one_goal_is_required(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    response = post(client, draft, "goals", goals("", "  "))

    assert response.status_code == 200
    assert response.context["form"].has_error("__all__", "no_rows")
    assert escape(ui("Write at least one goal.")) in response.content.decode()


# Period


def test_the_plan_cannot_end_before_it_starts(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)

    response = post(
        client, draft, "period", period(TODAY, TODAY - datetime.timedelta(days=1), TODAY)
    )

    assert response.status_code == 200
    assert response.context["form"].has_error("period_end", "end_before_start")
    message = ui("The plan cannot end before it starts (%(start)s).", {"start": "02/03/2026"})
    assert escape(message) in response.content.decode()


def test_the_review_cannot_be_planned_before_the_plan_starts(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    end = TODAY + datetime.timedelta(days=30)

    before = post(client, draft, "period", period(TODAY, end, TODAY - datetime.timedelta(days=1)))
    assert before.context["form"].has_error("review_date", "review_before_start")

    after_the_end = period(TODAY, end, end + datetime.timedelta(days=7))
    assert post(client, draft, "period", after_the_end).status_code == 302


def test_an_invalid_step_is_shown_again_with_its_input_kept(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    typed = {"period_start": "2026-03-02", "period_end": "2026-02-01", "review_date": ""}

    response = post(client, draft, "period", typed)

    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'value="2026-03-02"' in html
    assert 'value="2026-02-01"' in html
    assert response.context["form"].has_error("review_date", "required")
    assert stored(draft)["period"]["period-period_end"] == ["2026-02-01"]
    assert client.get(step_url(draft, "period")).context["form"].has_error("period_end")


# Back, reload, tabs


def test_back_keeps_the_rows_typed_on_the_current_step(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    post(client, draft, "problems", {"text": "Ngại đến lớp"})
    post(client, draft, "goals", goals(*GOALS))

    half_done = {**SECOND_ACTIVITY, "activity": ""}
    response = post(
        client, draft, "activities", rows([ACTIVITY, half_done]), wizard_goto_step="goals"
    )

    assert response.url == step_url(draft, "goals")
    back = client.get(response.url)
    assert [row["text"].value() for row in back.context["form"].formset.forms] == GOALS
    again = client.get(step_url(draft, "activities"))
    forms = again.context["form"].formset.forms
    assert forms[0]["activity"].value() == ACTIVITY["activity"]
    assert forms[1]["need"].value() == SECOND_ACTIVITY["need"]


def test_a_reload_resets_nothing(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    post(client, draft, "problems", {"text": "Đã sửa: ngại đến lớp"})
    post(client, draft, "goals", goals(*GOALS))
    before = stored(draft)

    for _reload in range(2):
        page = client.get(step_url(draft, "problems"))
        assert page.context["form"]["text"].value() == "Đã sửa: ngại đến lớp"
        goals_page = client.get(step_url(draft, "goals"))
        assert [r["text"].value() for r in goals_page.context["form"].formset.forms] == GOALS
    assert client.get(step_url(draft, "done")).status_code == 302
    assert stored(draft) == before
    assert not InterventionPlan.objects.exists()


def test_two_drafts_in_two_tabs_never_mix(client_as, school, worker):
    first_case = assessed_case(school, worker, learner_name="Học sinh Một")
    second_case = assessed_case(school, worker, learner_name="Học sinh Hai")
    client = client_as(worker)
    first, second = start(client, first_case), start(client, second_case)
    post(client, first, "goals", goals("Mục tiêu của em Một"))
    post(client, second, "goals", goals("Mục tiêu của em Hai"))

    fill_all_but_confirm(client, first)
    send(client, first)

    assert InterventionPlan.objects.get().case == first_case
    page = client.get(step_url(second, "goals"))
    assert page.context["form"].formset.forms[0]["text"].value() == "Mục tiêu của em Hai"
    assert "Học sinh Hai" in client.get(step_url(second, "problems")).content.decode()
    second.refresh_from_db()
    assert second.submitted_at is None


# Tampering and double submission


def test_a_double_submit_makes_one_plan(client_as, school, worker):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    fill_all_but_confirm(client, draft)

    first, second = send(client, draft), send(client, draft)

    assert InterventionPlan.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case_url(case.pk)


# The other situations: rework, revision, new plan after a review


def test_a_returned_plan_is_reworked_in_place_and_sent_again(client_as, school, worker, principal):
    case = make_case(school, worker, principal, state=CaseState.PLAN_RETURNED)
    returned = InterventionPlan.objects.get(case=case)
    client = client_as(worker)
    draft = start(client, case)

    page = client.get(step_url(draft, "problems"))
    html = page.content.decode()
    assert escape(ui("The principal returned the plan with this comment")) in html
    assert "Cần nêu rõ người phối hợp" in html
    assert page.context["form"]["text"].value() == plan_answers()["problems"]["text"]
    goals_page = client.get(step_url(draft, "goals"))
    assert goals_page.context["form"].formset.forms[0]["text"].value() == (
        "Em đến lớp đều đặn và thấy an toàn"
    )
    activities_page = client.get(step_url(draft, "activities"))
    first_row = activities_page.context["form"].formset.forms[0]
    assert first_row["activity"].value() == "Tham vấn cá nhân hằng tuần"
    assert client.get(step_url(draft, "period")).context["form"]["period_start"].value() == (
        returned.period_start
    )

    family = ActivityPartner.objects.get(name="gia đình")
    fill_all_but_confirm(client, draft, [{**ACTIVITY, "partners": [family.pk]}])
    send(client, draft)

    plan = InterventionPlan.objects.get()
    case.refresh_from_db()
    assert plan.pk == returned.pk
    assert (plan.version, plan.status) == (1, Status.SUBMITTED)
    assert plan.decision_comment == ""
    assert plan.answers["activities"]["items"][0]["partners"] == [snapshot(family)]
    assert plan.period_start == TODAY
    assert case.state == CaseState.PLAN_SUBMITTED


def test_revising_the_approved_plan_makes_version_2_and_leaves_version_1_in_force(
    client_as, school, worker, principal
):
    case = make_case(school, worker, principal, state=CaseState.IN_PROGRESS)
    approved = InterventionPlan.objects.get(case=case)
    approved_answers = approved.answers
    client = client_as(worker)
    draft = start(client, case)
    purpose = ui(
        "New version of the approved plan (version %(version)s). The approved plan "
        "stays in force until the principal approves this one.",
        {"version": 1},
    )
    assert escape(purpose) in client.get(step_url(draft, "problems")).content.decode()
    assert (
        client.get(step_url(draft, "goals")).context["form"].formset.forms[0]["text"].value()
        == "Em đến lớp đều đặn và thấy an toàn"
    )

    fill_all_but_confirm(client, draft)
    send(client, draft)

    version_1 = InterventionPlan.objects.get(pk=approved.pk)
    version_2 = InterventionPlan.objects.get(case=case, version=2)
    case.refresh_from_db()
    assert version_1.status == Status.APPROVED
    assert version_1.answers == approved_answers
    assert version_1.period_start == approved.period_start
    assert (version_2.status, version_2.author) == (Status.SUBMITTED, worker)
    assert version_2.answers["goals"]["items"] == [{"text": g} for g in GOALS]
    assert version_2.approval_due_at is not None
    assert case.state == CaseState.IN_PROGRESS

    transitions.approve_plan(version_2, principal)
    assert InterventionPlan.objects.get(pk=approved.pk).status == Status.SUPERSEDED


def test_a_new_plan_after_a_review_is_a_new_version_prefilled_with_the_reasons(
    client_as, school, worker, principal
):
    case = make_case(school, worker, principal, state=CaseState.IN_PROGRESS)
    reviewed = InterventionPlan.objects.get(case=case)
    Review.objects.create(
        case=case,
        plan=reviewed,
        author=worker,
        conclusion=Review.Conclusion.NEW_PLAN,
        answers={"conclusion": {"conclusion": "new_plan", "reasons": "Em vẫn còn sợ hãi"}},
    )
    transitions.transition(case, CaseState.REVIEWED, worker)
    client = client_as(worker)
    draft = start(client, case)

    text = client.get(step_url(draft, "problems")).context["form"]["text"].value()
    assert text.startswith(plan_answers()["problems"]["text"])
    assert ui("Review conclusion: %s") % "Em vẫn còn sợ hãi" in text
    # The new plan has a period of its own to set.
    assert client.get(step_url(draft, "period")).context["form"]["period_start"].value() is None

    fill_all_but_confirm(client, draft)
    send(client, draft)

    case.refresh_from_db()
    new = InterventionPlan.objects.get(case=case, version=2)
    assert new.status == Status.SUBMITTED
    assert InterventionPlan.objects.get(pk=reviewed.pk).status == Status.APPROVED
    assert case.state == CaseState.PLAN_SUBMITTED


def test_a_draft_is_refused_when_the_plan_changed_since_it_was_started(
    client_as, school, worker, principal
):
    case = make_case(school, worker, principal, state=CaseState.PLAN_RETURNED)
    client = client_as(worker)
    stale, fresh = start(client, case), start(client, case)
    client.get(step_url(stale, "problems"))
    fill_all_but_confirm(client, fresh, [{**ACTIVITY, "activity": "Bản sửa mới"}])
    send(client, fresh)
    plan = InterventionPlan.objects.get()
    transitions.return_plan(plan, principal, "Chưa có thời gian cụ thể")

    fill_all_but_confirm(client, stale)
    response = send(client, stale)

    assert response.status_code == 200
    refusal = ui(
        "The case's plan has changed since this draft was started (another version was "
        "sent, approved or returned). Start a new draft from the case so that you work on "
        "the current plan. Your draft has been kept."
    )
    assert escape(refusal) in response.content.decode()
    plan.refresh_from_db()
    assert plan.answers["activities"]["items"][0]["activity"] == "Bản sửa mới"
    assert plan.status == Status.RETURNED


# When a plan cannot be started


def test_no_plan_can_be_started_while_one_waits_for_the_principal(
    client_as, school, worker, principal
):
    client = client_as(worker)
    submitted = make_case(school, worker, principal, state=CaseState.PLAN_SUBMITTED)
    in_progress = make_case(school, worker, principal, state=CaseState.IN_PROGRESS)
    revision = transitions.revise_plan(InterventionPlan.objects.get(case=in_progress), worker)
    transitions.submit_plan(revision, worker)

    for case in (submitted, in_progress):
        response = client.get(reverse("forms_app:plan_start"), {"case": case.pk})
        assert response.status_code == 403
    assert not WizardDraft.objects.exists()


def test_no_plan_after_an_assessment_concluding_referral(client_as, school, worker):
    case = assessed_case(school, worker, conclusion=Assessment.Conclusion.REFERRAL)
    response = client_as(worker).get(reverse("forms_app:plan_start"), {"case": case.pk})
    assert response.status_code == 403
    assert not PlanWizard.can_start(worker, school, case)


def test_a_draft_is_refused_on_submission_when_another_plan_was_sent_meanwhile(
    client_as, school, worker
):
    case = assessed_case(school, worker)
    client = client_as(worker)
    slow, quick = start(client, case), start(client, case)
    fill_all_but_confirm(client, quick)
    send(client, quick)

    fill_all_but_confirm(client, slow)
    response = send(client, slow)

    assert response.status_code == 200
    assert InterventionPlan.objects.count() == 1
    assert stored(slow)["goals"]


def test_a_principal_cannot_approve_the_plan_they_wrote(client_as, school, worker, principal):
    case = assessed_case(school, worker)
    client = client_as(principal)
    draft = start(client, case)
    fill_all_but_confirm(client, draft)
    send(client, draft)
    plan = InterventionPlan.objects.get()
    assert plan.author == principal

    with pytest.raises(PermissionDenied):
        transitions.approve_plan(plan, principal)
    assert InterventionPlan.objects.get().status == Status.SUBMITTED


# What the plan says


def test_describe_sections_numbers_the_parts_of_the_form(client_as, school, worker, principal):
    case = assessed_case(school, worker)
    client = client_as(worker)
    draft = start(client, case)
    fill_all_but_confirm(client, draft, [ACTIVITY, SECOND_ACTIVITY])
    send(client, draft)
    plan = InterventionPlan.objects.get()
    transitions.return_plan(plan, principal, "Bổ sung nguồn lực")

    with translation.override("en"):
        sections = PlanWizard.describe_sections(plan)

    assert [s.title for s in sections] == [
        "1. The learner and the problems or needs addressed",
        "2. Goals",
        "3. Activities",
        "4. Plan period and review",
        "5. Approval by the principal",
    ]
    learner = {row.label: row.value for row in sections[0].items}
    assert learner["Full name"] == "Phạm Minh Khôi"
    assert learner["Date of birth"] == "Not known"
    assert learner["Problems and needs the plan addresses"] == "Em bị trêu chọc, ngại đến lớp"
    assert [(row.label, row.value) for row in sections[1].items] == [
        ("Goal 1", GOALS[0]),
        ("Goal 2", GOALS[1]),
    ]
    table = sections[2].items[0]
    assert isinstance(table, Table)
    assert table.columns == [
        "Need or problem",
        "Activity or measure",
        "Person or unit responsible",
        "Partners",
        "Timing",
        "Resources",
        "Expected result",
    ]
    assert table.rows[1] == [
        "học tập",
        "Kèm môn Toán sau giờ học",
        "Thầy Vũ Đức Long, GVCN",
        "",
        "Thứ Ba, thứ Năm",
        "",
        "Điểm Toán trên trung bình",
    ]
    assert [row.value for row in sections[3].items] == ["02/03/2026", "01/05/2026", "01/05/2026"]
    approval = {row.label: row.value for row in sections[4].items}
    assert approval["Status"] == "Returned with comments"
    assert approval["Decided by"] == "principal"
    assert approval["Principal's comment"] == "Bổ sung nguồn lực"
