"""What an alert's e-mail says: the alert's own sentence, "sign in to see it", a link.

No child data can get in: the words come from :mod:`notifications.texts` (a kind
and a school's name) and the link points at the admin, where the reader signs in
and the target view decides what they may open.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, ngettext

from notifications.models import Notification, OutgoingMail
from notifications.outbox import queue_mail
from notifications.texts import sign_in_line


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def language_for(user) -> str:
    """The recipient's admin language when they chose one, else the site's (Vietnamese)."""
    from wagtail.users.models import UserProfile

    try:
        return UserProfile.get_for_user(user).get_preferred_language() or settings.LANGUAGE_CODE
    except Exception:  # a profile that cannot be read must not stop an alert
        return settings.LANGUAGE_CODE


def _subject(text: str, urgent: bool) -> str:
    site = settings.WAGTAIL_SITE_NAME
    if urgent:
        return gettext("[%(site)s] URGENT: new alert") % {"site": site}
    return gettext("[%(site)s] New alert") % {"site": site}


def queue_notification_mail(notification: Notification) -> OutgoingMail | None:
    """Queue the e-mail of one alert to its recipient, if they have an address."""
    user = notification.recipient
    if not user.email:
        return None
    with translation.override(language_for(user)):
        text = notification.text
        body = "\n".join(
            [
                f"{text} {sign_in_line()}",
                "",
                absolute(reverse("notifications:open", args=[notification.pk])),
                "",
                gettext("You receive this e-mail because of your alert settings: %(url)s")
                % {"url": absolute(reverse("notifications:preferences"))},
            ]
        )
        subject = _subject(text, notification.urgent)
    return queue_mail(user.email, subject, body)


def queue_digest_mail(user, notifications: Iterable[Notification]) -> OutgoingMail | None:
    """Queue one e-mail listing the alert sentences of the day, without links to objects."""
    items = list(notifications)
    if not items or not user.email:
        return None
    with translation.override(language_for(user)):
        lines = [
            ngettext(
                "You have %(count)d unread alert:",
                "You have %(count)d unread alerts:",
                len(items),
            )
            % {"count": len(items)},
            "",
        ]
        lines += [f"- {item.text}" for item in items]
        lines += ["", sign_in_line(), absolute(reverse("notifications:list"))]
        subject = gettext("[%(site)s] Your alerts of the day") % {
            "site": settings.WAGTAIL_SITE_NAME
        }
    return queue_mail(user.email, subject, "\n".join(lines))
