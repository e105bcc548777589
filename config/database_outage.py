"""What a visitor sees while PostgreSQL is away: a Vietnamese 503 page, not a stack trace.

A database restart or failover takes seconds; during them every request that
touches the database raises ``OperationalError`` (or ``InterfaceError`` on a
connection the server dropped). Django would answer 500 and log a traceback
per request. Here such an error is answered with ``site/templates/503.html``
and ``Retry-After``, rendered without any context processor or tag that could
query the database, and logged as one line naming the error's class only: its
message may quote SQL or parameters, which can hold a child's data.

The home is Django's ``handler500`` (set in ``config/urls.py``), not a
middleware's ``process_exception``: Django turns an exception into a response
at every middleware layer (``convert_exception_to_response``), so a middleware
sees only a view's exceptions, while the session, authentication, site and
tenancy middleware query the database before any view runs. Every uncaught
exception, wherever it was raised, passes through ``handler500`` with the
exception still current. The site recovers by itself: ``CONN_MAX_AGE`` with
``conn_health_checks`` drops a broken persistent connection at the next
request instead of reusing it (tests/cluster/test_database_outage.py).
"""

from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.views import defaults

from config.middleware import is_admin_request

try:  # Raised unwrapped where psycopg is used outside Django's cursor wrapper.
    import psycopg
except ImportError:  # pragma: no cover - SQLite-only installs
    psycopg = None

logger = logging.getLogger(__name__)

DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, InterfaceError)
if psycopg is not None:
    DATABASE_ERRORS += (psycopg.OperationalError, psycopg.InterfaceError)

# Seconds a browser or the caching front should wait before asking again: a
# restart or failover takes about this long.
RETRY_AFTER_SECONDS = 30
TEMPLATE = "503.html"


def is_database_outage(error: BaseException | None) -> bool:
    """Whether ``error``, or an exception it was raised from, says the database is away."""
    seen = 0
    while error is not None and seen < 5:
        if isinstance(error, DATABASE_ERRORS):
            return True
        error = error.__cause__ or error.__context__
        seen += 1
    return False


def outage_language(request: HttpRequest) -> str:
    """The visitor's language, read from the cookie as ``PreferredLanguageMiddleware`` does.

    The error may come from a middleware that runs before the language is chosen.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def outage_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """The 503 page for ``request``; logs one line with the error's class and no message."""
    side = "admin" if is_admin_request(request) else "public"
    logger.error(
        "Database unavailable (%s): answered 503 (%s side, %s)",
        type(error).__name__,
        side,
        request.method,
    )
    language = outage_language(request)
    with translation.override(language):
        # No request given: no context processor runs, so nothing here queries.
        body = render_to_string(
            TEMPLATE, {"language": language, "quick_exit_url": settings.QUICK_EXIT_URL}
        )
    response = HttpResponse(body, status=503, content_type="text/html; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Content-Language"] = language
    add_never_cache_headers(response)
    # Logged above, in one line: Django's own log of a 5xx would add the traceback
    # (and e-mail it to ADMINS once per request for as long as the outage lasts).
    response._has_been_logged = True
    return response


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """``handler500``: the 503 page when the database is away, Django's 500 page otherwise."""
    error = sys.exc_info()[1]
    if is_database_outage(error):
        return outage_response(request, error)
    return defaults.server_error(request, template_name=template_name)
