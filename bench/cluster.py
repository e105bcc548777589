"""`make bench-cluster`: the province on PostgreSQL, two app nodes behind Varnish, with faults.

Issue 18's "Done when" in one run: the province dataset (bench/province.py's manifest)
served by two gunicorn nodes sharing PostgreSQL, a Redis of the run's own and one
folder of private files, a task worker beside them, Varnish with
deploy/varnish/cluster.vcl in front of both, and nginx serving a saved home page as
the ceiling. It measures each public page uncached and cached against the trivial
view, the front against nginx, the admin pages and search, then breaks things under
load (a node, PostgreSQL, Redis, the task worker mid-send) and reports what users saw
and whether anything was lost. Everything it starts runs in its own process group
and is stopped on the way out, on errors and on Ctrl-C (bench/run.py's
``Processes``), and it reuses bench/run.py's pieces for load, sign-in and the report.

Run ``.venv/bin/python bench/cluster.py --help``; bench/README.md says what it measures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.cluster_faults import LoadLoop, LoopResult, SmtpSink, Target, port_open, wait_until
from bench.run import (
    BENCH_DIR,
    GUNICORN,
    HELLO_PATH,
    PAGES,
    PYTHON,
    ROOT,
    VAR,
    WORKERS,
    Bench,
    HttpSession,
    Load,
    Page,
    Processes,
    Request,
    bench_env,
    bench_keys,
    check_then_load,
    collect_static,
    fmt_ms,
    fmt_rate,
    fmt_ratio,
    free_port,
    log,
    machine,
    ratio,
    run_wrk,
    sign_in_http,
    table,
    tool,
    wait_for_http,
    was_hit,
    write_report,
)

PROVINCE = BENCH_DIR / "province.py"
CLUSTER_VCL = ROOT / "deploy" / "varnish" / "cluster.vcl"
DEFAULT_VCL = ROOT / "deploy" / "varnish" / "default.vcl"
RESULTS_CLUSTER = VAR / "RESULTS-cluster.md"
NODES = 2
# Connections: as bench/run.py (16 for public pages and search, 4 for the admin), split
# evenly over the nodes.
PUBLIC_CONNS = 16
ADMIN_CONNS = 4
SEARCH_P99_TARGET_MS = 300
# The targets against today's single-node SQLite figures.
FRONT_VS_SQLITE = 1.0
UNCACHED_VS_SQLITE = 0.8
# The restart of PostgreSQL on this machine (Debian's cluster 15/main). The bench runs it
# only when no other database on the server has clients (see ``pg_restart_allowed``).
PG_RESTART = "pg_ctlcluster 15 main restart"
# The SMTP timeout of the nodes and the worker. A claim on an e-mail whose worker died is
# taken back after ten of these (notifications.outbox.claim_expiry): 5 s makes that 50 s,
# so the worker fault sees the resend within the run; production keeps 30 s.
EMAIL_TIMEOUT_S = 5
# How often the worker fault sweeps the outbox, as the deadline job does (deploy/cluster/
# run-nodes runs that job every 15 minutes).
SWEEP_EVERY_S = 5
# Where --scale builds a missing province (``_small`` or ``_full`` is added).
PROVINCE_DATABASE = "postgres://postgres@127.0.0.1:5432/province"


# The manifest -----------------------------------------------------------------------------


def load_manifest(args: argparse.Namespace) -> tuple[Path, dict]:
    """The province manifest, built by bench/province.py first when ``--scale`` asks and it
    is missing."""
    path = args.manifest or VAR / f"province-{args.scale}.json"
    if not path.exists():
        if not args.scale and not args.quick:
            raise SystemExit(
                f"{path} is missing: build it with bench/province.py, or pass --scale small|full"
            )
        if not PROVINCE.exists():
            raise SystemExit(f"{PROVINCE.relative_to(ROOT)} is missing: it builds the province.")
        scale = args.scale or "small"
        log(f"building the {scale} province (bench/province.py) …")
        database_url = args.database_url or f"{PROVINCE_DATABASE}_{scale}"
        cmd = [PYTHON, str(PROVINCE), "--database-url", database_url, "--scale", scale]
        subprocess.run([*cmd, "--manifest", str(path)], cwd=ROOT, check=True)
    return path, json.loads(path.read_text())


def manifest_keys(manifest: dict) -> dict[str, str]:
    """The secrets the dataset was written with (its ``keys`` file), else bench/run.py's."""
    keys_path = manifest.get("keys")
    if keys_path and Path(keys_path).exists():
        return json.loads(Path(keys_path).read_text())
    return bench_keys()


def public_pages(manifest: dict) -> list[dict]:
    """The manifest's public pages, each with the status it should answer (``expect``:
    given, or 404 for the 404 page, else 200)."""
    return [
        {"expect": 404 if "404" in page["name"] or page["name"] == "not_found" else 200, **page}
        for page in manifest.get("public", [])
    ]


def search_pages(manifest: dict) -> list[dict]:
    return list(manifest.get("search", []))


def admin_pages(manifest: dict) -> list[dict]:
    return list(manifest.get("admin", {}).get("pages", []))


def hosts_of(manifest: dict) -> list[str]:
    hosts = list(manifest.get("hosts", []))
    hosts += [p["host"] for p in public_pages(manifest) + search_pages(manifest)]
    if manifest.get("admin", {}).get("host"):
        hosts.append(manifest["admin"]["host"])
    return list(dict.fromkeys(h for h in hosts if h))


def sqlite_label(name: str) -> str | None:
    """The row of bench/RESULTS.md holding the single-node figure of page ``name``."""
    if name.lower().startswith("search"):
        return "Search"
    return next((p.label for p in PAGES if name in {p.key, p.label}), None)


def sqlite_reference() -> tuple[str, dict[str, dict[str, float]]]:
    """Today's single-node SQLite figures: the committed bench/RESULTS.md, read from git
    (HEAD's version, not the working copy a run may be rewriting), and its commit."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout if done.returncode == 0 else ""

    commit = git("log", "-1", "--format=%h", "--", "bench/RESULTS.md").strip()
    text = git("show", "HEAD:bench/RESULTS.md")
    figures: dict[str, dict[str, float]] = {}
    inside = False
    for line in text.splitlines():
        if line.startswith("| Page | conns | uncached req/s"):
            inside = True
            continue
        if inside and not line.startswith("|"):
            break
        if not inside or line.startswith("| ---"):
            continue
        cells = [c.strip() for c in line.strip("|").split("|")]

        def number(cell: str) -> float | None:
            with contextlib.suppress(ValueError):
                return float(cell.replace(",", ""))
            return None

        figures[cells[0]] = {
            k: v
            for k, v in (("uncached", number(cells[2])), ("front", number(cells[10])))
            if v is not None
        }
    return commit or "?", figures


# The cluster ------------------------------------------------------------------------------


@dataclass
class Node:
    """One app node: its gunicorn, port and own VAR_DIR."""

    number: int
    port: int
    var_dir: Path
    log_path: Path
    proc: subprocess.Popen | None = None


class Cluster:
    """The processes of the run: Redis, the nodes, the task worker, Varnish."""

    def __init__(self, manifest: dict, procs: Processes, tmp: Path, sink_port: int) -> None:
        self.manifest = manifest
        self.procs = procs
        self.tmp = tmp
        self.dir = VAR / "cluster"
        self.shared = self.dir / "shared"
        (self.shared / "private").mkdir(parents=True, exist_ok=True)
        self.redis_port = free_port()
        self.redis: subprocess.Popen | None = None
        self.varnish_port = free_port()
        self.varnish: subprocess.Popen | None = None
        self.varnish_dir = tmp / "varnish"
        self.worker: subprocess.Popen | None = None
        self.sink_port = sink_port
        self.page_cache_seconds = "0"
        self.nodes = [
            Node(n, free_port(), self.dir / f"node-{n}", self.dir / f"node-{n}.log")
            for n in range(1, NODES + 1)
        ]
        self.host = hosts_of(manifest)[0] if hosts_of(manifest) else "127.0.0.1"

    @property
    def database_url(self) -> str:
        return self.manifest["database_url"]

    @property
    def cache_url(self) -> str:
        return f"redis://127.0.0.1:{self.redis_port}/0"

    def env(self, var_dir: Path, **extra: str) -> dict[str, str]:
        """A node's (or the worker's) environment, as deploy/cluster/run-nodes gives it:
        the shared database, Redis, private files and audit anchors, its own VAR_DIR."""
        return bench_env(
            Path("-"),
            hosts_of(self.manifest),
            **manifest_keys(self.manifest),
            DATABASE_URL=self.database_url,
            CACHE_URL=self.cache_url,
            PAGE_CACHE_SECONDS=self.page_cache_seconds,
            PRIVATE_MEDIA_ROOT=str(self.shared / "private"),
            AUDIT_ANCHOR_FILE=str(self.shared / "audit-anchors.jsonl"),
            VAR_DIR=str(var_dir),
            FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{self.varnish_port}",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(self.sink_port),
            EMAIL_TIMEOUT=str(EMAIL_TIMEOUT_S),
            **extra,
        )

    def migrate(self) -> None:
        """Bring the database to this checkout's migrations, as run-nodes does first: a
        dataset built before a new migration would fail on the nodes, not be measured."""
        log("migrate …")
        subprocess.run(
            [PYTHON, "manage.py", "migrate", "--noinput", "-v0"],
            env=self.env(self.dir / "node-1"),
            cwd=ROOT,
            check=True,
        )

    # Redis

    def start_redis(self) -> None:
        """A redis-server of the run's own, so a fault may kill it without touching the
        machine's; no persistence, so a restart starts empty, as a lost Redis does."""
        log_path = self.dir / "redis.log"
        cmd = [tool("redis-server"), "--bind", "127.0.0.1", "--port", str(self.redis_port)]
        cmd += ["--save", "", "--appendonly", "no", "--dir", str(self.tmp)]
        self.redis = self.procs.start(cmd, dict(os.environ), log_path)
        if wait_until(lambda: port_open(self.redis_port), 10) is None:
            raise RuntimeError(f"redis-server did not start; see {log_path}")

    def kill_redis(self) -> None:
        assert self.redis is not None
        os.killpg(self.redis.pid, signal.SIGKILL)
        self.procs.stop(self.redis)
        self.redis = None

    def flush_redis(self) -> None:
        import redis

        redis.Redis.from_url(self.cache_url).flushdb()

    # Nodes

    def start_node(self, node: Node) -> None:
        node.var_dir.mkdir(parents=True, exist_ok=True)
        cmd = [GUNICORN, "config.wsgi", "--workers", str(WORKERS), "--worker-class", "sync"]
        cmd += ["--bind", f"127.0.0.1:{node.port}", "--timeout", "120"]
        cmd += ["--graceful-timeout", "5"]
        node.proc = self.procs.start(cmd, self.env(node.var_dir), node.log_path)

    def wait_node(self, node: Node) -> None:
        assert node.proc is not None
        wait_for_http(node.port, HELLO_PATH, self.host, node.proc, node.log_path)

    def start_nodes(self, page_cache_seconds: int) -> None:
        self.page_cache_seconds = str(page_cache_seconds)
        for node in self.nodes:
            self.start_node(node)
        for node in self.nodes:
            self.wait_node(node)

    def stop_nodes(self) -> None:
        for node in self.nodes:
            if node.proc is not None:
                self.procs.stop(node.proc)
                node.proc = None

    def kill_node(self, node: Node) -> None:
        """kill -9 of the node's master and workers (all in its process group)."""
        assert node.proc is not None
        os.killpg(node.proc.pid, signal.SIGKILL)
        self.procs.stop(node.proc)
        node.proc = None

    # Task worker

    def start_worker(self) -> None:
        worker_dir = self.dir / "worker"
        worker_dir.mkdir(parents=True, exist_ok=True)
        cmd = [PYTHON, "manage.py", "db_worker", "--no-reload", "--interval", "1"]
        cmd += ["--verbosity", "0"]
        self.worker = self.procs.start(cmd, self.env(worker_dir), self.dir / "worker.log")

    def kill_worker(self) -> None:
        assert self.worker is not None
        os.killpg(self.worker.pid, signal.SIGKILL)
        self.procs.stop(self.worker)
        self.worker = None

    # Varnish

    def start_varnish(self) -> None:
        vcl_dir = self.tmp / "vcl"
        vcl_dir.mkdir(exist_ok=True)
        shutil.copy(DEFAULT_VCL, vcl_dir / "default.vcl")
        text = CLUSTER_VCL.read_text()
        for node in self.nodes:
            text = re.sub(
                rf'(backend node{node.number} \{{[^}}]*?\.port\s*=\s*")\d+(")',
                rf"\g<1>{node.port}\g<2>",
                text,
            )
        (vcl_dir / "cluster.vcl").write_text(text)
        self.varnish_dir.mkdir(exist_ok=True)
        cmd = [tool("varnishd"), "-F", "-a", f"127.0.0.1:{self.varnish_port}"]
        cmd += ["-f", str(vcl_dir / "cluster.vcl"), "-n", str(self.varnish_dir)]
        cmd += ["-p", f"vcl_path={vcl_dir}", "-p", "vcc_err_unref=off", "-s", "malloc,256m"]
        log_path = self.dir / "varnish.log"
        log_path.unlink(missing_ok=True)
        self.varnish = self.procs.start(cmd, dict(os.environ), log_path)
        wait_for_http(self.varnish_port, HELLO_PATH, self.host, self.varnish, log_path)

    def backend_health(self) -> dict[int, bool]:
        """Whether Varnish's probe holds each node healthy (``varnishadm backend.list``)."""
        done = subprocess.run(
            [tool("varnishadm"), "-n", str(self.varnish_dir), "backend.list"],
            capture_output=True,
            text=True,
            timeout=10,
        )
        health = {}
        for line in done.stdout.splitlines():
            match = re.match(r"\S*node(\d+)\s+\S+\s+\S+\s+(\w+)", line)
            if match:
                health[int(match.group(1))] = match.group(2).lower() == "healthy"
        return health


# Load spread over the nodes ---------------------------------------------------------------


def combine(loads: list[Load]) -> Load:
    """One figure for wrk runs at the same time, one per node: rates add up; latency is the
    worse node's; an error on either is an error of the row."""
    combined = Load(
        rps=sum(load.rps for load in loads),
        p50_ms=max(load.p50_ms for load in loads),
        p99_ms=max(load.p99_ms for load in loads),
        connections=sum(load.connections for load in loads),
    )
    for load in loads:
        for status, n in load.statuses.items():
            combined.statuses[status] = combined.statuses.get(status, 0) + n
    errors = [load.errors for load in loads if load.errors]
    if errors:
        combined.errors = "; ".join(errors)
    return combined


@dataclass
class Result:
    """One row of the report."""

    name: str
    path: str
    per_node: list[Load] = field(default_factory=list)
    uncached: Load | None = None
    cached: Load | None = None
    front: Load | None = None
    front_hit: bool | None = None


class ClusterBench:
    """One run: the cluster, the figures, the faults, the report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = args.quick
        self.seconds = 2 if self.quick else args.seconds
        self.warmup = 1 if self.quick else 2
        self.procs = Processes()
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-cluster-"))
        self.tmp.chmod(0o755)  # nginx's and Varnish's workers read their files
        self.loadavg_before = Path("/proc/loadavg").read_text().split()[:3]
        self.loadavg_after: list[str] = []
        self.manifest_path = Path("-")
        self.manifest: dict = {}
        self.cluster: Cluster | None = None
        self.sink: SmtpSink | None = None
        self.trivial: dict[str, Load] = {}
        self.public: list[Result] = []
        self.search: list[Result] = []
        self.admin: list[Result] = []
        self.nginx: Load | None = None
        self.home_html = b""
        self.cookies: dict[str, str] = {}
        self.faults: dict[str, dict[str, Any]] = {}
        self.failure = ""

    # What Bench.run_nginx reads (it is reused as it is, with this object as its self).
    @property
    def db_path(self) -> str:
        return self.manifest.get("database_url", "")

    def run(self) -> None:
        self.manifest_path, self.manifest = load_manifest(self.args)
        with SmtpSink() as sink:
            self.sink = sink
            cluster = self.cluster = Cluster(self.manifest, self.procs, self.tmp, sink.port)
            collect_static(cluster.env(cluster.dir / "node-1"))
            cluster.migrate()
            cluster.start_redis()
            if self.args.no_figures:
                cluster.start_nodes(page_cache_seconds=600)
                cluster.start_worker()
                cluster.start_varnish()
                self.run_faults()
                return
            log(f"two nodes on ports {[n.port for n in cluster.nodes]}, page cache OFF …")
            cluster.start_nodes(page_cache_seconds=0)
            cluster.start_worker()
            self.measure_uncached()
            cluster.stop_nodes()
            cluster.flush_redis()
            log("the nodes again, page cache ON …")
            cluster.start_nodes(page_cache_seconds=600)
            self.measure_cached()
            self.save_home_and_nginx()
            cluster.start_varnish()
            self.measure_front()
            if self.args.no_faults:
                return
            self.run_faults()

    # Figures

    def spread(self, host: str, path: str, conns: int, expect: int = 200, cookie: str = "") -> Load:
        """wrk against every node at once, ``conns`` split between them."""
        assert self.cluster is not None
        nodes = self.cluster.nodes
        for node in nodes:
            status, _, _ = HttpSession(node.port, host).request(
                "GET", path, headers={"Cookie": cookie} if cookie else None
            )
            if status != expect:
                log(f"  {path} answered {status} on node {node.number}, expected {expect}")
                return Load(connections=conns, errors=f"errors: answered {status}, not {expect}")
        origin = f"http://{host}" if cookie else ""
        with ThreadPoolExecutor(len(nodes)) as pool:
            loads = list(
                pool.map(
                    lambda node: run_wrk(
                        Request(node.port, host, path, cookie=cookie, origin=origin),
                        max(1, conns // len(nodes)),
                        self.seconds,
                        self.warmup,
                        expect,
                    ),
                    nodes,
                )
            )
        load = combine(loads)
        log(
            f"  {path[:48]:48} {load.rps:9.1f} req/s  p50 {load.p50_ms:7.2f} ms  "
            f"p99 {load.p99_ms:7.2f} ms  {load.errors}"
        )
        return load

    def per_node_trivial(self) -> list[Load]:
        assert self.cluster is not None
        loads = []
        for node in self.cluster.nodes:
            page = Page("hello", f"Trivial view, node {node.number}", "trivial", 200, PUBLIC_CONNS)
            session = HttpSession(node.port, self.cluster.host)
            loads.append(
                check_then_load(
                    session,
                    Request(node.port, self.cluster.host, HELLO_PATH),
                    page,
                    self.seconds,
                    self.warmup,
                )
            )
        return loads

    def measure_uncached(self) -> None:
        assert self.cluster is not None
        host = self.cluster.host
        log("trivial view on each node alone, then on both at once …")
        self.trivial_per_node = self.per_node_trivial()
        self.trivial["uncached"] = self.spread(host, HELLO_PATH, PUBLIC_CONNS)
        log("public pages, uncached, over both nodes …")
        for page in public_pages(self.manifest):
            result = Result(page["name"], page["path"])
            result.uncached = self.spread(
                page["host"], page["path"], PUBLIC_CONNS, int(page.get("expect", 200))
            )
            self.public.append(result)
        log("search, uncached, 16 connections over both nodes …")
        for page in search_pages(self.manifest):
            result = Result(page["name"], page["path"])
            result.uncached = self.spread(page["host"], page["path"], PUBLIC_CONNS)
            self.search.append(result)
        log("admin pages, 4 connections over both nodes, signed in …")
        admin_host = self.manifest.get("admin", {}).get("host") or host
        for page in admin_pages(self.manifest):
            result = Result(page["name"], page["path"])
            try:
                cookie = self.sign_in(page["user"])
            except (RuntimeError, OSError, KeyError) as error:
                result.uncached = Load(
                    connections=ADMIN_CONNS, errors=f"errors: sign-in failed ({error})"
                )
            else:
                result.uncached = self.spread(admin_host, page["path"], ADMIN_CONNS, cookie=cookie)
            self.admin.append(result)
        self.trivial_again("uncached")

    def sign_in(self, role: str, port: int | None = None) -> str:
        """Sign ``role`` in for real (password, then TOTP) once; the session is in the
        database, so its cookie works on every node."""
        assert self.cluster is not None
        if role in self.cookies and port is None:
            return self.cookies[role]
        admin = self.manifest["admin"]
        session = HttpSession(port or self.cluster.nodes[0].port, admin.get("host") or "127.0.0.1")
        sign_in_http(session, admin["users"][role], self.cluster.database_url)
        cookie = session.cookie_header()
        if port is None:
            self.cookies[role] = cookie
        return cookie

    def measure_cached(self) -> None:
        assert self.cluster is not None
        self.trivial["cached"] = self.spread(self.cluster.host, HELLO_PATH, PUBLIC_CONNS)
        log("public pages, cached, over both nodes …")
        for result, page in zip(self.public, public_pages(self.manifest), strict=True):
            result.cached = self.spread(
                page["host"], page["path"], PUBLIC_CONNS, int(page.get("expect", 200))
            )
        self.trivial_again("cached")

    def trivial_again(self, mode: str) -> None:
        """The ceiling again at the end, as bench/run.py does: the better of the two is the
        one that held least of whatever else the machine was doing."""
        assert self.cluster is not None
        again = self.spread(self.cluster.host, HELLO_PATH, PUBLIC_CONNS)
        first = self.trivial.get(mode)
        if again.ok and (first is None or not first.ok or again.rps > first.rps):
            self.trivial[mode] = again

    def save_home_and_nginx(self) -> None:
        assert self.cluster is not None
        pages = public_pages(self.manifest)
        if not pages:
            return
        home = next((p for p in pages if p["name"] == "home"), pages[0])
        node = self.cluster.nodes[0]
        _status, _, self.home_html = HttpSession(node.port, home["host"]).request(
            "GET", home["path"]
        )
        # bench/run.py's nginx run, as it is: it reads tmp, procs, home_html, seconds, warmup.
        self.nginx = Bench.run_nginx(self, home["host"])  # type: ignore[arg-type]

    def measure_front(self) -> None:
        assert self.cluster is not None
        port = self.cluster.varnish_port
        log("Varnish (deploy/varnish/cluster.vcl) in front of both nodes …")
        for result, page in zip(self.public, public_pages(self.manifest), strict=True):
            spec = Page(page["name"], page["name"], "public", int(page.get("expect", 200)), 16)
            session = HttpSession(port, page["host"])
            result.front = check_then_load(
                session, Request(port, page["host"], page["path"]), spec, self.seconds, self.warmup
            )
            _, headers, _ = session.request("GET", page["path"])
            result.front_hit = was_hit(headers)

    # Faults

    def loop_targets(self) -> list[Target]:
        return [
            Target(p["host"], p["path"], int(p.get("expect", 200)))
            for p in public_pages(self.manifest)
        ] or [Target(self.cluster.host, HELLO_PATH)]  # type: ignore[union-attr]

    def items(self) -> dict[str, Any]:
        """Counts of what must survive any fault, read from the database by a child."""
        assert self.cluster is not None
        done = subprocess.run(
            [PYTHON, str(Path(__file__)), "--count-items"],
            env=self.cluster.env(self.cluster.dir / "worker"),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            return {"error": done.stderr.strip().splitlines()[-1:] or ["?"]}
        return json.loads(done.stdout.strip().splitlines()[-1])

    def run_faults(self) -> None:
        faults = [
            ("node", self.fault_node),
            ("postgres", self.fault_postgres),
            ("redis", self.fault_redis),
            ("worker", self.fault_worker),
        ]
        only = set(self.args.faults.split(",")) if self.args.faults else None
        for name, fault in faults:
            if only is not None and name not in only:
                continue
            log(f"fault: {name} …")
            before = self.items()
            try:
                found = fault()
            except Exception as error:  # one fault's failure is a row, not the end of the run
                traceback.print_exc()
                found = {"error": f"{type(error).__name__}: {error}"}
            # A fault may leave the nodes' connections to catch up: settle, then count.
            time.sleep(1)
            after = self.items()
            found["items_before"], found["items_after"] = before, after
            self.faults[name] = found

    def loop_seconds(self) -> float:
        return 3 if self.quick else 8

    def direct_statuses(self) -> dict[str, str]:
        """What node 1 answers itself, past the front, for /healthz and the first page."""
        assert self.cluster is not None
        node = self.cluster.nodes[0]
        targets = {"/healthz": self.cluster.host}
        targets.update({p["path"]: p["host"] for p in public_pages(self.manifest)[:1]})
        statuses = {}
        for path, host in targets.items():
            try:
                statuses[path] = str(HttpSession(node.port, host).request("GET", path)[0])
            except OSError as error:
                statuses[path] = type(error).__name__
        return statuses

    def fault_node(self) -> dict[str, Any]:
        """kill -9 node 2 during load through Varnish; restart it; see it back."""
        cluster = self.cluster
        assert cluster is not None
        node = cluster.nodes[-1]
        found: dict[str, Any] = {}
        with LoadLoop(cluster.varnish_port, self.loop_targets()) as loop:
            time.sleep(1.5)
            loop.mark_fault()
            cluster.kill_node(node)
            found["sick_after_s"] = wait_until(
                lambda: cluster.backend_health().get(node.number) is False, 30
            )
            time.sleep(self.loop_seconds())
            found["health"] = cluster.backend_health()
            restarted = time.monotonic()
            cluster.start_node(node)
            cluster.wait_node(node)
            found["node_up_s"] = time.monotonic() - restarted
            back = wait_until(lambda: cluster.backend_health().get(node.number) is True, 60)
            found["in_director_s"] = None if back is None else time.monotonic() - restarted
            time.sleep(2)
        found["loop"] = loop.result
        return found

    def fault_postgres(self) -> dict[str, Any]:
        """Restart PostgreSQL during load through Varnish; count 503s and 500s."""
        cluster = self.cluster
        assert cluster is not None
        allowed, why = pg_restart_allowed(cluster.database_url, self.args.force_pg_restart)
        if not allowed:
            log(f"  not restarting PostgreSQL: {why}")
            return {"skipped": why}
        found: dict[str, Any] = {"command": self.args.pg_restart}
        with LoadLoop(cluster.varnish_port, self.loop_targets()) as loop:
            time.sleep(1.5)
            loop.mark_fault()
            started = time.monotonic()
            done = subprocess.run(
                self.args.pg_restart, shell=True, capture_output=True, text=True, timeout=120
            )
            found["restart_s"] = time.monotonic() - started
            found["restart_rc"] = done.returncode
            if done.returncode != 0:
                found["restart_output"] = (done.stdout + done.stderr).strip()[-300:]
            found["direct"] = self.direct_statuses()
            found["health"] = cluster.backend_health()
            # Until every answer is right again for 3 s, or 60 s.
            wait_until(lambda: _quiet_for(loop.result, 3.0, loop.now()), 60, 0.5)
            time.sleep(1)
        found["loop"] = loop.result
        worker = cluster.worker
        found["worker_exit"] = None if worker is None else worker.poll()
        return found

    def fault_redis(self) -> dict[str, Any]:
        """Kill the run's redis-server during load: pages and sign-in without it."""
        cluster = self.cluster
        assert cluster is not None
        found: dict[str, Any] = {}
        with LoadLoop(cluster.varnish_port, self.loop_targets()) as loop:
            time.sleep(1.5)
            loop.mark_fault()
            cluster.kill_redis()
            time.sleep(1)
            found["direct"] = self.direct_statuses()
            found["health"] = cluster.backend_health()
            role = next(iter(self.manifest.get("admin", {}).get("users", {})), None)
            if role:
                try:
                    self.sign_in(role, port=cluster.varnish_port)
                    found["sign_in"] = "ok"
                except (RuntimeError, OSError) as error:
                    found["sign_in"] = f"failed ({error})"
            time.sleep(self.loop_seconds())
            found["down_answers"] = len(loop.result.after_fault())
            restarted = time.monotonic()
            cluster.start_redis()
            found["redis_back_s"] = time.monotonic() - restarted
            time.sleep(2)
        found["loop"] = loop.result
        return found

    def fault_worker(self) -> dict[str, Any]:
        """Kill the task worker while the SMTP sink holds an alert's DATA; restart it;
        count the messages the sink acknowledged."""
        cluster, sink = self.cluster, self.sink
        assert cluster is not None
        assert sink is not None
        users = self.manifest.get("admin", {}).get("users", {})
        if not users:
            return {"skipped": "no admin user in the manifest to alert"}
        username = next(iter(users.values()))["username"]
        found: dict[str, Any] = {}
        if cluster.worker is None or cluster.worker.poll() is not None:
            # An earlier fault ended it (db_worker exits when PostgreSQL goes away).
            found["worker_was_down"] = None if cluster.worker is None else cluster.worker.poll()
            if cluster.worker is not None:
                self.procs.stop(cluster.worker)
            cluster.start_worker()
        received_before = len(sink.received)
        sink.holding.clear()
        sink.hold_next = True
        child = subprocess.run(
            [PYTHON, str(Path(__file__)), "--raise-alert", username],
            env=cluster.env(cluster.dir / "worker"),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            return {"error": "raising the alert failed: " + child.stderr.strip()[-300:]}
        raised = json.loads(child.stdout.strip().splitlines()[-1])
        mail_ids = raised["mails"]
        markers = [m.encode() for m in raised.get("message_ids", [])]

        def received() -> int:
            """Copies of this alert's mails the sink acknowledged (other mails may pass
            through it meanwhile); without Message-IDs, every message."""
            if markers:
                return sum(sink.count(m) for m in markers)
            return len(sink.received) - received_before

        found["mails_queued"] = len(mail_ids)
        if not sink.holding.wait(60):
            sink.hold_next = False
            found["error"] = "the worker did not start sending within 60 s"
            return found
        cluster.kill_worker()
        cluster.start_worker()
        # The row stays "sending" until its claim expires; the outbox's sweep (run by the
        # deadline job's timer) then puts it back for the new worker. Run the sweep alone,
        # more often: the deadline job would also raise the dataset's own due alerts.
        wait_s = EMAIL_TIMEOUT_S * 10 + 40
        restarted = time.monotonic()
        sent = None
        found["sweeps"] = 0

        def sweep() -> None:
            subprocess.run(
                [PYTHON, str(Path(__file__)), "--sweep-outbox"],
                env=cluster.env(cluster.dir / "worker"),
                cwd=ROOT,
                capture_output=True,
            )
            found["sweeps"] += 1

        while time.monotonic() - restarted < wait_s:
            if received():
                sent = time.monotonic() - restarted
                break
            sweep()
            wait_until(lambda: received() > 0, SWEEP_EVERY_S, 0.5)
        if sent is not None:
            # A second copy would come from the next sweep and worker: give them a turn.
            sweep()
            time.sleep(SWEEP_EVERY_S)
        found["held"] = 1
        found["received"] = received()
        found["received_other"] = len(sink.received) - received_before - found["received"]
        found["first_after_s"] = sent
        found["waited_s"] = wait_s
        status = subprocess.run(
            [PYTHON, str(Path(__file__)), "--outbox-status", ",".join(map(str, mail_ids))],
            env=cluster.env(cluster.dir / "worker"),
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if status.returncode == 0:
            found["outbox"] = json.loads(status.stdout.strip().splitlines()[-1])
        return found

    def cleanup(self) -> None:
        self.procs.stop_all()
        shutil.rmtree(self.tmp, ignore_errors=True)


def _quiet_for(result: LoopResult, seconds: float, now: float) -> bool:
    """Whether the loop has had answers, all right, for the last ``seconds``."""
    recent = [o for t, o in result.answers if t >= now - seconds]
    return now - result.fault_at > seconds and bool(recent) and all(o == "ok" for o in recent)


def pg_restart_allowed(database_url: str, force: bool) -> tuple[bool, str]:
    """Restart PostgreSQL only when the bench is alone on it: no client connected to any
    other database (other people's tests), unless ``--force-pg-restart``."""
    if force:
        return True, ""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as db:
        rows = db.execute(
            "SELECT datname, count(*) FROM pg_stat_activity "
            "WHERE backend_type = 'client backend' AND datname IS NOT NULL "
            "AND datname <> current_database() AND pid <> pg_backend_pid() GROUP BY datname"
        ).fetchall()
    if rows:
        names = ", ".join(f"{name} ({n})" for name, n in rows)
        return False, f"other databases have clients ({names}); --force-pg-restart to restart"
    return True, ""


# Children with Django ---------------------------------------------------------------------


def _django() -> None:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()


def count_items_in_process() -> dict[str, Any]:
    """What a fault must not lose: drafts, cases, case records, audit entries (and whether
    the chain verifies), live pages."""
    _django()
    from django.apps import apps
    from wagtail.models import Page as WagtailPage

    from audit.chain import verify
    from audit.models import AuditEntry
    from forms_app.models import Case, WizardDraft
    from forms_app.models.records import CaseRecord

    records = sum(
        model.objects.count()
        for model in apps.get_models()
        if issubclass(model, CaseRecord) and not model._meta.abstract and not model._meta.proxy
    )
    chain = verify()
    return {
        "drafts": WizardDraft.objects.count(),
        "cases": Case.objects.count(),
        "records": records,
        "audit": AuditEntry.objects.count(),
        "audit_chain": "OK" if chain.ok else f"BROKEN: {chain.describe()}",
        "pages_live": WagtailPage.objects.live().count(),
    }


def raise_alert_in_process(username: str) -> dict[str, Any]:
    """An urgent alert to ``username`` through the app's own function; the mails it queued."""
    _django()
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from notifications.alerts import raise_alert
    from notifications.models import Kind, OutgoingMail
    from schools.models import Membership

    user = get_user_model().objects.get(username=username)
    if not user.email:
        user.email = f"{username}@example.invalid"
        user.save(update_fields=["email"])
    membership = Membership.objects.filter(user=user).select_related("school").first()
    before = set(OutgoingMail.objects.values_list("pk", flat=True))
    with transaction.atomic():
        raise_alert(
            Kind.NEW_CONCERN,
            membership.school if membership else None,
            [user],
            "/admin/",
            urgent=True,
            dedupe_key=f"bench-cluster-{time.time_ns()}",
        )
    mails = sorted(set(OutgoingMail.objects.values_list("pk", flat=True)) - before)
    # The header every copy of these mails carries, whichever worker sends it.
    from notifications import outbox

    make_id = getattr(outbox, "message_id", None)
    ids = [make_id(m) for m in OutgoingMail.objects.filter(pk__in=mails)] if make_id else []
    return {"mails": mails, "message_ids": ids}


def sweep_outbox_in_process() -> dict[str, int]:
    """What the deadline job does for the outbox (notifications.outbox.sweep), alone."""
    _django()
    from notifications.outbox import sweep

    return sweep()


def outbox_status_in_process(ids: str) -> dict[str, Any]:
    _django()
    from notifications.models import OutgoingMail

    rows = OutgoingMail.objects.filter(pk__in=[int(i) for i in ids.split(",") if i])
    return {str(m.pk): {"status": m.status, "attempts": m.attempts} for m in rows}


# Report -----------------------------------------------------------------------------------


def _ms(load: Load | None, which: str) -> str:
    return fmt_ms(getattr(load, which), load) if load else "—"


def _loop_row(name: str, found: dict[str, Any], extra: str) -> list[str]:
    if "skipped" in found:
        return [name, "not run", "—", "—", found["skipped"]]
    if "loop" not in found:
        return [name, found.get("error", "—"), "—", "—", extra]
    loop: LoopResult = found["loop"]
    return [
        name,
        f"{loop.errors} of {loop.total} ({loop.describe()})",
        f"{loop.recovery_s():.1f}",
        lost_text(found),
        extra,
    ]


def lost_items(found: dict[str, Any]) -> dict[str, int] | None:
    before, after = found.get("items_before") or {}, found.get("items_after") or {}
    if "error" in before or "error" in after or not before or not after:
        return None
    return {
        key: before[key] - after[key]
        for key in before
        if isinstance(before[key], int) and before[key] > after.get(key, 0)
    }


def lost_text(found: dict[str, Any]) -> str:
    lost = lost_items(found)
    chain = (found.get("items_after") or {}).get("audit_chain", "?")
    if lost is None:
        return "not counted"
    text = ", ".join(f"{k} {v}" for k, v in lost.items()) or "0"
    return f"{text}; audit chain {chain}"


def report(bench: ClusterBench) -> str:
    now = datetime.datetime.now(datetime.UTC)
    local = now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    cluster = bench.cluster
    commit, sqlite = sqlite_reference()
    counts = bench.manifest.get("counts", {})
    out = [
        "# Cluster benchmark: the province on PostgreSQL, two nodes behind Varnish",
        "",
        "Written by `make bench-cluster` (`bench/cluster.py`); bench/README.md says what each "
        "figure means.",
    ]
    if bench.failure:
        out += ["", f"**The run failed** ({bench.failure}); below is what was measured first."]
    if bench.quick:
        out += ["", "**Quick run** (`--quick`): 2 s per figure. Not the figures of record."]
    out += [
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC ({local:%Y-%m-%d %H:%M} Asia/Ho_Chi_Minh)",
        *(f"- {k}: {v}" for k, v in machine().items() if k != "SQLite"),
        f"- Nodes: {NODES} × gunicorn, {WORKERS} sync workers each, `bench.settings`, "
        "PostgreSQL (`"
        + re.sub(r"//[^@/]*@", "//", bench.manifest.get("database_url", "?"))
        + "`), a redis-server of the run's own, task worker (`db_worker`); wrk on the same "
        f"machine, {bench.seconds} s per figure after {bench.warmup} s of warm-up",
        f"- Load average before: {' '.join(bench.loadavg_before)}; after: "
        f"{' '.join(bench.loadavg_after)}",
        f"- Manifest: `{bench.manifest_path}`; counts: "
        + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in counts.items()),
        "",
        "## Requests per second and latency",
        "",
        "Load is spread over both nodes by running wrk against each node at once (half the "
        "connections each); rates add up, latency is the worse node's. Not through Varnish "
        "with its store bypassed: a bypass would need a cookie or header the front honours "
        "for anyone, and Varnish's own work would sit in a figure meant to be the nodes'. "
        "÷ trivial is to the trivial view on both nodes in the same mode (measured first and "
        "last, the better shown); the front column "
        "is through Varnish (cluster.vcl, store on) over nginx's saved home page.",
        "",
    ]
    trivial_u, trivial_c = bench.trivial.get("uncached"), bench.trivial.get("cached")
    rows = []
    for i, load in enumerate(getattr(bench, "trivial_per_node", [])):
        rows.append(
            [
                f"Trivial view, node {i + 1} alone",
                "16",
                fmt_rate(load),
                _ms(load, "p50_ms"),
                _ms(load, "p99_ms"),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
            ]
        )
    rows.append(
        [
            "Trivial view, both nodes",
            "16",
            fmt_rate(trivial_u),
            _ms(trivial_u, "p50_ms"),
            _ms(trivial_u, "p99_ms"),
            "100 %",
            fmt_rate(trivial_c),
            _ms(trivial_c, "p50_ms"),
            _ms(trivial_c, "p99_ms"),
            "100 %",
            "",
            "",
            "",
        ]
    )
    for r in bench.public:
        rows.append(
            [
                r.name,
                "16",
                fmt_rate(r.uncached),
                _ms(r.uncached, "p50_ms"),
                _ms(r.uncached, "p99_ms"),
                fmt_ratio(ratio(r.uncached, trivial_u)),
                fmt_rate(r.cached),
                _ms(r.cached, "p50_ms"),
                _ms(r.cached, "p99_ms"),
                fmt_ratio(ratio(r.cached, trivial_c)),
                fmt_rate(r.front),
                _ms(r.front, "p99_ms"),
                fmt_ratio(ratio(r.front, bench.nginx)),
            ]
        )
    n = bench.nginx
    rows.append(
        [
            "nginx, saved home page (ceiling)",
            "16",
            *([""] * 8),
            fmt_rate(n),
            _ms(n, "p99_ms"),
            "100 %" if n and n.ok else "—",
        ]
    )
    header = ["Page", "conns", "uncached req/s", "p50 ms", "p99 ms", "÷ trivial"]
    header += ["cached req/s", "p50 ms", "p99 ms", "÷ trivial", "front req/s", "p99 ms", "÷ nginx"]
    out.append(table(header, rows))
    missed = [r.name for r in bench.public if r.front is not None and not r.front_hit]
    if any(r.front is not None for r in bench.public):
        out += [
            "",
            "Varnish answered from its store after the load for every public page."
            if not missed
            else "Varnish did **not** answer from its store for: " + ", ".join(missed) + ".",
        ]
    out += ["", "## Search and admin pages (uncached, over both nodes)", ""]
    rows = [
        [
            f"Search: {r.name} (`{r.path}`)",
            "16",
            fmt_rate(r.uncached),
            _ms(r.uncached, "p50_ms"),
            _ms(r.uncached, "p99_ms"),
        ]
        for r in bench.search
    ]
    rows += [
        [
            f"Admin: {r.name}",
            "4",
            fmt_rate(r.uncached),
            _ms(r.uncached, "p50_ms"),
            _ms(r.uncached, "p99_ms"),
        ]
        for r in bench.admin
    ]
    out.append(table(["Page", "conns", "req/s", "p50 ms", "p99 ms"], rows))
    out += fault_section(bench)
    out += [
        "",
        "## Targets",
        "",
        f"Single-node SQLite figures: the committed bench/RESULTS.md (commit {commit}), read "
        "from git by the run.",
        "",
        table(["Target", "Measured", "Result"], targets(bench, sqlite)),
        "",
    ]
    if cluster is not None:
        out += [
            f"Logs: `{cluster.dir.relative_to(ROOT)}/` (node-1.log, node-2.log, worker.log, "
            "varnish.log, redis.log).",
            "",
        ]
    return "\n".join(out)


def fault_section(bench: ClusterBench) -> list[str]:
    if not bench.faults:
        return ["", "## Faults", "", "Not run (`--no-faults`)." if bench.args.no_faults else ""]
    f = bench.faults
    rows = []
    if "node" in f:
        found = f["node"]
        extra = (
            f"in-flight at most {found['loop'].threads}; marked sick after "
            f"{_s(found.get('sick_after_s'))}; restarted node up after "
            f"{_s(found.get('node_up_s'))}, back in the director after "
            f"{_s(found.get('in_director_s'))}; before the restart Varnish held " + _health(found)
            if "loop" in found
            else found.get("error", "")
        )
        rows.append(_loop_row("kill -9 of node 2 (through Varnish)", found, extra))
    if "postgres" in f:
        found = f["postgres"]
        extra = (
            f"`{found.get('command')}` took {_s(found.get('restart_s'))}"
            + (
                f" (exit {found['restart_rc']}: {found.get('restart_output', '')})"
                if found.get("restart_rc")
                else ""
            )
            if "loop" in found
            else ""
        )
        if "loop" in found:
            extra += f"; {_seen_during(found)}; task worker " + (
                "still running"
                if found.get("worker_exit") is None
                else f"**exited** (status {found['worker_exit']})"
            )
        rows.append(_loop_row("PostgreSQL restarted (through Varnish)", found, extra))
    if "redis" in f:
        found = f["redis"]
        extra = (
            f"sign-in while Redis was down: {found.get('sign_in', 'not tried')}; "
            f"redis-server back after {_s(found.get('redis_back_s'))}"
            if "loop" in found
            else ""
        )
        if "loop" in found:
            extra += f"; {_seen_during(found)}"
        rows.append(_loop_row("redis-server killed (through Varnish)", found, extra))
    out = [
        "",
        "## Faults",
        "",
        "Each under load from 8 Python clients through Varnish, every request with a new "
        "`bench_fault` parameter so that no store answers it and every one reaches a node. "
        "Errors: answers other than the page's own status, by kind (`503 site page`: the "
        "node's 503 with Retry-After; `503 front (no node)`: cluster.vcl's page when no node "
        "is healthy; socket errors). Recovery: seconds from the fault to the last wrong "
        "answer. Lost: counts before minus after (drafts, cases, case records, audit "
        "entries, live pages), and the audit chain verified afterwards.",
        "",
        table(["Fault", "errors seen", "recovery s", "items lost", "notes"], rows),
    ]
    if "worker" in f:
        found = f["worker"]
        if "skipped" in found or "error" in found:
            text = found.get("skipped") or found.get("error")
        else:
            text = (
                f"An urgent alert queued {found['mails_queued']} mail(s); the sink held the "
                "first DATA unanswered and the worker was killed (kill -9) then restarted. "
                f"The outbox's sweep (the deadline job's part) ran every {SWEEP_EVERY_S} s, "
                f"{found.get('sweeps', 0)} times; claims expire after 10 × EMAIL_TIMEOUT "
                f"({EMAIL_TIMEOUT_S} s here). "
                f"Messages the sink acknowledged afterwards, within {found['waited_s']} s: "
                f"**{found['received']}** (first after {_s(found.get('first_after_s'))}); "
                f"outbox rows: {found.get('outbox', '?')}; other messages meanwhile: "
                f"{found.get('received_other', 0)}. "
                f"Items lost: {lost_text(found)}."
            )
        if "worker_was_down" in found:
            text += (
                f" (The worker had exited before this fault, status {found['worker_was_down']}: "
                "it was started again first.)"
            )
        out += ["", f"**Task worker killed mid-send.** {text}"]
    return out


def _seen_during(found: dict[str, Any]) -> str:
    """What node 1 answered directly and what Varnish's probes held, during the fault."""
    direct = ", ".join(f"`{path}` {status}" for path, status in found.get("direct", {}).items())
    return f"during it, node 1 answered {direct or '?'}; Varnish held {_health(found)}"


def _health(found: dict[str, Any]) -> str:
    health = found.get("health", {})
    text = ", ".join(f"node {n} {'healthy' if ok else 'sick'}" for n, ok in sorted(health.items()))
    return text or "?"


def _s(value: float | None) -> str:
    return "never (timed out)" if value is None else f"{value:.1f} s"


def targets(bench: ClusterBench, sqlite: dict[str, dict[str, float]]) -> list[list[str]]:
    rows: list[list[str]] = []

    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("PASS" if ok else "**MISS**")

    for r in bench.public:
        label = sqlite_label(r.name)
        ref = sqlite.get(label or "", {})
        if r.front is not None and "front" in ref:
            ok = r.front.ok and r.front.rps >= FRONT_VS_SQLITE * ref["front"]
            rows.append(
                [
                    f"Front {r.name} ≥ single-node SQLite front ({ref['front']:,.0f} req/s)",
                    fmt_rate(r.front),
                    verdict(ok),
                ]
            )
        if r.uncached is not None and "uncached" in ref:
            need = UNCACHED_VS_SQLITE * ref["uncached"]
            ok = r.uncached.ok and r.uncached.rps >= need
            rows.append(
                [
                    f"Uncached {r.name} on PostgreSQL ≥ 80 % of SQLite's "
                    f"({ref['uncached']:,.0f} → {need:,.0f} req/s)",
                    fmt_rate(r.uncached),
                    verdict(ok),
                ]
            )
    for r in bench.search:
        load = r.uncached
        rows.append(
            [
                f"Search {r.name}: p99 < {SEARCH_P99_TARGET_MS} ms at 16",
                f"p99 {load.p99_ms:.0f} ms" if load and load.ok else fmt_rate(load),
                verdict(bool(load and load.ok and load.p99_ms < SEARCH_P99_TARGET_MS)),
            ]
        )
        ref = sqlite.get("Search", {})
        if load is not None and "uncached" in ref:
            need = UNCACHED_VS_SQLITE * ref["uncached"]
            rows.append(
                [
                    f"Search {r.name} on PostgreSQL ≥ 80 % of SQLite's search "
                    f"({ref['uncached']:,.0f} → {need:,.0f} req/s)",
                    fmt_rate(load),
                    verdict(load.ok and load.rps >= need),
                ]
            )
    for name, found in bench.faults.items():
        if "skipped" in found:
            rows.append([f"Fault {name}: nothing lost", "not run", "—"])
            continue
        lost = lost_items(found)
        rows.append(
            [
                f"Fault {name}: no item lost, audit chain verifies",
                lost_text(found),
                verdict(
                    None
                    if lost is None
                    else not lost and found["items_after"].get("audit_chain") == "OK"
                ),
            ]
        )
        if name == "node" and "loop" in found:
            loop = found["loop"]
            rows.append(
                [
                    "Node killed: errors no more than the requests in flight",
                    f"{loop.errors} (in flight at most {loop.threads})",
                    verdict(loop.errors <= loop.threads),
                ]
            )
        if name == "postgres" and "loop" in found:
            outcomes = found["loop"].outcomes()
            rows.append(
                [
                    "PostgreSQL restart: no 500 (the site's 503 page instead)",
                    f"{outcomes.get('500', 0)}× 500, {outcomes.get('503 site page', 0)}× 503 "
                    f"site page, {outcomes.get('503 front (no node)', 0)}× 503 front",
                    verdict(outcomes.get("500", 0) == 0),
                ]
            )
        if name == "redis" and "loop" in found:
            loop = found["loop"]
            rows.append(
                [
                    "Redis down: public pages 200, sign-in works",
                    f"{loop.errors} errors; sign-in {found.get('sign_in')}",
                    verdict(loop.errors == 0 and found.get("sign_in") == "ok"),
                ]
            )
        if name == "worker" and "received" in found:
            rows.append(
                [
                    "Worker killed mid-send: the alert sent once when it comes back",
                    f"{found['received']} acknowledged",
                    verdict(found["received"] == 1),
                ]
            )
    return rows


# Entry point ------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--manifest", type=Path, help="province manifest (default var/bench/province-full.json)"
    )
    parser.add_argument(
        "--scale",
        choices=["small", "full"],
        help="use var/bench/province-<scale>.json, building it with bench/province.py if missing",
    )
    parser.add_argument(
        "--database-url",
        help=f"database of a province --scale builds (default {PROVINCE_DATABASE}_<scale>)",
    )
    parser.add_argument(
        "--quick", action="store_true", help="small scale, 2 s per figure, shorter faults"
    )
    parser.add_argument("--seconds", type=int, default=10, help="length of each measurement")
    parser.add_argument("--output", type=Path, help="where to write the report")
    parser.add_argument("--no-faults", action="store_true", help="figures only")
    parser.add_argument("--no-figures", action="store_true", help="faults only")
    parser.add_argument(
        "--faults", metavar="NAMES", help="only these faults: node,postgres,redis,worker"
    )
    parser.add_argument(
        "--pg-restart",
        default=PG_RESTART,
        metavar="COMMAND",
        help=f"shell command restarting PostgreSQL (default: {PG_RESTART})",
    )
    parser.add_argument(
        "--force-pg-restart",
        action="store_true",
        help="restart PostgreSQL even when other databases have clients",
    )
    parser.add_argument("--count-items", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--raise-alert", metavar="USERNAME", help=argparse.SUPPRESS)
    parser.add_argument("--outbox-status", metavar="IDS", help=argparse.SUPPRESS)
    parser.add_argument("--sweep-outbox", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.count_items:
        print(json.dumps(count_items_in_process()))
        return 0
    if args.raise_alert:
        print(json.dumps(raise_alert_in_process(args.raise_alert)))
        return 0
    if args.sweep_outbox:
        print(json.dumps(sweep_outbox_in_process()))
        return 0
    if args.outbox_status:
        print(json.dumps(outbox_status_in_process(args.outbox_status)))
        return 0
    if args.quick and not args.manifest and not args.scale:
        args.scale = "small"
    if not args.manifest and not args.scale:
        args.manifest = VAR / "province-full.json"

    def terminate(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    output = args.output or RESULTS_CLUSTER
    bench = ClusterBench(args)
    started = time.monotonic()
    try:
        bench.run()
    except Exception as error:
        traceback.print_exc()
        bench.failure = f"{type(error).__name__}: {error}"
        if not bench.public and not bench.trivial and not bench.faults:
            return 1
    finally:
        bench.loadavg_after = Path("/proc/loadavg").read_text().split()[:3]
        bench.cleanup()
    text = report(bench)
    write_report(text, output)
    # The same, one heading level down, for the lead to paste into bench/RESULTS.md.
    section = output.with_name(output.stem + "-section.md")
    section.write_text(re.sub(r"^(#+) ", r"#\1 ", text, flags=re.MULTILINE))
    print()
    print(text)
    log(
        f"done in {time.monotonic() - started:.0f} s; report written to {output}, "
        f"the section for bench/RESULTS.md to {section}"
    )
    return 1 if bench.failure else 0


if __name__ == "__main__":
    sys.exit(main())
