"""Load the fictitious concerns of the demo schools (concerns.demo); safe to run again."""

from django.core.management.base import BaseCommand

from concerns.demo import load_demo_concerns


class Command(BaseCommand):
    help = "Load fictitious concerns into the demo schools HB and SM (idempotent)."

    def handle(self, *args, **options) -> None:
        loaded = load_demo_concerns()
        self.stdout.write(self.style.SUCCESS(f"Demo concerns ready: {loaded} schools filled."))
