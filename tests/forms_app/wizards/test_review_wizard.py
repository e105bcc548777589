"""The Mẫu 04 review wizard: the wizard contract, its four conclusions and its plan checks."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import translation

from forms_app.cases import transitions
from forms_app.cases.opening import open_case
from forms_app.display import case_url
from forms_app.forms.rated import level_text
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    RatingCriterion,
    Referral,
    Review,
    WizardDraft,
)
from forms_app.printing.sections import Table, snapshot
from forms_app.wizards import ReviewWizard
from tests.forms_app.factories import make_case
from tests.forms_app.wizards.stepping import REVIEW_WIZARD, stored

start, step_url, post_step = REVIEW_WIZARD.start, REVIEW_WIZARD.step_url, REVIEW_WIZARD.post

# The referral step asks both consents to share: the learner's own (required from
# age 7, Luật Trẻ em 2016 art. 33) and the parent's or guardian's.
CONSENT = {"learner_consent": "yes", "guardian_consent": "yes"}
NO_CONSENT = {"learner_consent": "no", "guardian_consent": "no"}

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A Thursday morning: 12 working hours (7:00–11:30, 13:30–17:00) end on Friday at 14:30.
RECEIVED_AT = datetime.datetime(2026, 3, 5, 8, 30, tzinfo=HCM)
REFERRAL_DUE = datetime.datetime(2026, 3, 6, 14, 30, tzinfo=HCM)

GOALS = ["Em đến lớp đều đặn và thấy an toàn", "Em có ít nhất hai bạn thân trong lớp"]
ACTIVITIES = ["Tham vấn cá nhân hằng tuần", "Họp với cha mẹ học sinh mỗi tháng"]
PLAN_ANSWERS = {
    "problems": {"text": "Em bị bạn cùng lớp trêu chọc, ngại đến trường"},
    "goals": {"items": [{"text": text} for text in GOALS]},
    "activities": {
        "items": [
            {
                "need": "An toàn",
                "activity": activity,
                "responsible": "Tổ tư vấn học đường",
                "partners": [],
                "timing": "Tháng 3 – tháng 5",
                "resources": "Phòng tư vấn",
                "expected_result": "Em tự tin hơn",
            }
            for activity in ACTIVITIES
        ]
    },
}
GENERAL = {"reviewed_on": "2026-05-29", "notes": "Trao đổi với GVCN và bà ngoại"}
CLOSE = {"conclusion": "close", "reasons": "Không còn nguy cơ tổn hại"}


def assessed_case(school, worker) -> Case:
    """A case received on RECEIVED_AT and assessed: harm rated high, medium, low."""
    case = open_case(school, worker, received_at=RECEIVED_AT, learner_name="Vũ Minh Khang")
    IntakeReport.objects.create(case=case, received_at=RECEIVED_AT, author=worker)
    harm_levels = ["high", "medium", "low"]
    Assessment.objects.create(
        case=case,
        conclusion=Assessment.Conclusion.SUPPORT,
        author=worker,
        answers={
            "harm": {
                "items": [
                    {"criterion": snapshot(c), "level": level, "note": ""}
                    for c, level in zip(criteria("harm"), harm_levels, strict=False)
                ]
            },
            "resilience": {
                "items": [
                    {"criterion": snapshot(c), "level": "low", "note": ""}
                    for c in criteria("resilience")
                ]
            },
        },
    )
    transitions.transition(case, CaseState.ASSESSED, worker)
    return case


def approve(case: Case, worker, principal, answers: dict, version: int = 1) -> InterventionPlan:
    plan = InterventionPlan.objects.create(
        case=case,
        version=version,
        author=worker,
        answers=answers,
        period_start=datetime.date(2026, 3, 9),
        period_end=datetime.date(2026, 5, 29),
        review_date=datetime.date(2026, 5, 29),
    )
    transitions.submit_plan(plan, worker)
    transitions.approve_plan(plan, principal)
    return plan


def case_in_progress(school, worker, principal) -> Case:
    """An assessed case whose plan (PLAN_ANSWERS) is approved and being carried out."""
    case = assessed_case(school, worker)
    approve(case, worker, principal, PLAN_ANSWERS)
    transitions.start_plan(case, worker)
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    return case


@pytest.fixture
def case(school, worker, principal) -> Case:
    return case_in_progress(school, worker, principal)


@pytest.fixture
def plan(case) -> InterventionPlan:
    return InterventionPlan.objects.get(case=case, status=InterventionPlan.Status.APPROVED)


def criteria(table: str) -> list[RatingCriterion]:
    return list(RatingCriterion.objects.filter(table=table, active=True))


def results(plan: InterventionPlan, goals=("achieved", "partly"), activities=("achieved",)):
    data = {}
    for kind, chosen in (("goal", goals), ("activity", activities)):
        for index, result in enumerate(chosen):
            data[f"plan{plan.pk}_{kind}{index}_result"] = result
            data[f"plan{plan.pk}_{kind}{index}_evidence"] = f"Minh chứng {kind} {index + 1}"
    return data


def rated(table: str, level: str) -> dict:
    return {f"level_{c.pk}": level for c in criteria(table)}


def fill_until_conclusion(
    client, draft: WizardDraft, plan: InterventionPlan, general: dict = GENERAL
) -> None:
    REVIEW_WIZARD.fill(
        client,
        draft,
        [
            ("general", general, "results"),
            ("results", results(plan, activities=("achieved", "not_achieved")), "harm"),
            ("harm", rated("harm", "low"), "resilience"),
            ("resilience", rated("resilience", "high"), "conclusion"),
        ],
    )


def moves(case: Case) -> list[tuple[str, str]]:
    return list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION)
        .exclude(from_state="")
        .values_list("from_state", "to_state")
    )


def is_checked(html: str, name: str, value) -> bool:
    pattern = rf'<input type="radio" name="{name}" value="{value}"[^>]*\bchecked\b'
    return re.search(pattern, html) is not None


# What the steps show


def test_results_rows_are_the_goals_and_activities_of_the_approved_plan(
    client_as, worker, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "general", GENERAL)

    page = client.get(step_url(draft, "results"))

    form = page.context["form"]
    tables = form.tables()
    assert [row["text"] for row in tables[0][2]] == GOALS
    assert [row["text"] for row in tables[1][2]] == ACTIVITIES
    # The rows are given; their results are for the reviewer to choose.
    assert all(row["result"].value() is None for _c, _h, rows in tables for row in rows)
    html = page.content.decode()
    for text in GOALS + ACTIVITIES:
        assert text in html


def test_the_first_step_shows_the_learner_and_the_plan_reviewed(client_as, worker, case, plan):
    page = client_as(worker).get(step_url(start(client_as(worker), case), "general"))

    html = page.content.decode()
    assert "Vũ Minh Khang" in html
    assert page.context["plan"] == plan
    assert "09/03/2026" in html
    assert "29/05/2026" in html
    assert set(page.context["form"].fields) == {"reviewed_on", "notes"}


def test_the_rated_tables_show_the_assessments_levels_beside_and_prefill_nothing(
    client_as, worker, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "general", GENERAL)
    post_step(client, draft, "results", results(plan, activities=("achieved", "partly")))

    page = client.get(step_url(draft, "harm"))

    form = page.context["form"]
    with translation.override("vi"):
        expected = [level_text(level) for level in ("high", "medium", "low")]
        header = translation.gettext("At the assessment")
    assert [row.previous for row in form.rows()] == expected
    assert all(row.level.value() is None for row in form.rows())
    html = page.content.decode()
    assert f'<th scope="col">{header}</th>' in html
    for text in expected:
        assert f"<td>{text}</td>" in html
    assert not any(
        is_checked(html, f"harm-level_{c.pk}", v)
        for c in criteria("harm")
        for v in ("high", "medium", "low")
    )


# The four conclusions


def test_proposing_to_close_leaves_the_case_reviewed_for_the_principal_to_close(
    client_as, worker, principal, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)

    response = post_step(client, draft, "conclusion", CLOSE)

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    review = Review.objects.get()
    assert review.case == case
    assert review.plan == plan
    assert review.conclusion == Review.Conclusion.CLOSE
    assert review.author == worker
    assert review.template_version == "2025.1"
    assert review.legal_basis == "Thông tư 18/2025/TT-BGDĐT"
    answers = review.answers
    assert answers["general"] == GENERAL
    assert answers["results"] == {
        "goals": [
            {"text": GOALS[0], "result": "achieved", "evidence": "Minh chứng goal 1"},
            {"text": GOALS[1], "result": "partly", "evidence": "Minh chứng goal 2"},
        ],
        "activities": [
            {"activity": ACTIVITIES[0], "result": "achieved", "evidence": "Minh chứng activity 1"},
            {
                "activity": ACTIVITIES[1],
                "result": "not_achieved",
                "evidence": "Minh chứng activity 2",
            },
        ],
    }
    harm = criteria("harm")
    assert answers["harm"]["items"] == [
        {
            "criterion": {"id": c.pk, "name": c.name},
            "level": "low",
            "note": "",
            "at_assessment": before,
        }
        for c, before in zip(harm, ["high", "medium", "low"], strict=True)
    ]
    assert {i["at_assessment"] for i in answers["resilience"]["items"]} == {"low"}
    assert {i["level"] for i in answers["resilience"]["items"]} == {"high"}
    assert answers["conclusion"] == CLOSE
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED
    assert moves(case)[-1] == (CaseState.IN_PROGRESS, CaseState.REVIEWED)

    transitions.close_case(case, principal)
    assert case.state == CaseState.CLOSED


def test_continuing_the_plan_puts_the_case_back_in_progress(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)

    post_step(client, draft, "conclusion", {"conclusion": "continue", "reasons": "Cần thêm"})

    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert moves(case)[-2:] == [
        (CaseState.IN_PROGRESS, CaseState.REVIEWED),
        (CaseState.REVIEWED, CaseState.IN_PROGRESS),
    ]
    assert Review.objects.get().conclusion == Review.Conclusion.CONTINUE
    # The plan in force still applies, so a later review can be started.
    assert client.get(reverse("forms_app:review_start"), {"case": case.pk}).status_code == 200


def test_a_new_plan_leaves_the_case_reviewed_for_mau_03(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)

    post_step(client, draft, "conclusion", {"conclusion": "new_plan", "reasons": "Đổi cách"})

    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED
    assert Review.objects.get().conclusion == Review.Conclusion.NEW_PLAN
    assert not Referral.objects.exists()
    # A review already concluded; another cannot be started on the reviewed case.
    assert client.get(reverse("forms_app:review_start"), {"case": case.pk}).status_code == 403


def test_a_referral_with_consent_is_due_12_working_hours_after_the_intake(
    client_as, worker, case, plan, body
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    response = post_step(client, draft, "conclusion", {"conclusion": "referral", "reasons": "…"})
    assert response.url == step_url(draft, "referral")

    post_step(client, draft, "referral", {"receiving_body": body.pk, **CONSENT})

    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    referral = Referral.objects.get()
    assert referral.receiving_body == body
    assert referral.consent_given is True
    assert referral.due_at == REFERRAL_DUE
    assert moves(case)[-2:] == [
        (CaseState.IN_PROGRESS, CaseState.REVIEWED),
        (CaseState.REVIEWED, CaseState.REFERRED),
    ]
    assert Review.objects.get().answers["referral"]["receiving_body"] == snapshot(body)


def test_a_referral_without_consent_needs_the_documented_danger(
    client_as, worker, case, plan, body
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    post_step(client, draft, "conclusion", {"conclusion": "referral", "reasons": "…"})

    response = post_step(client, draft, "referral", {"receiving_body": body.pk, **NO_CONSENT})

    assert response.status_code == 200
    assert response.context["form"].has_error("danger_exception", "exception_required")
    assert is_checked(response.content.decode(), "referral-receiving_body", body.pk)
    assert not Review.objects.exists()

    post_step(
        client,
        draft,
        "referral",
        {"receiving_body": body.pk, **NO_CONSENT, "danger_exception": "Em bị đe dọa"},
    )
    referral = Referral.objects.get()
    assert referral.consent_given is False
    assert referral.danger_exception == "Em bị đe dọa"


# Invalid input, going back, reloading, two tabs


def test_a_result_left_out_is_asked_for_with_the_rest_kept(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "general", GENERAL)

    response = post_step(client, draft, "results", results(plan, activities=("achieved",)))

    assert response.status_code == 200
    form = response.context["form"]
    missing = f"plan{plan.pk}_activity1_result"
    assert form.has_error(missing, "required")
    assert set(form.errors) == {missing}
    html = response.content.decode()
    assert f'href="#id_results-{missing}"' in html
    assert is_checked(html, f"results-plan{plan.pk}_goal1_result", "partly")
    assert "Minh chứng goal 2</textarea>" in html
    assert stored(draft)["results"][f"results-plan{plan.pk}_goal0_result"] == ["achieved"]


def test_a_review_date_in_the_future_is_refused(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    response = post_step(client, draft, "general", {**GENERAL, "reviewed_on": "2099-01-01"})
    assert response.context["form"].has_error("reviewed_on", "future")
    assert 'value="2099-01-01"' in response.content.decode()


def test_back_keeps_the_current_steps_input_even_when_invalid(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "general", GENERAL)
    partial = {f"plan{plan.pk}_goal0_result": "partly", f"plan{plan.pk}_goal0_evidence": "Sổ"}

    response = post_step(client, draft, "results", partial, wizard_goto_step="general")

    assert response.url == step_url(draft, "general")
    assert client.get(response.url).context["form"]["notes"].value() == GENERAL["notes"]
    again = client.get(step_url(draft, "results")).context["form"]
    assert again[f"plan{plan.pk}_goal0_result"].value() == "partly"
    assert again[f"plan{plan.pk}_goal0_evidence"].value() == "Sổ"


def test_a_reload_resets_nothing(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "general", GENERAL)
    post_step(client, draft, "results", results(plan, activities=("achieved", "partly")))
    before = stored(draft)

    for _reload in range(2):
        form = client.get(step_url(draft, "results")).context["form"]
        assert form[f"plan{plan.pk}_goal1_result"].value() == "partly"
    assert client.get(step_url(draft, "done")).status_code == 302
    assert stored(draft) == before
    assert not Review.objects.exists()


def test_two_drafts_in_two_tabs_never_mix(client_as, worker, case, plan):
    client = client_as(worker)
    first, second = start(client, case), start(client, case)
    assert first.pk != second.pk
    fill_until_conclusion(client, first, plan, general={**GENERAL, "notes": "Bản một"})
    post_step(client, second, "general", {**GENERAL, "notes": "Bản hai"})

    assert client.get(step_url(first, "general")).context["form"]["notes"].value() == "Bản một"
    assert client.get(step_url(second, "general")).context["form"]["notes"].value() == "Bản hai"
    post_step(client, first, "conclusion", CLOSE)

    assert Review.objects.get().answers["general"]["notes"] == "Bản một"
    assert stored(second)["general"]["general-notes"] == ["Bản hai"]


def test_a_new_version_of_the_plan_approved_meanwhile_is_reviewed_instead(
    client_as, worker, principal, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    revision = transitions.revise_plan(plan, worker)
    revision.answers = {**PLAN_ANSWERS, "goals": {"items": [{"text": "Em tự tin phát biểu"}]}}
    revision.save()
    transitions.submit_plan(revision, worker)
    transitions.approve_plan(revision, principal)

    response = post_step(client, draft, "conclusion", CLOSE)

    # The results given for version 1 are not taken for version 2's rows.
    assert response.url == step_url(draft, "results")
    assert not Review.objects.exists()
    form = client.get(response.url).context["form"]
    assert [row["text"] for row in form.tables()[0][2]] == ["Em tự tin phát biểu"]
    assert form[f"plan{revision.pk}_goal0_result"].value() is None
    post_step(
        client,
        draft,
        "results",
        results(
            revision,
            goals=("achieved",),
            activities=(
                "achieved",
                "achieved",
            ),
        ),
    )
    post_step(client, draft, "conclusion", CLOSE)
    assert Review.objects.get().plan == revision


def test_a_double_submit_makes_one_review(client_as, worker, case, plan):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    data = {"conclusion": "continue", "reasons": "Cần thêm"}

    first = post_step(client, draft, "conclusion", data)
    second = post_step(client, draft, "conclusion", data)

    assert Review.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case_url(case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert moves(case).count((CaseState.IN_PROGRESS, CaseState.REVIEWED)) == 1


# Starting and permissions


def test_a_review_cannot_be_started_without_an_approved_plan_in_force(client_as, school, worker):
    case = assessed_case(school, worker)
    # In progress on paper, but no plan was ever approved.
    Case.objects.filter(pk=case.pk).update(state=CaseState.IN_PROGRESS)
    response = client_as(worker).get(reverse("forms_app:review_start"), {"case": case.pk})
    assert response.status_code == 403
    assert not WizardDraft.objects.exists()


def test_a_case_moved_on_meanwhile_refuses_the_review_and_keeps_the_draft(
    client_as, worker, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    transitions.transition(case, CaseState.REVIEWED, worker)

    response = post_step(client, draft, "conclusion", CLOSE)

    assert response.status_code == 200
    assert not Review.objects.exists()
    assert len(list(response.context["messages"])) == 1
    draft.refresh_from_db()
    assert draft.record_id is None
    assert "results" in draft.steps["data"]


# The record's description


def test_the_description_shows_results_and_the_change_since_the_assessment(
    client_as, worker, case, plan
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft, plan)
    post_step(client, draft, "conclusion", CLOSE)
    record = Review.objects.get()
    record.refresh_from_db()

    with translation.override("en"):
        sections = ReviewWizard.describe_sections(record)

    assert [s.title for s in sections] == [
        "1. Review and plan reviewed",
        "2. Results of the plan",
        "3. Risk at the end of the support",
        "4. Conclusion and proposal",
    ]
    rows = {row.label: row.value for row in sections[0].items}
    assert rows["Full name"] == "Vũ Minh Khang"
    assert rows["Gender"] == "Not known"
    assert rows["Plan reviewed"] == "Version 1, from 09/03/2026 to 29/05/2026"
    assert rows["Date of the review"] == "29/05/2026"
    goals, activities = sections[1].items
    assert goals.rows == [
        [GOALS[0], "Achieved", "Minh chứng goal 1"],
        [GOALS[1], "Partly achieved", "Minh chứng goal 2"],
    ]
    assert [row[1] for row in activities.rows] == ["Achieved", "Not achieved"]
    harm, resilience = sections[2].items
    assert isinstance(harm, Table)
    assert harm.columns == ["Criterion", "At the assessment", "Level", "Note"]
    assert [row[1:3] for row in harm.rows] == [["High", "Low"], ["Medium", "Low"], ["Low", "Low"]]
    assert harm.footer == [
        "Total",
        "High: 1; Medium: 1; Low: 1",
        "High: 0; Medium: 0; Low: 3",
        "",
    ]
    assert resilience.footer[2].startswith("High: 4")
    conclusion = {row.label: row.value for row in sections[3].items}
    assert conclusion["Conclusion"] == "Propose closing the case"
    assert conclusion["Reasons and proposal"] == CLOSE["reasons"]


def test_a_review_made_outside_the_wizard_shows_the_assessments_levels_too(
    school, worker, principal
):
    case = make_case(school, worker, principal, state=CaseState.REVIEWED)

    with translation.override("en"):
        sections = ReviewWizard.describe_sections(case.reviews.get())

    harm = sections[2].items[0]
    # The factory rates every criterion "medium" at the assessment and "low" at the review.
    assert {(row[1], row[2]) for row in harm.rows} == {("Medium", "Low")}
    assert harm.footer[1] == "High: 0; Medium: 3; Low: 0"
