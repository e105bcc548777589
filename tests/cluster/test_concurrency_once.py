"""Two app nodes at once, on one PostgreSQL: nothing forks, nothing is sent twice (issue 18).

Each test starts separate OS processes (what two nodes or two task workers are),
on the test database the test itself sees (``transactional_db``, so they read
what it committed and it reads what they did). They wait at a barrier, a file
the test creates once every one of them is ready, then do the same work at the
same moment. SQLite is skipped: it has one writer at a time by design, and the
test database of the SQLite lane lives in memory, out of other processes' reach.
"""

from __future__ import annotations

import datetime
import json
import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.db.models import Count
from django.utils import timezone
from wagtail.models import PageLogEntry, Revision

from audit.chain import verify
from audit.log import GENESIS
from audit.models import Action, AuditEntry
from forms_app.models import Case, CaseEvent, CaseState, Referral
from notifications.alerts import raise_alert
from notifications.models import (
    EmailChoice,
    Kind,
    MailStatus,
    Notification,
    NotificationPreference,
    OutgoingMail,
)
from pages.models import StandardPage
from schools.roles import Role
from tests.accounts.conftest import sign_in
from tests.cluster.conftest import database_url
from tests.conftest import build_school, build_staff
from tests.forms_app.factories import make_case

# Committed rows, so the processes see them. serialized_rollback: the flush after the
# test would otherwise take the rows the migrations made (the default site, the role
# groups) from the tests after it.
pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several writers at once need PostgreSQL (SQLite has one writer by design)",
    ),
]

ROOT = Path(settings.BASE_DIR)

# Run by each process: wait for the barrier, do the job, print its result as JSON.
_PRELUDE = """
import json, sys, time
from pathlib import Path
import django
django.setup()
from django.core import mail
mail.outbox = []
Path(sys.argv[2]).touch()
go = Path(sys.argv[1])
while not go.exists():
    time.sleep(0.002)
"""


def run_at_once(
    tmp_path: Path, jobs: list[str], timeout: float = 60, env: dict | None = None
) -> list:
    """Run each of ``jobs`` (Python code setting ``result``) in its own process, all
    released at the same moment; return their results, in order."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        **(env or {}),
    }
    go = tmp_path / "go"
    procs = []
    for number, job in enumerate(jobs):
        ready = tmp_path / f"ready-{number}"
        code = _PRELUDE + job + "\nprint(json.dumps(result))\n"
        procs.append(
            (
                ready,
                subprocess.Popen(
                    [sys.executable, "-c", code, str(go), str(ready)],
                    cwd=ROOT,
                    env=env,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                ),
            )
        )
    deadline = time.monotonic() + timeout
    while not all(ready.exists() for ready, _ in procs):
        failed = [p for _, p in procs if p.poll() is not None]
        assert not failed, failed[0].stderr.read()
        assert time.monotonic() < deadline, "the processes did not start"
        time.sleep(0.01)
    go.touch()
    results = []
    for _, proc in procs:
        out, err = proc.communicate(timeout=timeout)
        assert proc.returncode == 0, err
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def test_audit_chain_stays_one_chain_when_four_nodes_write_at_once(tmp_path):
    per_process = 40
    job = f"""
from audit.log import record
from audit.models import Action
for i in range({per_process}):
    record(None, Action.VIEW, target=f"%s-{{i}}")
result = {per_process}
"""
    written = run_at_once(tmp_path, [job % f"node{n}" for n in range(4)])

    assert sum(written) == 4 * per_process
    assert AuditEntry.objects.count() == 4 * per_process
    forks = AuditEntry.objects.values("prev_hash").annotate(n=Count("pk")).filter(n__gt=1)
    assert list(forks) == []
    assert AuditEntry.objects.filter(prev_hash=GENESIS).count() == 1
    result = verify(anchors=[])
    assert result.ok, result.describe()
    assert result.checked == 4 * per_process


@pytest.fixture
def overdue_referrals():
    school = build_school("HB", "Trường THCS Hòa Bình")
    worker = build_staff("cb-ctxh", Role.CASE_WORKER, school)
    principal = build_staff("hieu-truong", Role.PRINCIPAL, school)
    for user in (worker, principal):
        user.email = f"{user.username}@example.edu.vn"
        user.save(update_fields=["email"])
    cases = [make_case(school, worker, principal, state=CaseState.REFERRED) for _ in range(3)]
    return list(Referral.objects.filter(case__in=cases))


def test_two_nodes_running_the_deadline_job_at_once_alert_and_mail_once(
    tmp_path, overdue_referrals
):
    now = max(r.due_at for r in overdue_referrals) + datetime.timedelta(minutes=1)
    job = f"""
import datetime
from notifications.deadlines import notify_due_deadlines
made = notify_due_deadlines(datetime.datetime.fromisoformat({now.isoformat()!r}))
result = {{"made": made, "sent": len(mail.outbox)}}
"""
    results = run_at_once(tmp_path, [job, job])

    # Each referral is overdue: its worker and the principal are told, once each.
    alerts = Notification.objects.exclude(dedupe_key="")
    assert alerts.count() == 2 * len(overdue_referrals)
    assert sum(r["made"] for r in results) == alerts.count()
    per_key = alerts.values("recipient", "dedupe_key").annotate(n=Count("pk"))
    assert {row["n"] for row in per_key} == {1}
    # One e-mail per alert, queued once and sent once, by whichever node raised it.
    assert OutgoingMail.objects.count() == alerts.count()
    assert sum(r["sent"] for r in results) == alerts.count()
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}


def test_two_workers_holding_the_same_mails_send_each_once(tmp_path):
    OutgoingMail.objects.bulk_create(
        OutgoingMail(to_address=f"gv{n}@example.edu.vn", subject=f"Nhắc việc {n}", body="…")
        for n in range(30)
    )
    ids = list(OutgoingMail.objects.order_by("pk").values_list("pk", flat=True))
    job = f"""
from collections import Counter
from notifications.outbox import deliver
outcomes = Counter(deliver(pk) for pk in {ids!r})
result = {{"outcomes": outcomes, "sent": len(mail.outbox)}}
"""
    results = run_at_once(tmp_path, [job, job])

    assert sum(r["sent"] for r in results) == len(ids)
    assert sum(r["outcomes"].get("sent", 0) for r in results) == len(ids)
    assert sum(r["outcomes"].get("skipped", 0) for r in results) == len(ids)
    assert set(OutgoingMail.objects.values_list("status", "attempts")) == {(MailStatus.SENT, 1)}


def test_two_workers_sending_the_daily_digest_at_once_send_each_user_one(tmp_path):
    school = build_school("HB", "Trường THCS Hòa Bình")
    staff = [build_staff(f"gv{n}", Role.CASE_WORKER, school) for n in range(4)]
    for user in staff:
        user.email = f"{user.username}@example.edu.vn"
        user.save(update_fields=["email"])
        NotificationPreference.objects.create(user=user, email=EmailChoice.DIGEST)
    for n in range(3):
        raise_alert(Kind.PLAN_SUBMITTED, school, staff, f"/admin/ho-so/{n}/")
    assert not OutgoingMail.objects.exists()  # they chose the digest: nothing yet
    job = """
from notifications.digest import send_digests
result = {"queued": send_digests(), "sent": len(mail.outbox)}
"""
    results = run_at_once(tmp_path, [job, job])

    assert sum(r["queued"] for r in results) == len(staff)
    assert sum(r["sent"] for r in results) == len(staff)
    assert sorted(OutgoingMail.objects.values_list("to_address", flat=True)) == sorted(
        user.email for user in staff
    )


def test_two_nodes_publishing_scheduled_pages_at_once_publish_each_once(tmp_path):
    school = build_school("HB", "Trường THCS Hòa Bình")
    due = timezone.now() - datetime.timedelta(minutes=1)
    pages = []
    for n in range(5):
        page = school.root_page.add_child(
            instance=StandardPage(title=f"Thông báo {n}", slug=f"thong-bao-{n}", live=False)
        )
        page.go_live_at = due
        # Approved for publishing at a time that has now come, as the scheduler leaves it.
        revision = page.save_revision()
        Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=due)
        pages.append(page)
    job = """
from django.core.management import call_command
call_command("publish_scheduled")
result = 0
"""
    run_at_once(tmp_path, [job, job])

    published = PageLogEntry.objects.filter(action="wagtail.publish.scheduled")
    assert sorted(published.values_list("page_id", flat=True)) == sorted(p.pk for p in pages)
    assert StandardPage.objects.filter(pk__in=[p.pk for p in pages], live=True).count() == 5


def test_two_nodes_archiving_closed_cases_at_once_archive_each_once(tmp_path):
    school = build_school("HB", "Trường THCS Hòa Bình")
    worker = build_staff("cb-ctxh", Role.CASE_WORKER, school)
    principal = build_staff("hieu-truong", Role.PRINCIPAL, school)
    cases = [make_case(school, worker, principal, CaseState.CLOSED) for _ in range(4)]
    # Closed over a year ago, by their timeline.
    CaseEvent.objects.filter(case__in=cases, to_state=CaseState.CLOSED).update(
        at=timezone.now() - datetime.timedelta(days=400)
    )
    job = """
from forms_app.cases import retention
result = len(retention.archive_closed_cases().done)
"""
    results = run_at_once(tmp_path, [job, job])

    assert Case.objects.filter(archived_at__isnull=False).count() == len(cases)
    assert sum(results) == len(cases)
    # The audit says once that each case was archived.
    archived = AuditEntry.objects.filter(action=Action.ARCHIVE)
    assert sorted(archived.values_list("case_id_value", flat=True)) == sorted(c.pk for c in cases)


def test_two_nodes_purging_archived_cases_at_once_delete_each_once(tmp_path):
    school = build_school("HB", "Trường THCS Hòa Bình")
    worker = build_staff("cb-ctxh", Role.CASE_WORKER, school)
    principal = build_staff("hieu-truong", Role.PRINCIPAL, school)
    cases = [make_case(school, worker, principal, CaseState.CLOSED) for _ in range(3)]
    # Archived longer ago than the purge period (five years by default).
    Case.objects.filter(pk__in=[c.pk for c in cases]).update(
        archived_at=timezone.now() - datetime.timedelta(days=6 * 365)
    )
    job = """
from forms_app.cases import retention
result = len(retention.purge_archived_cases(mode="delete").done)
"""
    results = run_at_once(tmp_path, [job, job])

    assert not Case.objects.filter(pk__in=[c.pk for c in cases]).exists()
    assert sum(results) == len(cases)
    # The audit says once that each case was deleted.
    deleted = AuditEntry.objects.filter(action=Action.DELETE)
    assert sorted(deleted.values_list("case_id_value", flat=True)) == sorted(c.pk for c in cases)


def test_wrong_passwords_on_two_nodes_add_up_to_the_lock(tmp_path, client):
    """Failures are counted in the database (django-axes, accounts.lockout), which every
    node shares: two on one node and two on the other, and the fifth anywhere locks."""
    school = build_school("HB", "Trường THCS Hòa Bình")
    build_staff("ctxh", Role.CASE_WORKER, school)
    job = """
from django.test import Client
from tests.accounts.conftest import sign_in
from tests.cluster.conftest import database_url
result = [
    sign_in(Client(), "ctxh", "sai-mat-khau-roi", REMOTE_ADDR="10.0.0.1").status_code
    for _ in range(2)
]
"""
    results = run_at_once(tmp_path, [job, job])

    assert results == [[200, 200], [200, 200]]
    assert sign_in(client, "ctxh", "sai-mat-khau-roi", REMOTE_ADDR="10.0.0.1").status_code == 429
    # The lock holds for the right password too, on whichever node.
    assert sign_in(client, "ctxh", "pw-ctxh", REMOTE_ADDR="10.0.0.1").status_code == 429


REDIS = ("127.0.0.1", 6379)
REDIS_URL = "redis://127.0.0.1:6379/15"  # the tests' database of the local Redis


def _redis_up() -> bool:
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


# CI has Redis at 127.0.0.1:6379 and must run this test; elsewhere it may be missing.
@pytest.mark.skipif(
    not _redis_up() and os.environ.get("CI") != "true", reason="no Redis at 127.0.0.1:6379"
)
def test_help_channel_limits_count_across_nodes_in_redis(tmp_path):
    """The help channel's limits are counted in the shared cache: with Redis (CACHE_URL,
    as every node of a cluster must have), each node's count adds to the other's."""
    job = """
from concerns import help_limits
# One window for decades: the count cannot roll over to a new window mid-test.
limit = help_limits.Limit("cluster_test", 1000, 10**9)
who = help_limits.subject("address", "%s")
result = [help_limits.count(limit, who) for _ in range(25)]
"""
    who = uuid.uuid4().hex
    try:
        results = run_at_once(tmp_path, [job % who, job % who], env={"CACHE_URL": REDIS_URL})
    finally:
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(match="*help-limit:cluster_test:*"):
            server.delete(key)

    # Every increment was seen once, by one node or the other: 1 to 50, none twice.
    assert sorted(results[0] + results[1]) == list(range(1, 51))


def test_two_nodes_anchoring_the_audit_at_once_write_one_line(tmp_path):
    school = build_school("HB", "Trường THCS Hòa Bình")
    worker = build_staff("cb-ctxh", Role.CASE_WORKER, school)
    anchors = tmp_path / "anchors.jsonl"
    job = f"""
from io import StringIO
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from audit.log import record
from audit.models import Action
settings.AUDIT_ANCHOR_FILE = Path({str(anchors)!r})
request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.1")
request.user = get_user_model().objects.get(pk={worker.pk})
record(request, Action.VIEW, target="t")
out = StringIO()
call_command("anchor_audit_chain", "--unless-anchored-within", "30", stdout=out)
result = out.getvalue()
"""
    outputs = run_at_once(tmp_path, [job, job])

    lines = [json.loads(line) for line in anchors.read_text().splitlines()]
    assert len(lines) == 1
    assert lines[0]["verified"] is True
    assert sum("Not anchored again" in out for out in outputs) == 1
