"""``manage.py reset_2fa <username>``: remove a user's second factor.

For someone who lost their phone and their recovery codes. They set up an
authenticator app again at their next sign-in.
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.devices import reset_two_factor


class Command(BaseCommand):
    help = "Remove a user's authenticator app and recovery codes (they enrol again)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")

    def handle(self, *args, username: str, **options) -> None:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user named {username!r}.")
        removed = reset_two_factor(user)
        self.stdout.write(
            f"Removed {removed} second-factor device(s) of {username}; "
            "they set up two-step sign-in again at their next sign-in."
        )
