"""Archive the cases closed longer than ``CASE_ARCHIVE_AFTER_DAYS`` ago.

See forms_app.cases.retention.

Meant to run daily from a timer, like ``publish_scheduled``. Prints references
and counts only, never anything about a child.
"""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from forms_app.cases import retention


class Command(BaseCommand):
    help = _("Archive (make read-only) the cases closed longer than the retention period ago.")

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("List the cases that would be archived; change nothing."),
        )

    def handle(self, *args, dry_run: bool = False, **options) -> None:
        outcome = retention.archive_closed_cases(dry_run=dry_run)
        for reference in outcome.done:
            self.stdout.write(reference)
        for reference in outcome.skipped:
            self.stderr.write(
                gettext("%(reference)s: closed, but its timeline has no closing date; kept.")
                % {"reference": reference}
            )
        message = (
            gettext("%(count)d case(s) would be archived (dry run).")
            if dry_run
            else gettext("%(count)d case(s) archived.")
        )
        self.stdout.write(message % {"count": len(outcome.done)})
