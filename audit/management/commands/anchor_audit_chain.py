"""``manage.py anchor_audit_chain``: copy the audit chain's tip outside the database.

Run every hour by ``deploy/systemd/truong-an-toan-audit-anchor.timer``. Appends
one line (time, newest entry id, its hash, key id, number of entries) to
``AUDIT_ANCHOR_FILE`` and e-mails it to ``AUDIT_ANCHOR_EMAIL`` when set, with
the outcome of a full check of the chain against every anchor (which the
principal's report relies on for the entries up to it), and exits with status 1
if it is broken, so the timer's failure shows in ``systemctl --failed`` and monitoring.
The tip is anchored even then: later anchors must not depend on an attacker's
cooperation, and the earlier anchors still show the damage.

``--after-restore`` is for the one time the chain may legitimately end before
its newest anchor: after ``restore_site`` brought back a backup older than it.
It writes a ``restore`` anchor (see :mod:`audit.anchors`), in the file and the
e-mail, saying from which entry on the entries are lost.

Several app nodes share one anchor file and each runs the hourly timer. A run holds a
database lock (``config.locks.single_run``) so two never verify and append at once, and
the timer passes ``--unless-anchored-within 30``: the node that comes second finds the
hour's line already written and adds nothing (no second line, no second e-mail).
"""

import datetime

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from audit.anchors import ANCHOR, RESTORE, AnchorFileError, read_anchors, write_anchor
from config.locks import single_run


class Command(BaseCommand):
    help = "Write the newest audit entry's id and hash to the anchor file (and e-mail)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--after-restore",
            action="store_true",
            help="Record that a backup older than the newest anchors was restored.",
        )
        parser.add_argument(
            "--unless-anchored-within",
            type=int,
            default=0,
            metavar="MINUTES",
            help="Write nothing if a regular anchor was written in the last MINUTES "
            "(for timers on several nodes sharing one anchor file).",
        )

    def handle(self, *args, after_restore: bool = False, **options) -> None:
        with single_run("audit-anchor"):
            self.anchor(after_restore, options["unless_anchored_within"])

    def anchor(self, after_restore: bool, within_minutes: int) -> None:
        try:
            anchors = read_anchors()
        except AnchorFileError as exc:
            # Appending to a damaged file would bury the damage; say so and stop.
            raise CommandError(f"Not anchored: {exc}", returncode=1) from exc
        if within_minutes > 0 and not after_restore:
            since = timezone.now() - datetime.timedelta(minutes=within_minutes)
            recent = [a for a in anchors if a.kind == ANCHOR and a.at >= since]
            if recent:
                self.stdout.write(
                    f"Not anchored again: entry {recent[-1].entry} was anchored at "
                    f"{recent[-1].at.isoformat()}, less than {within_minutes} minutes ago."
                )
                return
        try:
            anchor, result = write_anchor(RESTORE if after_restore else ANCHOR)
        except OSError as exc:
            raise CommandError(
                f"Not anchored: {settings.AUDIT_ANCHOR_FILE} cannot be written "
                f"({exc.strerror}); check AUDIT_ANCHOR_FILE and its folder's owner.",
                returncode=1,
            ) from exc
        self.stdout.write(
            f"Anchored entry {anchor.entry} ({anchor.entries} entries), "
            f"hash {anchor.hash}, key {anchor.key_id or '-'}, at {anchor.at.isoformat()}."
        )
        if not result.ok:
            raise CommandError(f"{result.describe()} [{result.problem}]", returncode=1)
        self.stdout.write(self.style.SUCCESS(result.describe()))
