"""The pieces of bench/cluster.py's faults: a load loop that counts what users saw, and an
SMTP sink that can hold a message's DATA while the task worker is killed.

A fault is judged by what a visitor or a recipient notices, so the loop records every
answer with its time (status, which 503: the node's own page or the front's, or the
socket error), and the sink counts the messages it acknowledged: a message whose DATA
was held and never acknowledged was not sent, as far as the sender can know.
"""

from __future__ import annotations

import contextlib
import http.client
import itertools
import socket
import socketserver
import threading
import time
from collections import Counter
from dataclasses import dataclass, field

# Sent with every request of a loop, so each misses every cache and reaches a node.
FAULT_PARAM = "bench_fault"


@dataclass(frozen=True)
class Target:
    """One URL of a loop and the status it answers when all is well."""

    host: str
    path: str
    expect: int = 200
    cookie: str = ""


@dataclass
class LoopResult:
    """What the loop saw: each answer's outcome by second, and when the fault began."""

    threads: int
    fault_at: float = 0.0
    answers: list[tuple[float, str]] = field(default_factory=list)

    def after_fault(self) -> list[tuple[float, str]]:
        return [(t, o) for t, o in self.answers if t >= self.fault_at]

    @property
    def total(self) -> int:
        return len(self.answers)

    @property
    def errors(self) -> int:
        return sum(1 for _t, outcome in self.answers if outcome != "ok")

    def outcomes(self) -> Counter:
        return Counter(outcome for _t, outcome in self.answers)

    def recovery_s(self) -> float:
        """Seconds from the fault to the last wrong answer (0 when there was none)."""
        wrong = [t for t, outcome in self.after_fault() if outcome != "ok"]
        return max(wrong) - self.fault_at if wrong else 0.0

    def describe(self) -> str:
        counts = self.outcomes()
        parts = [f"{n}× {name}" for name, n in sorted(counts.items()) if name != "ok"]
        return ", ".join(parts) or "none"


def classify(status: int, headers: http.client.HTTPMessage, expect: int) -> str:
    """``ok``, or what went wrong in words a reader of the report can tell apart."""
    if status == expect:
        return "ok"
    if status == 503:
        if headers.get("X-Front-Error"):
            return "503 front (no node)"
        if headers.get("Retry-After"):
            return "503 site page"
        return "503 other"
    return str(status)


class LoadLoop:
    """``threads`` clients sending GETs in turn over ``targets`` until stopped.

    Each request carries a new ``bench_fault`` value, so no cache answers it: the loop
    measures the nodes, the database and Redis behind the front, not the front's store.
    """

    def __init__(self, port: int, targets: list[Target], threads: int = 8) -> None:
        self.port = port
        self.targets = targets
        self.result = LoopResult(threads=threads)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        self._counter = itertools.count()
        self._started = 0.0

    def now(self) -> float:
        return time.monotonic() - self._started

    def __enter__(self) -> LoadLoop:
        self._started = time.monotonic()
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def mark_fault(self) -> None:
        self.result.fault_at = self.now()

    def _run(self) -> None:
        while not self._stop.is_set():
            n = next(self._counter)
            target = self.targets[n % len(self.targets)]
            sep = "&" if "?" in target.path else "?"
            path = f"{target.path}{sep}{FAULT_PARAM}={n}"
            headers = {"Host": target.host, "Accept-Encoding": "gzip"}
            if target.cookie:
                headers["Cookie"] = target.cookie
            conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            try:
                conn.request("GET", path, headers=headers)
                response = conn.getresponse()
                response.read()
                outcome = classify(response.status, response.headers, target.expect)
            except (OSError, http.client.HTTPException) as error:
                outcome = f"socket {type(error).__name__}"
                time.sleep(0.05)  # a refused connection returns at once: do not spin
            finally:
                conn.close()
            self.result.answers.append((self.now(), outcome))


def wait_until(predicate, timeout: float, interval: float = 0.2) -> float | None:
    """Seconds until ``predicate()`` is true, or None after ``timeout``."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        with contextlib.suppress(Exception):
            if predicate():
                return time.monotonic() - started
        time.sleep(interval)
    return None


# SMTP sink --------------------------------------------------------------------------------


class SmtpSink:
    """A minimal SMTP server on loopback that counts the messages it acknowledged.

    With ``hold_next`` set, it reads the next message's DATA to the end and then does not
    answer, until the connection is dropped (the sender killed): ``holding`` is set
    while it waits. Such a message is counted as held, not as received.
    """

    def __init__(self) -> None:
        self.received: list[bytes] = []
        self.held = 0
        self.hold_next = False
        self.holding = threading.Event()
        sink = self

        class Handler(socketserver.StreamRequestHandler):
            timeout = 120

            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 bench-sink ESMTP")
                while True:
                    line = self.rfile.readline()
                    if not line:
                        return
                    verb = line.strip().split(b" ", 1)[0].upper()
                    if verb in {b"EHLO", b"HELO"}:
                        self.reply("250 bench-sink")
                    elif verb in {b"MAIL", b"RCPT", b"RSET", b"NOOP"}:
                        self.reply("250 OK")
                    elif verb == b"DATA":
                        self.reply("354 go on")
                        body = []
                        while (chunk := self.rfile.readline()) not in {b".\r\n", b""}:
                            body.append(chunk)
                        if sink.hold_next:
                            sink.hold_next = False
                            sink.held += 1
                            sink.holding.set()
                            # Never answer: wait until the sender goes away.
                            with contextlib.suppress(OSError):
                                while self.connection.recv(1024):
                                    pass
                            return
                        sink.received.append(b"".join(body))
                        self.reply("250 queued")
                    elif verb == b"QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("250 OK")

        class Server(socketserver.ThreadingTCPServer):
            daemon_threads = True
            allow_reuse_address = True

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> SmtpSink:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def count(self, marker: bytes) -> int:
        return sum(1 for body in self.received if marker in body)


def port_open(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1):
        return True
    return False
