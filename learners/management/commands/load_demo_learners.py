"""Load the fictitious class lists of the demo schools (learners.demo); safe to run again."""

from django.core.management.base import BaseCommand

from learners.demo import load_demo_learners


class Command(BaseCommand):
    help = "Load fictitious class lists into the demo schools HB and SM (idempotent)."

    def handle(self, *args, **options) -> None:
        created = load_demo_learners()
        self.stdout.write(self.style.SUCCESS(f"Demo learners ready: {created} created."))
