"""Start the session clocks when someone signs in."""

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from accounts.middleware import start_session_clock


@receiver(user_logged_in, dispatch_uid="accounts_start_session_clock")
def start_clock_on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        start_session_clock(request.session)
