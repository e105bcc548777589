"""Load fictitious school reports into the demo schools (reports.demo); safe to run again."""

from django.core.management.base import BaseCommand

from reports.demo import load_demo_reports


class Command(BaseCommand):
    help = "Load fictitious school reports into the demo schools HB and SM (idempotent)."

    def handle(self, *args, **options) -> None:
        created = load_demo_reports()
        self.stdout.write(self.style.SUCCESS(f"Demo reports ready: {created} created."))
