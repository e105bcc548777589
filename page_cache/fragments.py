"""Values computed from public content, kept until that content changes.

Some parts of a public page cost more to build than the rest of it and change
only when something is published: the hotlines of a school, a listing's filter
choices, the menu. :func:`remember` keeps such a value in the shared ``pages``
cache under the current generation (:mod:`page_cache.store`), so the same
change that makes stored pages stale makes these stale too, in every worker,
with no invalidation code of its own. Each value must depend only on published
content (never on the visitor, the request or the date) and be picklable.

``FRAGMENT_CACHE_SECONDS`` = 0 turns it off (the test suite does, since most
tests change content without committing).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from page_cache.store import current_generation, page_cache

T = TypeVar("T")
_MISSING = object()


def remember(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value kept since the last public change."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return compute()
    store = page_cache()
    key = f"fragment:{current_generation()}:{name}"
    value = store.get(key, _MISSING)
    if value is _MISSING:
        value = compute()
        store.set(key, value, seconds)
    return value
