"""Anonymise or delete the cases archived longer than ``CASE_PURGE_AFTER_DAYS`` ago.

The mode comes from ``CASE_PURGE_MODE`` unless ``--mode`` is given. Meant to run
daily after ``archive_closed_cases``. Prints references and counts only.
"""

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases import retention


class Command(BaseCommand):
    help = _("Anonymise or delete the cases archived longer than the retention period ago.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("List the cases that would be purged; change nothing."),
        )
        parser.add_argument(
            "--mode",
            choices=retention.MODES,
            help=_("anonymise or delete (default: the CASE_PURGE_MODE setting)."),
        )

    def handle(self, *args, dry_run: bool = False, mode: str | None = None, **options) -> None:
        try:
            mode = retention.purge_mode(mode)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        outcome = retention.purge_archived_cases(mode=mode, dry_run=dry_run)
        for reference in outcome.done:
            self.stdout.write(reference)
        if mode == retention.MODE_ANONYMISE:
            message = (
                gettext("%(count)d case(s) would be anonymised (dry run).")
                if dry_run
                else gettext("%(count)d case(s) anonymised.")
            )
        else:
            message = (
                gettext("%(count)d case(s) would be deleted (dry run).")
                if dry_run
                else gettext("%(count)d case(s) deleted.")
            )
        self.stdout.write(message % {"count": len(outcome.done)})
