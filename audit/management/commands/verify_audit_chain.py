"""``manage.py verify_audit_chain``: is the access audit as it was written?

Prints "OK" and the number of entries, or the first broken entry, and exits
with status 1 then, so a cron job or monitoring check can alert on it.
"""

from django.core.management.base import BaseCommand, CommandError

from audit.chain import verify


class Command(BaseCommand):
    help = "Recompute the hash chain of the access audit and report the first broken entry."

    def handle(self, *args, **options) -> None:
        result = verify()
        if not result.ok:
            # CommandError prints to stderr and exits with status 1.
            raise CommandError(result.describe(), returncode=1)
        self.stdout.write(self.style.SUCCESS(result.describe()))
