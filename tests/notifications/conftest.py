"""Shared set-up of the alert tests: a school with its staff (with e-mail addresses),
a real SMTP server on loopback, and the database backend's worker run in-process."""

from __future__ import annotations

import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from schools.roles import Role
from tests.conftest import build_school, build_staff

SCHOOL_NAME = "Trường THCS Hòa Bình"


@dataclass
class Staff:
    school: object
    worker: object
    colleague: object
    principal: object
    vice_principal: object
    editor: object
    other_worker: object


def _with_email(user):
    user.email = f"{user.username}@example.edu.vn"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def staff(db) -> Staff:
    school = build_school("HB", SCHOOL_NAME)
    other = build_school("BK", "Trường THCS Bình Khánh")
    return Staff(
        school=school,
        worker=_with_email(build_staff("cb-ctxh", Role.CASE_WORKER, school)),
        colleague=_with_email(build_staff("to-tu-van", Role.CASE_WORKER, school)),
        principal=_with_email(build_staff("hieu-truong", Role.PRINCIPAL, school)),
        vice_principal=_with_email(build_staff("pho-hieu-truong", Role.PRINCIPAL, school)),
        editor=_with_email(build_staff("bien-tap", Role.EDITOR, school)),
        other_worker=_with_email(build_staff("cb-bk", Role.CASE_WORKER, other)),
    )


# A real SMTP server ------------------------------------------------------------


@dataclass
class Mailbox:
    """What the loopback SMTP server received, and how many next DATA commands it refuses."""

    messages: list[EmailMessage] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)
    refuse: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_DATA(self, server, session, envelope) -> str:  # aiosmtpd's handler hook
        with self.lock:
            if self.refuse > 0:
                self.refuse -= 1
                return "451 4.3.0 Try again later"
            content = envelope.original_content or envelope.content
            self.raw.append(content.decode("utf-8", "replace"))
            self.messages.append(message_from_bytes(content, policy=policy.default))
        return "250 OK"

    def texts(self) -> list[str]:
        """Each message as a reader sees it: headers decoded, the body decoded."""
        out = []
        for message in self.messages:
            headers = "\n".join(f"{k}: {v}" for k, v in message.items())
            out.append(headers + "\n\n" + message.get_content())
        return out


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp_server():
    """An aiosmtpd server on 127.0.0.1 and Django's SMTP backend pointed at it."""
    mailbox = Mailbox()
    port = _free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        with override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_TIMEOUT=10,
        ):
            yield mailbox
    finally:
        controller.stop()


# The database backend's worker ---------------------------------------------------

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture
def db_tasks():
    """Tasks stored in the database, as in deployment, until a worker runs them."""
    with override_settings(TASKS=DB_TASKS):
        yield


def run_worker(worker_id: str = "test-worker") -> None:
    """db_worker's own loop, in this process: run every task ready now, then stop."""
    from django_tasks_db.management.commands.db_worker import Worker

    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id=worker_id,
        excluded_queue_names=[],
    ).run()
