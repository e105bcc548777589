"""The daily digest: one e-mail a day to each user who chose it, listing their unread alerts.

Each user's day is claimed with a conditional update of their preference
(``last_digest_on``), so the task run twice, or by two workers, sends one digest.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from notifications.mail import queue_digest_mail
from notifications.models import EmailChoice, Notification, NotificationPreference


def send_digests(today: datetime.date | None = None) -> int:
    """Queue today's digests; return how many e-mails were queued."""
    today = today or timezone.localdate()
    sent = 0
    waiting = (
        NotificationPreference.objects.filter(email=EmailChoice.DIGEST)
        .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
        .filter(user__notifications__in_digest=True, user__is_active=True)
        .select_related("user")
        .distinct()
    )
    for preference in waiting:
        with transaction.atomic():
            claimed = (
                NotificationPreference.objects.filter(pk=preference.pk)
                .filter(Q(last_digest_on__isnull=True) | Q(last_digest_on__lt=today))
                .update(last_digest_on=today)
            )
            if not claimed:
                continue
            pending = Notification.objects.filter(recipient=preference.user, in_digest=True)
            unread = list(pending.filter(read_at__isnull=True).select_related("school"))
            pending.update(in_digest=False)
            if queue_digest_mail(preference.user, unread):
                sent += 1
    return sent


def digest_is_due(now: datetime.datetime | None = None) -> bool:
    """Whether the day's digest may go: from ``NOTIFICATION_DIGEST_HOUR`` (local time) on."""
    now = timezone.localtime(now or timezone.now())
    return now.hour >= settings.NOTIFICATION_DIGEST_HOUR
