"""Anchors outside the database: written by the command, e-mailed, shown in the report."""

import datetime
import json
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from audit.anchors import read_anchors
from audit.log import record
from audit.models import Action, AuditEntry
from schools.roles import Role
from tests.forms_app.factories import LEARNER_NAME

pytestmark = pytest.mark.django_db


def entry_by(user, case=None, school=None) -> AuditEntry:
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
    request.user = user
    return record(request, Action.VIEW, case=case, school=school, target="t")


def anchor_now() -> str:
    out = StringIO()
    call_command("anchor_audit_chain", stdout=out)
    return out.getvalue()


def test_the_command_appends_the_newest_entry_and_the_report_shows_it(
    client_as, staff, case, anchor_file
):
    entry_by(staff["worker"], case)
    newest = entry_by(staff["worker"], case)

    out = anchor_now()

    line = json.loads(anchor_file.read_text().splitlines()[-1])
    assert (line["kind"], line["entry"], line["hash"]) == ("anchor", newest.pk, newest.entry_hash)
    assert line["key_id"] == "t1"
    assert f"Anchored entry {newest.pk}" in out
    assert "OK" in out
    anchor = read_anchors()[-1]

    response = client_as(staff["principal"]).get(reverse("audit:report"))

    assert response.context["anchor"] == anchor
    html = response.content.decode()
    assert newest.entry_hash in html
    assert f"{anchor.entry}" in html
    assert timezone.localtime(anchor.at).strftime("%d/%m/%Y %H:%M:%S") in html


def test_each_run_appends_and_never_rewrites(user_entries, anchor_file):
    anchor_now()
    first = anchor_file.read_text()
    entry_by(user_entries)

    anchor_now()

    text = anchor_file.read_text()
    assert text.startswith(first)
    assert len(text.splitlines()) == 2
    assert oct(anchor_file.stat().st_mode & 0o777) == "0o600"


def test_the_timer_of_a_second_node_adds_nothing_within_the_interval(user_entries, anchor_file):
    """Every node runs the hourly timer; the file gets the hour's line once."""
    anchor_now()
    entry_by(user_entries)
    out = StringIO()

    call_command("anchor_audit_chain", "--unless-anchored-within", "30", stdout=out)

    assert len(anchor_file.read_text().splitlines()) == 1
    assert "Not anchored again" in out.getvalue()


def test_the_timer_anchors_once_the_interval_has_passed(user_entries, anchor_file, monkeypatch):
    anchor_now()
    entry_by(user_entries)
    later = timezone.now() + datetime.timedelta(minutes=31)
    monkeypatch.setattr(timezone, "now", lambda: later)

    call_command("anchor_audit_chain", "--unless-anchored-within", "30", stdout=StringIO())

    lines = [json.loads(line) for line in anchor_file.read_text().splitlines()]
    assert len(lines) == 2
    assert lines[1]["entry"] > lines[0]["entry"]


@pytest.fixture
def user_entries(make_staff, school):
    worker = make_staff("anchor-worker", Role.CASE_WORKER, school)
    entry_by(worker, school=school)
    return worker


def test_the_anchor_is_emailed_with_ids_and_hashes_only(settings, staff, case):
    settings.AUDIT_ANCHOR_EMAIL = ["kiem-tra@phong-gd.example"]
    newest = entry_by(staff["worker"], case)

    anchor_now()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kiem-tra@phong-gd.example"]
    assert newest.entry_hash in message.body
    assert str(newest.pk) in message.subject
    for secret in (LEARNER_NAME, case.reference, "worker", "192.0.2.1"):
        assert secret not in message.body
        assert secret not in message.subject


def test_the_command_anchors_a_broken_chain_but_fails(staff, case, attacker, anchor_file):
    entries = [entry_by(staff["worker"], case) for _ in range(3)]
    attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [entries[0].pk])

    with pytest.raises(CommandError) as error:
        anchor_now()

    assert error.value.returncode == 1
    assert json.loads(anchor_file.read_text())["entry"] == entries[-1].pk


def test_the_command_refuses_to_append_to_a_damaged_file(staff, case, anchor_file):
    entry_by(staff["worker"], case)
    anchor_file.write_text("edited by hand\n")

    with pytest.raises(CommandError, match="Not anchored"):
        anchor_now()

    assert anchor_file.read_text() == "edited by hand\n"


def test_an_empty_audit_is_anchored_at_entry_zero(anchor_file):
    anchor_now()

    assert json.loads(anchor_file.read_text())["entry"] == 0


def test_the_report_says_when_there_is_no_anchor_yet(client_as, staff):
    response = client_as(staff["principal"]).get(reverse("audit:report"))

    assert response.context["anchor"] is None
    assert "<code>" not in response.content.decode()


# The report checks in full only what was written since the newest verified anchor -------


def report_chain(client):
    return client.get(reverse("audit:report")).context


def test_the_report_finds_an_edit_after_the_anchor(client_as, staff, case, attacker):
    entry_by(staff["worker"], case)
    anchor_now()
    after = [entry_by(staff["worker"], case) for _ in range(3)]
    attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [after[1].pk])

    context = report_chain(client_as(staff["principal"]))

    assert (context["chain"].problem, context["chain"].broken_pk) == ("edited", after[1].pk)
    assert context["chain"].since is not None


def test_an_edit_before_the_anchor_shows_once_the_hourly_check_has_run(
    client_as, staff, case, attacker
):
    before = [entry_by(staff["worker"], case) for _ in range(3)]
    anchor_now()
    attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [before[0].pk])
    with pytest.raises(CommandError):
        anchor_now()  # the timer's run: it fails, and its line says so

    context = report_chain(client_as(staff["principal"]))

    assert not context["chain"].ok
    assert (context["chain"].problem, context["chain"].broken_pk) == ("edited", before[0].pk)


def test_the_report_finds_a_rechain_with_the_key_through_the_anchor(
    client_as, staff, case, attacker
):
    from audit.keys import keyed_digest
    from audit.log import hashed_fields

    first = [entry_by(staff["worker"], case) for _ in range(3)]
    anchor_now()
    attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [first[2].pk])
    forged = AuditEntry.objects.get(pk=first[2].pk)
    key = b"test-only-audit-chain-key-not-secret-0123456789"
    attacker(
        "UPDATE audit_auditentry SET entry_hash = %s WHERE id = %s",
        [keyed_digest(key, forged.prev_hash, hashed_fields(forged)), forged.pk],
    )

    context = report_chain(client_as(staff["principal"]))

    assert (context["chain"].problem, context["chain"].broken_pk) == (
        "anchor_mismatch",
        first[2].pk,
    )


def test_the_reports_count_covers_the_schools_entries_before_and_after_the_anchor(
    client_as, staff, case, other_school
):
    for _ in range(2):
        entry_by(staff["worker"], case)
    entry_by(staff["other_worker"], school=other_school)
    anchor_now()
    entry_by(staff["worker"], case)
    entry_by(staff["other_worker"], school=other_school)

    context = report_chain(client_as(staff["principal"]))

    assert context["chain"].ok
    assert context["chain"].since is not None
    assert context["chain_checked"] == 3
    assert report_chain(client_as(staff["other_principal"]))["chain_checked"] == 2


def test_the_email_says_whether_the_whole_log_verified(settings, staff, case, attacker):
    settings.AUDIT_ANCHOR_EMAIL = ["kiem-tra@phong-gd.example"]
    entries = [entry_by(staff["worker"], case) for _ in range(2)]
    with translation.override("en"):
        anchor_now()
        attacker("UPDATE audit_auditentry SET detail = 'x' WHERE id = %s", [entries[0].pk])
        with pytest.raises(CommandError):
            anchor_now()

    assert "intact" in mail.outbox[0].body
    assert f"BROKEN at entry {entries[0].pk}" in mail.outbox[1].body


def test_an_anchor_file_out_of_reach_is_a_clear_failure(settings, tmp_path, staff, case):
    entry_by(staff["worker"], case)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    settings.AUDIT_ANCHOR_FILE = blocker / "anchors.jsonl"

    with pytest.raises(CommandError, match=r"Not anchored: .*not-a-folder/anchors\.jsonl"):
        anchor_now()
    assert blocker.read_text() == ""


def test_years_of_hourly_anchors_are_checked(client_as, staff, case, anchor_file):
    """Thousands of anchored entries are looked up in batches (under SQLite's variable limit)."""
    from audit.anchors import Anchor, append_line

    for _ in range(3):
        entry_by(staff["worker"], case)
    anchor_now()
    # A forged history of 2,000 anchors naming entries this test never wrote.
    for n in range(2000):
        line = Anchor("anchor", timezone.now(), 10_000 + n, "ab" * 32, "t1", 0, True)
        append_line(anchor_file, line.as_line())

    chain = report_chain(client_as(staff["principal"]))["chain"]

    assert (chain.ok, chain.problem, chain.broken_pk) == (False, "truncated", 10_000)
