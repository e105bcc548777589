"""Serve anonymous visitors' public pages from the shared page cache.

A campaign poster shared on social media can bring thousands of visitors in a
few minutes to a two-core school server; rendering the same page for each of
them would queue them all. The first anonymous visitor's page is kept (see
:mod:`page_cache.store`) and the next ones get the stored bytes, with
``Cache-Control``, ``ETag`` and ``Last-Modified`` so that browsers, a CDN or the
caching proxy in ``deploy/`` can keep it too and ask again with a cheap 304.

Never stored or marked public: anything under the admin (the case area lives
there), a visitor with a session or pending messages, a response that sets a
cookie or carries a CSRF token, a signed-in user's page, anything the view
marked private or uncacheable, and any status but 200 and 404 (kept one minute).

Sits after WhiteNoise and before the session middleware, so a stored page is
answered without touching the session, the user or the database. Settings are
read per request so tests can switch the cache on with ``override_settings``.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from config.middleware import is_admin_request
from page_cache.fragments import MISSING, keep, recall
from page_cache.store import (
    STORED_HEADERS,
    StoredPage,
    cache_key,
    etag_for,
    lookup,
    one_generation_per_request,
    page_cache,
)

STORABLE_TYPES = (
    "text/html",
    "text/plain",
    "text/calendar",
    "application/xml",
    "text/xml",
    "application/rss+xml",
    "application/atom+xml",
)
# A response may vary on these and still be stored: the key already holds the
# language, and visitors with a session never reach the store.
HARMLESS_VARY = {"cookie", "accept-language", "accept-encoding"}
UNCACHEABLE_DIRECTIVES = ("private", "no-store", "no-cache", "max-age=0")
MESSAGES_COOKIE = "messages"
NOT_FOUND_SECONDS = 60


def has_private_cookie(request: HttpRequest) -> bool:
    """Whether the visitor has a session or pending messages: their page may be their own."""
    return settings.SESSION_COOKIE_NAME in request.COOKIES or MESSAGES_COOKIE in request.COOKIES


def may_use_cache(request: HttpRequest) -> bool:
    """Whether this request may be answered from, or fill, the shared page cache."""
    return (
        request.method in ("GET", "HEAD")
        and not is_admin_request(request)
        and not has_private_cookie(request)
    )


def is_public_response(request: HttpRequest, response: HttpResponseBase) -> bool:
    """Whether ``response`` is the same for every anonymous visitor, so it may be shared."""
    if response.status_code not in (200, 404) or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False  # the page holds a CSRF token: it belongs to one visitor
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    content_type = response.get("Content-Type", "").split(";")[0].strip().lower()
    if content_type not in STORABLE_TYPES:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(directive in cache_control for directive in UNCACHEABLE_DIRECTIVES):
        return False
    vary = {v.strip().lower() for v in response.get("Vary", "").split(",") if v.strip()}
    return vary <= HARMLESS_VARY


def store_seconds(response: HttpResponseBase) -> int:
    """How long the shared store keeps ``response``: a "not found" only briefly.

    Any address can be asked for, so "not found" pages are kept for a minute at
    most: long enough to absorb a burst for a mistyped link shared on social
    media, too short for made-up addresses to crowd out real pages.
    """
    if response.status_code == 404:
        return min(settings.PAGE_CACHE_SECONDS, NOT_FOUND_SECONDS)
    return settings.PAGE_CACHE_SECONDS


def mark_public(response: HttpResponseBase, etag: str, last_modified: float) -> None:
    """Tell browsers and proxies how long they may keep the page, and how to revalidate it."""
    if "Cache-Control" not in response:
        found = response.status_code == 200
        patch_cache_control(
            response,
            public=True,
            max_age=settings.PAGE_CACHE_MAX_AGE if found else NOT_FOUND_SECONDS,
            s_maxage=settings.PAGE_CACHE_PROXY_MAX_AGE if found else NOT_FOUND_SECONDS,
        )
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)


class PageCacheMiddleware:
    """Answer anonymous GETs from the shared cache; store the public pages it renders."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if not may_use_cache(request):
            return self.get_response(request)
        with one_generation_per_request():
            return self.answer(request)

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        """The stored page, or the page rendered now (and stored when it is public)."""
        key, generation = None, ""
        if settings.PAGE_CACHE_SECONDS > 0:
            # The generation is read before rendering: a page rendered from data
            # that a publish is changing meanwhile is stored as of the old one.
            key = cache_key(request)
            generation, stored = lookup(key)
            if stored is not None:
                return self.replay(request, stored)
        response = self.get_response(request)
        if not is_public_response(request, response):
            return response
        etag, last_modified = etag_for(response.content), time.time()
        mark_public(response, etag, last_modified)
        if key is not None and request.method == "GET":
            stored = StoredPage(
                status=response.status_code,
                headers=[(h, response[h]) for h in STORED_HEADERS if h in response],
                content=response.content,
                etag=etag,
                last_modified=last_modified,
                generation=generation,
            )
            page_cache().set(key, stored, store_seconds(response))
            response["X-Page-Cache"] = "miss"
        return get_conditional_response(
            request, etag=etag, last_modified=int(last_modified), response=response
        )

    def replay(self, request: HttpRequest, stored: StoredPage) -> HttpResponseBase:
        """The stored page, or a 304 when the visitor's copy is still the same."""
        response = HttpResponse(
            b"" if request.method == "HEAD" else stored.content, status=stored.status
        )
        for header, value in stored.headers:
            response[header] = value
        response["Content-Length"] = str(len(stored.content))
        response["ETag"] = stored.etag
        response["Last-Modified"] = http_date(stored.last_modified)
        response["X-Page-Cache"] = "hit"
        return get_conditional_response(
            request, etag=stored.etag, last_modified=int(stored.last_modified), response=response
        )


class KnownSiteMiddleware:
    """Give Wagtail the site of a public request from the kept fragments.

    Wagtail looks the site up by host name on every page (a query, then the
    root page as its own type: about a quarter of rendering a plan page). The
    answer changes only when a site or page is edited, which starts a new
    generation (:mod:`page_cache.fragments`), so it is kept like any fragment:
    handed to Wagtail when kept, and kept after a request in which Wagtail
    looked it up. Nothing here touches the database before the view runs, so
    ``/healthz`` still answers 503 by itself when the database is down. The host
    is checked against ``ALLOWED_HOSTS`` first, so a made-up Host header cannot
    fill the cache. Placed after ``PageCacheMiddleware``: a stored page needs no
    site at all.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.method not in ("GET", "HEAD") or is_admin_request(request):
            return self.get_response(request)
        # What is kept after the view is kept under the generation read before it.
        with one_generation_per_request():
            return self.answer(request)

    def answer(self, request: HttpRequest) -> HttpResponseBase:
        name = f"site-for:{request.get_host()}:{request.get_port()}"
        kept = recall(name)
        if kept is not MISSING:
            request._wagtail_site = kept
        response = self.get_response(request)
        if kept is MISSING and hasattr(request, "_wagtail_site"):
            site = request._wagtail_site
            try:
                if site is not None:
                    site.root_page.specific  # noqa: B018 (kept with the site)
                keep(name, site)
            except DatabaseError:
                pass  # the page has been answered; the next request tries again
        return response
