"""Each event raises its alert, to the right people, once."""

import pytest

from concerns.models import Channel, Concern, ConcernMessage
from forms_app.cases import transitions
from forms_app.models import CaseState, InterventionPlan
from notifications.models import Kind, Notification
from tests.forms_app.factories import make_case


def recipients(kind: str) -> set[str]:
    return set(Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True))


@pytest.fixture
def concern(staff) -> Concern:
    return Concern.objects.create(
        school=staff.school,
        channel=Channel.ONLINE,
        what_happened="Em muốn được nói chuyện với thầy cô",
    )


def test_new_concern_alerts_the_schools_case_roles(staff, concern):
    assert recipients(Kind.NEW_CONCERN) == {
        "cb-ctxh",
        "to-tu-van",
        "hieu-truong",
        "pho-hieu-truong",
    }
    assert Notification.objects.filter(kind=Kind.NEW_CONCERN, urgent=False).count() == 4
    assert Notification.objects.get(recipient=staff.worker).url.endswith(f"/{concern.pk}/")


def test_the_staff_member_who_logged_a_concern_is_not_alerted_of_it(staff):
    Concern.objects.create(
        school=staff.school, channel=Channel.PHONE, reporter=staff.worker, what_happened="…"
    )
    assert "cb-ctxh" not in recipients(Kind.NEW_CONCERN)


def test_a_concern_set_aside_as_possible_spam_alerts_nobody(staff):
    Concern.objects.create(
        school=staff.school,
        channel=Channel.ONLINE,
        what_happened="mua ngay giá rẻ",
        held_as_possible_spam=True,
    )
    assert not Notification.objects.exists()


def test_saving_a_concern_again_raises_nothing_more(staff, concern):
    concern.urgent = True
    concern.save()
    assert Notification.objects.count() == 4


def test_sender_message_goes_to_the_handler(staff, concern):
    concern.handled_by = staff.colleague
    concern.save()
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.REPORTER, text="Em cảm ơn"
    )
    assert recipients(Kind.SENDER_MESSAGE) == {"to-tu-van"}


def test_sender_message_without_handler_goes_to_every_case_role(staff, concern):
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.REPORTER, text="Em cảm ơn"
    )
    assert recipients(Kind.SENDER_MESSAGE) == {
        "cb-ctxh",
        "to-tu-van",
        "hieu-truong",
        "pho-hieu-truong",
    }


def test_the_teams_own_reply_alerts_nobody(staff, concern):
    ConcernMessage.objects.create(
        concern=concern, author_kind=ConcernMessage.Author.TEAM, author=staff.worker, text="Chào em"
    )
    assert not Notification.objects.filter(kind=Kind.SENDER_MESSAGE).exists()


def test_plan_submitted_alerts_the_principals(staff):
    make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_SUBMITTED)
    assert recipients(Kind.PLAN_SUBMITTED) == {"hieu-truong", "pho-hieu-truong"}


def test_a_principal_who_wrote_the_plan_is_not_asked_to_approve_it(staff):
    case = make_case(staff.school, staff.worker, staff.principal, state=CaseState.ASSESSED)
    plan = InterventionPlan.objects.create(case=case, version=1, author=staff.principal, answers={})
    transitions.submit_plan(plan, staff.principal)
    assert recipients(Kind.PLAN_SUBMITTED) == {"pho-hieu-truong"}


def test_plan_approved_alerts_its_author(staff):
    make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_APPROVED)
    assert recipients(Kind.PLAN_APPROVED) == {"cb-ctxh"}
    assert not Notification.objects.filter(kind=Kind.PLAN_RETURNED).exists()


def test_plan_returned_alerts_its_author(staff):
    make_case(staff.school, staff.worker, staff.principal, state=CaseState.PLAN_RETURNED)
    assert recipients(Kind.PLAN_RETURNED) == {"cb-ctxh"}


def test_page_submitted_for_review_alerts_the_principals_of_its_school(staff):
    from pages.workflows import sync_school_workflow

    sync_school_workflow(staff.school)
    page = staff.school.root_page.specific
    page.title = "Trang chủ mới"
    revision = page.save_revision(user=staff.editor)
    workflow = page.get_workflow()
    assert workflow is not None
    workflow.start(page, staff.editor)
    assert revision
    assert recipients(Kind.PAGE_REVIEW) == {"hieu-truong", "pho-hieu-truong"}
    assert Notification.objects.filter(kind=Kind.PAGE_REVIEW).first().url == (
        f"/admin/pages/{page.pk}/edit/"
    )
