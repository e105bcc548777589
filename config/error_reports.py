"""What a server-error report (the ADMINS e-mail, the log) may say about a request.

Django's reports carry the request's POST data, query string, cookies, every
local variable of every frame and the exception's message. On the staff side
those are a child's name, story and answers, which must never leave the
database in clear text: an e-mail sits in mailboxes for years. For a staff
request (anything under the admin's path, where the case area lives, or a view
marked ``sensitive_post_parameters()`` as a whole) the report keeps only what
finds the bug: the exception's type, the file, line and function of each frame,
the path and the user. Case-data keys are masked on every report.
"""

import logging
import re
import traceback
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from django.http import HttpRequest
from django.views.debug import ExceptionReporter, SafeExceptionReporterFilter

from config.middleware import is_admin_request

CLEANSED = SafeExceptionReporterFilter.cleansed_substitute
HIDDEN_MESSAGE = "[message hidden: staff-area errors may quote case data]"
# request.META entries that repeat the query string, the previous URL (with its
# query) or the CSRF secret.
STAFF_HIDDEN_META = {"QUERY_STRING", "HTTP_REFERER", "REQUEST_URI", "RAW_URI"}
ALWAYS_HIDDEN_META = {"CSRF_COOKIE"}


def is_staff_request(request: HttpRequest | None) -> bool:
    """Whether the request belongs to the staff side, whose data reports must not show."""
    if request is None:
        return False
    return (
        is_admin_request(request)
        or getattr(request, "sensitive_post_parameters", None) == "__ALL__"
    )


class CaseSafeExceptionReporterFilter(SafeExceptionReporterFilter):
    """Hide all POST values, frame variables, cookies and query of a staff request.

    Like Django's filter it acts only with ``DEBUG`` off (production and tests);
    a developer's machine holds demo data only.
    """

    hidden_settings = re.compile(
        "API|AUTH|TOKEN|KEY|SECRET|PASS|SIGNATURE|HTTP_COOKIE|CASE_ENCRYPTION_KEYS|CASE_INDEX_KEY",
        flags=re.I,
    )

    def hides(self, request: HttpRequest | None) -> bool:
        return self.is_active(request) and is_staff_request(request)

    def get_post_parameters(self, request: HttpRequest | None) -> Any:
        if request is not None and self.hides(request):
            return {key: CLEANSED for key in request.POST}
        return super().get_post_parameters(request)

    def get_cleansed_multivaluedict(self, request: HttpRequest, multivaluedict: Any) -> Any:
        if self.hides(request):
            return {key: CLEANSED for key in multivaluedict}
        return super().get_cleansed_multivaluedict(request, multivaluedict)

    def get_traceback_frame_variables(self, request: HttpRequest, tb_frame: Any) -> Any:
        if self.hides(request):
            return [(name, CLEANSED) for name in tb_frame.f_locals]
        return super().get_traceback_frame_variables(request, tb_frame)

    def get_safe_cookies(self, request: HttpRequest) -> dict:
        """No cookie value, on any request: they are sign-in and CSRF secrets."""
        if self.is_active(request) and hasattr(request, "COOKIES"):
            return {key: CLEANSED for key in request.COOKIES}
        return super().get_safe_cookies(request)

    def get_safe_request_meta(self, request: HttpRequest) -> dict:
        meta = super().get_safe_request_meta(request)
        if not self.is_active(request):
            return meta
        hidden = ALWAYS_HIDDEN_META | (STAFF_HIDDEN_META if self.hides(request) else set())
        return {key: CLEANSED if key in hidden else value for key, value in meta.items()}


class CaseSafeExceptionReporter(ExceptionReporter):
    """Django's report, minus the parts the filter cannot reach on a staff request.

    The filter never sees the query string, the uploaded files' names, the
    exception's message (``ValidationError``, ``KeyError`` and database errors
    quote the values they choke on) or a template error's excerpt.
    """

    def get_traceback_data(self) -> dict:
        data = super().get_traceback_data()
        if not (self.request is not None and self.filter.hides(self.request)):
            return data
        request = self.request
        data["request_GET_items"] = [(key, CLEANSED) for key in request.GET]
        data["request_FILES_items"] = [(key, CLEANSED) for key in request.FILES]
        parts = urlsplit(data.get("request_insecure_uri", ""))
        data["request_insecure_uri"] = urlunsplit((*parts[:3], "", ""))
        if "exception_value" in data:
            data["exception_value"] = HIDDEN_MESSAGE
        data.pop("exception_notes", None)
        data["unicode_hint"] = ""
        data["template_info"] = None
        for frame in data["frames"]:
            if frame.get("exc_cause") is not None:
                frame["exc_cause"] = f"{type(frame['exc_cause']).__name__}: {HIDDEN_MESSAGE}"
        return data


def redacted_traceback(exc_info: tuple[type[BaseException], BaseException, TracebackType]) -> str:
    """The traceback's frames and the exception's type, without any message."""
    exc_type, _exc, tb = exc_info
    frames = "".join(traceback.format_list(traceback.extract_tb(tb)))
    return f"Traceback (most recent call last):\n{frames}{exc_type.__qualname__}: {HIDDEN_MESSAGE}"


class RedactStaffExceptions(logging.Filter):
    """Log a staff request's exception without its message.

    Attached to a handler that writes the formatted record (the console, a log
    file); it fills the record's cached traceback text, which formatters use
    instead of formatting ``exc_info`` again. The ADMINS e-mail builds its own
    report from ``exc_info`` through ``CaseSafeExceptionReporter``.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        request = getattr(record, "request", None)
        if record.exc_info and isinstance(request, HttpRequest) and is_staff_request(request):
            record.exc_text = redacted_traceback(record.exc_info)
        return True
