"""Retention: closed cases are archived after a year, archived ones anonymised or deleted later.

The closing date is the timeline's; the tests move that line back in time rather
than waiting. What a school would notice is checked: which cases are archived,
what is left of a child's file after anonymising (nothing that names them, the
figures intact), and that the audit still says what happened after a deletion.
"""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from audit.models import Action, AuditEntry
from forms_app.cases import retention
from forms_app.models import (
    Assessment,
    Case,
    CaseEvent,
    CaseState,
    IntakeReport,
    InterventionPlan,
    Referral,
    Review,
    TemplateCode,
    WizardDraft,
)
from tests.forms_app.factories import LEARNER_NAME, make_case

STORY = "Em hay khóc, ít nói"  # in the intake answers make_case writes
NOTE = "Gia đình đã chuyển về quê ngoại ở Thôn Giả Định"


def closed_case(school, worker, principal, days_ago: int, **learner) -> Case:
    """A case closed ``days_ago`` days ago, by its timeline."""
    case = make_case(school, worker, principal, CaseState.CLOSED, **learner)
    CaseEvent.objects.filter(case=case, to_state=CaseState.CLOSED).update(
        at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    return case


def archived_case(school, worker, principal, days_ago: int) -> Case:
    """A closed case archived ``days_ago`` days ago, with a note, a draft and a comment."""
    case = closed_case(
        school,
        worker,
        principal,
        days_ago + 400,
        learner_birth_date=datetime.date(2013, 5, 14),
        learner_age_estimate=12,
    )
    Case.objects.filter(pk=case.pk).update(
        archived_at=timezone.now() - datetime.timedelta(days=days_ago)
    )
    CaseEvent.objects.create(case=case, actor=worker, kind=CaseEvent.Kind.NOTE, note=NOTE)
    InterventionPlan.objects.filter(case=case).update(decision_comment=NOTE)
    WizardDraft.objects.create(
        owner=worker,
        school=school,
        template=TemplateCode.REVIEW,
        case=case,
        steps={"results": {"note": NOTE}},
    )
    case.refresh_from_db()
    return case


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def raw_rows_text() -> str:
    """Every row of the case area's tables as the database stores them, as one text."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table.startswith(("forms_app_", "case_files_")):
                cursor.execute(f'SELECT * FROM "{table}"')  # table names from the database
                parts += [str(row) for row in cursor.fetchall()]
    return "\n".join(parts)


# Archiving ---------------------------------------------------------------------------


def test_case_closed_over_a_year_ago_is_archived_and_a_recent_one_is_not(school, worker, principal):
    old = closed_case(school, worker, principal, days_ago=400)
    recent = closed_case(school, worker, principal, days_ago=10)
    open_case = make_case(school, worker, principal, CaseState.IN_PROGRESS)

    output = run("archive_closed_cases")

    old.refresh_from_db()
    recent.refresh_from_db()
    open_case.refresh_from_db()
    assert retention.is_archived(old)
    assert old.archived_at is not None
    assert not retention.is_archived(recent)
    assert not retention.is_archived(open_case)
    assert old.reference in output
    assert recent.reference not in output
    assert AuditEntry.objects.filter(
        action=Action.ARCHIVE, case_id_value=old.pk, detail="retention"
    ).exists()
    assert not AuditEntry.objects.filter(action=Action.ARCHIVE, case_id_value=recent.pk).exists()


def test_archiving_period_comes_from_the_setting(settings, school, worker, principal):
    settings.CASE_ARCHIVE_AFTER_DAYS = 5
    recent = closed_case(school, worker, principal, days_ago=10)

    run("archive_closed_cases")

    recent.refresh_from_db()
    assert retention.is_archived(recent)


def test_archiving_dry_run_lists_but_changes_nothing(school, worker, principal):
    old = closed_case(school, worker, principal, days_ago=400)
    entries = AuditEntry.objects.count()

    output = run("archive_closed_cases", "--dry-run")

    old.refresh_from_db()
    assert old.reference in output
    assert old.archived_at is None
    assert AuditEntry.objects.count() == entries


def test_archiving_twice_archives_once(school, worker, principal):
    old = closed_case(school, worker, principal, days_ago=400)
    run("archive_closed_cases")
    first = Case.objects.get(pk=old.pk).archived_at

    output = run("archive_closed_cases")

    assert old.reference not in output
    assert Case.objects.get(pk=old.pk).archived_at == first
    assert AuditEntry.objects.filter(action=Action.ARCHIVE, case_id_value=old.pk).count() == 1


# Purging ---------------------------------------------------------------------------


def test_anonymising_blanks_the_child_and_keeps_the_figures(school, worker, principal):
    case = archived_case(school, worker, principal, days_ago=6 * 365)
    young = archived_case(school, worker, principal, days_ago=30)
    before = {
        "reference": case.reference,
        "school": case.school_id,
        "state": case.state,
        "received_at": case.received_at,
        "gender": case.learner_gender,
        "age": case.learner_age_estimate,
        "categories": set(case.categories.values_list("pk", flat=True)),
        "transitions": list(
            CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).values_list(
                "from_state", "to_state", "at"
            )
        ),
        "plans": list(InterventionPlan.objects.filter(case=case).values_list("version", "status")),
        "reviews": list(Review.objects.filter(case=case).values_list("conclusion", flat=True)),
    }
    assert case.learner_name == LEARNER_NAME

    output = run("purge_archived_cases", "--mode", "anonymise")

    assert case.reference in output
    assert young.reference not in output
    case = Case.objects.get(pk=case.pk)
    # Nothing about the child, read through the model (decrypted) ...
    assert case.learner_name == ""
    assert case.learner_birth_date is None
    assert case.learner_class == ""
    for model in (IntakeReport, Assessment, InterventionPlan, Review, Referral):
        assert all(item.answers == {} for item in model.objects.filter(case=case))
    assert all(event.note == "" for event in CaseEvent.objects.filter(case=case))
    assert all(plan.decision_comment == "" for plan in InterventionPlan.objects.filter(case=case))
    assert not WizardDraft.objects.filter(case=case).exists()
    # ... nor as stored: the only name and story left belong to the younger case.
    retention.delete_case(young)
    stored = raw_rows_text()
    for secret in (LEARNER_NAME, STORY, NOTE, "2013-05-14"):
        assert secret not in stored
    # The figures stay.
    assert case.reference == before["reference"]
    assert case.school_id == before["school"]
    assert case.state == before["state"] == CaseState.CLOSED
    assert case.received_at == before["received_at"]
    assert case.learner_gender == before["gender"]
    assert case.learner_age_estimate == before["age"]
    assert set(case.categories.values_list("pk", flat=True)) == before["categories"]
    assert (
        list(
            CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.TRANSITION).values_list(
                "from_state", "to_state", "at"
            )
        )
        == before["transitions"]
    )
    assert (
        list(InterventionPlan.objects.filter(case=case).values_list("version", "status"))
        == before["plans"]
    )
    assert (
        list(Review.objects.filter(case=case).values_list("conclusion", flat=True))
        == (before["reviews"])
    )
    entry = AuditEntry.objects.get(action=Action.ANONYMISE, case_id_value=case.pk)
    assert entry.case_reference == case.reference
    assert entry.detail == "retention"


def test_anonymising_is_done_once(school, worker, principal):
    case = archived_case(school, worker, principal, days_ago=6 * 365)
    run("purge_archived_cases", "--mode", "anonymise")

    output = run("purge_archived_cases", "--mode", "anonymise")

    assert case.reference not in output
    assert AuditEntry.objects.filter(action=Action.ANONYMISE, case_id_value=case.pk).count() == 1


def test_delete_mode_removes_the_case_and_the_audit_entry_survives(
    settings, school, worker, principal
):
    settings.CASE_PURGE_MODE = "delete"
    case = archived_case(school, worker, principal, days_ago=6 * 365)
    pk, reference = case.pk, case.reference

    output = run("purge_archived_cases")

    assert reference in output
    assert not Case.objects.filter(pk=pk).exists()
    for model in (IntakeReport, Assessment, InterventionPlan, Review, Referral, CaseEvent):
        assert not model.objects.filter(case_id=pk).exists()
    assert not WizardDraft.objects.filter(case_id=pk).exists()
    entry = AuditEntry.objects.get(action=Action.DELETE, case_id_value=pk)
    assert entry.case_reference == reference
    assert entry.detail == "retention"
    assert LEARNER_NAME not in raw_rows_text()


def test_purge_dry_run_changes_nothing(school, worker, principal):
    case = archived_case(school, worker, principal, days_ago=6 * 365)
    entries = AuditEntry.objects.count()

    output = run("purge_archived_cases", "--dry-run", "--mode", "delete")

    assert case.reference in output
    case.refresh_from_db()
    assert case.learner_name == LEARNER_NAME
    assert IntakeReport.objects.get(case=case).answers != {}
    assert AuditEntry.objects.count() == entries


def test_unknown_purge_mode_stops_the_run(settings, school, worker, principal):
    settings.CASE_PURGE_MODE = "shred"
    case = archived_case(school, worker, principal, days_ago=6 * 365)

    with pytest.raises(Exception, match="CASE_PURGE_MODE"):
        run("purge_archived_cases")

    assert Case.objects.get(pk=case.pk).learner_name == LEARNER_NAME
