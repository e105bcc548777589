"""One run at a time across every node: a PostgreSQL advisory lock around a periodic job.

Each app node runs the same timers (``publish_scheduled`` every minute, the
deadline alerts, the audit anchor). Two runs started at the same moment on two
nodes would both read the same work and both do it: a scheduled page was
published twice, with two entries in its history. ``single_run`` makes the
second run wait until the first has finished and committed, so it then finds
nothing left to do. The lock belongs to the database connection, so a node that
dies mid-run releases it with its connection.

On SQLite (one machine, one writer at a time) there is no second node, and no lock.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from django.db import DatabaseError, connections


def lock_id(name: str) -> int:
    """A stable signed 64-bit number for ``name``, as PostgreSQL's advisory locks take."""
    return int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big", signed=True)


@contextmanager
def single_run(name: str, using: str = "default") -> Iterator[None]:
    """Run the block while no other process runs a block of the same ``name``; wait for it."""
    connection = connections[using]
    if connection.vendor != "postgresql":
        yield
        return
    key = lock_id(name)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", [key])
    try:
        yield
    finally:
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])
        except DatabaseError:
            # The connection was lost (the database restarted): the lock went with it,
            # and the error that matters is the one the block raised, if any.
            pass
