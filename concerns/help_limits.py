"""How much the public help channel takes from one address, and from all for one school.

Counted in the shared cache (Redis in production, so every worker sees the same
counts; ``HELP_CHANNEL_CACHE_ALIAS``, "default" unless set) in fixed windows. An
address is counted by a keyed hash, never written down as it is. Over a limit, the
gateway refuses with :class:`OverLimit` and nothing is stored; under it, every post
is stored (what looks like spam is set aside for a person, not dropped).

While Redis is unreachable the counts are kept in this process's memory instead
(:func:`_cache`), not dropped and not refused: a frightened pupil's message must
reach a person whatever the state of the cache, and refusing everyone (failing
closed) would silence exactly the child the channel is for. Each worker then counts
on its own, so a flood gets the limits once per worker (a few times more, still
bounded) until Redis is back; one pupil's few tries stay far below them.
"""

import hashlib
import hmac
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

from config.cache import is_reachable

T = TypeVar("T")


@dataclass(frozen=True)
class Limit:
    """At most ``count`` events in each window of ``seconds``."""

    name: str
    count: int
    seconds: int


def _setting(name: str, default: tuple[int, int]) -> Limit:
    count, seconds = getattr(settings, name, default)
    return Limit(name.lower(), count, seconds)


def post_limits() -> tuple[Limit, ...]:
    # A child may need a few tries to say it right; a flood needs many more.
    return (
        _setting("HELP_CHANNEL_POSTS_PER_ADDRESS", (5, 10 * 60)),
        _setting("HELP_CHANNEL_POSTS_PER_ADDRESS_DAY", (20, 24 * 60 * 60)),
    )


def school_limit() -> Limit:
    # Generous: a whole school writing after an incident is not a flood.
    return _setting("HELP_CHANNEL_POSTS_PER_SCHOOL", (300, 60 * 60))


def reply_limit() -> Limit:
    return _setting("HELP_CHANNEL_REPLIES_PER_ADDRESS", (20, 60 * 60))


def wrong_secret_limits() -> tuple[Limit, ...]:
    """Wrong code or phrase: per address, and per code (guessing one known code's phrase)."""
    return (
        _setting("HELP_CHANNEL_WRONG_PER_ADDRESS", (10, 15 * 60)),
        _setting("HELP_CHANNEL_WRONG_PER_CODE", (10, 60 * 60)),
    )


class OverLimit(Exception):
    """Too many requests: the visitor is asked to wait (HTTP 429), nothing is stored."""

    def __init__(self, retry_after: int) -> None:
        super().__init__("over the help channel's limit")
        self.retry_after = retry_after


# This process's counts while the shared cache is unreachable (see the module's docstring).
_while_unreachable = LocMemCache(
    "help-limits-while-redis-is-away", {"OPTIONS": {"MAX_ENTRIES": 10_000}}
)


def _in_cache(operation: Callable[[BaseCache], T]) -> T:
    """``operation`` on the shared cache, or on this process's while it is unreachable,
    including when the call itself is the one that finds it gone."""
    shared = caches[getattr(settings, "HELP_CHANNEL_CACHE_ALIAS", "default")]
    if is_reachable(shared):
        result = operation(shared)
        if is_reachable(shared):
            return result
    return operation(_while_unreachable)


def subject(kind: str, value: str) -> str:
    """A cache-key-safe, keyed name for an address, a school or a code."""
    key = (settings.SECRET_KEY or "").encode("utf-8")
    digest = hmac.new(key, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
    return f"{kind}:{digest[:32]}"


def _key(limit: Limit, who: str, now: float) -> tuple[str, int]:
    window = int(now // limit.seconds)
    retry_after = int((window + 1) * limit.seconds - now) + 1
    return f"help-limit:{limit.name}:{who}:{window}", retry_after


def over(limit: Limit, who: str) -> int | None:
    """Seconds to wait if ``who`` has used up ``limit`` in this window, else None."""
    key, retry_after = _key(limit, who, time.time())
    used = _in_cache(lambda cache: cache.get(key, 0))
    return retry_after if used >= limit.count else None


def count(limit: Limit, who: str) -> int:
    """Count one event of ``who`` against ``limit``; the count so far in this window.

    ``add`` then ``incr``: atomic on Redis, so concurrent workers never both get the
    last place.
    """
    key, retry_after = _key(limit, who, time.time())

    def add_one(cache: BaseCache) -> int:
        if cache.add(key, 1, retry_after + 1):
            return 1
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, retry_after + 1)
            return 1

    return _in_cache(add_one)


def check(*pairs: tuple[Limit, str]) -> None:
    """Raise :class:`OverLimit` if any (limit, who) is used up; count nothing."""
    waits = [wait for limit, who in pairs if (wait := over(limit, who)) is not None]
    if waits:
        raise OverLimit(max(waits))


def take(*pairs: tuple[Limit, str]) -> None:
    """Count one event against each (limit, who) in order; raise :class:`OverLimit` at
    the first one used up, without counting against the ones after it.

    So an address flooding the channel is stopped by its own limit and never uses up
    the school's, which other senders share.
    """
    for limit, who in pairs:
        if count(limit, who) > limit.count:
            _, retry_after = _key(limit, who, time.time())
            raise OverLimit(retry_after)
