"""A worker killed while sending an alert: the alert still goes, once, when a worker is back.

The kill is a ``BaseException`` raised inside the SMTP send, which nothing in the
outbox catches, so the row is left exactly as a SIGKILL leaves it: claimed, "sending",
nothing recorded. tests/notifications/test_worker_killed.py kills a real worker process.
"""

import datetime

import pytest
from django.core.mail import EmailMessage
from django.utils import timezone

from notifications import outbox
from notifications.models import MailStatus, OutgoingMail
from notifications.tasks import send_mail

# The immediate task backend of the test settings: the sweep's enqueue sends at once.
pytestmark = pytest.mark.django_db

REAL_SEND = EmailMessage.send


class WorkerKilled(BaseException):
    """What SIGKILL does to the worker, as far as the outbox can tell."""


def _queue() -> OutgoingMail:
    # Inside the test's transaction, the task waits for a commit that never comes.
    return outbox.queue_mail(
        "hieu-truong@example.edu.vn", "[Trường An Toàn] Cần phê duyệt", "Đăng nhập để xem."
    )


def _killed_before_the_server_accepted(self, fail_silently=False):
    raise WorkerKilled


def _killed_after_the_server_accepted(self, fail_silently=False):
    REAL_SEND(self, fail_silently=fail_silently)
    raise WorkerKilled


def _claim_made_ago(mail: OutgoingMail, age: datetime.timedelta) -> None:
    """Move the row's claim back in time, as if the worker had died ``age`` ago."""
    OutgoingMail.objects.filter(pk=mail.pk).update(claimed_at=timezone.now() - age)


def _claim_expired(mail: OutgoingMail) -> None:
    _claim_made_ago(mail, outbox.claim_expiry() + datetime.timedelta(seconds=1))


def _deliver_and_die(monkeypatch, mail: OutgoingMail, send) -> None:
    with monkeypatch.context() as patched:
        patched.setattr(EmailMessage, "send", send)
        with pytest.raises(WorkerKilled):
            outbox.deliver(mail.pk)
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENDING


def test_a_send_interrupted_before_the_server_took_it_is_sent_once_after_the_sweep(
    smtp_server, monkeypatch
):
    mail = _queue()
    _deliver_and_die(monkeypatch, mail, _killed_before_the_server_accepted)
    assert smtp_server.messages == []

    _claim_expired(mail)
    swept = outbox.sweep()

    assert swept["resumed"] == 1
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 2)
    assert len(smtp_server.messages) == 1
    assert smtp_server.messages[0]["Message-ID"] == outbox.message_id(mail)
    # A later sweep, or a duplicate task, sends nothing more.
    _claim_expired(mail)
    assert outbox.sweep()["resumed"] == 0
    assert send_mail.call(mail.pk) == "skipped"
    assert len(smtp_server.messages) == 1


def test_a_copy_sent_again_after_the_server_took_the_first_has_the_same_message_id(
    smtp_server, monkeypatch
):
    mail = _queue()
    _deliver_and_die(monkeypatch, mail, _killed_after_the_server_accepted)
    assert len(smtp_server.messages) == 1

    _claim_expired(mail)
    outbox.sweep()

    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    first, second = smtp_server.messages
    assert first["Message-ID"] == second["Message-ID"] == outbox.message_id(mail)
    assert outbox.message_id(mail).endswith("@localhost>")


def test_a_row_being_sent_now_is_not_taken_by_another_worker(smtp_server, monkeypatch):
    mail = _queue()
    _deliver_and_die(monkeypatch, mail, _killed_before_the_server_accepted)
    _claim_made_ago(mail, outbox.claim_expiry() - datetime.timedelta(seconds=5))

    assert outbox.sweep()["resumed"] == 0
    assert send_mail.call(mail.pk) == "skipped"

    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENDING, 1)
    assert smtp_server.messages == []


def test_the_claim_outlasts_every_smtp_command_of_a_send(settings):
    settings.EMAIL_TIMEOUT = 30
    # A send is about eight commands, each allowed EMAIL_TIMEOUT seconds.
    assert outbox.claim_expiry() >= datetime.timedelta(seconds=8 * 30)
    settings.EMAIL_TIMEOUT = None  # Django's own default: no timeout at all
    assert outbox.claim_expiry() > datetime.timedelta(0)


def test_a_slow_worker_whose_claim_was_taken_over_records_nothing_over_the_new_one(
    smtp_server, monkeypatch
):
    mail = _queue()
    takeover = timezone.now() + datetime.timedelta(minutes=10)

    def slow_then_refused(self, fail_silently=False):
        # Meanwhile the sweep gave the row to another worker, which is sending it now.
        OutgoingMail.objects.filter(pk=mail.pk).update(claimed_at=takeover)
        raise ConnectionRefusedError

    monkeypatch.setattr(EmailMessage, "send", slow_then_refused)
    assert outbox.deliver(mail.pk) == "retry"

    mail.refresh_from_db()
    assert (mail.status, mail.claimed_at, mail.last_error_code) == (
        MailStatus.SENDING,
        takeover,
        "",
    )


def test_a_send_interrupted_on_its_last_attempt_is_given_up(smtp_server, monkeypatch, settings):
    settings.NOTIFICATION_MAIL_MAX_ATTEMPTS = 1
    mail = _queue()
    _deliver_and_die(monkeypatch, mail, _killed_before_the_server_accepted)

    _claim_expired(mail)
    swept = outbox.sweep()

    assert (swept["resumed"], swept["given_up"]) == (0, 1)
    mail.refresh_from_db()
    assert (mail.status, mail.last_error_code) == (MailStatus.FAILED, "interrupted")
    assert smtp_server.messages == []


def test_the_deadline_job_reports_the_sends_it_resumed(smtp_server, monkeypatch):
    """The timer's log says an interrupted send was taken up again, not only lost tasks."""
    from io import StringIO

    from django.core.management import call_command

    mail = _queue()
    _deliver_and_die(monkeypatch, mail, _killed_before_the_server_accepted)
    _claim_expired(mail)
    out = StringIO()

    call_command("notify_due_deadlines", stdout=out)

    assert "interrupted sends resumed: 1" in out.getvalue()
    assert len(smtp_server.messages) == 1
