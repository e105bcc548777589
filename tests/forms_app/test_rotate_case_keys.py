"""`rotate_case_keys` moves every encrypted value to the newest key."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from forms_app import encryption
from forms_app.encryption import generate_key
from forms_app.fields import UndecryptableValue
from forms_app.models import Case, CaseEvent, CaseState, IntakeReport
from tests.forms_app.factories import make_case

KEY_A = "Vx5E9W8tqkQv1c0wJQ0S4aYyJ9Jt0m0S8mM1n3bV8s0="  # config/settings/test.py
KEY_B = generate_key()
NAME = "Trịnh Văn Quyết"


def _raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def _run(*args: str) -> str:
    out = io.StringIO()
    call_command("rotate_case_keys", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def case(school, worker):
    return make_case(school, worker, state=CaseState.ASSESSED, learner_name=NAME)


def test_rotation_re_encrypts_everything_under_the_new_key(case):
    intake = IntakeReport.objects.get(case=case)
    before = {
        "name": _raw("forms_app_case", "learner_name", case.pk),
        "answers": _raw("forms_app_intakereport", "answers", intake.pk),
    }
    with override_settings(CASE_ENCRYPTION_KEYS=[KEY_B, KEY_A]):
        output = _run()
        assert "forms_app.Case: " in output
        assert "forms_app.IntakeReport: " in output
        assert "0 values re-encrypted" not in output.split("forms_app.Case:")[1].splitlines()[0]
        # A second run finds nothing left to do.
        assert "Done: 0 values re-encrypted." in _run()
    with override_settings(CASE_ENCRYPTION_KEYS=[KEY_B]):
        fresh = Case.objects.get(pk=case.pk)
        assert fresh.learner_name == NAME
        assert fresh.learner_class == "7A"
        assert IntakeReport.objects.get(case=case).answers["source"] == {"channel": "phone"}
        assert CaseEvent.objects.filter(case=case).count() >= 1
        list(CaseEvent.objects.filter(case=case))
        assert _raw("forms_app_case", "learner_name", case.pk) != before["name"]
        assert _raw("forms_app_intakereport", "answers", intake.pk) != before["answers"]


def test_without_rotation_the_old_data_needs_the_old_key(case):
    with override_settings(CASE_ENCRYPTION_KEYS=[KEY_B]), pytest.raises(UndecryptableValue):
        Case.objects.get(pk=case.pk)


def test_reindex_follows_a_new_index_key(case):
    new_index_key = "another-index-key-for-tests-0123456789abcdef"
    with override_settings(CASE_INDEX_KEY=new_index_key):
        assert not Case.objects.filter(Case.name_lookup(NAME)).exists()
        assert "Learner name index: 1 cases updated" in _run("--reindex")
        assert Case.objects.filter(Case.name_lookup("trinh van quyet")).get() == case


def test_rotation_hooks_are_called_and_reported(case, monkeypatch):
    calls = []

    def hook() -> dict[str, int]:
        calls.append(1)
        return {"test files re-encrypted": 3}

    monkeypatch.setattr(encryption, "rotation_hooks", [])
    monkeypatch.setattr(
        "forms_app.management.commands.rotate_case_keys.rotation_hooks", encryption.rotation_hooks
    )
    encryption.register_rotation_hook(hook)
    encryption.register_rotation_hook(hook)
    assert "test files re-encrypted: 3" in _run()
    assert calls == [1]


def test_new_key_prints_a_usable_key(db):
    key = _run("--new-key").strip()
    with override_settings(CASE_ENCRYPTION_KEYS=[key]):
        assert encryption.decrypt_text(encryption.encrypt_text("x")) == "x"
