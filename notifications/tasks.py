"""Background tasks (django-tasks; the database backend in deployment, see settings.TASKS).

Each task is safe to run twice: sending claims the outbox row first
(:func:`notifications.outbox.deliver`), and the digest claims each user's day
(:func:`notifications.digest.send_digests`).
"""

from django_tasks import task

from notifications import digest, outbox


@task()
def send_mail(mail_id: int) -> str:
    """Send one outbox row; a failure re-enqueues it with backoff."""
    return outbox.deliver(mail_id)


@task()
def send_daily_digests() -> int:
    """One e-mail to each user who chose the daily digest and has unread alerts."""
    return digest.send_digests()
