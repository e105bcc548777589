"""The task worker killed mid-send: the alert goes out once when the worker is back.

A real ``manage.py db_worker`` process sends to an SMTP sink in this test that stops
answering once it has the message (no "250" after DATA), so the worker is caught
mid-send; it is then SIGKILLed. The periodic job (``notify_due_deadlines``) and a
new worker must deliver the alert, once, with the row's Message-ID. The worker and
the job read the test database, so this needs PostgreSQL.
"""

from __future__ import annotations

import contextlib
import email
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.db.models import F
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from notifications import outbox
from notifications.models import MailStatus, OutgoingMail
from tests.cluster.conftest import database_url
from tests.notifications.conftest import DB_TASKS

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process needs the test database (SQLite's is in this process)",
    ),
]

ROOT = Path(settings.BASE_DIR)
# Bounds for the test to end if something is wrong, not speed figures.
WAIT_SECONDS = 120


class SmtpSink:
    """Just enough SMTP to take a message; while ``hang`` is set it takes the message
    but never says "250", as a server that stalls in the middle of a send."""

    def __init__(self) -> None:
        self.accepted: list[bytes] = []
        self.hang = threading.Event()
        self.data_received = threading.Event()
        self._closing = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port = self._listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def close(self) -> None:
        self._closing.set()

    def _accept(self) -> None:
        with self._listener:
            while not self._closing.is_set():
                try:
                    conn, _address = self._listener.accept()
                except TimeoutError:
                    continue
                conn.settimeout(None)
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 sink ESMTP\r\n")
            for line in lines:
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250 sink\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go on\r\n")
                    message = b"".join(iter(lines.readline, b".\r\n"))
                    self.data_received.set()
                    if self.hang.is_set():
                        self._closing.wait()  # until the test ends; the worker dies first
                        return
                    self.accepted.append(message)
                    conn.sendall(b"250 accepted\r\n")
                elif verb == b"QUIT":
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    conn.sendall(b"250 ok\r\n")


@pytest.fixture
def sink():
    sink = SmtpSink()
    yield sink
    sink.close()


def _environment(sink: SmtpSink) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
        "DATABASE_URL": database_url(),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink.port),
    }


def _start_worker(sink: SmtpSink, log: Path) -> subprocess.Popen:
    with open(log, "a") as out:
        return subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "db_worker",
                "--no-reload",
                "--no-startup-delay",
                "--interval",
                "0.2",
                "--verbosity",
                "0",
            ],
            cwd=ROOT,
            env=_environment(sink),
            stdout=out,
            stderr=subprocess.STDOUT,
        )


def _stop(worker: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        worker.send_signal(signal.SIGTERM)
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _wait_until(condition, what: str, log: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        assert time.monotonic() < deadline, f"{what}; worker log:\n{log.read_text()[-3000:]}"
        time.sleep(0.2)


def test_a_worker_killed_mid_send_sends_the_alert_once_when_it_comes_back(sink, tmp_path):
    log = tmp_path / "worker.log"
    with override_settings(TASKS=DB_TASKS):
        # Outside any transaction: the row and its task are committed at once.
        mail = outbox.queue_mail(
            "hieu-truong@example.edu.vn", "[Trường An Toàn] Cần phê duyệt", "Đăng nhập để xem."
        )
    sink.hang.set()
    worker = _start_worker(sink, log)
    try:
        _wait_until(sink.data_received.is_set, "the worker never reached DATA", log)
        mail.refresh_from_db()
        assert mail.status == MailStatus.SENDING
    finally:
        worker.kill()
        worker.wait()
    assert sink.accepted == []

    sink.hang.clear()
    # The claim made as old as the sweep waits for, instead of waiting that long.
    OutgoingMail.objects.filter(pk=mail.pk).update(
        claimed_at=F("claimed_at") - outbox.claim_expiry()
    )
    job = subprocess.run(
        [sys.executable, "manage.py", "notify_due_deadlines", "--verbosity", "0"],
        cwd=ROOT,
        env=_environment(sink),
        capture_output=True,
        text=True,
        timeout=WAIT_SECONDS,
    )
    assert job.returncode == 0, job.stderr
    worker = _start_worker(sink, log)
    try:
        _wait_until(
            lambda: (
                OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENT).exists()
                and not DBTaskResult.objects.filter(status__in=["READY"]).exists()
            ),
            "the worker that came back did not send the alert",
            log,
        )
    finally:
        _stop(worker)

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert len(sink.accepted) == 1
    sent = email.message_from_bytes(sink.accepted[0])
    assert sent["Message-ID"] == outbox.message_id(mail)
    assert sent["To"] == "hieu-truong@example.edu.vn"
