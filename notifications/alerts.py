"""Raising an alert: one notification per recipient, and their e-mail as they chose.

Urgent alerts are e-mailed at once to everyone, whatever their preference; the
others at once, in the daily digest, or not at all (:class:`NotificationPreference`).
With a ``dedupe_key`` an event alerts each recipient once however often it is
raised (two runs of the deadline job, a signal sent twice): the database's unique
constraint decides, so two processes raising the same alert at the same moment
still make one row each.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from django.utils import timezone

from notifications.mail import queue_notification_mail
from notifications.models import EmailChoice, Notification, NotificationPreference
from schools.models import School


def raise_alert(
    kind: str,
    school: School | None,
    recipients: Iterable,
    url: str,
    *,
    urgent: bool = False,
    dedupe_key: str = "",
    exclude: Iterable[int | None] = (),
) -> list[Notification]:
    """Notify each active user of ``recipients`` (but ``exclude``); return the new rows."""
    left_out = {pk for pk in exclude if pk is not None}
    users = {u.pk: u for u in recipients if u.is_active and u.pk not in left_out}
    if not users:
        return []
    choices = dict(
        NotificationPreference.objects.filter(user_id__in=list(users)).values_list(
            "user_id", "email"
        )
    )
    alert = uuid.uuid4()
    now = timezone.now()
    Notification.objects.bulk_create(
        [
            Notification(
                recipient_id=pk,
                school=school,
                kind=kind,
                urgent=urgent,
                url=url,
                alert=alert,
                dedupe_key=dedupe_key,
                created_at=now,
                in_digest=not urgent and choices.get(pk) == EmailChoice.DIGEST,
            )
            for pk in users
        ],
        ignore_conflicts=True,
    )
    # Only the rows this call inserted carry its alert id; the others existed.
    created = list(Notification.objects.filter(alert=alert).select_related("school"))
    for notification in created:
        notification.recipient = users[notification.recipient_id]
        choice = choices.get(notification.recipient_id, EmailChoice.IMMEDIATE)
        if urgent or choice == EmailChoice.IMMEDIATE:
            queue_notification_mail(notification)
    return created
