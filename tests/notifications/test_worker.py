"""The database backend's real worker sends each outbox row once, and retries a refused send."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.models import MailStatus, OutgoingMail
from notifications.outbox import queue_mail
from notifications.tasks import send_mail
from tests.notifications.conftest import run_worker

# The worker's loop closes connections between tasks, as in production, which only
# committed rows survive. serialized_rollback: the flush after each test would
# otherwise take the rows the migrations made (role groups, the default site).
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _queue() -> OutgoingMail:
    # Outside any transaction the task is enqueued at once.
    return queue_mail(
        "hieu-truong@example.edu.vn", "[Trường An Toàn] Thông báo", "Đăng nhập để xem."
    )


def test_worker_sends_a_queued_mail(smtp_server, db_tasks):
    mail = _queue()
    assert DBTaskResult.objects.count() == 1
    run_worker()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 1
    assert mail.sent_at is not None
    assert [m["To"] for m in smtp_server.messages] == ["hieu-truong@example.edu.vn"]


def test_refused_send_is_retried_later_and_sent_once(smtp_server, db_tasks):
    smtp_server.refuse = 1
    mail = _queue()
    run_worker()

    mail.refresh_from_db()
    assert smtp_server.messages == []
    assert mail.status == MailStatus.PENDING
    assert mail.attempts == 1
    assert mail.last_error_code.startswith("451")
    assert mail.next_attempt_at > timezone.now() + datetime.timedelta(seconds=30)
    retry = DBTaskResult.objects.get(status="READY")
    assert retry.run_after == mail.next_attempt_at

    # Not due yet: the worker leaves it.
    run_worker()
    assert smtp_server.messages == []

    # The backoff has passed.
    past = timezone.now() - datetime.timedelta(seconds=1)
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=past)
    OutgoingMail.objects.filter(pk=mail.pk).update(next_attempt_at=past)
    run_worker()
    mail.refresh_from_db()
    assert mail.status == MailStatus.SENT
    assert mail.attempts == 2
    assert mail.last_error_code == ""
    assert len(smtp_server.messages) == 1


@override_settings(NOTIFICATION_MAIL_MAX_ATTEMPTS=3, NOTIFICATION_MAIL_RETRY_SECONDS=0)
def test_a_mail_refused_every_time_is_given_up_after_the_last_attempt(smtp_server, db_tasks):
    smtp_server.refuse = 10
    mail = _queue()
    run_worker()
    mail.refresh_from_db()
    assert mail.status == MailStatus.FAILED
    assert mail.attempts == 3
    assert smtp_server.messages == []
    assert smtp_server.refuse == 7


def test_a_duplicate_task_and_a_rerun_send_nothing_more(smtp_server, db_tasks):
    mail = _queue()
    send_mail.enqueue(mail.pk)
    run_worker("first")
    run_worker("second")
    assert send_mail.call(mail.pk) == "skipped"
    assert len(smtp_server.messages) == 1
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    mail.refresh_from_db()
    assert mail.attempts == 1


# pytest-django's SQLite test database is a shared-cache memory database, whose table
# locks fail at once instead of waiting; on SQLite the claim is the same single UPDATE.
@pytest.mark.skipif(connection.vendor == "sqlite", reason="the SQLite test database is in memory")
def test_two_workers_running_the_same_row_at_once_send_one_message(smtp_server, db_tasks):
    mail = _queue()
    for _ in range(3):
        send_mail.enqueue(mail.pk)
    errors: list = []

    def work(worker_id: str) -> None:
        try:
            run_worker(worker_id)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(f"w{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(smtp_server.messages) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 4
    mail.refresh_from_db()
    assert (mail.status, mail.attempts) == (MailStatus.SENT, 1)


def test_sweep_enqueues_a_row_whose_task_was_lost(smtp_server, db_tasks):
    from notifications import outbox

    mail = _queue()
    DBTaskResult.objects.all().delete()
    OutgoingMail.objects.filter(pk=mail.pk).update(
        next_attempt_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    assert outbox.sweep()["requeued"] == 1
    run_worker()
    assert len(smtp_server.messages) == 1
