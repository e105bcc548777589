"""A redis-server of a test's own, to stop, cut off and bring back.

The shared Redis at 127.0.0.1:6379 serves everyone's tests and must never be stopped,
so tests of an outage start their own on a free port, without persistence. Skipped
where redis-server is not installed; under CI=true (where it is) that fails instead.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator

import pytest

START_TIMEOUT = 10
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


def redis_server_binary() -> str:
    """The path of redis-server, or skip (fail under CI=true) without it."""
    found = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if os.path.exists("/usr/bin/redis-server") else None
    )
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail("redis-server is required under CI=true and is not installed")
        pytest.skip("redis-server is not installed (under CI=true this fails instead)")
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """One redis-server process on ``port``: ``stop`` kills it (data gone), ``start``
    starts it again on the same port; ``cut`` and ``mend`` freeze and thaw it, which
    clients see as a network cut (connections hang until their timeout) after which
    Redis still holds its data."""

    def __init__(self, binary: str, port: int) -> None:
        self.binary = binary
        self.port = port
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", "127.0.0.1", *NO_PERSISTENCE],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.settimeout(0.5)
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signal.SIGCONT)
                self.process.kill()
            self.process.wait()
            self.process = None

    def cut(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGSTOP)

    def mend(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGCONT)


@contextlib.contextmanager
def own_redis_server() -> Iterator[RedisServer]:
    """A started server of this test's own, killed afterwards whatever happened."""
    server = RedisServer(redis_server_binary(), free_port())
    server.start()
    try:
        yield server
    finally:
        server.stop()
