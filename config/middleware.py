"""Project-wide middleware: language choice, security headers, no caching of staff pages."""

from collections.abc import Callable
from dataclasses import asdict
from functools import cache

from csp.constants import HEADER
from csp.middleware import CheckableLazyObject, CSPMiddleware, PolicyParts
from csp.utils import build_policy, default_config
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_cache_control, patch_vary_headers


class PreferredLanguageMiddleware:
    """Serve Vietnamese unless the visitor chose another language.

    Django's ``LocaleMiddleware`` follows the browser's Accept-Language, so a
    teacher whose phone is set to English would get English pages without asking.
    Here only an explicit choice (the language cookie set by ``set_language``)
    switches away from ``LANGUAGE_CODE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        patch_vary_headers(response, ["Cookie"])
        response.headers.setdefault("Content-Language", language)
        return response


@cache
def admin_prefix() -> str:
    """The path every Wagtail admin URL (and so the whole case area) starts with."""
    return reverse("wagtailadmin_home")


def is_admin_request(request: HttpRequest) -> bool:
    """Whether the request is for the staff side: the Wagtail admin and the case area."""
    return request.path.startswith(admin_prefix())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with the looser admin policy under the admin's path.

    The public site needs no inline script or style, so it gets the strict
    ``CONTENT_SECURITY_POLICY``. Wagtail's admin still writes inline scripts
    (date pickers, inline panels, chooser modals) and inline styles, so it gets
    ``CONTENT_SECURITY_POLICY_ADMIN``. django-csp 4 changes a policy per view only
    through decorators, which cannot reach Wagtail's own views; choosing by path
    here covers all of them. A view's own ``@csp_replace``/``@csp`` still wins.
    A page preview gets the public policy, which the admin may frame.
    """

    # (policy settings object, header) per side, so the header string is built once
    # rather than on every response; a changed setting (tests) is noticed by identity.
    _built: dict[bool, tuple[object, str]] = {}

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        """Set the prebuilt policy when nothing about this response changes it.

        Building the header from the settings costs about as much as answering a
        page from the page cache, on every response. Anything unusual (a view's
        own policy, a nonce, a preview, a report-only policy, excluded prefixes,
        DEBUG error pages) goes the general way.
        """
        if (
            HEADER in response
            or getattr(request, "_csp_nonce", None) is not None
            or getattr(request, "is_dummy", False)
            or any(
                hasattr(response, name)
                for name in ("_csp_config", "_csp_update", "_csp_replace", "_csp_exempt")
            )
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (settings.CONTENT_SECURITY_POLICY or {}).get("EXCLUDE_URL_PREFIXES")
            or settings.DEBUG
        ):
            return super().process_response(request, response)
        admin = is_admin_request(request)
        policy = (
            settings.CONTENT_SECURITY_POLICY_ADMIN if admin else settings.CONTENT_SECURITY_POLICY
        )
        built = self._built.get(admin)
        if built is None or built[0] is not policy:
            built = (policy, build_policy(**asdict(self.get_policy_parts(request, response))))
            self._built[admin] = built
        if built[1]:
            response[HEADER] = built[1]
        # As django-csp does: a nonce asked for after the header is written is an error.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only:
            return parts
        if parts.config is None and is_admin_request(request):
            parts.config = default_config(settings.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"])
        elif getattr(request, "is_dummy", False):
            # Wagtail renders a page preview by running the middleware on a dummy
            # request for the page's public path: the public policy, as on the live
            # site, except that the admin's preview panel may frame it.
            parts.replace = {**(parts.replace or {}), "frame-ancestors": ["'self'"]}
        return parts


class PermissionsPolicyMiddleware:
    """Send ``Permissions-Policy`` (``settings.PERMISSIONS_POLICY``) on every response.

    Neither the site nor the admin uses the camera, microphone or location; saying
    so means an injected script or embedded frame cannot ask a pupil for them.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.header = ", ".join(
            f"{feature}=({' '.join(allow)})"
            for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.header:
            response.headers.setdefault("Permissions-Policy", self.header)
        return response


class NoStoreForStaffMiddleware:
    """Keep every page a signed-in user sees, and every admin response, out of caches.

    A case page, a printed record or a downloaded file left in a shared computer's
    browser cache (or a proxy's) can be read by the next person at the keyboard.
    Wagtail marks most admin views ``never_cache`` already; this covers the rest,
    downloads and PDFs included, and a signed-in editor's view of public pages.
    Must come after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if is_admin_request(request) or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
            response.headers["Pragma"] = "no-cache"
            patch_vary_headers(response, ["Cookie"])
        return response


class MalformedFormDataMiddleware:
    """A POST whose fields a form widget cannot read is the sender's mistake: 400, not 500.

    Browsers always send what Wagtail's widgets wrote (a StreamField's ``body-count``,
    a formset's totals), but a hand-made or truncated request may not, and Wagtail's
    widgets then raise ``KeyError`` or ``ValueError`` while reading the data. Only an
    exception raised inside a ``value_from_datadict`` is answered this way; any other
    error is still a server error, reported as such.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if request.method != "POST" or not isinstance(
            exception, KeyError | ValueError | IndexError | TypeError
        ):
            return None
        frame = exception.__traceback__
        while frame is not None:
            if frame.tb_frame.f_code.co_name == "value_from_datadict":
                from django.views.defaults import bad_request

                return bad_request(request, exception, template_name="400.html")
            frame = frame.tb_next
        return None
