"""Django's Redis cache, made to step aside when Redis goes away.

Everything this site keeps in Redis can be rebuilt from the database: rendered
public pages, fragments, the page-cache generation, the help channel's counts, an
admin search term, a filter's choices. So when Redis is unreachable the site
should carry on slower, not answer 500 (Wagtail's site lookup and our page cache
both read the cache on every public request). :class:`TolerantRedisCache` is
Django 5.2's own ``RedisCache`` (redis-py; written against Django 5.2 and redis-py
8.1, checked by ``tests/config/test_cache.py``) whose operations treat a connection
or timeout error as a miss:

- ``get`` → the default; ``get_many`` → ``{}``; ``has_key`` → False: a miss, so the
  caller computes the value from the database as on a cold cache;
- ``set``, ``set_many``, ``delete_many``, ``clear`` → nothing kept, nothing raised:
  a value not kept is a later miss (``set_many`` returns the keys not kept, as
  Django's contract says);
- ``add``, ``touch``, ``delete`` → False: "not done", which their callers already
  handle; ``add`` saying False is also the safe answer for anyone using it as a lock;
- ``incr``/``decr`` → ``ValueError``, Django's answer for a missing key, which every
  caller of ``incr`` must already handle.

Paying the connect timeout on every call of every request would make a page wait
seconds, so the timeouts are short (:data:`CONNECT_TIMEOUT`, :data:`READ_TIMEOUT`)
and a small circuit breaker per process and server skips Redis entirely for
:data:`BREAKER_SECONDS` after an error. The next call after that pings Redis first;
if it answers, :data:`cache_recovered` is sent *before* the call goes on, so work
missed during the outage (a page-cache generation that could not be bumped: see
``page_cache.invalidation``) is done before anything is read from Redis again. A
receiver that raises keeps the breaker open for another round. One warning is
logged per outage and one line when it ends; they name the server's host, never a
key, a value or a password.

Callers that must know whether a write reached Redis use :func:`set_confirmed`;
those that want another store while Redis is away ask :func:`is_reachable`.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.dispatch import Signal
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

T = TypeVar("T")

# A healthy Redis on the same network answers in about a millisecond; a page
# waiting longer than this is better served from the database.
CONNECT_TIMEOUT = 0.25
# Reads carry whole rendered pages, so they get a little more room than connecting.
READ_TIMEOUT = 0.5
# How long a process leaves Redis alone after an error before trying again.
BREAKER_SECONDS = 5.0

# What counts as "Redis is away" (BusyLoadingError, a Redis still loading its data
# after a restart, is a ConnectionError). Any other Redis error is a bug and raises.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)

# Sent (with ``location``, the server's host as logged) when Redis answers again after
# an outage, before the call that found it goes on. A receiver that raises keeps the
# breaker open, so nothing is read from Redis until the receiver's work is done.
cache_recovered = Signal()


def redact(location: str) -> str:
    """The server as it may be logged: scheme, host, port and database, no password."""
    parts = urlsplit(location)
    if parts.scheme == "unix":
        return f"unix://{parts.path}"
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


class CircuitBreaker:
    """Whether this process should talk to one Redis server now.

    Closed (Redis is used) until a call fails; then open for ``seconds``, during which
    every call is a miss at once; then the first caller probes while the others still
    skip. Shared by every cache alias naming the same server, in every thread.
    """

    def __init__(self, location: str, seconds: float) -> None:
        self.location = location
        self.seconds = seconds
        self.down = False
        self.retry_at = 0.0
        self._lock = threading.Lock()
        self._prober: int | None = None

    def admit(self) -> str:
        """``"use"`` (go ahead), ``"probe"`` (ping first, then recover) or ``"skip"``."""
        if not self.down:
            return "use"
        me = threading.get_ident()
        if self._prober == me:
            return "use"  # a recovery receiver's own calls
        with self._lock:
            if self.down and self._prober is None and time.monotonic() >= self.retry_at:
                self._prober = me
                return "probe"
            return "use" if not self.down else "skip"

    def probing(self) -> bool:
        """Whether this thread's probe is still under way (no call failed since it began)."""
        return self._prober == threading.get_ident()

    def failed(self, error: BaseException) -> None:
        """Open (or keep open) the breaker; warn only when an outage begins."""
        with self._lock:
            began = not self.down
            self.down = True
            self.retry_at = time.monotonic() + self.seconds
            if self._prober == threading.get_ident():
                self._prober = None
        if began:
            logger.warning(
                "Redis at %s is unreachable (%s): pages are served without the cache, "
                "trying again every %s s",
                self.location,
                type(error).__name__,
                self.seconds,
            )

    def recovered(self) -> None:
        """Close the breaker after a probe and its receivers succeeded."""
        with self._lock:
            was_down = self.down
            self.down = False
            self._prober = None
        if was_down:
            logger.warning("Redis at %s answers again: the cache is in use", self.location)


_breakers: dict[tuple[str, ...], CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def breaker_for(servers: Iterable[str], seconds: float = BREAKER_SECONDS) -> CircuitBreaker:
    """The process's breaker for these servers (one for every alias that names them)."""
    key = tuple(servers)
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = CircuitBreaker(redact(key[0]), seconds)
        return breaker


class ReusedClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool.

    Django builds a new ``redis.Redis`` for every cache call, and its constructor
    fills a table of some two hundred reply handlers: a third of a millisecond
    each time, about 2 ms of a public page that reads seven keys (a fifth of it,
    measured with cProfile on the province bench). A ``redis.Redis`` over a pool is
    safe to share between threads; each command takes a connection from the pool.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._clients: dict[int, Any] = {}

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class TolerantRedisCache(RedisCache):
    """``RedisCache`` that answers a miss instead of raising while Redis is unreachable.

    OPTIONS are redis-py's connection options as for ``RedisCache``;
    ``socket_connect_timeout`` and ``socket_timeout`` default to :data:`CONNECT_TIMEOUT`
    and :data:`READ_TIMEOUT`, and ``breaker_seconds`` (ours, not redis-py's) to
    :data:`BREAKER_SECONDS`.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        seconds = float(options.pop("breaker_seconds", BREAKER_SECONDS))
        options.setdefault("socket_connect_timeout", CONNECT_TIMEOUT)
        options.setdefault("socket_timeout", READ_TIMEOUT)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = ReusedClient
        self.breaker = breaker_for(self._servers, seconds)

    def _guard(self, operation: Callable[[], T], fallback: T) -> T:
        admitted = self.breaker.admit()
        if admitted == "skip":
            return fallback
        if admitted == "probe" and not self._probe():
            return fallback
        try:
            return operation()
        except UNREACHABLE as error:
            self.breaker.failed(error)
            return fallback

    def _probe(self) -> bool:
        """Ping; on an answer, let the receivers of :data:`cache_recovered` catch up first."""
        # Any failure, not only a lost connection (a Redis now asking for a password):
        # the server is not usable yet, and the probe must end or no thread tries again.
        try:
            self._cache.get_client(None, write=True).ping()
        except Exception as error:
            self.breaker.failed(error)
            return False
        for receiver, outcome in cache_recovered.send_robust(
            sender=type(self), location=self.breaker.location
        ):
            if isinstance(outcome, BaseException):
                logger.warning(
                    "Redis at %s answers again, but %s could not catch up (%s): "
                    "the cache stays unused for now",
                    self.breaker.location,
                    getattr(receiver, "__qualname__", receiver),
                    type(outcome).__name__,
                )
                self.breaker.failed(outcome)
                return False
        if not self.breaker.probing():
            return False  # a receiver's own call found Redis gone again
        self.breaker.recovered()
        return True

    # Reads: a miss.
    def get(self, key: Any, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: RedisCache.get(self, key, default, version), default)

    def get_many(self, keys: Iterable[Any], version: int | None = None) -> dict[Any, Any]:
        keys = list(keys)
        return self._guard(lambda: RedisCache.get_many(self, keys, version), {})

    def has_key(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: RedisCache.has_key(self, key, version), False)

    # Writes: nothing kept.
    def set(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> None:
        self.set_confirmed(key, value, timeout, version)

    def set_confirmed(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        """``set``, saying whether Redis took the value (False while it is unreachable)."""

        def write() -> bool:
            RedisCache.set(self, key, value, timeout, version)
            return True

        return self._guard(write, False)

    def set_many(
        self, data: dict[Any, Any], timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[Any]:
        return self._guard(lambda: RedisCache.set_many(self, data, timeout, version), list(data))

    def add(
        self, key: Any, value: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None
    ) -> bool:
        return self._guard(lambda: RedisCache.add(self, key, value, timeout, version), False)

    def touch(self, key: Any, timeout: Any = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: RedisCache.touch(self, key, timeout, version), False)

    def delete(self, key: Any, version: int | None = None) -> bool:
        return self._guard(lambda: RedisCache.delete(self, key, version), False)

    def delete_many(self, keys: Iterable[Any], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(lambda: RedisCache.delete_many(self, keys, version), None)

    def clear(self) -> bool:
        return self._guard(lambda: RedisCache.clear(self), False)

    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        missing = object()
        value = self._guard(lambda: RedisCache.incr(self, key, delta, version), missing)
        if value is missing:
            raise ValueError("Key not found (Redis is unreachable).")
        return value


def set_confirmed(cache: BaseCache, key: str, value: Any, timeout: Any = DEFAULT_TIMEOUT) -> bool:
    """Set ``key`` in ``cache``; False only when a tolerant Redis could not keep it."""
    if isinstance(cache, TolerantRedisCache):
        return cache.set_confirmed(key, value, timeout)
    cache.set(key, value, timeout)
    return True


def is_reachable(cache: BaseCache) -> bool:
    """False while ``cache`` is a tolerant Redis whose breaker is open and not yet due
    to try again; True otherwise (so the next call is the one that tries)."""
    if not isinstance(cache, TolerantRedisCache):
        return True
    breaker = cache.breaker
    return not breaker.down or time.monotonic() >= breaker.retry_at
