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
MISSING = object()


def recall(name: str) -> object:
    """The value kept under ``name`` since the last public change, or ``MISSING``."""
    if settings.FRAGMENT_CACHE_SECONDS <= 0:
        return MISSING
    return page_cache().get(f"fragment:{current_generation()}:{name}", MISSING)


def keep(name: str, value: object) -> None:
    """Keep ``value`` under ``name`` until the next public change."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds > 0:
        page_cache().set(f"fragment:{current_generation()}:{name}", value, seconds)


def remember(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, or its value kept since the last public change."""
    value = recall(name)
    if value is MISSING:
        value = compute()
        keep(name, value)
    return value
