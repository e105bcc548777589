"""The whole case as one PDF for the paper file: a cover, then every record in order.

Read back with pypdf, as in test_printing: what matters is the text a reader of
the paper sees, in the order they turn the pages.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext
from pypdf import PdfReader

from audit.models import Action, AuditEntry
from forms_app.cases import transitions
from forms_app.models import CaseState, InterventionPlan, ReceivingBody, Referral, Review
from forms_app.printing import bundle
from tests.forms_app.factories import LEARNER_NAME, make_case, plan_answers
from tests.forms_app.module_data import fresh
from tests.forms_app.printing.test_printing import MOTTO, TITLES, pdf_text

SECOND_PLAN_ACTIVITY = "Sinh hoạt nhóm kỹ năng sống cùng lớp 7A"
EXCEPTION = "Em có dấu hiệu bị bạo lực tại nhà, cần can thiệp ngay"


def closed_case_with_every_record(school, worker, principal):
    """A closed case with every kind of record: Mẫu 01, 02, two versions of 03, 04, a referral."""
    case = make_case(school, worker, principal, CaseState.CLOSED)
    answers = plan_answers()
    answers["activities"]["items"][0]["activity"] = SECOND_PLAN_ACTIVITY
    InterventionPlan.objects.create(case=case, version=2, author=worker, answers=answers)
    Referral.objects.create(
        case=case,
        receiving_body=ReceivingBody.objects.filter(school__isnull=True).first(),
        due_at=timezone.now() + datetime.timedelta(hours=12),
        consent_given=False,
        danger_exception=EXCEPTION,
        author=worker,
    )
    return case


@pytest.fixture(scope="module")
def module_full_case(module_db, module_school, module_worker, module_principal):
    """Built once: every test here only reads the case (what a request writes is undone)."""
    return module_db.build(
        closed_case_with_every_record, module_school, module_worker, module_principal
    )


@pytest.fixture
def full_case(db, module_full_case):
    return fresh(module_full_case)


def bundle_url(case) -> str:
    return reverse("forms_app:case_bundle_pdf", args=[case.pk])


def test_bundle_holds_the_cover_and_every_record_in_order(client, full_case, worker):
    client.force_login(worker)

    response = client.get(bundle_url(full_case))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    # The cover: what the case is and its timeline of states.
    cover = text[: text.index(TITLES["01"])]
    assert gettext("Case file").upper() in cover
    assert full_case.reference in cover
    assert "TRƯỜNG THCS HOA BAN" in cover
    assert MOTTO in cover
    for state in (CaseState.RECEIVED, CaseState.ASSESSED, CaseState.PLAN_APPROVED):
        assert str(CaseState(state).label) in cover
    assert str(CaseState.CLOSED.label) in cover
    assert LEARNER_NAME not in cover
    # Every record, with what it says, in the order of the procedure.
    referral_title = capfirst(str(Referral._meta.verbose_name)).upper()
    positions = [
        text.index(TITLES["01"]),
        text.index(TITLES["02"]),
        text.index(TITLES["03"]),
        text.index(TITLES["03"], text.index(TITLES["03"]) + 1),
        text.index(TITLES["04"]),
        text.index(referral_title, text.index(TITLES["04"])),
    ]
    assert positions == sorted(positions)
    assert text.count(TITLES["03"]) == 2
    for content in (
        LEARNER_NAME,  # Mẫu 01 and the others print the learner
        "Em hay khóc, ít nói",  # Mẫu 01's answers
        "Cần quan tâm",  # Mẫu 02's needs
        "Tham vấn cá nhân hằng tuần",  # Mẫu 03 v1
        SECOND_PLAN_ACTIVITY,  # Mẫu 03 v2
        "Em đến lớp đều đặn và thấy an toàn",  # Mẫu 04's results
        EXCEPTION,  # the referral's documented exception
    ):
        assert content in text
    assert f"Số: {full_case.reference}/BC-TN" in text
    assert f"Số: {full_case.reference}/BC-RS" in text


def test_bundle_is_a_private_attachment_named_by_reference_and_audited(client, full_case, worker):
    client.force_login(worker)

    response = client.get(bundle_url(full_case))

    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f'filename="{full_case.reference}.pdf"' in disposition
    for part in ("Tuyết", "Tuyet", "Ánh"):
        assert part not in disposition
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action=Action.PDF, target="bundle")
    assert entry.case_id_value == full_case.pk
    assert entry.case_reference == full_case.reference
    assert entry.actor_id == worker.pk
    assert LEARNER_NAME not in entry.detail


def test_case_page_links_to_the_bundle(client, full_case, principal):
    client.force_login(principal)

    response = client.get(reverse("forms_app_case_modeladmin_inspect", args=[full_case.pk]))

    assert response.status_code == 200
    assert f'href="{bundle_url(full_case)}"' in response.content.decode()


def test_other_schools_principal_is_refused(client, full_case, principal_b):
    client.force_login(principal_b)

    response = client.get(bundle_url(full_case))

    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=Action.PDF, target="bundle").exists()


def test_editor_of_the_school_and_anonymous_are_refused(client, full_case, editor):
    anonymous = client.get(bundle_url(full_case))
    client.force_login(editor)
    editor = client.get(bundle_url(full_case))

    assert anonymous.status_code == 302
    assert "/login/" in anonymous["Location"]
    assert editor.status_code == 404


# What the file says along the way, and its page numbers ------------------------------

APPROVAL_COMMENT = "Đồng ý, đề nghị mời cha mẹ em tham gia buổi tham vấn thứ hai"
CLOSING_REASON = "Em đã đi học đều, không còn bị trêu chọc sau hai tháng theo dõi"


@pytest.fixture
def commented_case(school, worker, principal):
    """Closed through the procedure: the plan approved with a comment, closed with a reason."""
    case = make_case(school, worker, principal, CaseState.PLAN_SUBMITTED)
    plan = case.plans.get()
    transitions.approve_plan(plan, principal, APPROVAL_COMMENT)
    transitions.start_plan(case, worker)
    Review.objects.create(
        case=case, plan=plan, conclusion=Review.Conclusion.CLOSE, author=worker, answers={}
    )
    transitions.transition(case, CaseState.REVIEWED, worker)
    transitions.close_case(case, principal, CLOSING_REASON)
    case.refresh_from_db()
    return case


def test_cover_timeline_columns_hold_what_their_headings_say(full_case):
    context = bundle.cover_context(full_case, bundle.case_records(full_case))

    columns = context["timeline_columns"]
    states = {str(label) for label in CaseState.labels} | {""}
    # Moved between states: the columns say states, not the dates of a plan's period.
    for index in (2, 3):
        assert "ngày" not in columns[index].lower()
        assert {row[index] for row in context["timeline"]} <= states
    assert columns[2] not in (gettext("From"), gettext("To"))
    moments = [row[0] for row in context["timeline"]]
    assert all(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", moment) for moment in moments)


def test_bundle_holds_the_principals_comment_and_the_closing_reason(client, commented_case, worker):
    client.force_login(worker)

    text = pdf_text(client.get(bundle_url(commented_case)).content)

    cover = text[: text.index(TITLES["01"])]
    assert APPROVAL_COMMENT in text
    assert CLOSING_REASON in text
    # What people wrote may name the child: never on the cover.
    assert APPROVAL_COMMENT not in cover
    assert CLOSING_REASON not in cover
    last_sheet = text[text.rindex(gettext("Closing of the case")) :]
    assert CLOSING_REASON in last_sheet
    assert "Phạm Đức Thắng" in last_sheet


def test_bundle_pages_are_numbered_across_the_whole_file(full_case):
    reader = PdfReader(io.BytesIO(bundle.render_bundle(None, full_case)))

    total = len(reader.pages)
    assert total > 6  # a cover and six records, each on pages of its own
    footer = gettext("Page %(page)s/%(pages)s")
    for number, page in enumerate(reader.pages, start=1):
        text = " ".join(page.extract_text().split())
        assert footer % {"page": number, "pages": total} in text
