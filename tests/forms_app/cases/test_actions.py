"""The screens that move a case besides the wizards, the case page's next steps, and the menu.

Each action: the role it belongs to succeeds and the case's state and timeline
change; another role of the same school is refused with a 403; staff of another
school get a 404; a case in the wrong state is refused with the reason and
nothing changes; a second POST does not move the case twice.
"""

import datetime
import html
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from forms_app.cases import deadlines, transitions
from forms_app.display import case_url
from forms_app.models import (
    CaseEvent,
    CaseState,
    InterventionPlan,
    ReceivingBody,
    Referral,
    Review,
)
from tests.forms_app.factories import LEARNER_NAME, make_case, plan_answers

Status = InterventionPlan.Status
LIST_URL = "/admin/forms_app/case/"


def case_in(staff, state: str, **learner):
    return make_case(staff.school, staff.worker, staff.principal, state=state, **learner)


def login(client, user):
    client.force_login(user)
    return client


def text(response) -> str:
    """The page as a reader sees it: entities such as &#x27; turned back into characters."""
    return html.unescape(response.content.decode())


def vi(msgid: str, **params) -> str:
    """A message as the (Vietnamese) admin shows it, or the msgid while it is untranslated."""
    with translation.override("vi"):
        message = gettext(msgid)
    return message % params if params else message


def transitions_to(case, state: str) -> int:
    return CaseEvent.objects.filter(
        case=case, kind=CaseEvent.Kind.TRANSITION, to_state=state
    ).count()


def submitted_plan(case) -> InterventionPlan:
    return InterventionPlan.objects.get(case=case, status=Status.SUBMITTED)


def decide_url(plan) -> str:
    return reverse("forms_app:plan_decide", args=[plan.pk])


# Deciding on a plan (Mẫu 03) ---------------------------------------------------------------------


def test_principal_approves_a_submitted_plan(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)

    response = login(client, staff.principal).post(
        decide_url(plan), {"decision": "approve", "comment": "Đồng ý triển khai"}
    )

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert plan.decided_by == staff.principal
    assert case.state == CaseState.PLAN_APPROVED
    event = CaseEvent.objects.get(case=case, to_state=CaseState.PLAN_APPROVED)
    assert event.actor == staff.principal
    assert event.note == "Đồng ý triển khai"
    followed = text(client.get(response.url))
    assert vi("The plan (version %(version)s) has been approved.", version=1) in followed


def test_principal_returns_a_plan_with_a_comment(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)

    response = login(client, staff.principal).post(
        decide_url(plan), {"decision": "return", "comment": "Cần nêu rõ người phối hợp"}
    )

    assert response.status_code == 302
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == Status.RETURNED
    assert plan.decision_comment == "Cần nêu rõ người phối hợp"
    assert case.state == CaseState.PLAN_RETURNED


def test_returning_without_a_comment_is_refused_with_a_message(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)

    response = login(client, staff.principal).post(
        decide_url(plan), {"decision": "return", "comment": "   "}
    )

    assert response.status_code == 200
    assert vi("Say what needs to change when returning a plan.") in text(response)
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert case.state == CaseState.PLAN_SUBMITTED


def test_decision_page_shows_the_plan_and_marks_an_overdue_decision(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)
    InterventionPlan.objects.filter(pk=plan.pk).update(
        approval_due_at=timezone.now() - datetime.timedelta(hours=2)
    )

    response = login(client, staff.principal).get(decide_url(plan))

    assert response.status_code == 200
    page = text(response)
    answers = plan_answers()
    assert answers["goals"]["items"][0]["text"] in page
    assert answers["activities"]["items"][0]["activity"] in page
    assert answers["problems"]["text"] in page
    assert vi("Overdue") in page
    assert 'value="approve"' in page
    assert 'value="return"' in page


def test_decision_page_is_not_overdue_before_the_due_time(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)

    page = text(login(client, staff.principal).get(decide_url(plan)))

    assert plan.approval_due_at > timezone.now()
    assert vi("Overdue") not in page


def test_case_worker_may_not_decide_on_a_plan(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)
    client = login(client, staff.worker)

    assert client.get(decide_url(plan)).status_code == 403
    response = client.post(decide_url(plan), {"decision": "approve"})

    assert response.status_code == 403
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


@pytest.mark.parametrize("who", ["principal_b", "worker_b", "editor"])
def test_a_plan_of_another_school_is_not_found(who, staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)
    client = login(client, getattr(staff, who))

    assert client.get(decide_url(plan)).status_code == 404
    assert client.post(decide_url(plan), {"decision": "approve"}).status_code == 404
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


def test_a_plan_that_does_not_exist_is_not_found(staff, client):
    assert (
        login(client, staff.principal).get(decide_url(SimpleNamespace(pk=999999))).status_code
        == 404
    )


def test_principal_cannot_approve_own_plan(staff, client):
    case = case_in(staff, CaseState.ASSESSED)
    plan = InterventionPlan.objects.create(
        case=case, version=1, author=staff.principal, answers=plan_answers()
    )
    transitions.submit_plan(plan, staff.principal)
    reason = vi("The author of a plan cannot approve or return it; another principal must decide.")
    client = login(client, staff.principal)

    page = client.get(decide_url(plan))
    assert reason in text(page)
    assert 'value="approve"' not in text(page)

    response = client.post(decide_url(plan), {"decision": "approve", "comment": ""})
    assert response.status_code == 403
    assert reason in text(response)
    plan.refresh_from_db()
    case.refresh_from_db()
    assert plan.status == Status.SUBMITTED
    assert case.state == CaseState.PLAN_SUBMITTED

    # Another principal of the school decides instead.
    login(client, staff.vice).post(decide_url(plan), {"decision": "approve"})
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED


def test_a_second_decision_on_the_same_plan_changes_nothing(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)
    client = login(client, staff.principal)

    first = client.post(decide_url(plan), {"decision": "approve"})
    second = client.post(decide_url(plan), {"decision": "return", "comment": "Đổi ý"})

    assert first.status_code == 302
    assert second.status_code == 403
    assert vi("Only a submitted plan can be approved or returned.") in text(second)
    plan.refresh_from_db()
    assert plan.status == Status.APPROVED
    assert transitions_to(case, CaseState.PLAN_APPROVED) == 1
    assert transitions_to(case, CaseState.PLAN_RETURNED) == 0


def test_a_post_without_a_decision_button_decides_nothing(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)

    response = login(client, staff.principal).post(decide_url(plan), {"comment": "Đồng ý"})

    assert response.status_code == 200
    assert vi("Choose whether to approve or return the plan.") in text(response)
    plan.refresh_from_db()
    assert plan.status == Status.SUBMITTED


# Starting the plan -------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["worker", "principal"])
def test_case_roles_start_the_approved_plan(who, staff, client):
    case = case_in(staff, CaseState.PLAN_APPROVED)
    url = reverse("forms_app:case_start", args=[case.pk])
    client = login(client, getattr(staff, who))

    assert client.get(url).status_code == 200
    response = client.post(url, {"note": "Bắt đầu tuần này"})

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    event = CaseEvent.objects.get(case=case, to_state=CaseState.IN_PROGRESS)
    assert event.from_state == CaseState.PLAN_APPROVED
    assert event.actor == getattr(staff, who)
    assert event.note == "Bắt đầu tuần này"


def test_starting_a_plan_that_is_not_approved_is_refused(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    url = reverse("forms_app:case_start", args=[case.pk])
    client = login(client, staff.worker)
    with translation.override("vi"):
        reason = str(
            transitions.InvalidTransition(CaseState.PLAN_SUBMITTED, CaseState.IN_PROGRESS).messages[
                0
            ]
        )

    page = client.get(url)
    response = client.post(url, {"note": ""})

    assert page.status_code == 403
    assert reason in text(page)
    assert response.status_code == 403
    assert reason in text(response)
    case.refresh_from_db()
    assert case.state == CaseState.PLAN_SUBMITTED


def test_starting_twice_moves_the_case_once(staff, client):
    case = case_in(staff, CaseState.PLAN_APPROVED)
    url = reverse("forms_app:case_start", args=[case.pk])
    client = login(client, staff.worker)

    client.post(url, {"note": ""})
    second = client.post(url, {"note": ""})

    assert second.status_code == 403
    assert transitions_to(case, CaseState.IN_PROGRESS) == 1


@pytest.mark.parametrize("who", ["worker_b", "principal_b", "editor"])
def test_starting_another_schools_case_is_not_found(who, staff, client):
    case = case_in(staff, CaseState.PLAN_APPROVED)
    url = reverse("forms_app:case_start", args=[case.pk])
    client = login(client, getattr(staff, who))

    assert client.get(url).status_code == 404
    assert client.post(url, {"note": ""}).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.PLAN_APPROVED


# Referring from intake ---------------------------------------------------------------------------


# Both consents given: the referral screen asks the learner's (from age 7) and the
# parent's or guardian's before a child's information is shared.
CONSENT = {"learner_consent": "yes", "guardian_consent": "yes"}


def refer_url(case) -> str:
    return reverse("forms_app:case_refer", args=[case.pk])


def test_case_worker_refers_a_new_case_with_consent(staff, client, body):
    case = case_in(staff, CaseState.RECEIVED)
    client = login(client, staff.worker)

    response = client.post(
        refer_url(case),
        {"receiving_body": body.pk, "learner_consent": "yes", "guardian_consent": "yes"},
    )

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    case.refresh_from_db()
    referral = Referral.objects.get(case=case)
    assert case.state == CaseState.REFERRED
    assert referral.receiving_body == body
    assert referral.consent_given is True
    assert referral.author == staff.worker
    assert referral.due_at == deadlines.referral_due(staff.school, case.intake.received_at)
    assert case.next_deadline == referral.due_at
    assert transitions_to(case, CaseState.REFERRED) == 1


def test_referral_page_shows_the_12_working_hour_deadline(staff, client):
    case = case_in(staff, CaseState.RECEIVED)
    due = deadlines.referral_due(staff.school, case.intake.received_at)

    response = login(client, staff.worker).get(refer_url(case))

    assert response.status_code == 200
    assert timezone.localtime(due).strftime("%d/%m/%Y %H:%M") in text(response)


def test_referral_without_consent_needs_the_danger_reason(staff, client, body):
    case = case_in(staff, CaseState.RECEIVED)
    client = login(client, staff.worker)

    refused = client.post(
        refer_url(case),
        {
            "receiving_body": body.pk,
            "learner_consent": "no",
            "guardian_consent": "no",
            "danger_exception": "",
        },
    )

    assert refused.status_code == 200
    assert vi(
        "Without the consent of the learner (from age 7) and of the parent or guardian, the "
        "information can only be shared when the child is in danger: write down why sharing "
        "it protects the child."
    ) in text(refused)
    # What was chosen is still chosen.
    assert refused.context["form"]["receiving_body"].value() == str(body.pk)
    assert not Referral.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.state == CaseState.RECEIVED

    accepted = client.post(
        refer_url(case),
        {
            "receiving_body": body.pk,
            "learner_consent": "no",
            "guardian_consent": "no",
            "danger_exception": "Em có dấu hiệu bị bạo hành tại nhà, cần can thiệp ngay",
        },
    )
    assert accepted.status_code == 302
    referral = Referral.objects.get(case=case)
    assert referral.consent_given is False
    assert referral.danger_exception.startswith("Em có dấu hiệu")


def test_referral_to_another_schools_body_is_refused(staff, client):
    case = case_in(staff, CaseState.RECEIVED)
    foreign = ReceivingBody.objects.create(name="UBND xã Bình Khê", school=staff.other_school)
    own = ReceivingBody.objects.create(name="Công an xã An Lạc", school=staff.school)
    client = login(client, staff.worker)

    page = client.get(refer_url(case))
    assert own.name in text(page)
    assert foreign.name not in text(page)

    response = client.post(
        refer_url(case),
        {"receiving_body": foreign.pk, "learner_consent": "yes", "guardian_consent": "yes"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["receiving_body"]
    assert not Referral.objects.filter(case=case).exists()


def test_referral_from_this_screen_is_refused_after_the_assessment(staff, client, body):
    case = case_in(staff, CaseState.ASSESSED)
    client = login(client, staff.worker)
    reason = vi(
        "This screen refers a case just received. After the assessment, refer it "
        "through the assessment (Mẫu 02) or the review (Mẫu 04)."
    )

    page = client.get(refer_url(case))
    response = client.post(refer_url(case), {"receiving_body": body.pk, **CONSENT})

    assert page.status_code == 403
    assert reason in text(page)
    assert response.status_code == 403
    assert not Referral.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.state == CaseState.ASSESSED


def test_referring_twice_makes_one_referral(staff, client, body):
    case = case_in(staff, CaseState.RECEIVED)
    data = {"receiving_body": body.pk, **CONSENT}
    client = login(client, staff.worker)

    client.post(refer_url(case), data)
    second = client.post(refer_url(case), data)

    assert second.status_code == 403
    assert Referral.objects.filter(case=case).count() == 1
    assert transitions_to(case, CaseState.REFERRED) == 1


@pytest.mark.parametrize("who", ["worker_b", "principal_b", "editor"])
def test_referring_another_schools_case_is_not_found(who, staff, client, body):
    case = case_in(staff, CaseState.RECEIVED)
    client = login(client, getattr(staff, who))

    assert client.get(refer_url(case)).status_code == 404
    response = client.post(refer_url(case), {"receiving_body": body.pk, **CONSENT})
    assert response.status_code == 404
    assert not Referral.objects.filter(case=case).exists()


# Marking a referral as sent ----------------------------------------------------------------------


def sent_url(referral) -> str:
    return reverse("forms_app:referral_sent", args=[referral.pk])


@pytest.mark.parametrize("who", ["worker", "principal"])
def test_case_roles_mark_a_referral_as_sent(who, staff, client):
    case = case_in(staff, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)
    assert case.next_deadline == referral.due_at
    client = login(client, getattr(staff, who))

    assert client.get(sent_url(referral)).status_code == 200
    response = client.post(sent_url(referral))

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    referral.refresh_from_db()
    case.refresh_from_db()
    assert referral.sent_at is not None
    assert case.next_deadline is None  # the referral deadline is met
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.RECORD).latest("pk")
    assert event.actor == getattr(staff, who)
    assert event.note == referral.receiving_body.name


def test_marking_a_referral_sent_twice_keeps_the_first_time(staff, client):
    case = case_in(staff, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)
    client = login(client, staff.worker)

    client.post(sent_url(referral))
    referral.refresh_from_db()
    first_time = referral.sent_at
    second = client.post(sent_url(referral))

    assert second.status_code == 403
    assert vi("This referral has already been sent.") in text(second)
    referral.refresh_from_db()
    assert referral.sent_at == first_time
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.RECORD).count() == 1


@pytest.mark.parametrize("who", ["worker_b", "principal_b", "editor"])
def test_a_referral_of_another_school_is_not_found(who, staff, client):
    case = case_in(staff, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)
    client = login(client, getattr(staff, who))

    assert client.get(sent_url(referral)).status_code == 404
    assert client.post(sent_url(referral)).status_code == 404
    referral.refresh_from_db()
    assert referral.sent_at is None


# Closing -----------------------------------------------------------------------------------------


def close_url(case) -> str:
    return reverse("forms_app:case_close", args=[case.pk])


@pytest.mark.parametrize("state", [CaseState.REVIEWED, CaseState.REFERRED])
def test_principal_closes_a_case_with_a_note(state, staff, client):
    case = case_in(staff, state)
    client = login(client, staff.principal)

    assert client.get(close_url(case)).status_code == 200
    response = client.post(close_url(case), {"note": "Em đã ổn định, gia đình phối hợp tốt"})

    assert response.status_code == 302
    assert response.url == case_url(case.pk)
    case.refresh_from_db()
    assert case.state == CaseState.CLOSED
    event = CaseEvent.objects.get(case=case, to_state=CaseState.CLOSED)
    assert event.actor == staff.principal
    assert event.note == "Em đã ổn định, gia đình phối hợp tốt"


def test_closing_needs_a_reason(staff, client):
    case = case_in(staff, CaseState.REVIEWED)

    response = login(client, staff.principal).post(close_url(case), {"note": ""})

    assert response.status_code == 200
    assert response.context["form"].errors["note"]
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED


def test_case_worker_may_not_close_a_case(staff, client):
    case = case_in(staff, CaseState.REVIEWED)
    client = login(client, staff.worker)

    assert client.get(close_url(case)).status_code == 403
    assert client.post(close_url(case), {"note": "Đóng"}).status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED


def test_closing_is_refused_when_the_latest_review_does_not_propose_it(staff, client):
    case = case_in(staff, CaseState.REVIEWED)
    plan = InterventionPlan.objects.get(case=case, status=Status.APPROVED)
    Review.objects.create(
        case=case, plan=plan, author=staff.worker, conclusion=Review.Conclusion.CONTINUE
    )
    reason = vi("A case can only be closed after a review that proposes closing it.")

    response = login(client, staff.principal).post(close_url(case), {"note": "Đóng"})

    assert response.status_code == 403
    assert reason in text(response)
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED


def test_closing_a_case_in_progress_is_refused(staff, client):
    case = case_in(staff, CaseState.IN_PROGRESS)

    response = login(client, staff.principal).post(close_url(case), {"note": "Đóng"})

    assert response.status_code == 403
    case.refresh_from_db()
    assert case.state == CaseState.IN_PROGRESS
    assert transitions_to(case, CaseState.CLOSED) == 0


def test_closing_twice_closes_once(staff, client):
    case = case_in(staff, CaseState.REVIEWED)
    client = login(client, staff.principal)

    client.post(close_url(case), {"note": "Đóng hồ sơ"})
    second = client.post(close_url(case), {"note": "Đóng hồ sơ"})

    assert second.status_code == 403
    assert transitions_to(case, CaseState.CLOSED) == 1


@pytest.mark.parametrize("who", ["principal_b", "worker_b", "editor"])
def test_closing_another_schools_case_is_not_found(who, staff, client):
    case = case_in(staff, CaseState.REVIEWED)
    client = login(client, getattr(staff, who))

    assert client.get(close_url(case)).status_code == 404
    assert client.post(close_url(case), {"note": "Đóng"}).status_code == 404
    case.refresh_from_db()
    assert case.state == CaseState.REVIEWED


# The case page -----------------------------------------------------------------------------------


def inspect(client, user, case) -> str:
    response = login(client, user).get(reverse("forms_app_case_modeladmin_inspect", args=[case.pk]))
    assert response.status_code == 200
    return text(response)


def test_case_page_offers_the_principal_the_decision_and_not_the_worker(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    url = decide_url(submitted_plan(case))

    assert url in inspect(client, staff.principal, case)
    assert url not in inspect(client, staff.worker, case)


def test_case_page_does_not_offer_the_author_principal_their_own_plan(staff, client):
    case = case_in(staff, CaseState.ASSESSED)
    plan = InterventionPlan.objects.create(
        case=case, version=1, author=staff.principal, answers=plan_answers()
    )
    transitions.submit_plan(plan, staff.principal)

    assert decide_url(plan) not in inspect(client, staff.principal, case)
    assert decide_url(plan) in inspect(client, staff.vice, case)


@pytest.mark.parametrize(
    ("state", "who", "url_name", "offered"),
    [
        (CaseState.PLAN_APPROVED, "worker", "forms_app:case_start", True),
        (CaseState.IN_PROGRESS, "worker", "forms_app:case_start", False),
        (CaseState.RECEIVED, "worker", "forms_app:case_refer", True),
        (CaseState.ASSESSED, "worker", "forms_app:case_refer", False),
        (CaseState.REVIEWED, "principal", "forms_app:case_close", True),
        (CaseState.REVIEWED, "worker", "forms_app:case_close", False),
        (CaseState.REFERRED, "principal", "forms_app:case_close", True),
        (CaseState.IN_PROGRESS, "principal", "forms_app:case_close", False),
    ],
)
def test_case_page_offers_only_the_actions_allowed_now(
    state, who, url_name, offered, staff, client
):
    case = case_in(staff, state)
    page = inspect(client, getattr(staff, who), case)
    assert (reverse(url_name, args=[case.pk]) in page) is offered


def test_case_page_offers_to_mark_an_unsent_referral(staff, client):
    case = case_in(staff, CaseState.REFERRED)
    referral = Referral.objects.get(case=case)

    assert sent_url(referral) in inspect(client, staff.worker, case)
    transitions.mark_referral_sent(referral, staff.worker)
    assert sent_url(referral) not in inspect(client, staff.worker, case)


def test_case_page_offers_the_templates_whose_wizard_may_start(staff, client):
    from forms_app.wizards import WIZARDS, CaseRecordWizard

    case = case_in(staff, CaseState.RECEIVED)
    page = inspect(client, staff.worker, case)
    for wizard in WIZARDS.values():
        if not issubclass(wizard, CaseRecordWizard):
            continue
        url = reverse(wizard.start_url_name()) + f"?case={case.pk}"
        assert (url in page) is wizard.can_start(staff.worker, case.school, case), wizard


def test_closed_case_offers_nothing(staff, client):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.CLOSED)
    page = inspect(client, staff.principal, case)
    assert vi("Nothing is waiting for you on this case.") in page


def test_next_deadline_is_given_in_words_on_the_case_page_and_the_list(staff, client):
    case = case_in(staff, CaseState.REFERRED)
    label = vi("Referral due")

    assert label in inspect(client, staff.worker, case)
    assert label in text(client.get(LIST_URL))

    submitted = case_in(staff, CaseState.PLAN_SUBMITTED)
    assert vi("Plan approval due") in inspect(client, staff.worker, submitted)


def test_case_page_links_each_record_to_its_print_and_pdf(staff, client):
    case = case_in(staff, CaseState.PLAN_SUBMITTED)
    plan = submitted_plan(case)
    print_url = reverse("forms_app:record_print", args=["03", plan.pk])
    pdf_url = reverse("forms_app:record_pdf", args=["03", plan.pk])
    intake_print = reverse("forms_app:record_print", args=["01", case.intake.pk])

    page = inspect(client, staff.worker, case)

    assert print_url in page
    assert pdf_url in page
    assert intake_print in page


# The menu and the dashboard ----------------------------------------------------------------------


def test_menu_offers_the_case_area_to_case_roles(staff, client):
    page = text(login(client, staff.worker).get(reverse("wagtailadmin_home")))
    for url in (
        LIST_URL,
        reverse("forms_app:intake_start"),
        reverse("forms_app:todo"),
        reverse("forms_app:drafts"),
    ):
        assert f'"{url}"' in page, url
    assert '"case-records"' in page


@pytest.mark.parametrize("who", ["editor", "superuser"])
def test_menu_hides_the_case_area_from_other_roles(who, staff, client, django_user_model):
    user = (
        django_user_model.objects.create_superuser("root", password="pw-root")
        if who == "superuser"
        else staff.editor
    )
    page = text(login(client, user).get(reverse("wagtailadmin_home")))
    assert '"case-records"' not in page
    for url in (LIST_URL, reverse("forms_app:todo"), reverse("forms_app:drafts")):
        assert f'"{url}"' not in page


def test_dashboard_shows_the_to_do_panel_to_case_roles_only(staff, client, body):
    case_in(staff, CaseState.REFERRED)

    worker_page = text(login(client, staff.worker).get(reverse("wagtailadmin_home")))
    editor_page = text(login(client, staff.editor).get(reverse("wagtailadmin_home")))

    assert 'id="case-todo-section"' in worker_page
    assert vi("Send the referral to %(body)s", body=body.name) in worker_page
    assert 'id="case-todo-section"' not in editor_page
    assert LEARNER_NAME not in editor_page
