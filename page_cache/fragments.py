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

Each process also keeps a copy of the fragments it has read, for the current
generation only (:class:`LocalCopies`): a public page reads five or six of them,
and each read from Redis was a round trip of 0.3 to 0.8 ms on the province bench,
a fifth of an uncached page. The generation is still read from Redis once per
request, so a change made through any node is seen by every process at its next
request, as before. The copies are kept pickled and unpickled for each use, so no
request can change what another one gets; a value that nobody changes (a tuple of
tuples) can be asked for ``shared``, unpickled once per generation and the same object
then given to every request: the province's thousand site roots took 5 ms to unpickle.

While Redis is unreachable each request has a generation of its own, and nothing is
kept for another; but recomputing every fragment on every request (the site roots
alone, 170 ms for a province) made the nodes too slow to answer the front's health
probes. So during an outage a process keeps its copies for :data:`OUTAGE_SECONDS`:
a change made meanwhile shows within those seconds instead of at once.
"""

from __future__ import annotations

import pickle
import threading
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings

from page_cache.store import UNREACHABLE_PREFIX, current_generation, page_cache

T = TypeVar("T")
MISSING = object()
# How long a process keeps its copies while Redis is unreachable (module docstring).
OUTAGE_SECONDS = 5
_OUTAGE = "outage"


class LocalCopies:
    """This process's pickled copies of the fragments of one generation.

    Emptied when the generation changes, and when the copies pass ``limit_bytes``
    (a worker's memory stays bounded whatever the number of schools); each copy
    lasts no longer than the shared one (``FRAGMENT_CACHE_SECONDS``).
    """

    def __init__(self, limit_bytes: int = 16 * 1024 * 1024) -> None:
        self.limit_bytes = limit_bytes
        self._lock = threading.Lock()
        self._generation = ""
        # name: (expiry, pickled value, the value unpickled once if asked for shared)
        self._copies: dict[str, tuple[float, bytes, object]] = {}
        self._size = 0

    def get(self, generation: str, name: str, *, shared: bool = False) -> object:
        if generation.startswith(UNREACHABLE_PREFIX):
            generation = _OUTAGE
        with self._lock:
            kept = self._copies.get(name) if generation == self._generation else None
        if kept is None or kept[0] < time.monotonic():
            return MISSING
        expires, data, value = kept
        if not shared:
            return pickle.loads(data)
        if value is MISSING:
            value = pickle.loads(data)
            with self._lock:
                if self._copies.get(name) is kept:
                    self._copies[name] = (expires, data, value)
        return value

    def put(
        self, generation: str, name: str, value: object, seconds: int, *, shared: bool = False
    ) -> None:
        if generation.startswith(UNREACHABLE_PREFIX):
            # A token of one request: kept for a few seconds under the outage's own.
            generation, seconds = _OUTAGE, min(seconds, OUTAGE_SECONDS)
        data = pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            if generation != self._generation or self._size + len(data) > self.limit_bytes:
                self._copies.clear()
                self._size = 0
                self._generation = generation
            self._copies[name] = (time.monotonic() + seconds, data, value if shared else MISSING)
            self._size += len(data)


local_copies = LocalCopies()


def recall(name: str, *, shared: bool = False) -> object:
    """The value kept under ``name`` since the last public change, or ``MISSING``.

    ``shared``: the same object for every request of this process (see the module
    docstring); only for values nobody changes.
    """
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds <= 0:
        return MISSING
    generation = current_generation()
    value = local_copies.get(generation, name, shared=shared)
    if value is MISSING:
        value = page_cache().get(f"fragment:{generation}:{name}", MISSING)
        if value is not MISSING:
            local_copies.put(generation, name, value, seconds, shared=shared)
    return value


def keep(name: str, value: object, *, shared: bool = False) -> None:
    """Keep ``value`` under ``name`` until the next public change (``shared``: see
    :func:`recall`)."""
    seconds = settings.FRAGMENT_CACHE_SECONDS
    if seconds > 0:
        generation = current_generation()
        page_cache().set(f"fragment:{generation}:{name}", value, seconds)
        local_copies.put(generation, name, value, seconds, shared=shared)


def remember(name: str, compute: Callable[[], T], *, shared: bool = False) -> T:
    """``compute()``, or its value kept since the last public change (``shared``: see
    :func:`recall`)."""
    value = recall(name, shared=shared)
    if value is MISSING:
        value = compute()
        keep(name, value, shared=shared)
    return value
