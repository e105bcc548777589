"""Where rendered public pages are kept, and how a stale one is recognised.

Every gunicorn worker is its own process, so the store is a Django cache that
all of them share (``CACHES["pages"]``: files on disk by default, Redis when
``CACHE_URL`` names it). A per-process memory cache would let one worker go on
serving a page that another worker's publish has changed.

Nothing is deleted on a change. Each entry carries the site's *generation* at
the time it was rendered, a random token kept in the same cache; a change to
anything a public page shows (see :mod:`page_cache.invalidation`) replaces the
token, so every worker's next lookup finds its entry stale at once and renders
afresh. Listing
pages show other pages' titles, every page shows the hotlines and the school's
name, so working out which pages one change touches would be fragile; a whole
new generation is always right and publishing is rare.

The key also carries the local date, because a campaign's "running" or "ended"
badge follows the calendar, not an edit.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.http import HttpRequest
from django.utils import timezone

from config.cache import set_confirmed

GENERATION_KEY = "page-cache:generation"
# A generation made up for one request while the cache cannot be read: it matches no
# stored page and no kept fragment.
UNREACHABLE_PREFIX = "unreachable-"

# Response headers worth replaying from a stored page. Set-Cookie is never kept:
# a stored page must not hand one visitor's cookie to the next.
STORED_HEADERS = (
    "Content-Type",
    "Content-Language",
    "Cache-Control",
    "Vary",
    "X-Frame-Options",
    "Link",
)


@dataclass
class StoredPage:
    """A rendered response, reduced to what is safe and needed to send it again."""

    status: int
    headers: list[tuple[str, str]]
    content: bytes
    etag: str
    last_modified: float
    generation: str = ""


def page_cache() -> BaseCache:
    """The cache shared by every worker that holds the pages and the generation."""
    return caches[settings.PAGE_CACHE_ALIAS]


# Within one public request the generation is read once (see one_generation_per_request):
# the stored page and every fragment it uses then come from the same snapshot, and a
# Redis round trip is not repeated for each fragment.
_request_generation: ContextVar[list[str] | None] = ContextVar(
    "page_cache_generation", default=None
)


@contextmanager
def one_generation_per_request() -> Iterator[None]:
    """Read the generation at most once while this block (one request) runs."""
    token = _request_generation.set([])
    try:
        yield
    finally:
        _request_generation.reset(token)


def current_generation() -> str:
    """The token that stored pages must carry to be served; made on first use."""
    memo = _request_generation.get()
    if memo:
        return memo[0]
    store = page_cache()
    generation = store.get(GENERATION_KEY)
    if generation is None:
        store.add(GENERATION_KEY, uuid.uuid4().hex, timeout=None)
        generation = store.get(GENERATION_KEY)
    if generation is None:
        # Redis is unreachable (config.cache): a token of this request alone, so that
        # nothing is served from, or kept for later under, a generation nobody knows.
        generation = UNREACHABLE_PREFIX + uuid.uuid4().hex
    if memo is not None:
        memo.append(generation)
    return generation


def new_generation() -> str | None:
    """Make every stored page stale, in every worker, from the next request on.

    None when the cache could not keep it (Redis unreachable): the caller must see
    that the change is made up later (:mod:`page_cache.invalidation`).
    """
    generation = uuid.uuid4().hex
    stored = set_confirmed(page_cache(), GENERATION_KEY, generation, timeout=None)
    memo = _request_generation.get()
    if memo is not None:
        memo.clear()
    return generation if stored else None


def language_for(request: HttpRequest) -> str:
    """The language the page will be rendered in (as PreferredLanguageMiddleware chooses)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    supported = {code for code, _name in settings.LANGUAGES}
    return chosen if chosen in supported else settings.LANGUAGE_CODE


def cache_key(request: HttpRequest) -> str:
    """The key of ``request``'s page: date, language, host and full path.

    The path is hashed so any query string makes a key every backend accepts.
    The generation is not in the key but in the stored entry, so that one
    ``get_many`` (a single round trip to Redis) brings both.
    """
    place = f"{request.get_host()}\n{request.get_full_path()}"
    digest = hashlib.sha256(place.encode("utf-8", "surrogateescape")).hexdigest()
    today = timezone.localdate().isoformat()
    return f"page-cache:{today}:{language_for(request)}:{digest}"


def lookup(key: str) -> tuple[str, StoredPage | None]:
    """The current generation, and the page stored under ``key`` if it is of that generation.

    The generation becomes this request's (see :func:`one_generation_per_request`).
    """
    found = page_cache().get_many([GENERATION_KEY, key])
    generation = found.get(GENERATION_KEY)
    if generation is None:
        generation = current_generation()
    memo = _request_generation.get()
    if memo is not None and not memo:
        memo.append(generation)
    stored = found.get(key)
    if isinstance(stored, StoredPage) and getattr(stored, "generation", None) == generation:
        return generation, stored
    return generation, None


def etag_for(content: bytes) -> str:
    """A strong validator for exactly these bytes."""
    return '"' + hashlib.blake2b(content, digest_size=16).hexdigest() + '"'
