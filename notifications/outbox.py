"""The outbox: each e-mail is a row, sent by a background task, once, and again only
if a worker died while sending it.

Sending one row (:func:`deliver`) first claims it with a single conditional
``UPDATE`` (pending and due → sending, stamped with the claim's time): the
database locks the row for that statement, so of two tasks or two workers holding
the same row only one claims it, on PostgreSQL and SQLite alike, and a row already
sent is never sent again. A failure puts the row back with the attempt counted and
the next one later (doubling each time), and enqueues a task for then; after
``NOTIFICATION_MAIL_MAX_ATTEMPTS`` the row is given up.

A worker killed between claiming and recording leaves the row "sending". An alert
about a child must not be lost to that, so once the claim is older than any send
can last (:func:`claim_expiry`, ten SMTP timeouts) :func:`sweep` puts the row back
and enqueues it: at least once, not at most once. If the SMTP server had already
accepted the first copy, the second is recognisable as the same mail: every copy
of a row carries the same ``Message-ID`` (:func:`message_id`), which mail clients
and servers use to drop duplicates. A worker that was only slow finds its claim
taken over and records nothing over the new one's. Nothing about a failure is kept
but its SMTP code or the exception's name.
"""

from __future__ import annotations

import datetime
import functools
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from notifications.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

# A send is one SMTP session of about eight commands, each waiting at most
# EMAIL_TIMEOUT; a claim this many timeouts old belongs to a worker that died.
CLAIM_EXPIRY_TIMEOUTS = 10
# A due row without its task this long is enqueued again by the periodic job.
LOST_TASK_GRACE = datetime.timedelta(minutes=2)


def claim_expiry() -> datetime.timedelta:
    """How old a claim must be before its row is sent again: longer than any live send.

    Retrying sooner could send a second copy while the first worker still waits on
    the SMTP server; waiting longer only delays an alert whose worker died.
    """
    timeout = settings.EMAIL_TIMEOUT or 60
    return datetime.timedelta(seconds=timeout * CLAIM_EXPIRY_TIMEOUTS)


def message_id(mail: OutgoingMail) -> str:
    """The row's ``Message-ID``, the same on every copy sent, whichever worker sends it.

    Made from the row alone (its creation time and id), not from the sending host's
    name as Django's ``make_msgid`` is, and unique across a restored or rebuilt
    database, where ids start again: a mail client drops a message whose
    Message-ID it has seen, so a reused one would hide a different alert.
    """
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<outbox.{mail.created_at:%Y%m%d%H%M%S%f}.{mail.pk}@{domain}>"


def queue_mail(to_address: str, subject: str, body: str) -> OutgoingMail:
    """Add an e-mail to the outbox; its task is enqueued once the transaction commits."""
    mail = OutgoingMail.objects.create(to_address=to_address, subject=subject[:255], body=body)
    transaction.on_commit(functools.partial(enqueue, mail.pk), robust=True)
    return mail


def enqueue(mail_id: int, run_after: datetime.datetime | None = None) -> None:
    """Ask the worker to send the row, at ``run_after`` if given.

    A backend that cannot defer (the immediate one of the tests) is not asked to
    retry at once: the periodic job's :func:`sweep` enqueues due rows again.
    """
    from notifications.tasks import send_mail

    task = send_mail
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    task.enqueue(mail_id)


def _error_code(error: BaseException) -> str:
    code = getattr(error, "smtp_code", None)
    if code is None and isinstance(error, smtplib.SMTPRecipientsRefused):
        code = next(iter(error.recipients.values()), (None,))[0]
    name = type(error).__name__
    return f"{code} {name}"[:64] if code else name[:64]


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before attempt ``attempts + 1``: the base delay, doubled after each failure."""
    return datetime.timedelta(
        seconds=settings.NOTIFICATION_MAIL_RETRY_SECONDS * 2 ** (attempts - 1)
    )


def deliver(mail_id: int) -> str:
    """Send outbox row ``mail_id`` if it is pending and due; say what happened.

    Returns "sent", "retry", "failed" or "skipped" (already sent, being sent by
    another worker, given up, not due yet, or gone).
    """
    now = timezone.now()
    claimed = OutgoingMail.objects.filter(
        pk=mail_id, status=MailStatus.PENDING, next_attempt_at__lte=now
    ).update(status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    if not claimed:
        return "skipped"
    mail = OutgoingMail.objects.get(pk=mail_id)
    # Only this claim's row: if the sweep gave the row to another worker meanwhile,
    # that worker records its own outcome.
    ours = OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING, claimed_at=now)
    try:
        EmailMessage(
            subject=mail.subject,
            body=mail.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[mail.to_address],
            headers={"Message-ID": message_id(mail)},
        ).send(fail_silently=False)
    except Exception as error:
        code = _error_code(error)
        # The exception's message may quote the address; the log gets the code only.
        logger.warning("Outgoing mail %s failed (attempt %s): %s", mail.pk, mail.attempts, code)
        if mail.attempts >= settings.NOTIFICATION_MAIL_MAX_ATTEMPTS:
            ours.update(status=MailStatus.FAILED, last_error_code=code)
            return "failed"
        next_at = timezone.now() + backoff(mail.attempts)
        if ours.update(status=MailStatus.PENDING, next_attempt_at=next_at, last_error_code=code):
            enqueue(mail.pk, run_after=next_at)
        return "retry"
    ours.update(status=MailStatus.SENT, sent_at=timezone.now(), last_error_code="")
    return "sent"


def sweep(now: datetime.datetime | None = None) -> dict[str, int]:
    """Enqueue again the due rows whose task was lost, and the rows whose worker died
    while sending them (claimed longer ago than :func:`claim_expiry`).

    A row interrupted on its last allowed attempt is given up, as a refused one is.
    """
    now = now or timezone.now()
    stale = OutgoingMail.objects.filter(
        status=MailStatus.SENDING, claimed_at__lt=now - claim_expiry()
    )
    given_up = stale.filter(attempts__gte=settings.NOTIFICATION_MAIL_MAX_ATTEMPTS).update(
        status=MailStatus.FAILED, last_error_code="interrupted"
    )
    interrupted = list(
        stale.filter(attempts__lt=settings.NOTIFICATION_MAIL_MAX_ATTEMPTS).values_list(
            "pk", "claimed_at"
        )[:1000]
    )
    resumed = [
        pk
        for pk, claimed_at in interrupted
        # Each row back only if its claim is still the dead one.
        if OutgoingMail.objects.filter(
            pk=pk, status=MailStatus.SENDING, claimed_at=claimed_at
        ).update(status=MailStatus.PENDING, next_attempt_at=now, last_error_code="interrupted")
    ]
    due = list(
        OutgoingMail.objects.filter(
            status=MailStatus.PENDING, next_attempt_at__lte=now - LOST_TASK_GRACE
        ).values_list("pk", flat=True)[:1000]
    )
    for mail_id in [*resumed, *due]:
        enqueue(mail_id)
    return {"requeued": len(due), "resumed": len(resumed), "given_up": given_up}
