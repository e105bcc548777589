"""The Mẫu 01 intake wizard: the wizard contract of the house style, and its drafts."""

import datetime
import uuid

import pytest
from django import forms
from django.urls import reverse
from django.utils import timezone, translation

from forms_app.display import case_url
from forms_app.models import Case, Gender, IntakeReport, IssueCategory, WizardDraft
from schools.roles import Role
from tests.forms_app.wizards.stepping import INTAKE_WIZARD, stored

# The intake's own names for the shared helpers; other test modules import them from here.
start, step_url, post_step = INTAKE_WIZARD.start, INTAKE_WIZARD.step_url, INTAKE_WIZARD.post
MANAGEMENT = INTAKE_WIZARD.management

SOURCE = {"channel": "phone", "received_date": "2025-11-03", "received_time": "08:30"}
LEARNER = {
    "name": "Nguyễn Văn An",
    "birth_date": "2013-04-02",
    "gender": "male",
    "learner_class": "7A",
    "place": "Sân trường",
    "current_condition": "Lo âu, ít nói",
    "likely_consequences": "Có nguy cơ bỏ học",
    # Born in 2013, so old enough that their own consent to share must be answered.
    "learner_consent": "yes",
}
FAMILY = {
    "father_name": "Nguyễn Văn Bình",
    "father_age": "41",
    "father_occupation": "Làm ruộng",
    "mother_name": "Trần Thị Cúc",
    "situation": "Bố mẹ đi làm xa",
    "carer": "Bà ngoại",
    "guardian_consent": "yes",
}
SUPPORT = {"support_so_far": "GVCN đã trò chuyện với em"}
INFORMANT = {
    "name": "Lê Thị Dung",
    "phone": "0912345678",
    "address": "Thôn 3",
    "relation": "Hàng xóm",
}
ASSESSMENT = {
    "urgency": "urgent",
    "needs": "Cần hỗ trợ tâm lý",
    "referral_suggested": "yes",
    "notes": "Báo cáo hiệu trưởng",
}


@pytest.fixture
def categories(db):
    return [
        IssueCategory.objects.create(name="Bị bắt nạt", sort_order=1),
        IssueCategory.objects.create(name="Khó khăn tâm lý", sort_order=2),
        IssueCategory.objects.create(name="Không còn dùng", active=False),
    ]


def fill_until_consent(client, draft: WizardDraft, categories=()) -> None:
    learner = {**LEARNER, "categories": [c.pk for c in categories]}
    INTAKE_WIZARD.fill(
        client,
        draft,
        [
            ("source", SOURCE, "learner"),
            ("learner", learner, "family"),
            ("family", FAMILY, "support_so_far"),
            ("support_so_far", SUPPORT, "informant_consent"),
        ],
    )


# Happy path and branches


def test_happy_path_with_consent_creates_one_case_and_intake_report(
    client_as, worker, school, categories
):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft, categories[:2])

    response = post_step(client, draft, "informant_consent", {"consent": "yes"})
    assert response.url == step_url(draft, "informant")
    assert post_step(client, draft, "informant", INFORMANT).url == step_url(
        draft, "first_assessment"
    )
    response = post_step(client, draft, "first_assessment", ASSESSMENT)

    case = Case.objects.get()
    report = IntakeReport.objects.get()
    assert response.status_code == 302
    assert response.url == case_url(case.pk) == f"/admin/forms_app/case/inspect/{case.pk}/"
    assert case.school == school
    assert case.created_by == worker
    assert case.learner_name == "Nguyễn Văn An"
    assert case.learner_birth_date == datetime.date(2013, 4, 2)
    assert case.learner_gender == Gender.MALE
    assert case.learner_class == "7A"
    assert set(case.categories.all()) == set(categories[:2])
    received = timezone.make_aware(datetime.datetime(2025, 11, 3, 8, 30))
    assert case.received_at == received
    assert report.case == case
    assert report.received_at == received
    assert report.urgency == IntakeReport.Urgency.URGENT
    assert report.referral_suggested is True
    assert report.informant_consented is True
    assert report.template_version == "2025.1"
    assert report.legal_basis == "Thông tư 18/2025/TT-BGDĐT"
    assert report.author == worker
    assert report.answers == {
        "source": {"channel": "phone"},
        "learner": {
            "place": "Sân trường",
            "current_condition": "Lo âu, ít nói",
            "likely_consequences": "Có nguy cơ bỏ học",
            "learner_consent": "yes",
        },
        "family": {
            **FAMILY,
            "father_age": 41,
            "mother_age": None,
            "father_occupation": "Làm ruộng",
            "mother_occupation": "",
        },
        "support_so_far": SUPPORT,
        "informant": INFORMANT,
        "first_assessment": {"needs": "Cần hỗ trợ tâm lý", "notes": "Báo cáo hiệu trưởng"},
    }
    draft.refresh_from_db()
    assert draft.submitted_at is not None
    assert draft.record_id == report.pk
    assert draft.case == case
    # The answers now live in the record only.
    assert draft.steps == {}


def test_without_consent_the_informant_step_is_skipped_and_nothing_about_them_is_stored(
    client_as, worker
):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)

    response = post_step(client, draft, "informant_consent", {"consent": "no"})
    assert response.url == step_url(draft, "first_assessment")
    page = client.get(response.url)
    assert [s["name"] for s in page.context["step_list"]] == [
        "source",
        "learner",
        "family",
        "support_so_far",
        "informant_consent",
        "first_assessment",
    ]
    # The informant's URL leads away rather than asking about them.
    assert client.get(step_url(draft, "informant")).status_code == 302
    # Their details posted anyway (a stale tab) are not taken.
    post_step(client, draft, "informant", INFORMANT)
    assert "informant" not in stored(draft)

    post_step(client, draft, "first_assessment", ASSESSMENT)
    report = IntakeReport.objects.get()
    assert report.informant_consented is False
    assert "informant" not in report.answers
    assert "Lê Thị Dung" not in str(report.answers)


def test_withdrawn_consent_drops_the_informant_details_already_typed(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "yes"})
    post_step(client, draft, "informant", INFORMANT)
    assert stored(draft)["informant"]["informant-name"] == ["Lê Thị Dung"]

    post_step(client, draft, "first_assessment", {}, wizard_goto_step="informant")
    post_step(client, draft, "informant", {}, wizard_goto_step="informant_consent")
    post_step(client, draft, "informant_consent", {"consent": "no"})

    assert "informant" not in stored(draft)
    assert "Lê Thị Dung" not in str(draft.steps)
    post_step(client, draft, "first_assessment", ASSESSMENT)
    assert "informant" not in IntakeReport.objects.get().answers


def test_school_is_asked_of_a_worker_at_two_schools_and_the_case_opens_there(
    client_as, make_staff, school, other_school
):
    other = other_school
    both = make_staff("both", Role.CASE_WORKER, school, other)
    client = client_as(both)
    draft = start(client, school=school.pk)
    page = client.get(step_url(draft, "source"))
    assert set(page.context["form"].fields["school"].queryset) == {school, other}

    post_step(client, draft, "source", {**SOURCE, "school": other.pk})
    draft.refresh_from_db()
    assert draft.school == other
    for step, data in [
        ("learner", {}),
        ("family", {}),
        ("support_so_far", {}),
        ("informant_consent", {"consent": "no"}),
        ("first_assessment", ASSESSMENT),
    ]:
        post_step(client, draft, step, data)
    assert Case.objects.get().school == other


def test_a_worker_at_one_school_is_not_asked_which_school(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    assert "school" not in client.get(step_url(draft, "source")).context["form"].fields


def test_learner_facts_may_all_be_unknown(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    response = post_step(client, draft, "learner", {})
    assert response.status_code == 302
    for step, data in [
        ("family", {}),
        ("support_so_far", {}),
        ("informant_consent", {"consent": "no"}),
        ("first_assessment", ASSESSMENT),
    ]:
        post_step(client, draft, step, data)
    case = Case.objects.get()
    assert case.learner_name == ""
    assert case.learner_birth_date is None
    assert case.learner_gender == Gender.UNKNOWN


# Invalid input, going back, reloading


def test_birth_date_in_the_future_is_refused_with_the_input_kept(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()

    response = post_step(client, draft, "learner", {**LEARNER, "birth_date": tomorrow})

    assert response.status_code == 200
    form = response.context["form"]
    assert form.has_error("birth_date", "future")
    html = response.content.decode()
    assert 'id="error-summary"' in html
    assert 'href="#id_learner-birth_date"' in html
    assert 'value="Nguyễn Văn An"' in html
    assert f'value="{tomorrow}"' in html
    assert not Case.objects.exists()
    # Kept in the draft as typed, so a reload shows it again.
    assert stored(draft)["learner"]["learner-birth_date"] == [tomorrow]
    assert client.get(step_url(draft, "learner")).context["form"].has_error("birth_date")


def test_errors_are_shown_in_vietnamese(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    response = post_step(client, draft, "learner", {"age_estimate": "mười"})
    with translation.override("vi"):
        expected = str(forms.IntegerField.default_error_messages["invalid"])
    assert expected != "Enter a whole number."
    assert expected in response.content.decode()


def test_received_in_the_future_is_refused(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    next_year = (timezone.localdate() + datetime.timedelta(days=366)).isoformat()
    response = post_step(client, draft, "source", {**SOURCE, "received_date": next_year})
    assert response.status_code == 200
    assert response.context["form"].has_error("received_date", "future")


def test_back_keeps_the_current_steps_input_even_when_invalid(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    post_step(client, draft, "learner", LEARNER)

    typed = {"father_name": "Nguyễn Văn Bình", "father_age": "bốn mươi"}
    response = post_step(client, draft, "family", typed, wizard_goto_step="learner")
    assert response.status_code == 302
    assert response.url == step_url(draft, "learner")
    back = client.get(response.url)
    assert back.context["form"]["name"].value() == "Nguyễn Văn An"

    again = client.get(step_url(draft, "family"))
    assert again.context["form"]["father_name"].value() == "Nguyễn Văn Bình"
    assert again.context["form"]["father_age"].value() == "bốn mươi"
    assert 'value="Nguyễn Văn Bình"' in again.content.decode()


def test_a_plain_get_or_reload_of_a_step_resets_nothing(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    post_step(client, draft, "learner", LEARNER)
    before = stored(draft)

    for _reload in range(2):
        page = client.get(step_url(draft, "learner"))
        assert page.status_code == 200
        assert page.context["form"]["learner_class"].value() == "7A"
    assert client.get(step_url(draft, "source")).context["form"]["channel"].value() == "phone"
    # The start of the wizard is its own URL; a step URL without a step is not a reset.
    assert client.get(step_url(draft, "done")).status_code == 302
    assert stored(draft) == before
    assert WizardDraft.objects.count() == 1
    assert not Case.objects.exists()


def test_two_drafts_in_two_tabs_never_mix(client_as, worker):
    client = client_as(worker)
    first, second = start(client), start(client)
    assert first.pk != second.pk
    post_step(client, first, "source", SOURCE)
    post_step(client, second, "source", SOURCE)
    post_step(client, first, "learner", {**LEARNER, "name": "Học sinh Một"})
    post_step(client, second, "learner", {**LEARNER, "name": "Học sinh Hai"})

    assert client.get(step_url(first, "learner")).context["form"]["name"].value() == (
        "Học sinh Một"
    )
    assert client.get(step_url(second, "learner")).context["form"]["name"].value() == (
        "Học sinh Hai"
    )
    for step, data in [
        ("family", {}),
        ("support_so_far", {}),
        ("informant_consent", {"consent": "no"}),
        ("first_assessment", ASSESSMENT),
    ]:
        post_step(client, first, step, data)
    assert Case.objects.get().learner_name == "Học sinh Một"
    assert stored(second)["learner"]["learner-name"] == ["Học sinh Hai"]
    second.refresh_from_db()
    assert second.submitted_at is None


def test_a_draft_survives_a_new_session_and_is_listed_in_my_drafts(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    post_step(client, draft, "source", SOURCE)
    post_step(client, draft, "learner", LEARNER)
    # Nothing of the child's is kept in the session.
    assert "Nguyễn Văn An" not in str(dict(client.session))

    client.logout()
    client.force_login(worker)
    listing = client.get(reverse("forms_app:drafts"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert step_url(draft, "family") in html
    assert "Trường AL" in html
    page = client.get(step_url(draft, "learner"))
    assert page.context["form"]["name"].value() == "Nguyễn Văn An"


def test_save_and_leave_keeps_the_input_and_goes_to_my_drafts(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    response = post_step(client, draft, "source", {"channel": "email"}, wizard_save_and_leave="1")
    assert response.url == reverse("forms_app:drafts")
    assert stored(draft)["source"]["source-channel"] == ["email"]


def test_submitted_drafts_leave_my_drafts(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "no"})
    post_step(client, draft, "first_assessment", ASSESSMENT)
    assert (
        step_url(draft, "first_assessment")
        not in client.get(reverse("forms_app:drafts")).content.decode()
    )


# Tampering and double submission


def test_a_double_submit_of_the_final_step_makes_one_case(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "no"})

    first = post_step(client, draft, "first_assessment", ASSESSMENT)
    second = post_step(client, draft, "first_assessment", ASSESSMENT)

    assert Case.objects.count() == 1
    assert IntakeReport.objects.count() == 1
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == case_url(Case.objects.get().pk)
    # Any later visit of the finished draft leads to the case too.
    assert client.get(step_url(draft, "source")).url == first.url


def test_the_done_step_url_submits_nothing(client_as, worker):
    client = client_as(worker)
    draft = start(client)
    fill_until_consent(client, draft)
    post_step(client, draft, "informant_consent", {"consent": "no"})
    # Every step is filled in and valid, but the last one was not submitted.
    post_step(client, draft, "first_assessment", ASSESSMENT, wizard_save_and_leave="1")
    # formtools' named-URL wizard would create the record on this GET.
    response = client.get(step_url(draft, "done"))
    assert response.url == step_url(draft, "first_assessment")
    assert not Case.objects.exists()


# Permissions


@pytest.mark.parametrize("role", [Role.EDITOR, Role.DISTRICT_OFFICER, Role.ADMINISTRATOR])
def test_other_roles_cannot_start_an_intake_report(client_as, make_staff, school, role):
    client = client_as(make_staff("staff", role, school))
    assert client.get(reverse("forms_app:intake_start")).status_code == 403
    assert client.get(reverse("forms_app:intake_start"), {"school": school.pk}).status_code == 403
    assert client.get(reverse("forms_app:drafts")).status_code == 403
    assert not WizardDraft.objects.exists()


def test_a_case_worker_of_another_school_cannot_start_one_here(client_as, worker_b, school):
    client = client_as(worker_b)
    response = client.get(reverse("forms_app:intake_start"), {"school": school.pk})
    # Another school is not there for them, as another school's case is not.
    assert response.status_code == 404
    assert not WizardDraft.objects.exists()


def test_someone_elses_draft_is_a_404(client_as, worker, colleague, worker_b):
    draft = start(client_as(worker))
    post_step(client_as(worker), draft, "source", SOURCE)
    for user in (colleague, worker_b):
        client = client_as(user)
        assert client.get(step_url(draft, "source")).status_code == 404
        assert post_step(client, draft, "learner", LEARNER).status_code == 404
        assert (
            step_url(draft, "learner")
            not in client.get(reverse("forms_app:drafts")).content.decode()
        )
    assert client.get(step_url(WizardDraft(pk=uuid.uuid4()), "source")).status_code == 404
    assert "learner" not in stored(draft)


def test_anonymous_visitors_are_sent_to_the_admin_login(client, worker):
    draft = WizardDraft.objects.create(owner=worker, school=worker.school_memberships.get().school)
    for url in (
        reverse("forms_app:intake_start"),
        reverse("forms_app:drafts"),
        step_url(draft, "source"),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("wagtailadmin_login"))
    assert WizardDraft.objects.count() == 1
