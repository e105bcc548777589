"""Case data is readable in the app and unreadable in the database."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from forms_app.encryption import encrypt_text
from forms_app.fields import EncryptedLookupError, UndecryptableValue
from forms_app.models import (
    Case,
    CaseEvent,
    CaseState,
    Gender,
    IntakeReport,
    InterventionPlan,
    Referral,
    WizardDraft,
)
from tests.forms_app.factories import make_case
from tests.forms_app.module_data import fresh
from tests.forms_app.searching import search_cases

NAME = "Hoàng Thị Bích Ngọc"
PHONE = "0912 345 678"
STORY = "Em kể rằng bố thường đánh em sau khi uống rượu"
BIRTH = datetime.date(2013, 7, 29)
BIRTH_FORMS = ["2013-07-29", "29/07/2013", "29-07-2013", "07/29/2013", "20130729", "29.07.2013"]
SECRETS = [NAME, "Hoàng Thị", "Bích Ngọc", PHONE, "0912345678", STORY, "uống rượu", *BIRTH_FORMS]


def case_with_secrets(school, worker, principal):
    """A case whose learner, intake, note, plan comment and draft all hold the secrets."""
    case = make_case(
        school,
        worker,
        principal,
        state=CaseState.PLAN_RETURNED,
        learner_name=NAME,
        learner_birth_date=BIRTH,
        learner_class="7C",
        learner_gender=Gender.FEMALE,
        learner_age_estimate=13,
    )
    intake = IntakeReport.objects.get(case=case)
    intake.answers = {"family": {"phone": PHONE, "story": STORY}}
    intake.save()
    CaseEvent.objects.create(case=case, actor=worker, kind=CaseEvent.Kind.NOTE, note=STORY)
    plan = InterventionPlan.objects.filter(case=case).first()
    plan.decision_comment = STORY
    plan.save()
    WizardDraft.objects.create(
        owner=worker, school=school, template="02", case=case, steps={"data": {"x": STORY}}
    )
    return case


@pytest.fixture(scope="module")
def module_case(module_db, module_school, module_worker, module_principal):
    return module_db.build(case_with_secrets, module_school, module_worker, module_principal)


@pytest.fixture
def world(school, worker, principal, module_case):
    return school, worker, principal, fresh(module_case)


def _dump() -> str:
    """Every value of every column of every table, as a database dump would hold them."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted}")
            for row in cursor.fetchall():
                parts.extend(str(value) for value in row)
    return "\n".join(parts)


def test_values_read_back_in_the_app(world):
    case = Case.objects.get(pk=world[3].pk)
    assert case.learner_name == NAME
    assert case.learner_birth_date == BIRTH
    assert case.learner_class == "7C"
    assert case.learner_gender == Gender.FEMALE
    assert case.learner_age_estimate == 13
    assert IntakeReport.objects.get(case=case).answers["family"]["phone"] == PHONE
    assert CaseEvent.objects.filter(case=case).last().note == STORY
    assert WizardDraft.objects.get(case=case).steps == {"data": {"x": STORY}}


def test_raw_columns_hold_tokens_not_values(world):
    case = world[3]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT learner_name, learner_birth_date, learner_class, learner_gender,"
            " learner_age_estimate FROM forms_app_case WHERE id = %s",
            [case.pk],
        )
        row = cursor.fetchone()
    assert all(isinstance(value, str) and value.startswith("gAAAA") for value in row)
    assert NAME not in "".join(row)


def test_a_database_dump_holds_no_trace_of_the_child(world):
    dump = _dump()
    leaked = [secret for secret in SECRETS if secret.casefold() in dump.casefold()]
    assert leaked == []


def test_referral_danger_exception_is_encrypted(school, worker):
    case = make_case(school, worker, state=CaseState.REFERRED)
    Referral.objects.filter(case=case).update(danger_exception=STORY)
    assert Referral.objects.get(case=case).danger_exception == STORY
    assert STORY not in _dump()


@pytest.mark.parametrize("typed", [NAME, "hoang thi bich ngoc", "  HOÀNG  THỊ bích NGỌC "])
def test_a_learner_is_found_by_exact_name_with_or_without_diacritics(world, typed):
    assert list(Case.objects.filter(Case.name_lookup(typed))) == [world[3]]


@pytest.mark.parametrize("typed", ["Hoàng Thị", "Ngọc", "Hoàng Thị Bích", ""])
def test_part_of_a_name_finds_nothing(world, typed):
    assert not Case.objects.filter(Case.name_lookup(typed)).exists()


def test_the_index_follows_a_changed_name(world):
    case = world[3]
    case.learner_name = "Lê Văn Mới"
    case.save(update_fields=["learner_name"])
    assert not Case.objects.filter(Case.name_lookup(NAME)).exists()
    assert Case.objects.filter(Case.name_lookup("le van moi")).get() == case


@pytest.mark.parametrize(
    "lookup",
    [
        {"learner_name": NAME},
        {"learner_name__icontains": "Ngọc"},
        {"learner_birth_date__year": 2013},
        {"learner_birth_date__gte": BIRTH},
        {"learner_class__in": ["7C"]},
    ],
)
def test_lookups_on_encrypted_fields_are_refused(world, lookup):
    with pytest.raises(EncryptedLookupError, match="encrypted"):
        list(Case.objects.filter(**lookup))


def test_json_key_lookups_are_refused(world):
    with pytest.raises(EncryptedLookupError, match="encrypted"):
        list(IntakeReport.objects.filter(answers__family__phone=PHONE))


def test_null_checks_still_work(world):
    assert Case.objects.filter(learner_birth_date__isnull=False).count() == 1
    assert Case.objects.filter(learner_birth_date=None).count() == 0


def test_a_tampered_value_raises_a_clear_error(world):
    case = world[3]
    with connection.cursor() as cursor:
        cursor.execute("SELECT learner_name FROM forms_app_case WHERE id = %s", [case.pk])
        token = cursor.fetchone()[0]
        tampered = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
        cursor.execute(
            "UPDATE forms_app_case SET learner_name = %s WHERE id = %s", [tampered, case.pk]
        )
    with pytest.raises(UndecryptableValue, match="learner_name") as caught:
        Case.objects.get(pk=case.pk)
    assert NAME not in str(caught.value)
    assert tampered not in str(caught.value)


def test_a_value_under_an_unknown_key_raises_a_clear_error(world, settings):
    case = world[3]
    settings.CASE_ENCRYPTION_KEYS = ["dGhpcy1pcy1hLXRlc3Qta2V5LW9mLTMyLWJ5dGVzISE="]
    foreign = encrypt_text(NAME)
    settings.CASE_ENCRYPTION_KEYS = ["Vx5E9W8tqkQv1c0wJQ0S4aYyJ9Jt0m0S8mM1n3bV8s0="]
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE forms_app_case SET learner_name = %s WHERE id = %s", [foreign, case.pk]
        )
    with pytest.raises(UndecryptableValue):
        Case.objects.get(pk=case.pk)


def test_empty_values_stay_empty(school, worker):
    case = make_case(school, worker, learner_name="", learner_class="")
    case.refresh_from_db()
    assert case.learner_name == ""
    assert case.learner_birth_date is None
    assert case.learner_age_estimate is None


def test_case_list_search_finds_by_name_without_diacritics_and_by_reference(world, client):
    _, worker, _, case = world
    client.force_login(worker)
    for term, found in [
        ("hoang thi bich ngoc", True),
        ("Bích Ngọc", False),
        (case.reference[-4:], True),
    ]:
        html = search_cases(client, term).content.decode()
        assert (case.reference in html) is found, term


def test_case_edit_form_saves_the_learner(world, client):
    _, worker, _, case = world
    client.force_login(worker)
    url = reverse("forms_app_case_modeladmin_edit", args=[case.pk])
    form = client.get(url).context["form"]
    assert form.fields["learner_name"].widget.input_type == "text"
    assert form.fields["learner_name"].max_length == 255
    assert "date" in type(form.fields["learner_birth_date"].widget).__name__.lower()
    assert form.initial["learner_name"] == NAME
    response = client.post(
        url,
        {
            "learner_name": "Hoàng Thị Bích Hạnh",
            "learner_class": "8A",
            "learner_birth_date": "2012-01-15",
            "learner_age_estimate": "",
            "learner_gender": Gender.FEMALE,
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=case.pk)
    assert case.learner_name == "Hoàng Thị Bích Hạnh"
    assert case.learner_birth_date == datetime.date(2012, 1, 15)
    assert case.learner_class == "8A"
    assert Case.objects.filter(Case.name_lookup("hoang thi bich hanh")).get() == case
    assert "Bích Hạnh" not in _dump()


def test_the_reports_counting_columns_hold_the_grade_and_gender_only(world):
    """The reports count by grade and gender without decrypting: the case keeps the grade
    (7, never the class 7C) and the gender in clear, and follows a change of either."""
    case = Case.objects.get(pk=world[3].pk)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count_grade, count_gender FROM forms_app_case WHERE id = %s", [case.pk]
        )
        assert cursor.fetchone() == (7, "female")
    case.learner_class = "10A2"
    case.learner_gender = Gender.MALE
    case.save(update_fields=["learner_class", "learner_gender"])
    assert Case.objects.values_list("count_grade", "count_gender").get(pk=case.pk) == (10, "male")
    case.learner_class = "Lá"
    case.save()
    assert Case.objects.values_list("count_grade", flat=True).get(pk=case.pk) is None
