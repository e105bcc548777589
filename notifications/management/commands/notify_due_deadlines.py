"""The periodic job of the alerts (every 15 minutes: deploy/systemd, bin/serve-dev).

Alerts approaching and passed deadlines (:mod:`notifications.deadlines`), enqueues
again e-mails whose task was lost (:func:`notifications.outbox.sweep`), and from
``NOTIFICATION_DIGEST_HOUR`` on enqueues the day's digest. Every part is safe to
run again: nothing is alerted or sent twice.
"""

from django.core.management.base import BaseCommand

from notifications import digest, outbox
from notifications.deadlines import notify_due_deadlines
from notifications.tasks import send_daily_digests


class Command(BaseCommand):
    help = "Alert approaching and passed deadlines, retry lost e-mails, send the daily digest."

    def handle(self, *args, **options) -> None:
        made = notify_due_deadlines()
        swept = outbox.sweep()
        digest_queued = digest.digest_is_due()
        if digest_queued:
            send_daily_digests.enqueue()
        if options["verbosity"] >= 1:
            self.stdout.write(
                f"deadline alerts: {made}; e-mails enqueued again: {swept['requeued']}, "
                f"interrupted sends resumed: {swept['resumed']}, "
                f"given up: {swept['given_up']}; digest enqueued: {digest_queued}"
            )
