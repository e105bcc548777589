"""One case through the whole procedure, through the screens as staff use them.

Mẫu 01 → Mẫu 02 → Mẫu 03 → the principal's approval → carrying out → Mẫu 04 →
closed by the principal; and a case referred from its assessment within 12
working hours. The step-by-step contracts are in each wizard's own tests; this
checks that the screens hand a case on from one to the next.
"""

import datetime
import zoneinfo

from django.urls import reverse

from forms_app.display import case_url
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    ReceivingBody,
    Referral,
    Review,
    WizardDraft,
)
from tests.forms_app.factories import PATH
from tests.forms_app.wizards import test_assessment_wizard as mau02
from tests.forms_app.wizards import test_intake_wizard as mau01
from tests.forms_app.wizards import test_plan_wizard as mau03
from tests.forms_app.wizards import test_review_wizard as mau04

HCM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def as_user(client, user):
    client.logout()
    client.force_login(user)
    return client


def file_intake(client) -> Case:
    draft = mau01.start(client)
    mau01.fill_until_consent(client, draft)
    response = mau01.post_step(client, draft, "informant_consent", {"consent": "no"})
    assert response.url == mau01.step_url(draft, "first_assessment")
    response = mau01.post_step(client, draft, "first_assessment", mau01.ASSESSMENT)
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    return case


def assess(client, case: Case, conclusion: dict, referral: dict | None = None) -> None:
    draft = mau02.start(client, case)
    mau02.fill_until_conclusion(client, draft)
    response = mau02.post_step(client, draft, "conclusion", conclusion)
    assert response.status_code == 302
    if referral is not None:
        assert response.url == mau02.step_url(draft, "referral")
        response = mau02.post_step(client, draft, "referral", referral)
        assert response.status_code == 302, response.context["form"].errors


def test_a_case_goes_from_intake_to_closing_through_the_screens(client, school, worker, principal):
    # Mẫu 01: the case worker files the intake report; the case opens.
    case = file_intake(as_user(client, worker))
    assert case.state == CaseState.RECEIVED
    assert IntakeReport.objects.filter(case=case).count() == 1

    # Mẫu 02: assessed; support inside the school.
    assess(client, case, mau02.SUPPORT)
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED
    assert Assessment.objects.get(case=case).conclusion == Assessment.Conclusion.SUPPORT

    # Mẫu 03: the plan is drafted (prefilled from the assessment's needs) and sent.
    draft = mau03.start(client, case)
    first_step = client.get(mau03.step_url(draft, "problems")).content.decode()
    assert "Bố trí chỗ ngồi an toàn" in first_step  # a need noted in Mẫu 02
    mau03.fill_all_but_confirm(client, draft)
    assert mau03.send(client, draft).status_code == 302
    plan = InterventionPlan.objects.get(case=case)
    case.refresh_from_db()
    assert (plan.status, case.state) == (
        InterventionPlan.Status.SUBMITTED,
        CaseState.PLAN_SUBMITTED,
    )
    assert case.next_deadline == plan.approval_due_at

    # The author cannot decide; the principal approves.
    decide = reverse("forms_app:plan_decide", args=[plan.pk])
    assert client.post(decide, {"decision": "approve"}).status_code == 403
    as_user(client, principal)
    todo = client.get(reverse("forms_app:todo")).content.decode()
    assert case.reference in todo
    response = client.post(decide, {"decision": "approve", "comment": "Đồng ý"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == InterventionPlan.Status.APPROVED
    assert plan.decided_by == principal

    # The case worker starts carrying it out.
    as_user(client, worker)
    response = client.post(reverse("forms_app:case_start", args=[case.pk]), {"note": ""})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS

    # Mẫu 04: the review's results are prefilled from the approved plan's goals.
    draft = mau04.start(client, case)
    response = mau04.post_step(client, draft, "general", mau04.GENERAL)
    results_page = client.get(response.url).content.decode()
    for goal in mau03.GOALS:
        assert goal in results_page
    results = {}
    for index in range(len(mau03.GOALS)):
        results[f"plan{plan.pk}_goal{index}_result"] = "achieved"
    results[f"plan{plan.pk}_activity0_result"] = "achieved"
    for step, data in [
        ("results", results),
        ("harm", mau04.rated("harm", "low")),
        ("resilience", mau04.rated("resilience", "high")),
        ("conclusion", mau04.CLOSE),
    ]:
        response = mau04.post_step(client, draft, step, data)
        assert response.status_code == 302, response.context["form"].errors
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED
    assert Review.objects.get(case=case).conclusion == Review.Conclusion.CLOSE

    # Only the principal closes the case.
    close = reverse("forms_app:case_close", args=[case.pk])
    assert client.post(close, {"note": "Hoàn thành"}).status_code == 403
    as_user(client, principal)
    assert client.post(close, {"note": "Hoàn thành hỗ trợ"}).status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED

    # Every move is on the timeline, in order, and every record prints.
    moves = list(
        CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).values_list(
            "to_state", flat=True
        )
    )
    assert moves == PATH
    for code, record in [
        ("01", case.intake),
        ("02", Assessment.objects.get(case=case)),
        ("03", plan),
        ("04", Review.objects.get(case=case)),
    ]:
        response = client.get(reverse("forms_app:record_pdf", args=[code, record.pk]))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
    assert not WizardDraft.objects.filter(submitted_at__isnull=True).exists()


def test_a_case_referred_from_its_assessment_is_due_within_12_working_hours(
    client, school, worker, principal
):
    case = file_intake(as_user(client, worker))
    # Received Thursday 08:30: 12 working hours (8 a day) fall on Friday 14:30.
    received = datetime.datetime(2026, 3, 5, 8, 30, tzinfo=HCM)
    Case.objects.filter(pk=case.pk).update(received_at=received)
    IntakeReport.objects.filter(case=case).update(received_at=received)
    body = ReceivingBody.objects.filter(school__isnull=True).first()

    assess(
        client,
        case,
        mau02.REFER,
        referral={"receiving_body": body.pk, **mau02.CONSENT},
    )
    referral = Referral.objects.get(case=case)
    assert referral.due_at == datetime.datetime(2026, 3, 6, 14, 30, tzinfo=HCM)
    case.refresh_from_db()
    assert case.state == CaseState.REFERRED
    assert case.next_deadline == referral.due_at

    # Marked sent, the deadline is met; the principal may then close the case.
    response = client.post(reverse("forms_app:referral_sent", args=[referral.pk]))
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.sent_at is not None
    case.refresh_from_db()
    assert case.next_deadline is None
    as_user(client, principal)
    response = client.post(
        reverse("forms_app:case_close", args=[case.pk]), {"note": "Đã chuyển UBND xã"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
