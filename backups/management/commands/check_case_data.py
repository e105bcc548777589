"""Read back every piece of case data and print what was found, as JSON figures.

Decrypts every encrypted value, reads every attachment and verifies the audit
chain: run after a restore or a key rotation to know the site can read its own
data before a worker needs it. Prints counts and per-case fingerprints (hashes),
never content; exits with an error when anything could not be read.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backups import archive as backup


class Command(BaseCommand):
    help = _(
        "Decrypt every encrypted value, read every attachment, verify the audit chain, "
        "and print the counts as JSON."
    )

    def handle(self, *args, **options) -> None:
        result = backup.check_case_data()
        self.stdout.write(json.dumps(result, sort_keys=True))
        if not result["ok"]:
            raise CommandError(gettext("Some case data could not be read; see “problems”."))
