"""The Mẫu 02 assessment wizard: the wizard contract, its branches and its case checks."""

import datetime
import re
import zoneinfo

import pytest
from django import forms
from django.utils import timezone, translation

from forms_app.cases.opening import open_case
from forms_app.display import case_url
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    Gender,
    IntakeReport,
    NeedDomain,
    RatingCriterion,
    ReceivingBody,
    Referral,
)
from forms_app.printing.sections import Table
from forms_app.wizards import AssessmentWizard
from tests.forms_app.wizards.stepping import ASSESSMENT_WIZARD, stored

start, step_url, post_step = (
    ASSESSMENT_WIZARD.start,
    ASSESSMENT_WIZARD.step_url,
    ASSESSMENT_WIZARD.post,
)

# The referral step asks both consents to share: the learner's own (required from
# age 7, Luật Trẻ em 2016 art. 33) and the parent's or guardian's.
CONSENT = {"learner_consent": "yes", "guardian_consent": "yes"}
NO_CONSENT = {"learner_consent": "no", "guardian_consent": "no"}

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
# A Thursday morning: 12 working hours (7:00–11:30, 13:30–17:00) end on Friday at 14:30.
RECEIVED_AT = datetime.datetime(2026, 3, 5, 8, 30, tzinfo=HCM)
REFERRAL_DUE = datetime.datetime(2026, 3, 6, 14, 30, tzinfo=HCM)

VERIFICATION = {
    "assessed_on": "2026-03-06",
    "method": "Trao đổi với GVCN, thăm gia đình",
    "people_consulted": "GVCN lớp 8B, bà ngoại",
    "learner_view": "Em muốn được chuyển chỗ ngồi",
}
RISK = {
    "recurrence": "high",
    "dropout": "low",
    "self_harm": "",
    "overall": "high",
    "note": "Cần theo dõi giờ ra chơi",
}
SUPPORT = {"conclusion": "support", "reasons": "Nhà trường đủ khả năng hỗ trợ"}
REFER = {"conclusion": "referral", "reasons": "Vượt quá khả năng của nhà trường"}


def received_case(school, worker) -> Case:
    """A case received on RECEIVED_AT, with its intake report: ready for Mẫu 02."""
    case = open_case(
        school,
        worker,
        received_at=RECEIVED_AT,
        learner_name="Phạm Thị Hoa",
        learner_class="8B",
        learner_birth_date=datetime.date(2012, 5, 14),
        learner_gender=Gender.FEMALE,
    )
    IntakeReport.objects.create(case=case, received_at=RECEIVED_AT, author=worker)
    return case


@pytest.fixture
def case(school, worker) -> Case:
    return received_case(school, worker)


def criteria(table: str) -> list[RatingCriterion]:
    return list(RatingCriterion.objects.filter(table=table, active=True))


def rated(table: str, *levels: str) -> dict:
    """A level for each active criterion of ``table`` (cycling through ``levels``), and a note."""
    levels = levels or ("medium",)
    data = {}
    for index, criterion in enumerate(criteria(table)):
        data[f"level_{criterion.pk}"] = levels[index % len(levels)]
        data[f"note_{criterion.pk}"] = f"Ghi chú {index + 1}"
    return data


def needs_data() -> dict:
    safety, psychology = NeedDomain.objects.filter(active=True)[:2]
    return {
        f"applies_{safety.pk}": "on",
        f"priority_{safety.pk}": "high",
        f"note_{safety.pk}": "Bố trí chỗ ngồi an toàn",
        f"applies_{psychology.pk}": "on",
        f"priority_{psychology.pk}": "medium",
        f"note_{psychology.pk}": "",
    }


def steps_until_conclusion() -> list[tuple[str, dict, str]]:
    return [
        ("verification", VERIFICATION, "harm"),
        ("harm", rated("harm", "high", "medium", "low"), "resilience"),
        ("resilience", rated("resilience", "low"), "risk"),
        ("risk", RISK, "needs"),
        ("needs", needs_data(), "conclusion"),
    ]


def fill_until_conclusion(client, draft) -> None:
    ASSESSMENT_WIZARD.fill(client, draft, steps_until_conclusion())


def is_checked(html: str, name: str, value) -> bool:
    """Whether the radio button ``name`` = ``value`` is rendered checked."""
    pattern = rf'<input type="radio" name="{name}" value="{value}"[^>]*\bchecked\b'
    return re.search(pattern, html) is not None


def labels_in_vietnamese(pairs) -> list[str]:
    with translation.override("vi"):
        return [f"{label}: {count}" for label, count in pairs]


# Happy path and branches


def test_support_creates_the_assessment_and_moves_the_case_to_assessed(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)

    response = post_step(client, draft, "conclusion", SUPPORT)

    assessment = Assessment.objects.get()
    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED
    assert assessment.case == case
    assert assessment.conclusion == Assessment.Conclusion.SUPPORT
    assert assessment.author == worker
    assert assessment.template_version == "2025.1"
    assert assessment.legal_basis == "Thông tư 18/2025/TT-BGDĐT"
    answers = assessment.answers
    harm = criteria("harm")
    assert answers["harm"]["items"] == [
        {"criterion": {"id": c.pk, "name": c.name}, "level": level, "note": f"Ghi chú {i + 1}"}
        for i, (c, level) in enumerate(zip(harm, ["high", "medium", "low"], strict=True))
    ]
    assert {item["level"] for item in answers["resilience"]["items"]} == {"low"}
    assert len(answers["resilience"]["items"]) == len(criteria("resilience"))
    assert answers["verification"] == VERIFICATION
    assert answers["risk"] == RISK
    safety, psychology = NeedDomain.objects.filter(active=True)[:2]
    # Only the domains that apply are kept.
    assert answers["needs"]["items"] == [
        {
            "domain": {"id": safety.pk, "name": safety.name},
            "priority": "high",
            "note": "Bố trí chỗ ngồi an toàn",
        },
        {
            "domain": {"id": psychology.pk, "name": psychology.name},
            "priority": "medium",
            "note": "",
        },
    ]
    assert answers["conclusion"] == SUPPORT
    assert "referral" not in answers
    assert not Referral.objects.exists()
    assert CaseEvent.objects.filter(
        case=case, from_state=CaseState.RECEIVED, to_state=CaseState.ASSESSED, actor=worker
    ).exists()
    draft.refresh_from_db()
    assert draft.record_id == assessment.pk
    assert draft.submitted_at is not None
    assert draft.steps == {}


def test_referral_with_consent_refers_the_case_due_12_working_hours_after_intake(
    client_as, worker, case, body
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    response = post_step(client, draft, "conclusion", REFER)
    assert response.url == step_url(draft, "referral")

    response = post_step(client, draft, "referral", {"receiving_body": body.pk, **CONSENT})

    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    referral = Referral.objects.get()
    assert referral.case == case
    assert referral.receiving_body == body
    assert referral.consent_given is True
    assert referral.danger_exception == ""
    assert referral.author == worker
    # Counted from the intake's received time, in working hours, not from now.
    assert referral.due_at == REFERRAL_DUE
    assert case.next_deadline == REFERRAL_DUE
    assessment = Assessment.objects.get()
    assert assessment.conclusion == Assessment.Conclusion.REFERRAL
    assert assessment.answers["referral"] == {
        "receiving_body": {"id": body.pk, "name": body.name},
        "learner_consent": "yes",
        "guardian_consent": "yes",
        "consent": True,
        "danger_exception": "",
    }
    assert list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION)
        .exclude(from_state="")
        .values_list("from_state", "to_state")
    ) == [(CaseState.RECEIVED, CaseState.ASSESSED), (CaseState.ASSESSED, CaseState.REFERRED)]


def test_referral_without_consent_needs_the_documented_danger(client_as, worker, case, body):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)

    response = post_step(client, draft, "referral", {"receiving_body": body.pk, **NO_CONSENT})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("danger_exception", "exception_required")
    html = response.content.decode()
    assert 'href="#id_referral-danger_exception"' in html
    # What was chosen is still chosen.
    assert is_checked(html, "referral-receiving_body", body.pk)
    assert is_checked(html, "referral-guardian_consent", "no")
    assert not Assessment.objects.exists()
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED

    exception = "Em có dấu hiệu bị bạo hành tại nhà, cần can thiệp ngay"
    response = post_step(
        client,
        draft,
        "referral",
        {"receiving_body": body.pk, **NO_CONSENT, "danger_exception": exception},
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.consent_given is False
    assert referral.danger_exception == exception
    assert Assessment.objects.get().answers["referral"]["danger_exception"] == exception


def test_support_skips_the_referral_step_and_drops_what_was_typed_there(
    client_as, worker, case, body
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)
    post_step(client, draft, "referral", {"receiving_body": body.pk}, wizard_goto_step="conclusion")
    assert "referral" in stored(draft)

    # Changing the conclusion (here on the way back) drops the referral's input at once.
    post_step(client, draft, "conclusion", SUPPORT, wizard_goto_step="needs")
    assert "referral" not in stored(draft)
    assert client.get(step_url(draft, "referral")).status_code == 302

    response = post_step(client, draft, "conclusion", SUPPORT)

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED
    assert not Referral.objects.exists()
    assert "referral" not in Assessment.objects.get().answers


def test_the_referral_step_is_listed_only_after_choosing_referral(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    page = client.get(step_url(draft, "verification"))
    assert "referral" not in [s["name"] for s in page.context["step_list"]]
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)
    page = client.get(step_url(draft, "referral"))
    assert [s["name"] for s in page.context["step_list"]][-1] == "referral"


def test_receiving_bodies_offered_are_the_common_ones_and_this_schools_own(
    client_as, worker, case, other_school
):
    own = ReceivingBody.objects.create(name="UBND xã Hòa Bản", school=case.school)
    foreign = ReceivingBody.objects.create(name="UBND xã khác", school=other_school)
    withdrawn = ReceivingBody.objects.create(name="Cơ quan cũ", active=False)
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)

    offered = set(
        client.get(step_url(draft, "referral")).context["form"].fields["receiving_body"].queryset
    )

    assert own in offered
    assert ReceivingBody.objects.filter(school__isnull=True, active=True).exists()
    assert set(ReceivingBody.objects.filter(school__isnull=True, active=True)) <= offered
    assert foreign not in offered
    assert withdrawn not in offered
    response = post_step(client, draft, "referral", {"receiving_body": foreign.pk, **CONSENT})
    assert response.context["form"].has_error("receiving_body", "invalid_choice")
    assert not Referral.objects.exists()


# What each step shows and checks


def test_the_learner_is_shown_from_the_case_and_not_asked_again(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)

    page = client.get(step_url(draft, "verification"))

    html = page.content.decode()
    assert "Phạm Thị Hoa" in html
    assert "8B" in html
    assert "14/05/2012" in html
    assert set(page.context["form"].fields) == {
        "assessed_on",
        "method",
        "people_consulted",
        "learner_view",
    }
    # The date defaults to today.
    assert page.context["form"]["assessed_on"].value() == timezone.localdate()


def test_learner_facts_not_known_at_intake_read_not_known(client_as, worker, school):
    case = open_case(school, worker, received_at=RECEIVED_AT)
    client = client_as(worker)
    draft = start(client, case)

    facts = client.get(step_url(draft, "verification")).context["learner_facts"]

    with translation.override("vi"):
        not_known = translation.gettext("Not known")
    assert [value for _label, value in facts] == [not_known] * 4


@pytest.mark.parametrize(
    ("assessed_on", "code"),
    [
        ((timezone.localdate() + datetime.timedelta(days=2)).isoformat(), "future"),
        ("2026-03-04", "before_intake"),
    ],
)
def test_the_assessment_date_must_be_between_intake_and_today(
    client_as, worker, case, assessed_on, code
):
    client = client_as(worker)
    draft = start(client, case)
    response = post_step(
        client, draft, "verification", {**VERIFICATION, "assessed_on": assessed_on}
    )
    assert response.status_code == 200
    assert response.context["form"].has_error("assessed_on", code)


def test_an_invalid_step_is_shown_again_in_vietnamese_with_the_input_kept(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)

    response = post_step(client, draft, "verification", {**VERIFICATION, "assessed_on": "mai"})

    assert response.status_code == 200
    with translation.override("vi"):
        expected = str(forms.DateField.default_error_messages["invalid"])
    assert expected != "Enter a valid date."
    html = response.content.decode()
    assert expected in html
    assert 'id="error-summary"' in html
    assert 'href="#id_verification-assessed_on"' in html
    assert "Trao đổi với GVCN, thăm gia đình" in html
    assert stored(draft)["verification"]["verification-assessed_on"] == ["mai"]
    assert client.get(step_url(draft, "verification")).context["form"].has_error("assessed_on")


def test_every_criterion_needs_a_level_and_the_rows_given_are_kept(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "verification", VERIFICATION)
    first, *others = criteria("harm")
    data = rated("harm", "medium")
    del data[f"level_{first.pk}"]

    response = post_step(client, draft, "harm", data)

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error(f"level_{first.pk}", "required")
    assert all(not form.has_error(f"level_{c.pk}") for c in others)
    html = response.content.decode()
    # The summary links to the row's group of choices, which carries that id.
    assert f'href="#id_harm-level_{first.pk}"' in html
    assert f'id="id_harm-level_{first.pk}"' in html
    assert all(is_checked(html, f"harm-level_{c.pk}", "medium") for c in others)
    assert not any(is_checked(html, f"harm-level_{first.pk}", v) for v in ("high", "medium", "low"))
    assert "Ghi chú 1</textarea>" in html
    assert not Assessment.objects.exists()


def test_the_counts_per_level_are_shown_as_the_tables_total(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "verification", VERIFICATION)
    harm = criteria("harm")
    assert len(harm) == 3
    data = rated("harm", "high", "high", "low")

    # Shown again with a row left unrated, the total counts what is chosen.
    data.pop(f"level_{harm[2].pk}")
    response = post_step(client, draft, "harm", data)

    form = response.context["form"]
    assert [count for _label, count in form.counts()] == [2, 0, 0]
    html = response.content.decode()
    # Each level's label, and its count where rated-totals.js recounts it.
    for text in labels_in_vietnamese(form.counts()):
        assert text.split(":")[0] in html
    for value, _label, count in form.totals():
        assert f'<span data-level-count="{value}">{count}</span>' in html
    post_step(client, draft, "harm", rated("harm", "high", "high", "low"))
    page = client.get(step_url(draft, "harm"))
    assert [count for _label, count in page.context["form"].counts()] == [2, 0, 1]


def test_a_criterion_added_while_a_draft_is_open_is_asked_for_without_losing_the_rest(
    client_as, worker, case
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    harm = criteria("harm")
    added = RatingCriterion.objects.create(
        table=RatingCriterion.Table.HARM, name="nguy cơ bị đe dọa qua mạng", sort_order=5
    )
    withdrawn = criteria("resilience")[-1]
    withdrawn.active = False
    withdrawn.save()

    page = client.get(step_url(draft, "harm"))
    assert page.status_code == 200
    form = page.context["form"]
    assert [form[f"level_{c.pk}"].value() for c in harm] == ["high", "medium", "low"]
    assert form[f"level_{added.pk}"].value() is None

    response = post_step(client, draft, "conclusion", SUPPORT)

    # Sent back to the table, where the new row waits for its level.
    assert response.url == step_url(draft, "harm")
    assert not Assessment.objects.exists()
    form = client.get(response.url).context["form"]
    assert form.has_error(f"level_{added.pk}", "required")
    assert [form[f"level_{c.pk}"].value() for c in harm] == ["high", "medium", "low"]

    post_step(client, draft, "harm", {**rated("harm", "low")})
    post_step(client, draft, "conclusion", SUPPORT)
    answers = Assessment.objects.get().answers
    assert {"id": added.pk, "name": added.name} in [
        i["criterion"] for i in answers["harm"]["items"]
    ]
    assert withdrawn.pk not in [i["criterion"]["id"] for i in answers["resilience"]["items"]]


def test_a_need_that_applies_needs_a_priority_and_an_unticked_one_is_pointed_out(
    client_as, worker, case
):
    client = client_as(worker)
    draft = start(client, case)
    for step, data, _following in steps_until_conclusion()[:-1]:
        post_step(client, draft, step, data)
    safety, psychology = NeedDomain.objects.filter(active=True)[:2]

    response = post_step(
        client,
        draft,
        "needs",
        {
            f"applies_{safety.pk}": "on",
            f"priority_{psychology.pk}": "low",
            f"note_{psychology.pk}": "Tham vấn tâm lý",
        },
    )

    form = response.context["form"]
    assert form.has_error(f"priority_{safety.pk}", "priority_required")
    assert form.has_error(f"applies_{psychology.pk}", "applies_unticked")
    assert "Tham vấn tâm lý" in response.content.decode()


def test_risks_other_than_the_overall_level_may_be_left_unassessed(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    for step, data, _following in steps_until_conclusion()[:3]:
        post_step(client, draft, step, data)
    response = post_step(client, draft, "risk", {"note": "Chưa đủ thông tin"})
    assert response.context["form"].has_error("overall", "required")
    assert set(response.context["form"].errors) == {"overall"}
    assert post_step(client, draft, "risk", {"overall": "low"}).status_code == 302


# Going back, reloading, two tabs


def test_back_keeps_the_current_steps_input_even_when_invalid(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    for step, data, _following in steps_until_conclusion()[:3]:
        post_step(client, draft, step, data)

    typed = {"recurrence": "high", "note": "Đang cân nhắc"}
    response = post_step(client, draft, "risk", typed, wizard_goto_step="resilience")

    assert response.url == step_url(draft, "resilience")
    first = criteria("resilience")[0]
    assert client.get(response.url).context["form"][f"level_{first.pk}"].value() == "low"
    again = client.get(step_url(draft, "risk")).context["form"]
    assert again["recurrence"].value() == "high"
    assert again["note"].value() == "Đang cân nhắc"


def test_a_reload_resets_nothing(client_as, worker, case):
    client = client_as(worker)
    draft = start(client, case)
    post_step(client, draft, "verification", VERIFICATION)
    post_step(client, draft, "harm", rated("harm", "high"))
    before = stored(draft)

    for _reload in range(2):
        page = client.get(step_url(draft, "harm"))
        assert page.status_code == 200
        assert {page.context["form"][f"level_{c.pk}"].value() for c in criteria("harm")} == {"high"}
    assert client.get(step_url(draft, "done")).status_code == 302
    assert stored(draft) == before
    assert not Assessment.objects.exists()


def test_two_drafts_on_the_same_case_in_two_tabs_never_mix(client_as, worker, case):
    client = client_as(worker)
    first, second = start(client, case), start(client, case)
    assert first.pk != second.pk
    post_step(client, first, "verification", {**VERIFICATION, "method": "Cách một"})
    post_step(client, second, "verification", {**VERIFICATION, "method": "Cách hai"})

    assert client.get(step_url(first, "verification")).context["form"]["method"].value() == (
        "Cách một"
    )
    for step, data, _following in steps_until_conclusion()[1:]:
        post_step(client, first, step, data)
    post_step(client, first, "conclusion", SUPPORT)

    assert Assessment.objects.get().answers["verification"]["method"] == "Cách một"
    assert stored(second)["verification"]["verification-method"] == ["Cách hai"]
    second.refresh_from_db()
    assert second.submitted_at is None


# Tampering, double submission, a case that moved on


def test_a_double_submit_makes_one_assessment(client_as, worker, case, body):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)
    data = {"receiving_body": body.pk, **CONSENT}

    first = post_step(client, draft, "referral", data)
    second = post_step(client, draft, "referral", data)

    assert Assessment.objects.count() == 1
    assert Referral.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case_url(case.pk)
    assert client.get(step_url(draft, "verification")).url == first.url


def test_a_case_assessed_meanwhile_refuses_the_second_assessment_and_keeps_the_draft(
    client_as, worker, colleague, case
):
    mine = start(client_as(worker), case)
    fill_until_conclusion(client_as(worker), mine)
    theirs = start(client_as(colleague), case)
    fill_until_conclusion(client_as(colleague), theirs)
    submitted = post_step(client_as(colleague), theirs, "conclusion", SUPPORT)
    assert submitted.status_code == 302
    # The colleague lands on the case page, which shows (and uses up) their "saved".
    client_as(colleague).get(submitted.url)

    client = client_as(worker)
    response = post_step(client, mine, "conclusion", SUPPORT)

    assert response.status_code == 200
    assert Assessment.objects.count() == 1
    with translation.override("vi"):
        state = str(CaseState.ASSESSED.label)
    shown = [str(message) for message in response.context["messages"]]
    assert len(shown) == 1
    assert state in shown[0]
    assert state in response.content.decode()
    mine.refresh_from_db()
    assert mine.record_id is None
    assert "verification" in mine.steps["data"]


# The record's description


def test_the_description_follows_the_form_with_the_rated_tables_and_their_totals(
    client_as, worker, case, body
):
    client = client_as(worker)
    draft = start(client, case)
    fill_until_conclusion(client, draft)
    post_step(client, draft, "conclusion", REFER)
    post_step(
        client,
        draft,
        "referral",
        {"receiving_body": body.pk, **NO_CONSENT, "danger_exception": "Nguy hiểm tức thời"},
    )
    record = Assessment.objects.get()
    record.refresh_from_db()

    with translation.override("en"):
        sections = AssessmentWizard.describe_sections(record)

    assert [s.title for s in sections] == [
        "1. Verification of the information",
        "2. Level of harm",
        "3. Self-protection and recovery",
        "4. Risk",
        "5. Needs",
        "6. Conclusion and proposal",
    ]
    rows = {row.label: row.value for row in sections[0].items}
    assert rows["Full name"] == "Phạm Thị Hoa"
    assert rows["Date of the assessment"] == "06/03/2026"
    assert rows["Assessor"] == "worker"
    harm = sections[1].items[0]
    assert isinstance(harm, Table)
    assert harm.columns == ["Criterion", "Level", "Note"]
    assert [row[1] for row in harm.rows] == ["High", "Medium", "Low"]
    assert harm.footer == ["Total", "High: 1; Medium: 1; Low: 1", ""]
    risk = {row.label: row.value for row in sections[3].items}
    assert risk["Overall risk level"] == "High"
    assert risk["Risk of self-harm"] == ""
    needs = sections[4].items[0]
    assert [row[1] for row in needs.rows] == ["High", "Medium"]
    conclusion = {row.label: row.value for row in sections[5].items}
    assert conclusion["Conclusion"] == "Refer outside the school"
    assert conclusion["Receiving body"] == body.name
    assert conclusion["Why the information is shared without consent"] == "Nguy hiểm tức thời"
