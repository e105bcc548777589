"""``manage.py verify_audit_chain``: is the access audit as it was written?

Checks the keyed chain entry by entry and against the anchors kept outside the
database (``AUDIT_ANCHOR_FILE``), and that the database triggers refusing
UPDATE and DELETE are in place. Prints "OK", the number of entries and anchors,
or the first problem with its code, and exits with status 1 then, so a cron job
or monitoring check can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from audit import triggers
from audit.chain import verify


class Command(BaseCommand):
    help = (
        "Recompute the keyed hash chain of the access audit, check it against the anchors "
        "outside the database, and report the first problem."
    )

    def handle(self, *args, **options) -> None:
        result = verify()
        if not result.ok:
            # CommandError prints to stderr and exits with status 1.
            raise CommandError(f"{result.describe()} [{result.problem}]", returncode=1)
        if not triggers.installed():
            raise CommandError(
                f"{result.describe()} But the triggers refusing UPDATE and DELETE of "
                "audit entries are missing: run manage.py migrate. [triggers_missing]",
                returncode=1,
            )
        self.stdout.write(self.style.SUCCESS(result.describe()))
        if result.latest_anchor is None:
            self.stdout.write(
                "No anchor yet: run manage.py anchor_audit_chain (the systemd timer does, hourly)."
            )
