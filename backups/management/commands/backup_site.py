"""Write one archive of the whole site: database, private files, media and a manifest.

See backups/archive.py for what goes in and why the encryption keys do not.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from backups import archive as backup


class Command(BaseCommand):
    help = _(
        "Back up the database, the private files and the media into one timestamped "
        "archive. The encryption keys are not included: keep them separately, offline."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output",
            required=True,
            type=Path,
            help=_("Directory the archive is written to."),
        )

    def handle(self, *args, output: Path, **options) -> None:
        try:
            archive, manifest = backup.create_backup(output)
        except backup.BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(str(archive))
        counts = manifest["counts"]
        self.stdout.write(
            gettext(
                "%(cases)d cases, %(records)d records, %(audit)d audit entries, "
                "%(files)d files; database: %(vendor)s; version: %(version)s."
            )
            % {
                "cases": counts["cases"],
                "records": counts["records"],
                "audit": counts["audit_entries"],
                "files": len(manifest["files"]) - 1,
                "vendor": manifest["db_vendor"],
                "version": manifest["app_version"],
            }
        )
        self.stdout.write(
            self.style.WARNING(
                gettext(
                    "The encryption keys (CASE_ENCRYPTION_KEYS, CASE_INDEX_KEY) are NOT in "
                    "this archive. Without them the case data cannot be read: keep a copy "
                    "of the keys separately, offline."
                )
            )
        )
