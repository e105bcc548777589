"""Sign-in middleware: session time limits and the second factor in the admin."""

from collections.abc import Callable
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.policy import has_confirmed_device, must_verify

LOGIN_AT_KEY = "accounts_login_at"
LAST_SEEN_KEY = "accounts_last_seen"
# Writing the session on every request would cost a database write per click;
# a minute of slack on a thirty-minute limit does not matter.
LAST_SEEN_RESOLUTION = 60


def now_timestamp() -> float:
    return timezone.now().timestamp()


def start_session_clock(session) -> None:
    """Record the moment of signing in (called on ``user_logged_in``)."""
    now = now_timestamp()
    session[LOGIN_AT_KEY] = now
    session[LAST_SEEN_KEY] = now


class SessionTimeoutMiddleware:
    """End a signed-in session after idle time and after a fixed time from sign-in.

    A case worker's phone or a shared staff-room computer left signed in must not
    keep a child's record open: after ``SESSION_IDLE_TIMEOUT_MINUTES`` without a
    request, or ``SESSION_ABSOLUTE_TIMEOUT_HOURS`` after signing in whatever the
    activity, the user is signed out and sent to the sign-in page with a message.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            expired = self._check(request)
            if expired is not None:
                return expired
        return self.get_response(request)

    def _check(self, request: HttpRequest) -> HttpResponse | None:
        session = request.session
        now = now_timestamp()
        login_at = session.get(LOGIN_AT_KEY)
        last_seen = session.get(LAST_SEEN_KEY)
        if login_at is None or last_seen is None:
            # A session from before this middleware: start counting now.
            start_session_clock(session)
            return None
        idle_limit = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        absolute_limit = settings.SESSION_ABSOLUTE_TIMEOUT_HOURS * 3600
        if now - login_at >= absolute_limit:
            message = _(
                "For safety you are signed out %(hours)s hours after signing in. "
                "Please sign in again."
            ) % {"hours": settings.SESSION_ABSOLUTE_TIMEOUT_HOURS}
            return self._expire(request, message)
        if now - last_seen >= idle_limit:
            message = _(
                "You were signed out after %(minutes)s minutes without activity. "
                "Please sign in again."
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT_MINUTES}
            return self._expire(request, message)
        if now - last_seen >= LAST_SEEN_RESOLUTION:
            session[LAST_SEEN_KEY] = now
        return None

    def _expire(self, request: HttpRequest, message: str) -> HttpResponse | None:
        logout(request)
        if not request.path_info.startswith(admin_prefix()):
            # The public site needs no sign-in: carry on as a visitor.
            return None
        messages.warning(request, message)
        login_url = reverse("wagtailadmin_login")
        if request.path_info == login_url:
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect_to_login(next_url or reverse("wagtailadmin_home"), login_url)


def admin_prefix() -> str:
    return reverse("wagtailadmin_home")


# Pages an unverified user must still reach: the sign-in steps themselves, signing
# out, and what those pages load (translations for scripts, the icon sprite).
EXEMPT_URL_NAMES = (
    "wagtailadmin_login",
    "wagtailadmin_logout",
    "wagtailadmin_javascript_catalog",
    "wagtailadmin_sprite",
    "accounts_2fa_setup",
    "accounts_2fa_verify",
)


class TwoFactorMiddleware:
    """Refuse the admin to a session that has not passed the second factor.

    Enforced here, on the server, for every ``/admin/`` request rather than by
    decorating views, so no view (Wagtail's, a plugin's or ours) can be forgotten.
    A user who must use a second factor and has none is sent to enrol; one who has
    a device is sent to enter a code. Must follow ``OTPMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._exempt: frozenset[str] | None = None

    def exempt_paths(self) -> frozenset[str]:
        if self._exempt is None:
            self._exempt = frozenset(reverse(name) for name in EXEMPT_URL_NAMES)
        return self._exempt

    def __call__(self, request: HttpRequest) -> HttpResponse:
        path = request.path_info
        user = getattr(request, "user", None)
        if (
            user is not None
            and path.startswith(admin_prefix())
            and path not in self.exempt_paths()
            and user.is_authenticated
            and not user.is_verified()
            and must_verify(user)
        ):
            step = "accounts_2fa_verify" if has_confirmed_device(user) else "accounts_2fa_setup"
            next_url = request.get_full_path() if request.method == "GET" else admin_prefix()
            return HttpResponseRedirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
        return self.get_response(request)
