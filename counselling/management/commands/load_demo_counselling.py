"""Load a semester of fictitious counselling sessions and activities (counselling.demo);
safe to run again."""

from django.core.management.base import BaseCommand

from counselling.demo import load_demo_counselling


class Command(BaseCommand):
    help = "Load fictitious counselling sessions and activities into the demo schools HB and SM."

    def handle(self, *args, **options) -> None:
        loaded = load_demo_counselling()
        self.stdout.write(
            self.style.SUCCESS(f"Demo counselling log ready: {loaded} schools filled.")
        )
