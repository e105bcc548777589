"""Two live app nodes against this run's PostgreSQL test database.

The nodes are started once per module by ``deploy/cluster/run-nodes``, the script behind
``make cluster``: two gunicorn processes, each with its own VAR_DIR, sharing the
test database and Redis database 15 as cache. They run the test settings, so they
hold the same secret key and case, index and audit keys as this process. Tests
write through the ORM with ``transaction=True`` so that the nodes see committed
rows, and reach the nodes over real HTTP. The nodes' logs are added to the report
of a failed test.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "deploy" / "cluster" / "run-nodes"
# Overridable so that two runs of these tests on one machine keep apart.
REDIS_URL = os.environ.get("CLUSTER_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
NODES = 2
START_TIMEOUT = 90


@dataclass
class Cluster:
    """The nodes' base URLs and the folder of their logs."""

    urls: list[str]
    directory: Path

    def logs(self) -> str:
        parts = []
        for log in sorted(self.directory.rglob("*.log")):
            text = log.read_text(errors="replace")[-4000:]
            parts.append(f"--- {log.relative_to(self.directory)}\n{text}")
        return "\n".join(parts)


def _redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def _free_ports(count: int) -> int:
    """A first port such that it and the next ``count - 1`` are free now."""
    for _ in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise RuntimeError("no free consecutive ports")


def database_url() -> str:
    """The URL of the database this pytest session has created (test_…)."""
    db = connection.settings_dict
    user = quote(db.get("USER") or "", safe="")
    password = db.get("PASSWORD") or ""
    auth = f"{user}:{quote(password, safe='')}@" if password else f"{user}@" if user else ""
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{quote(db['NAME'], safe='')}"


def _healthy(url: str) -> bool:
    try:
        return requests.get(f"{url}/healthz", timeout=2).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker) -> Cluster:
    """Start the two nodes once for a module; stopped after it, before the test database
    goes, so the rest of the run has its memory back."""
    if connection.vendor != "postgresql":
        pytest.skip("several app nodes need PostgreSQL (SQLite is one machine's database)")
    if not _redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis is required under CI=true and is not reachable at 127.0.0.1:6379")
        pytest.skip("Redis is not running at 127.0.0.1:6379 (under CI=true this fails instead)")
    with running_nodes(REDIS_URL) as nodes:
        yield nodes


@contextlib.contextmanager
def running_nodes(redis_url: str, nodes: int = NODES, **settings: str) -> Iterator[Cluster]:
    """``nodes`` nodes, sharing the Redis database at ``redis_url`` (emptied before and
    after), for a module that brings its own Redis (tests/cluster/test_redis_down.py) or
    its own settings: ``settings`` are environment variables over the defaults below
    (tests/cluster/test_database_outage.py reaches the database through a proxy)."""
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    directory = Path(tempfile.mkdtemp(prefix="truong-an-toan-cluster-"))
    base_port = _free_ports(nodes)
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DATABASE_CONN_MAX_AGE": "0",
        "CACHE_URL": redis_url,
        "PAGE_CACHE_SECONDS": "600",
        "NODES": str(nodes),
        "BASE_PORT": str(base_port),
        "GUNICORN_WORKERS": "1",
        "CLUSTER_DIR": str(directory),
        "RUN_WORKER": "0",
        "MIGRATE": "0",
        **settings,
    }
    with open(directory / "run-nodes.log", "w") as out:
        process = subprocess.Popen(
            ["bash", str(SCRIPT)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    started = Cluster([f"http://127.0.0.1:{base_port + n}" for n in range(nodes)], directory)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while not all(_healthy(url) for url in started.urls):
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"the nodes did not start:\n{started.logs()}")
            time.sleep(0.3)
        yield started
    finally:
        _stop(process)
        with contextlib.suppress(redis.RedisError):
            redis.Redis.from_url(redis_url).flushdb()


def _stop(process: subprocess.Popen) -> None:
    """TERM the script (which stops its nodes), then KILL whatever is left."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        pass
    except ProcessLookupError:
        return
    # Anything of the group left behind (the script waits for its nodes first).
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call):
    outcome = yield
    report = outcome.get_result()
    funcargs = getattr(item, "funcargs", {}).values()
    nodes = next((value for value in funcargs if isinstance(value, Cluster)), None)
    if report.failed and nodes is not None:
        report.sections.append(("app node logs", nodes.logs()))
