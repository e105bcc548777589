"""Switch the site's language with a plain link.

Django's ``set_language`` wants a POST with a CSRF token, so every public page
would carry a token of its own and could not be shared from a cache (see
page_cache). A link that sets the language cookie needs no token. The worst a
third-party site could do with it is switch a visitor's language, which the
visitor can switch back with one tap.
"""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET


@require_GET
def choose_language(request: HttpRequest, code: str) -> HttpResponseRedirect:
    """Remember ``code`` as the visitor's language and go back to ``?next=`` on this site."""
    if code not in {language for language, _name in settings.LANGUAGES}:
        raise Http404
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    patch_cache_control(response, no_store=True, private=True)
    return response
