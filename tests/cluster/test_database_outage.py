"""PostgreSQL goes away under a live node: the Vietnamese 503 page, then recovery by itself.

The shared PostgreSQL is never restarted: a small TCP proxy in this process stands
between one live node (``deploy/cluster/run-nodes``, one sync gunicorn worker, with
the production ``CONN_MAX_AGE`` and health checks) and the test database. Cutting the
proxy closes every connection and refuses new ones, as a restart or a failover does;
reopening it is the database coming back. The node is never restarted.
"""

from __future__ import annotations

import contextlib
import os
import socket
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
import requests
from django.conf import settings
from django.db import connection

from config.database_outage import RETRY_AFTER_SECONDS
from schools.roles import Role
from tests.cluster.conftest import (
    REDIS_URL,
    Cluster,
    _free_ports,
    _redis_reachable,
    database_url,
    running_nodes,
)
from tests.cluster.test_across_nodes import sign_in
from tests.conftest import build_school, build_staff

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = "Hệ thống đang tạm gián đoạn"
# Searched for while the database is away: a log that quoted the query's parameters
# would show it.
CHILD_NAME = "Lường Thị Bích Ngọc"
# How long the node may take to answer again once the database is back: a bound for
# the test to end, not a speed figure (bench/ measures that).
RECOVERY_BOUND_SECONDS = 30


class CuttableProxy:
    """A TCP proxy to PostgreSQL that can be cut (every connection closed, new ones
    refused) and reopened on the same port."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.port = _free_ports(1)
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._acceptor: threading.Thread | None = None
        self._stop = threading.Event()

    def open(self) -> None:
        self._stop = threading.Event()
        listener = socket.create_server(("127.0.0.1", self.port))
        listener.settimeout(0.2)
        self._acceptor = threading.Thread(
            target=self._accept, args=(listener, self._stop), daemon=True
        )
        self._acceptor.start()

    def cut(self) -> None:
        self._stop.set()
        # The listening socket is closed by its own thread: closed from here while
        # that thread polls it, the port would stay taken until the poll returns.
        if self._acceptor is not None:
            self._acceptor.join()
            self._acceptor = None
        with self._lock:
            sockets, self._sockets = self._sockets, set()
        for sock in sockets:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def _accept(self, listener: socket.socket, stop: threading.Event) -> None:
        with listener:
            while not stop.is_set():
                try:
                    client, _address = listener.accept()
                except TimeoutError:
                    continue
                try:
                    upstream = socket.create_connection(self.target, timeout=5)
                except OSError:
                    client.close()
                    continue
                upstream.settimeout(None)
                client.settimeout(None)
                with self._lock:
                    self._sockets.update((client, upstream))
                for source, sink in ((client, upstream), (upstream, client)):
                    threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        for sock in (source, sink):
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)


@pytest.fixture(scope="module")
def proxy(django_db_setup) -> CuttableProxy:
    if connection.vendor != "postgresql":
        pytest.skip("the outage is a PostgreSQL server's (SQLite has no server to lose)")
    db = connection.settings_dict
    proxy = CuttableProxy((db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432)))
    proxy.open()
    yield proxy
    proxy.cut()


@pytest.fixture(scope="module")
def cluster(proxy, django_db_blocker) -> Cluster:
    """One live node whose every database connection goes through ``proxy``, keeping
    connections as in production (CONN_MAX_AGE 60, health checks on), with this
    process's settings."""
    if not _redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required under CI=true and is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379 (under CI=true this fails instead)")
    parts = urlsplit(database_url())
    auth = parts.netloc.rpartition("@")[0]
    through_proxy = urlunsplit(
        parts._replace(
            netloc=f"{auth}@127.0.0.1:{proxy.port}" if auth else f"127.0.0.1:{proxy.port}"
        )
    )
    with running_nodes(
        REDIS_URL,
        nodes=1,
        DJANGO_SETTINGS_MODULE=settings.SETTINGS_MODULE,
        DATABASE_URL=through_proxy,
        DATABASE_CONN_MAX_AGE="60",
        # Every page from the database, so the outage shows on each request.
        PAGE_CACHE_SECONDS="0",
    ) as node:
        yield node


def _node_log(cluster: Cluster) -> str:
    return "\n".join(log.read_text(errors="replace") for log in cluster.directory.rglob("*.log"))


def _get(http: requests.Session, url: str) -> requests.Response:
    return http.get(url, allow_redirects=False, timeout=30)


def _wait_for_200(http: requests.Session, url: str) -> requests.Response:
    deadline = time.monotonic() + RECOVERY_BOUND_SECONDS
    while True:
        answer = _get(http, url)
        if answer.status_code == 200 or time.monotonic() > deadline:
            return answer
        time.sleep(0.5)


def _assert_outage_page(answer: requests.Response) -> None:
    assert answer.status_code == 503, answer.text[:500]
    assert answer.headers["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert VIETNAMESE in answer.text
    assert 'href="tel:111"' in answer.text
    assert "Traceback" not in answer.text
    assert "OperationalError" not in answer.text


def test_a_connection_broken_between_requests_is_dropped_not_reused(cluster, proxy):
    school = build_school("OU")
    node = cluster.urls[0]
    visitor = requests.Session()
    visitor.headers["Host"] = "localhost"
    page = f"{node}{school.root_page.url}"
    assert _get(visitor, page).status_code == 200  # the worker now keeps a connection

    # A failover between two requests: the kept connection is dead when the next comes.
    proxy.cut()
    proxy.open()

    # The health check finds it dead and connects afresh: no visitor sees an error.
    assert _get(visitor, page).status_code == 200
    assert "Database unavailable" not in _node_log(cluster)


def test_pages_answer_503_while_the_database_is_away_and_200_once_it_is_back(cluster, proxy):
    school = build_school("OU")
    build_staff("bientap-su-co", Role.EDITOR, school)
    node = cluster.urls[0]
    visitor = requests.Session()
    visitor.headers["Host"] = "localhost"
    page = f"{node}{school.root_page.url}"
    search = f"{node}/tim-kiem/?q={quote(CHILD_NAME)}"
    staff = requests.Session()
    sign_in(staff, node, "bientap-su-co", "pw-bientap-su-co")
    assert _get(staff, f"{node}/admin/").status_code == 200
    assert _get(visitor, page).status_code == 200

    proxy.cut()
    try:
        for answer in (
            _get(visitor, page),
            _get(visitor, search),
            _get(staff, f"{node}/admin/"),
            _get(staff, f"{node}/admin/pages/"),
        ):
            _assert_outage_page(answer)
        assert _get(visitor, f"{node}/healthz").status_code == 503
    finally:
        proxy.open()

    # Back by itself, without restarting the node; the staff session survived.
    assert _wait_for_200(visitor, page).status_code == 200
    assert _get(staff, f"{node}/admin/").status_code == 200
    assert _get(visitor, search).status_code == 200

    log = _node_log(cluster)
    assert "Database unavailable (OperationalError): answered 503 (admin side, GET)" in log
    assert "Traceback" not in log
    assert "SELECT" not in log
    assert CHILD_NAME not in log
    assert quote(CHILD_NAME) not in log
