"""Project-wide middleware: language choice, security headers, no caching of staff pages."""

from collections.abc import Callable
from functools import cache

from csp.middleware import CSPMiddleware, PolicyParts
from csp.utils import default_config
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
