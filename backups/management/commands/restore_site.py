"""Restore an archive made by ``backup_site`` into the configured database and directories.

Checks every member against the manifest first, and refuses a database that
already holds data unless ``--force``.
"""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backups import archive as backup


class Command(BaseCommand):
    help = _("Restore a backup archive (database, private files and media) made by backup_site.")

    def add_arguments(self, parser) -> None:
        parser.add_argument("archive", help=_("The .tar.gz archive made by backup_site."))
        parser.add_argument(
            "--force",
            action="store_true",
            help=_("Restore even though the database already holds data (it is replaced)."),
        )

    def handle(self, *args, archive: str, force: bool = False, **options) -> None:
        try:
            manifest = backup.restore_backup(archive, force=force)
        except (backup.BackupError, OSError) as exc:
            raise CommandError(str(exc)) from exc
        counts = backup.case_data_counts()
        self.stdout.write(json.dumps({"restored": counts, "in_archive": manifest["counts"]}))
        if counts != manifest["counts"]:
            raise CommandError(gettext("The restored figures differ from the archive's."))
        self.stdout.write(gettext("Restored. Check the data with: manage.py check_case_data"))
