"""`make bench`: build the datasets, serve them as production does, measure, write RESULTS.md.

The figures only mean something beside ceilings measured in the same run on the
same machine, so this one script measures everything together: a trivial view of
the project under the same gunicorn, nginx serving a saved copy of the home page,
and Varnish (deploy/varnish/default.vcl) in front of gunicorn. Before each load run
one request checks that the URL answers the status it should: a benchmark of an
error page would lie. Every server it starts is stopped on the way out, whatever
happens (see ``Processes``).

Run ``.venv/bin/python bench/run.py --help``; bench/README.md explains the figures.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import gzip
import hashlib
import hmac
import html.parser
import http.client
import http.cookies
import importlib.metadata
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import sqlite3
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
GUNICORN = str(VENV_BIN / "gunicorn")
DATASET = BENCH_DIR / "dataset.py"
VCL = ROOT / "deploy" / "varnish" / "default.vcl"
RESULTS = BENCH_DIR / "RESULTS.md"
NOTES_MARKER = "<!-- notes: kept by bench/run.py -->"
# Redis database the cached run uses (flushed before it): away from 0, which people use.
REDIS_DB = 13
WORKERS = 2
VERIFY_PATH = "/admin/xac-thuc-2-buoc/nhap-ma/"
LOGIN_PATH = "/admin/login/"
HELLO_PATH = "/bench/hello/"
FORM_TYPE = "application/x-www-form-urlencoded"
NOT_IN_DATASET = "not in this dataset"
# Seconds between loading the help form and sending it: the form's time token sets a
# request sent sooner than pages/help_channel/forms.py's MIN_SECONDS (3) aside as
# possible spam, and the row times a pupil's request, not a machine's.
HELP_FORM_WAIT = 3.5


@dataclass(frozen=True)
class Page:
    """One row of the report: what is requested, as whom, and which status is right."""

    key: str
    label: str
    kind: str  # "trivial", "public" or "admin"
    expect: int
    connections: int


PAGES = [
    Page("hello", "Trivial view (ceiling)", "trivial", 200, 16),
    Page("home", "Home page", "public", 200, 16),
    Page("plan_index_filtered", "Plan index, filtered", "public", 200, 16),
    Page("plan", "Plan page", "public", 200, 16),
    Page("campaign", "Campaign page", "public", 200, 16),
    Page("search", "Search", "public", 200, 16),
    Page("not_found", "404 page", "public", 404, 16),
    Page("case_list", "Admin case list (case worker)", "admin", 200, 4),
    Page("wizard_post", "Wizard step POST", "admin", 302, 4),
    Page("plan_pdf", "Mẫu 03 PDF", "admin", 200, 2),
    Page("triage_queue", "Triage queue, first page (case worker)", "admin", 200, 4),
    Page("triage_queue_deep", "Triage queue, page 150 (case worker)", "admin", 200, 4),
    # Post/redirect/get: a request accepted answers a redirect to its receipt.
    Page("help_post", "Help form POST (public)", "help", 302, 4),
]
PUBLIC = [page for page in PAGES if page.kind == "public"]
ADMIN = [page for page in PAGES if page.kind == "admin"]
HELP = [page for page in PAGES if page.kind == "help"]
# Names ``--only`` accepts besides a page's key.
GROUPS = {
    "public": [p.key for p in PUBLIC],
    "admin": [p.key for p in ADMIN],
    "triage": ["triage_queue", "triage_queue_deep"],
    "help": ["help_post"],
    "reports": ["figures", "district"],
}
# Measured in process, not under load (bench/figures.py): a school's year figures and the
# district overview. ``--only reports`` (or ``figures``, ``district``) runs just these.
REPORT_KEYS = frozenset({"figures", "district"})
FIGURES_TARGET_MS = 1000
DISTRICT_TARGET_MS = 2000
# Timed in process on a fresh database of its own (bench/plan_import_measure.py):
# importing a 40-page plan. ``--only plan_import`` runs just this, without the datasets.
PLAN_IMPORT_KEYS = frozenset({"plan_import"})
PLAN_IMPORT_TARGET_S = 5


def chosen_pages(only: str | None) -> set[str] | None:
    """The page keys ``--only`` names (keys or groups, comma-separated); None for all."""
    if not only:
        return None
    keys: set[str] = set()
    known = {p.key for p in PAGES} | REPORT_KEYS | PLAN_IMPORT_KEYS
    for name in (part.strip() for part in only.split(",") if part.strip()):
        if name in GROUPS:
            keys.update(GROUPS[name])
        elif name in known:
            keys.add(name)
        else:
            raise SystemExit(
                f"--only: unknown page or group {name!r}; use {sorted(known | set(GROUPS))}"
            )
    return keys


# Small helpers ---------------------------------------------------------------------------


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tool(name: str) -> str:
    """The path of a Debian tool; nginx and varnishd live in sbin, off a user's PATH."""
    found = shutil.which(name) or next(
        (f"{d}/{name}" for d in ("/usr/sbin", "/usr/bin") if Path(f"{d}/{name}").exists()), None
    )
    if found is None:
        raise SystemExit(f"{name} is missing: run bin/ensure-bench-tools")
    return found


def split_url(url: str, default_host: str) -> tuple[str, str]:
    """``(host, path?query)`` of a manifest URL, which may be absolute or a path."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return (parts.netloc or default_host), path


def csrf_from_html(html: bytes) -> str:
    match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if match is None:
        raise RuntimeError("no csrfmiddlewaretoken in the page")
    return match.group(1).decode()


class _FormFields(html.parser.HTMLParser):
    """The fields a browser would send from the first form posting to ``action``."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
        self.inside = False
        self.done = False
        self.fields: dict[str, str] = {}
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and not self.done:
            action = a.get("action", "")
            self.inside = a.get("method", "get").lower() == "post" and (
                not action or urllib.parse.urlsplit(action).path == self.action
            )
        if not self.inside or "name" not in a:
            return
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                self.fields.setdefault(a["name"], a.get("value", ""))
        elif tag == "textarea":
            self.textarea = a["name"]
            self.fields.setdefault(a["name"], "")

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.fields[self.textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "textarea":
            self.textarea = None
        elif tag == "form" and self.inside:
            self.inside, self.done = False, True


def form_fields(html_text: bytes, action: str) -> dict[str, str]:
    """Every field of the page's POST form for ``action`` with the value it was served
    with: hidden tokens, a honeypot left empty, checked boxes and radio buttons."""
    parser = _FormFields(action)
    parser.feed(html_text.decode("utf-8", "replace"))
    if not parser.done and not parser.fields:
        raise RuntimeError(f"no form posting to {action} in the page")
    return parser.fields


def hotp(key: bytes, counter: int, digits: int = 6) -> str:
    """RFC 4226, what the case worker's authenticator app computes."""
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def totp_step(last_t: int, tolerance: int = 1) -> int:
    """The next time step whose code the server accepts.

    The server refuses a step already used (``last_t``) and accepts ``tolerance``
    steps ahead, so several sign-ins within 30 s take the next steps, and a wait
    happens only when those are used up too.
    """
    while True:
        now_t = int(time.time()) // 30
        step = max(now_t, last_t + 1)
        if step <= now_t + tolerance:
            return step
        time.sleep(1)


def last_totp_step(db_path: Path | str, username: str) -> int:
    """The last step the server accepted; ``db_path`` is a SQLite file or a PostgreSQL URL
    (bench/cluster.py)."""
    sql = (
        "SELECT max(d.last_t) FROM accounts_authenticatordevice d "
        "JOIN auth_user u ON u.id = d.user_id "
        "WHERE u.username = %s AND d.confirmed"
    )
    if str(db_path).startswith(("postgres://", "postgresql://")):
        import psycopg

        with psycopg.connect(str(db_path), connect_timeout=10) as db:
            row = db.execute(sql, (username,)).fetchone()
    else:
        with contextlib.closing(sqlite3.connect(db_path)) as db:
            row = db.execute(sql.replace("%s", "?"), (username,)).fetchone()
    return int(row[0] or -1)


# Processes -------------------------------------------------------------------------------


class Processes:
    """Servers started by the run, each in its own process group, all stopped on exit."""

    def __init__(self) -> None:
        self.running: list[subprocess.Popen] = []

    def start(self, cmd: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as out:
            proc = subprocess.Popen(
                cmd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.running.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen) -> None:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        # Workers of a master that died first are still in its group.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        if proc in self.running:
            self.running.remove(proc)

    def stop_all(self) -> None:
        for proc in reversed(list(self.running)):
            self.stop(proc)


def wait_for_http(port: int, path: str, host: str, proc: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}; see {log_path}")
        try:
            HttpSession(port, host).request("GET", path)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no answer on port {port} within 60 s; see {log_path}")


def worker_peak_memory(master_pid: int) -> list[int]:
    """VmHWM (peak resident set) in KiB of each child of the gunicorn master."""
    children: list[int] = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[1]) == master_pid:
                children.append(int(stat.parent.name))
    peaks = []
    for pid in sorted(children):
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]))
    return peaks


def was_hit(headers: http.client.HTTPMessage) -> bool:
    """Whether Varnish answered from its cache (two transaction ids, or the VCL's X-Cache)."""
    return headers.get("X-Cache") == "HIT" or len((headers.get("X-Varnish") or "").split()) > 1


# HTTP over loopback ----------------------------------------------------------------------


class HttpSession:
    """A minimal client that keeps cookies and sends the Host the site expects."""

    def __init__(self, port: int, host: str) -> None:
        self.port = port
        self.host = host
        self.cookies: dict[str, str] = {}

    @property
    def origin(self) -> str:
        return f"http://{self.host}"

    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self, method: str, path: str, body: str | None = None, headers: dict | None = None
    ) -> tuple[int, http.client.HTTPMessage, bytes]:
        sent = {"Host": self.host, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = self.cookie_header()
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            conn.request(method, path, body=body.encode() if body else None, headers=sent)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            jar = http.cookies.SimpleCookie()
            jar.load(value)
            for name, morsel in jar.items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, data

    def post_form(self, path: str, data: dict[str, str]) -> tuple[int, Any, bytes]:
        return self.request(
            "POST",
            path,
            urllib.parse.urlencode(data),
            {"Content-Type": FORM_TYPE, "Origin": self.origin, "Referer": self.origin + path},
        )


def sign_in_http(session: HttpSession, user: dict, db_path: Path | str) -> None:
    """Sign in as a person does: password form, then a code from the authenticator."""
    status, _, html = session.request("GET", LOGIN_PATH)
    form = {"username": user["username"], "password": user["password"], "next": "/admin/"}
    status, _, _ = session.post_form(
        LOGIN_PATH, {**form, "csrfmiddlewaretoken": csrf_from_html(html)}
    )
    if status != 302:
        raise RuntimeError(f"sign-in of {user['username']} answered {status}, not 302")
    status, _, html = session.request("GET", VERIFY_PATH + "?next=/admin/")
    if status != 200:
        raise RuntimeError(f"the second-factor page answered {status}")
    step = totp_step(last_totp_step(db_path, user["username"]))
    code = hotp(bytes.fromhex(user["totp_key_hex"]), step)
    status, _, _ = session.post_form(
        VERIFY_PATH, {"code": code, "next": "/admin/", "csrfmiddlewaretoken": csrf_from_html(html)}
    )
    if status != 302:
        raise RuntimeError(f"the second factor of {user['username']} answered {status}, not 302")


# Environment and datasets ----------------------------------------------------------------


def bench_keys() -> dict[str, str]:
    """Bench-only secrets, made once and kept beside the databases they encrypt.

    A key that production came to require later (the audit chain's) is added to an
    older file; the datasets' stamp then changes and they are built again with it.
    """
    path = VAR / "keys.json"
    keys: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    if "DJANGO_SECRET_KEY" not in keys:
        from cryptography.fernet import Fernet

        keys.update(
            {
                "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
                "CASE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
                "CASE_INDEX_KEY": secrets.token_urlsafe(48),
            }
        )
    elif "AUDIT_CHAIN_KEYS" in keys:
        return keys
    keys["AUDIT_CHAIN_KEYS"] = "bench:" + secrets.token_urlsafe(48)
    VAR.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(keys))
    path.chmod(0o600)
    return keys


def keys_id(keys: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(keys, sort_keys=True).encode()).hexdigest()[:16]


def bench_env(db_path: Path, hosts: list[str], **extra: str) -> dict[str, str]:
    """The environment of every process that touches a bench database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CASE_"))}
    names = ["127.0.0.1", "localhost", ".localhost"]
    names += [h.rsplit(":", 1)[0] if not h.startswith("[") else h for h in hosts]
    env.update(bench_keys())
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DATABASE_URL": f"sqlite:///{db_path}",
            "DJANGO_ALLOWED_HOSTS": ",".join(dict.fromkeys(names)),
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DJANGO_SECURE_COOKIES": "false",
            "DJANGO_SECURE_HSTS_SECONDS": "0",
            "VAR_DIR": str(VAR / "var"),
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
            "LOG_LEVEL": "ERROR",
        }
    )
    env.pop("CACHE_URL", None)
    env.pop("FRONTEND_CACHE_PURGE_URL", None)
    env.update(extra)
    return env


def ensure_dataset(scale: str, rebuild: bool) -> tuple[Path, dict]:
    """Build ``var/bench/<scale>.sqlite3`` with bench/dataset.py unless a matching one exists."""
    db_path, manifest_path = VAR / f"{scale}.sqlite3", VAR / f"{scale}.json"
    stamp_path = VAR / f"{scale}.built"
    # A new migration (an index, a column) makes an old database a different one.
    migrations = sorted(
        str(m.relative_to(ROOT)) for m in ROOT.glob("*/migrations/0*.py") if "var" not in m.parts
    )
    stamp = {
        "scale": scale,
        "keys": keys_id(bench_keys()),
        "migrations": hashlib.sha256("\n".join(migrations).encode()).hexdigest()[:16],
        # What the builder writes: a dataset built by older code lacks what is measured now.
        "builder": hashlib.sha256(
            b"".join(p.read_bytes() for p in (DATASET, BENCH_DIR / "figures.py") if p.exists())
        ).hexdigest()[:16],
    }
    if not rebuild and db_path.exists() and manifest_path.exists() and stamp_path.exists():
        manifest = json.loads(manifest_path.read_text())
        if manifest.get("scale") == scale and json.loads(stamp_path.read_text()) == stamp:
            log(f"reusing the {scale} dataset in {db_path.relative_to(ROOT)}")
            return db_path, manifest
    if not DATASET.exists():
        raise SystemExit(f"{DATASET.relative_to(ROOT)} is missing: it builds the datasets.")
    for path in (db_path, manifest_path, stamp_path):
        path.unlink(missing_ok=True)
    log(f"building the {scale} dataset (bench/dataset.py) …")
    started = time.monotonic()
    subprocess.run(
        [PYTHON, str(DATASET), "--scale", scale, "--manifest", str(manifest_path)],
        env=bench_env(db_path, []),
        cwd=ROOT,
        check=True,
    )
    log(f"{scale} dataset built in {time.monotonic() - started:.0f} s")
    stamp_path.write_text(json.dumps(stamp))
    return db_path, json.loads(manifest_path.read_text())


def manifest_hosts(manifest: dict) -> list[str]:
    host = manifest.get("host") or "127.0.0.1"
    hosts = [host]
    for url in [
        *manifest["urls"].values(),
        manifest.get("wizard_step", {}).get("url", ""),
        manifest.get("help_form", {}).get("url", ""),
    ]:
        if url:
            hosts.append(split_url(url, host)[0])
    return list(dict.fromkeys(hosts))


def url_of(page: Page, manifest: dict) -> str | None:
    """The manifest's URL for ``page``; None when this dataset has none (a deep page of a
    small build, or a dataset built before the page existed)."""
    if page.key == "hello":
        return HELLO_PATH
    if page.key == "wizard_post":
        return manifest.get("wizard_step", {}).get("url")
    if page.key == "help_post":
        return manifest.get("help_form", {}).get("url")
    return manifest["urls"].get(page.key)


def target_of(page: Page, manifest: dict) -> tuple[str, str]:
    """``(host, path)`` requested for ``page``."""
    return split_url(url_of(page, manifest), manifest.get("host") or "127.0.0.1")


def help_body(fields: dict[str, str], manifest: dict) -> dict[str, str]:
    """A help request as a pupil sends it: the served form's own fields (CSRF token,
    signed time token, the honeypot as served, empty) with the manifest's text typed in."""
    return {**fields, **manifest["help_form"]["data"]}


def collect_static(env: dict[str, str]) -> None:
    """Collect (and compress) static files, unless none of the project's changed since."""
    manifest = VAR / "static" / "staticfiles.json"
    if manifest.exists():
        built = manifest.stat().st_mtime
        sources = [d for d in ROOT.glob("*/static") if d.parent.name not in {"var", ".venv"}]
        newer = any(f.stat().st_mtime > built for d in sources for f in d.rglob("*") if f.is_file())
        if not newer:
            log("static files unchanged since the last collectstatic")
            return
    log("collectstatic into var/bench/static …")
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )


# Queries and sizes, in process -----------------------------------------------------------


def measure_queries_in_process(manifest_path: Path, db_path: Path) -> dict:
    """Run in a child process set up for one database (``--measure-queries``)."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    manifest = json.loads(manifest_path.read_text())
    results: dict[str, dict] = {}

    def measure(client: Client, page: Page) -> None:
        if not url_of(page, manifest):
            return
        host, path = target_of(page, manifest)
        if page.key == "wizard_post":
            data = manifest["wizard_step"]["data"]

            def send():
                return client.post(path, data, HTTP_HOST=host)
        elif page.key == "help_post":

            def send():
                # A new request each time, from the form as served; only the POST is counted.
                served = Client(raise_request_exception=False).get(path, HTTP_HOST=host)
                fields = form_fields(served.content, path)
                time.sleep(HELP_FORM_WAIT)
                return client.post(path, help_body(fields, manifest), HTTP_HOST=host)
        else:

            def send():
                return client.get(path, HTTP_HOST=host)

        send()  # warm: the first request fills per-process caches
        with CaptureQueriesContext(connection) as queries:
            response = send()
        body = b"".join(response.streaming_content) if response.streaming else response.content
        results[page.key] = {
            "status": response.status_code,
            "queries": len(queries),
            "raw": len(body),
            "gzip": len(gzip.compress(body, 6)),
        }

    # A page that fails is a row with status 500, not the end of the run.
    anonymous = Client(raise_request_exception=False)
    for page in [PAGES[0], *PUBLIC, *HELP]:
        measure(anonymous, page)
    staff = Client(raise_request_exception=False)
    user = manifest["users"]["case_worker"]
    host = manifest.get("host") or "127.0.0.1"
    staff.post(
        LOGIN_PATH,
        {"username": user["username"], "password": user["password"], "next": "/admin/"},
        HTTP_HOST=host,
    )
    step = totp_step(last_totp_step(db_path, user["username"]))
    code = hotp(bytes.fromhex(user["totp_key_hex"]), step)
    staff.post(VERIFY_PATH, {"code": code, "next": "/admin/"}, HTTP_HOST=host)
    for page in ADMIN:
        measure(staff, page)
    return results


def measure_figures(db_path: Path, manifest_path: Path, manifest: dict) -> dict:
    """The reports' timings and queries at one scale, in a child process (bench/figures.py)."""
    if not manifest.get("figures"):
        log("  no reports in this dataset (built before them): run with --rebuild")
        return {}
    env = bench_env(db_path, manifest_hosts(manifest), PAGE_CACHE_SECONDS="0")
    done = subprocess.run(
        [PYTHON, str(Path(__file__)), "--measure-figures", str(manifest_path), str(db_path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    if done.returncode != 0:
        log(f"  measuring the reports failed (exit {done.returncode}); see the traceback above")
        return {}
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def measure_figures_in_process(manifest_path: Path) -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from bench import reports_measure

    return reports_measure.measure(json.loads(manifest_path.read_text()))


def measure_plan_import(tmp: Path) -> dict:
    """Importing a 40-page plan, in a child process on a database made for it and
    thrown away with the run's temporary folder (drafts and originals land nowhere else)."""
    db_path = tmp / "plan-import.sqlite3"
    env = bench_env(db_path, [], MEDIA_ROOT=str(tmp / "plan-import-media"))
    done = subprocess.run(
        [PYTHON, str(Path(__file__)), "--measure-plan-import", str(db_path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    if done.returncode != 0:
        log(f"  timing the plan import failed (exit {done.returncode}); see the traceback above")
        return {}
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


def measure_plan_import_in_process() -> dict:
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.core.management import call_command

    from bench import plan_import_measure

    call_command("migrate", verbosity=0, stdout=sys.stderr)
    return plan_import_measure.measure()


def measure_queries(db_path: Path, manifest_path: Path, manifest: dict) -> dict:
    # Kept fragments off too: the count is every query a page runs when nothing is kept
    # (the first view after a publish); with fragments kept, public pages run fewer.
    env = bench_env(
        db_path, manifest_hosts(manifest), PAGE_CACHE_SECONDS="0", FRAGMENT_CACHE_SECONDS="0"
    )
    done = subprocess.run(
        [PYTHON, str(Path(__file__)), "--measure-queries", str(manifest_path), str(db_path)],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )
    if done.returncode != 0:
        log(f"  counting queries failed (exit {done.returncode}); see the traceback above")
        return {}
    return json.loads(done.stdout.decode().strip().splitlines()[-1])


# Load ------------------------------------------------------------------------------------


@dataclass
class Load:
    """What wrk measured for one URL, or why it was not measured."""

    rps: float = 0.0
    p50_ms: float = 0.0
    p99_ms: float = 0.0
    connections: int = 0
    errors: str = ""
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors and self.rps > 0


@dataclass
class Request:
    """What wrk sends."""

    port: int
    host: str
    path: str
    method: str = "GET"
    body: str = ""
    cookie: str = ""
    origin: str = ""
    # What every browser sends; a front that stores gzip then serves it as it is.
    accept_encoding: str = "gzip"


def run_wrk(request: Request, connections: int, seconds: int, warmup: int, expect: int) -> Load:
    env = dict(os.environ)
    env.update(
        {
            "BENCH_METHOD": request.method,
            "BENCH_BODY": request.body,
            "BENCH_HOST": request.host,
            "BENCH_COOKIE": request.cookie,
            "BENCH_CONTENT_TYPE": FORM_TYPE if request.body else "",
            "BENCH_ORIGIN": request.origin,
            "BENCH_ACCEPT_ENCODING": request.accept_encoding,
            "BENCH_REFERER": request.origin + request.path if request.origin else "",
        }
    )
    url = f"http://127.0.0.1:{request.port}{request.path}"

    def wrk(duration: int) -> str:
        cmd = [tool("wrk"), f"-t{min(2, connections)}", f"-c{connections}", f"-d{duration}s"]
        cmd += ["--timeout", "10s", "--latency", "-s", str(BENCH_DIR / "wrk.lua"), url]
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=duration + 60)
        return done.stdout + done.stderr

    if warmup:
        wrk(warmup)
    # A sync worker still answers what wrk sent before it hung up: one request, queued
    # behind that backlog, returns when it is gone, so the measurement starts clean.
    with contextlib.suppress(OSError):
        HttpSession(request.port, request.host).request("GET", HELLO_PATH)
    text = wrk(seconds)
    line = next((ln for ln in text.splitlines() if ln.startswith("BENCH_RESULT ")), None)
    if line is None:
        return Load(connections=connections, errors=f"wrk said: {text.strip()[-200:]}")
    data = json.loads(line.removeprefix("BENCH_RESULT "))
    load = Load(
        rps=data["requests"] / (data["duration_us"] / 1e6),
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        connections=connections,
        statuses=data["statuses"],
    )
    if not data["requests"]:
        problems_none = f"errors: no answer within {seconds} s"
        return Load(connections=connections, errors=problems_none)
    problems = [f"{n}× {s}" for s, n in sorted(data["statuses"].items()) if int(s) != expect]
    problems += [
        f"{n} socket {kind} errors" for kind, n in data["errors"].items() if n and kind != "status"
    ]
    if problems:
        load.errors = "errors: " + ", ".join(problems)
    return load


def check_then_load(
    session: HttpSession, request: Request, page: Page, seconds: int, warmup: int
) -> Load:
    """One request first: measure only a URL that answers what it should."""
    status, _, _ = session.request(
        request.method,
        request.path,
        request.body or None,
        {
            "Content-Type": FORM_TYPE,
            "Origin": request.origin,
            "Referer": request.origin + request.path,
        }
        if request.body
        else None,
    )
    if status != page.expect:
        log(f"  {page.label}: answered {status}, expected {page.expect}; not measured")
        return Load(
            connections=page.connections, errors=f"errors: answered {status}, not {page.expect}"
        )
    conns = page.connections
    duration = max(5, seconds // 2) if page.key == "plan_pdf" else seconds
    load = run_wrk(request, conns, duration, warmup, page.expect)
    log(
        f"  {page.label:32} {load.rps:9.1f} req/s  p50 {load.p50_ms:7.2f} ms  "
        f"p99 {load.p99_ms:7.2f} ms  {load.errors}"
    )
    return load


@dataclass
class ServerRun:
    """Everything measured against one gunicorn."""

    mode: str
    loads: dict[str, Load] = field(default_factory=dict)
    memory_kib: list[int] = field(default_factory=list)


class Bench:
    """One run: datasets, servers, measurements, report."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.quick = args.quick
        self.seconds = 2 if self.quick else args.seconds
        self.only = chosen_pages(args.only)
        self.warmup = 1 if self.quick else 2
        self.procs = Processes()
        self.tmp = Path(tempfile.mkdtemp(prefix="bench-"))
        # nginx's and Varnish's workers run as other users: they must read their files.
        self.tmp.chmod(0o755)
        self.loadavg_before = Path("/proc/loadavg").read_text().split()[:3]
        self.loadavg_after: list[str] = []
        self.cache_label = ""
        self.cache_url: str | None = None
        self.queries: dict[str, dict] = {}
        self.reports: dict[str, dict] = {}
        self.plan_import: dict[str, Any] = {}
        self.runs: dict[str, ServerRun] = {}
        self.nginx: Load | None = None
        self.front: dict[str, Load] = {}
        self.front_hits: dict[str, bool] = {}
        self.vcl_label = ""
        self.publish: dict[str, Any] = {}
        self.counts: dict = {}
        self.home_html = b""
        self.cookies = ""
        self.failure = ""
        self.db_path = Path("-")
        self.manifest: dict = {}
        self.hosts: list[str] = []

    # Steps

    def run(self) -> None:
        bench_keys()
        if self.only is None or self.only & PLAN_IMPORT_KEYS:
            log("timing the import of a 40-page plan (fresh database: migrating first) …")
            self.plan_import = measure_plan_import(self.tmp)
        if self.only is not None and self.only <= PLAN_IMPORT_KEYS:
            return
        scales = ["small"] if self.quick else ["small", "full"]
        datasets = {scale: ensure_dataset(scale, self.args.rebuild) for scale in scales}
        load_scale = scales[-1]
        self.db_path, self.manifest = datasets[load_scale]
        self.counts = self.manifest.get("counts", {})
        self.hosts = manifest_hosts(self.manifest)
        collect_static(bench_env(self.db_path, self.hosts))
        pages = self.only is None or bool(self.only - REPORT_KEYS - PLAN_IMPORT_KEYS)
        for scale, (db_path, _manifest) in datasets.items():
            if pages:
                log(f"counting queries at the {scale} scale …")
                self.queries[scale] = measure_queries(db_path, VAR / f"{scale}.json", _manifest)
            if self.only is None or self.only & REPORT_KEYS:
                log(f"timing the reports at the {scale} scale …")
                self.reports[scale] = measure_figures(db_path, VAR / f"{scale}.json", _manifest)
        if not pages:
            return
        self.choose_cache()
        self.runs["uncached"] = self.serve("uncached")
        if self.only is None or self.only & set(GROUPS["public"]):
            self.runs["cached"] = self.serve("cached")

    def choose_cache(self) -> None:
        try:
            import redis

            client = redis.Redis(host="127.0.0.1", port=6379, db=REDIS_DB, socket_timeout=2)
            client.ping()
            self.cache_url = f"redis://127.0.0.1:6379/{REDIS_DB}"
            self.cache_label = f"Redis ({self.cache_url})"
        except Exception:
            self.cache_url = None
            self.cache_label = "file cache (var/bench/var/cache), Redis did not answer"

    def clear_cache(self) -> None:
        if self.cache_url:
            import redis

            redis.Redis.from_url(self.cache_url).flushdb()
        shutil.rmtree(VAR / "var" / "cache", ignore_errors=True)

    def server_env(self, mode: str, **extra: str) -> dict[str, str]:
        settings = {"PAGE_CACHE_SECONDS": "0" if mode == "uncached" else "600"}
        if self.cache_url:
            settings["CACHE_URL"] = self.cache_url
        return bench_env(self.db_path, self.hosts, **settings, **extra)

    def serve(self, mode: str) -> ServerRun:
        log(f"gunicorn, page cache {'OFF' if mode == 'uncached' else 'ON'} …")
        self.clear_cache()
        port = free_port()
        log_path = VAR / f"gunicorn-{mode}.log"
        log_path.unlink(missing_ok=True)
        cmd = [GUNICORN, "config.wsgi", "--workers", str(WORKERS), "--worker-class", "sync"]
        cmd += ["--bind", f"127.0.0.1:{port}", "--timeout", "120"]
        proc = self.procs.start(cmd, self.server_env(mode), log_path)
        host = self.manifest.get("host") or "127.0.0.1"
        wait_for_http(port, HELLO_PATH, host, proc, log_path)
        run = ServerRun(mode)
        try:
            pages = [*PUBLIC, *ADMIN, *HELP] if mode == "uncached" else PUBLIC
            pages = [PAGES[0], *(p for p in pages if self.measures(p))]
            for page in pages:
                run.loads[page.key] = self.load_page(port, page)
            # The ceiling again at the end: the better of the two is the one that held
            # least of whatever else the machine was doing.
            again = self.load_page(port, PAGES[0])
            first = run.loads["hello"]
            if again.ok and (not first.ok or again.rps > first.rps):
                run.loads["hello"] = again
            if mode == "cached" and self.only is None:
                self.ceilings_and_front(port)
        finally:
            run.memory_kib = worker_peak_memory(proc.pid)
            self.procs.stop(proc)
        return run

    def measures(self, page: Page) -> bool:
        """Whether this run measures ``page`` under load (the trivial view always)."""
        return page.key == "hello" or self.only is None or page.key in self.only

    def load_page(self, port: int, page: Page) -> Load:
        if not url_of(page, self.manifest):
            return Load(connections=page.connections, errors=NOT_IN_DATASET)
        host, path = target_of(page, self.manifest)
        session = HttpSession(port, host)
        request = Request(port, host, path)
        if page.kind == "admin":
            try:
                self.sign_in(session)
            except (RuntimeError, OSError) as error:
                return Load(
                    connections=page.connections, errors=f"errors: sign-in failed ({error})"
                )
            request.cookie = session.cookie_header()
            request.origin = session.origin
        if page.key == "wizard_post":
            status, _, html = session.request("GET", path)
            if status != 200:
                return Load(
                    connections=page.connections, errors=f"errors: step page answered {status}"
                )
            data = {
                **self.manifest["wizard_step"]["data"],
                "csrfmiddlewaretoken": csrf_from_html(html),
            }
            request.method, request.body = "POST", urllib.parse.urlencode(data, doseq=True)
            request.cookie = session.cookie_header()
        if page.kind == "help":
            status, _, html = session.request("GET", path)
            if status != 200:
                return Load(
                    connections=page.connections, errors=f"errors: help form answered {status}"
                )
            body = help_body(form_fields(html, path), self.manifest)
            time.sleep(HELP_FORM_WAIT)
            request.method, request.body = "POST", urllib.parse.urlencode(body)
            request.cookie = session.cookie_header()
            request.origin = session.origin
        return check_then_load(session, request, page, self.seconds, self.warmup)

    def sign_in(self, session: HttpSession) -> None:
        """Sign in once per server; the session lives in the database, reused by the next."""
        if self.cookies:
            for pair in self.cookies.split("; "):
                name, _, value = pair.partition("=")
                session.cookies[name] = value
            _host, path = target_of(ADMIN[0], self.manifest)
            if session.request("GET", path)[0] == 200:
                return
            session.cookies.clear()
        sign_in_http(session, self.manifest["users"]["case_worker"], self.db_path)
        self.cookies = session.cookie_header()

    def ceilings_and_front(self, gunicorn_port: int) -> None:
        home = next(p for p in PUBLIC if p.key == "home")
        host, path = target_of(home, self.manifest)
        _status, _, self.home_html = HttpSession(gunicorn_port, host).request("GET", path)
        self.nginx = self.run_nginx(host)
        self.run_front(gunicorn_port)

    def run_nginx(self, host: str) -> Load:
        log("nginx serving a saved copy of the home page …")
        prefix = self.tmp / "nginx"
        root = prefix / "root"
        root.mkdir(parents=True)
        (root / "home.html").write_bytes(self.home_html)
        port = free_port()
        conf = (BENCH_DIR / "nginx-static.conf").read_text()
        for token, value in (("@PREFIX@", prefix), ("@PORT@", port), ("@ROOT@", root)):
            conf = conf.replace(token, str(value))
        (prefix / "nginx.conf").write_text(conf)
        cmd = [tool("nginx"), "-c", str(prefix / "nginx.conf"), "-p", str(prefix)]
        proc = self.procs.start(cmd, dict(os.environ), prefix / "stdout.log")
        try:
            wait_for_http(port, "/", host, proc, prefix / "error.log")
            page = Page("nginx", "nginx static home (ceiling)", "static", 200, 16)
            return check_then_load(
                HttpSession(port, host), Request(port, host, "/"), page, self.seconds, self.warmup
            )
        finally:
            self.procs.stop(proc)

    def vcl_for(self, backend_port: int) -> Path:
        if VCL.exists():
            text = VCL.read_text()
            self.vcl_label = str(VCL.relative_to(ROOT))
        else:
            text = DEV_VCL
            self.vcl_label = "a minimal stand-in VCL (deploy/varnish/default.vcl was missing)"
        text = re.sub(r'(\.port\s*=\s*")8000(")', rf"\g<1>{backend_port}\g<2>", text)
        path = self.tmp / "default.vcl"
        path.write_text(text)
        return path

    def run_front(self, gunicorn_port: int) -> None:
        log("Varnish in front of gunicorn …")
        port = free_port()
        workdir = self.tmp / "varnish"
        workdir.mkdir()
        vcl = self.vcl_for(gunicorn_port)
        cmd = [
            tool("varnishd"),
            "-F",
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-n",
            str(workdir),
        ]
        cmd += ["-s", "malloc,256m"]
        log_path = VAR / "varnish.log"
        log_path.unlink(missing_ok=True)
        proc = self.procs.start(cmd, dict(os.environ), log_path)
        try:
            host = self.manifest.get("host") or "127.0.0.1"
            wait_for_http(port, HELLO_PATH, host, proc, log_path)
            for page in PUBLIC:
                page_host, path = target_of(page, self.manifest)
                session = HttpSession(port, page_host)
                self.front[page.key] = check_then_load(
                    session, Request(port, page_host, path), page, self.seconds, self.warmup
                )
                _, headers, _ = session.request("GET", path)
                self.front_hits[page.key] = was_hit(headers)
            self.publish = self.publish_check(port)
        finally:
            self.procs.stop(proc)

    def publish_check(self, varnish_port: int) -> dict[str, Any]:
        """Publish a new title of the plan page; poll through Varnish until it shows."""
        plan = next(p for p in PUBLIC if p.key == "plan")
        host, path = target_of(plan, self.manifest)
        session = HttpSession(varnish_port, host)
        session.request("GET", path)
        _, headers, _ = session.request("GET", path)
        cached_before = was_hit(headers)
        marker = f"Bench publish {int(time.time())}"
        env = self.server_env("cached", FRONTEND_CACHE_PURGE_URL=f"http://127.0.0.1:{varnish_port}")
        child = subprocess.Popen(
            [PYTHON, str(Path(__file__)), "--publish-title", host, path, marker],
            env=env,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        result: dict[str, Any] = {"cached_before": cached_before}
        try:
            if child.stdout.readline().strip() != "READY":
                return {**result, "error": "the publishing process did not start"}
            log("publishing a new title of the plan page …")
            started = time.monotonic()
            child.stdin.write("publish\n")
            child.stdin.flush()
            seen = None
            while time.monotonic() - started < 10:
                if marker.encode() in session.request("GET", path)[2]:
                    seen = time.monotonic() - started
                    break
                time.sleep(0.01)
            published = child.stdout.readline().strip()
            result["publish_s"] = (
                float(published.split()[1]) if published.startswith("DONE") else None
            )
            result["visible_ms"] = None if seen is None else seen * 1000
            child.stdin.write("restore\n")
            child.stdin.flush()
            child.stdout.readline()
        finally:
            with contextlib.suppress(OSError):
                child.stdin.close()
            try:
                child.wait(timeout=60)
            except subprocess.TimeoutExpired:
                child.kill()
        if result.get("visible_ms") is None:
            log("  the new title did not show through Varnish within 10 s")
        else:
            log(f"  visible through Varnish after {result['visible_ms']:.0f} ms")
        return result

    def cleanup(self) -> None:
        self.procs.stop_all()
        shutil.rmtree(self.tmp, ignore_errors=True)


DEV_VCL = """vcl 4.1;
# Stand-in used only while deploy/varnish/default.vcl does not exist.
backend default { .host = "127.0.0.1"; .port = "8000"; }
acl purge { "127.0.0.1"; }
sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purge) { return (synth(405)); }
        return (purge);
    }
    if (req.method == "BAN") {
        if (client.ip !~ purge) { return (synth(405)); }
        ban("obj.status != 0");
        return (synth(200, "Banned"));
    }
    if (req.url ~ "^/admin/") { return (pass); }
}
"""


def publish_title_in_process(host: str, path: str, title: str) -> None:
    """Child of the publish check (``--publish-title``): publish, then restore the old title."""
    import django

    sys.path.insert(0, str(ROOT))
    django.setup()
    from django.test import RequestFactory
    from wagtail.models import Site

    request = RequestFactory().get(path, HTTP_HOST=host)
    site = Site.find_for_request(request)
    components = [part for part in request.path.split("/") if part]
    page = site.root_page.specific.route(request, components).page.specific
    old_title = page.title
    print("READY", flush=True)
    for command, new_title in (("publish", title), ("restore", old_title)):
        if sys.stdin.readline().strip() != command:
            return
        started = time.monotonic()
        page.title = new_title
        page.save_revision(changed=True).publish()
        print(f"DONE {time.monotonic() - started:.3f}", flush=True)


# Report ----------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "?",
    )
    mem_kib = next(
        int(line.split()[1])
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal:")
    )

    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True)
        return done.stdout.strip()

    dirty = (
        " (with uncommitted changes)"
        if git("status", "--porcelain", "--untracked-files=no")
        else ""
    )

    def version(cmd: list[str]) -> str:
        with contextlib.suppress(OSError):
            done = subprocess.run(cmd, capture_output=True, text=True)
            return (done.stdout + done.stderr).strip().splitlines()[0]
        return "?"

    def tool_version(name: str, flag: str) -> str:
        # A run of the reports alone (--only reports) needs none of the load tools.
        try:
            return version([tool(name), flag])
        except SystemExit:
            return "not installed"

    return {
        "CPU": f"{cpu}, {os.cpu_count()} cores",
        "RAM": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "Kernel": f"{platform.system()} {platform.release()}",
        "Python": platform.python_version(),
        "Django": importlib.metadata.version("django"),
        "Wagtail": importlib.metadata.version("wagtail"),
        "gunicorn": importlib.metadata.version("gunicorn"),
        "SQLite": sqlite3.sqlite_version,
        "Load generator": tool_version("wrk", "-v"),
        "nginx": tool_version("nginx", "-v"),
        "Varnish": tool_version("varnishd", "-V"),
        "Commit": git("rev-parse", "--short", "HEAD") + dirty,
    }


def fmt_rate(load: Load | None) -> str:
    if load is None:
        return "—"
    if not load.ok:
        return load.errors or "errors"
    return f"{load.rps:,.0f}"


def fmt_ms(value: float, load: Load | None) -> str:
    return f"{value:.1f}" if load is not None and load.ok else "—"


def ratio(load: Load | None, ceiling: Load | None) -> float | None:
    if load is None or ceiling is None or not load.ok or not ceiling.ok:
        return None
    return load.rps / ceiling.rps


def fmt_ratio(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f} %"


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join(" --- " for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def report(bench: Bench) -> str:
    now = datetime.datetime.now(datetime.UTC)
    local = now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
    uncached, cached = bench.runs.get("uncached"), bench.runs.get("cached")
    trivial_u = uncached.loads.get("hello") if uncached else None
    trivial_c = cached.loads.get("hello") if cached else None
    scales = list(bench.queries)
    out = [
        "# Benchmark results",
        "",
        "Written by `make bench` (`bench/run.py`); see bench/README.md for what each figure means.",
    ]
    if bench.failure:
        out += [
            "",
            f"**The run failed** ({bench.failure}); the figures below are what was "
            "measured before the failure.",
        ]
    if bench.quick:
        out += [
            "",
            "**Quick smoke run** (`--quick`): small dataset, 2 s per measurement. "
            "Not the figures of record.",
        ]
    out += [
        "",
        f"- Date: {now:%Y-%m-%d %H:%M} UTC ({local:%Y-%m-%d %H:%M} Asia/Ho_Chi_Minh)",
        *(f"- {name}: {value}" for name, value in machine().items()),
        f"- Server: gunicorn, {WORKERS} sync workers, `bench.settings` (production settings), "
        f"SQLite, on 127.0.0.1; wrk 2 threads on the same machine, "
        f"{bench.seconds} s per measurement after {bench.warmup} s of warm-up",
        f"- Load average (1, 5, 15 min) before the run: {' '.join(bench.loadavg_before)}; "
        f"after: {' '.join(bench.loadavg_after)} (other work on the machine skews every figure)",
        f"- Shared cache of the cached run: {bench.cache_label}",
        f"- Caching front: Varnish with {bench.vcl_label or '—'}",
        f"- Dataset measured under load: `{bench.db_path.name}`; counts: "
        + ", ".join(
            f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}" for k, v in bench.counts.items()
        ),
        "",
        "## Requests per second and latency",
        "",
        "The trivial view is measured first and last on each gunicorn; the better is shown. "
        "Uncached: page cache off (`PAGE_CACHE_SECONDS=0`), every request rendered. "
        "Cached: page cache on, shared by both workers. Front: Varnish in front of the cached "
        "gunicorn. Ratios are to the trivial view of the same gunicorn, and for the front to "
        "nginx serving the saved home page.",
        "",
    ]
    if bench.only is not None and not bench.runs:
        out += [
            f"**Partial run** (`--only {bench.args.only}`): no server and no load; only what "
            "is timed in process (below).",
            "",
        ]
    elif bench.only is not None:
        out += [
            f"**Partial run** (`--only {bench.args.only}`): only these pages and the trivial "
            "view under load, on the uncached server; no cached run, front or nginx.",
            "",
        ]
    rows = []
    for page in (p for p in PAGES if bench.measures(p)):
        u = uncached.loads.get(page.key) if uncached else None
        c = cached.loads.get(page.key) if cached else None
        f = bench.front.get(page.key)
        rows.append(
            [
                page.label,
                str(page.connections),
                fmt_rate(u),
                fmt_ms(u.p50_ms, u) if u else "—",
                fmt_ms(u.p99_ms, u) if u else "—",
                fmt_ratio(ratio(u, trivial_u)),
                fmt_rate(c),
                fmt_ms(c.p50_ms, c) if c else "—",
                fmt_ms(c.p99_ms, c) if c else "—",
                fmt_ratio(ratio(c, trivial_c)),
                fmt_rate(f),
                fmt_ms(f.p99_ms, f) if f else "—",
                fmt_ratio(ratio(f, bench.nginx)),
            ]
        )
    n = bench.nginx
    rows.append(
        [
            "nginx, saved home page (ceiling)" if bench.only is None else "nginx (not in this run)",
            "16",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            fmt_rate(n),
            fmt_ms(n.p99_ms, n) if n else "—",
            "100 %" if n and n.ok else "—",
        ]
    )
    out.append(
        table(
            [
                "Page",
                "conns",
                "uncached req/s",
                "p50 ms",
                "p99 ms",
                "÷ trivial",
                "cached req/s",
                "p50 ms",
                "p99 ms",
                "÷ trivial",
                "front req/s",
                "p99 ms",
                "÷ nginx",
            ],
            rows,
        )
    )
    if bench.front_hits:
        missed = [p.label for p in PUBLIC if not bench.front_hits.get(p.key)]
        out += [
            "",
            "Varnish answered from its cache after the load for every public page."
            if not missed
            else "Varnish did **not** answer from its cache for: " + ", ".join(missed) + ".",
        ]
    out += [
        "",
        "## SQL queries and response size",
        "",
        "Counted in process (Django test client, page cache and kept fragments off, so every "
        "query a page runs when nothing is kept) on the second request of each page; sizes of "
        "the body as sent, and gzip-compressed at level 6. The load runs above keep fragments "
        "(site, menu, help lines, facets: `page_cache.fragments`) as production does, in both "
        "the uncached and the cached columns.",
        "",
    ]
    rows = []
    for page in PAGES if scales else []:
        per = [bench.queries.get(s, {}).get(page.key) for s in scales]
        last = per[-1] or {}
        rows.append(
            [page.label, str(last.get("status", "—"))]
            + [str(p["queries"]) if p else "—" for p in per]
            + [f"{last['raw']:,}" if last else "—", f"{last['gzip']:,}" if last else "—"]
        )
    out.append(
        table(["Page", "status", *(f"queries ({s})" for s in scales), "bytes", "gzip"], rows)
        if rows
        else "Not counted in this run."
    )
    out += report_section(bench)
    out += plan_import_section(bench)
    out += ["", "## Peak memory of the workers", ""]
    for run in bench.runs.values():
        mib = ", ".join(f"{k / 1024:.0f} MiB" for k in run.memory_kib) or "not read"
        out.append(f"- {run.mode} run: {mib} (VmHWM of each worker at the end)")
    pub = bench.publish
    out += ["", "## A published change through the front", ""]
    if bench.only is not None:
        out.append("Not measured in a partial run.")
    elif pub.get("visible_ms") is not None:
        out.append(
            f"The plan page's new title showed through Varnish {pub['visible_ms']:.0f} ms after "
            f"publishing began (the publish itself took {pub.get('publish_s') or 0:.3f} s); "
            f"Varnish held the old page before: {'yes' if pub.get('cached_before') else 'no'}."
        )
    else:
        out.append(f"Not seen within 10 s. {pub.get('error', '')}".strip())
    out += ["", "## Targets", "", table(["Target", "Measured", "Result"], targets(bench)), ""]
    return "\n".join(out)


def report_rows(bench: Bench) -> list[list[str]]:
    """The reports' rows: a school's year figures and the district overview, per scale."""
    rows = []
    for key, label in (
        ("figures", "School year figures (`compute_school_figures`)"),
        ("district", "District overview (`/admin/phong-gd/?period=`), district officer"),
    ):
        for scale, found in bench.reports.items():
            row = found.get(key)
            if not row:
                rows.append([label, scale, "not measured", "", "", "", "", ""])
                continue
            size = (
                f"{row['cases']:,} cases, {row['entries']:,} entries, "
                f"{row['activities']:,} activities"
                if key == "figures"
                else f"{row['schools']} schools (status {row['status']})"
            )
            rows.append(
                [
                    label,
                    scale,
                    size,
                    str(row["runs"]),
                    f"{row['p50_ms']:.0f}",
                    f"{row['p99_ms']:.0f}",
                    f"{row['cpu_p50_ms']:.0f}" if "cpu_p50_ms" in row else "—",
                    str(row["queries"]),
                ]
            )
    return rows


def report_section(bench: Bench) -> list[str]:
    if not bench.reports:
        return []
    return [
        "",
        "## Reports (in process)",
        "",
        "Timed in one process on the bench database (bench/figures.py), after one warm-up "
        "call; queries of the last run. The school's figures are computed for the whole "
        "school year; the district overview is the page a district officer opens, with "
        "every school's submitted year report. SQLite runs in the process, so its CPU time "
        "(CPU p50) is the work itself, whatever else the machine does; the wall times grow "
        "with the load average given above.",
        "",
        table(
            ["What", "scale", "data", "runs", "p50 ms", "p99 ms", "CPU p50 ms", "queries"],
            report_rows(bench),
        ),
    ]


def plan_import_section(bench: Bench) -> list[str]:
    found = bench.plan_import
    if not found:
        return []
    rows = [
        [
            f"`.{fmt}`",
            f"{row['characters']:,} characters, {row['pdf_pages']} pages as PDF, "
            f"{row['bytes']:,} bytes",
            str(row["runs"]),
            f"{row['p50_ms']:.0f}",
            f"{row['max_ms']:.0f}",
            f"{row['extract_p50_ms']:.0f}",
            f"{row['recognise_p50_ms']:.0f}",
            f"{row['draft_p50_ms']:.0f}",
            f"{row['cpu_p50_ms']:.0f}" if "cpu_p50_ms" in row else "—",
            f"{row['cpu_max_ms']:.0f}" if "cpu_max_ms" in row else "—",
            f"{row['sections']} / {row['clauses']} / {row['leftovers']}",
        ]
        for fmt, row in found.items()
        if isinstance(row, dict)
    ]
    return [
        "",
        "## Plan import (in process)",
        "",
        "One plan of 40 pages (bench/plan_import_measure.py), as a Word file and as a PDF, "
        "imported as the upload screen and `import_plans` do: text read, plan recognised, "
        "draft saved with the original attached; one warm-up, then each run makes a draft of "
        "its own, on a fresh SQLite database of the run's own. SQLite runs in the process, so "
        "the CPU time is the work itself; the wall times (p50, max, each step) grow with the "
        "load average given above.",
        "",
        table(
            [
                "File",
                "size",
                "runs",
                "p50 ms",
                "max ms",
                "read p50",
                "recognise p50",
                "draft p50",
                "CPU p50 ms",
                "CPU max ms",
                "sections / clauses / leftovers",
            ],
            rows,
        ),
    ]


def plan_import_targets(bench: Bench) -> list[list[str]]:
    if bench.only is not None and not bench.only & PLAN_IMPORT_KEYS:
        return []
    limit = PLAN_IMPORT_TARGET_S
    rows = []
    for fmt in ("docx", "pdf"):
        row = bench.plan_import.get(fmt)
        name = f"Importing a 40-page plan (.{fmt}): every run < {limit:.0f} s"
        if not row:
            rows.append([name, "not measured", "**MISS**"])
            continue
        rows.append(
            [
                name,
                f"p50 {row['p50_ms']:.0f} ms, max {row['max_ms']:.0f} ms",
                "PASS" if row["max_ms"] < limit * 1000 else "**MISS**",
            ]
        )
    return rows


def report_targets(bench: Bench) -> list[list[str]]:
    rows: list[list[str]] = []
    scales = [s for s in bench.reports if bench.reports[s]]
    for key, limit, name in (
        ("figures", FIGURES_TARGET_MS, "School year figures"),
        ("district", DISTRICT_TARGET_MS, "District overview"),
    ):
        found = [(s, bench.reports[s].get(key)) for s in scales]
        found = [(s, row) for s, row in found if row]
        if not found:
            rows.append(
                [f"{name}: p99 < {limit} ms, same queries at both scales", "not measured", "—"]
            )
            continue
        scale, last = found[-1]
        ok = last["p99_ms"] < limit and last.get("status", 200) == 200
        rows.append(
            [
                f"{name} ({scale}): p99 < {limit} ms",
                f"p99 {last['p99_ms']:.0f} ms"
                + (f", status {last['status']}" if "status" in last else ""),
                "PASS" if ok else "**MISS**",
            ]
        )
        counts = [row["queries"] for _s, row in found]
        same = len(set(counts)) == 1
        rows.append(
            [
                f"Queries, {name}: same at both scales"
                + (" (one scale only)" if len(found) < 2 else ""),
                " / ".join(f"{row['queries']} ({s})" for s, row in found),
                "PASS" if same and len(found) > 1 else ("—" if len(found) < 2 else "**MISS**"),
            ]
        )
    return rows


def targets(bench: Bench) -> list[list[str]]:
    rows: list[list[str]] = report_targets(bench) + plan_import_targets(bench)
    uncached, cached = bench.runs.get("uncached"), bench.runs.get("cached")

    def verdict(ok: bool | None) -> str:
        return "—" if ok is None else ("PASS" if ok else "**MISS**")

    def add(name: str, measured: str, ok: bool | None) -> None:
        rows.append([name, measured, verdict(ok)])

    if cached:
        trivial = cached.loads.get("hello")
        for page in PUBLIC:
            load = cached.loads.get(page.key)
            r = ratio(load, trivial)
            if r is None:
                add(
                    f"Cached {page.label}: ≥ 50 % of trivial, p99 < 20 ms at 16",
                    fmt_rate(load),
                    False,
                )
                continue
            add(
                f"Cached {page.label}: ≥ 50 % of trivial, p99 < 20 ms at 16",
                f"{fmt_ratio(r)}, p99 {load.p99_ms:.1f} ms",
                r >= 0.5 and load.p99_ms < 20,
            )
    if uncached:
        trivial = uncached.loads.get("hello")
        for key, limit in (
            ("home", 0.03),
            ("plan_index_filtered", 0.03),
            ("plan", 0.06),
            ("campaign", 0.06),
            ("search", 0.03),
        ):
            page = next(p for p in PAGES if p.key == key)
            if not bench.measures(page):
                continue
            load = uncached.loads.get(key)
            r = ratio(load, trivial)
            add(
                f"Uncached {page.label}: ≥ {limit * 100:.0f} % of trivial",
                fmt_ratio(r) if r is not None else fmt_rate(load),
                r is not None and r >= limit,
            )
    for page in PUBLIC if bench.only is None else []:
        load = bench.front.get(page.key)
        r = ratio(load, bench.nginx)
        add(
            f"Front {page.label}: ≥ 50 % of nginx static",
            fmt_ratio(r) if r is not None else fmt_rate(load),
            r is not None and r >= 0.5,
        )
    if bench.only is None:
        visible = bench.publish.get("visible_ms")
        add(
            "Published change visible through the front within 1 s",
            "not seen in 10 s" if visible is None else f"{visible:.0f} ms",
            visible is not None and visible <= 1000,
        )
    if uncached:
        keys = ("case_list", "wizard_post", "triage_queue", "triage_queue_deep", "help_post")
        for key in keys:
            page = next(p for p in PAGES if p.key == key)
            if not bench.measures(page):
                continue
            load = uncached.loads.get(key)
            ok = load is not None and load.ok and load.p99_ms < 150
            if load is not None and load.errors == NOT_IN_DATASET:
                ok = None  # a deep page of the small build: nothing to judge
            add(
                f"{page.label}: p99 < 150 ms at 4",
                f"p99 {load.p99_ms:.1f} ms" if load and load.ok else fmt_rate(load),
                ok,
            )
    scales = list(bench.queries)
    if not scales:
        return rows
    for page in [*PUBLIC, next(p for p in PAGES if p.key == "case_list")]:
        # The case list's bound is its test's (tests/forms_app/admin/test_case_list_queries.py:
        # 15, and 2 more since the front door's menu counts new concerns and unread alerts).
        limit = 10 if page.kind == "public" else 17
        counts = [bench.queries[s].get(page.key, {}).get("queries") for s in scales]
        measured = " / ".join(f"{c} ({s})" for c, s in zip(counts, scales, strict=True))
        ok = all(c is not None and c <= limit for c in counts)
        if len(scales) > 1:
            ok = ok and len(set(counts)) == 1
            name = f"Queries, {page.label}: ≤ {limit}, same at both scales"
        else:
            name = f"Queries, {page.label}: ≤ {limit} (one scale only in --quick)"
        add(name, measured, ok)
    # The triage queue and the help POST: a count that does not grow with the concerns
    # (10 in the small build, 10,000 in the full one) nor with the page number.
    for name, keys in (
        (
            "Queries, triage queue: same at both scales, first and deep page",
            {"triage_queue": "first page", "triage_queue_deep": "page 150"},
        ),
        ("Queries, help form POST: same at both scales", {"help_post": "POST"}),
    ):
        found = [
            (f"{label} ({s})", bench.queries[s][key]["queries"])
            for key, label in keys.items()
            for s in scales
            if key in bench.queries[s]
        ]
        measured = " / ".join(f"{c} {label}" for label, c in found) or "not measured"
        ok = bool(found) and len({c for _label, c in found}) == 1
        if len(scales) < 2:
            name += " (one scale only in --quick)"
        add(name, measured, ok)
    return rows


def write_report(text: str, path: Path) -> None:
    notes = f"{NOTES_MARKER}\n\n## Notes\n\n(Profiles and remarks written by hand stay here.)\n"
    if path.exists():
        old = path.read_text()
        if NOTES_MARKER in old:
            notes = old[old.index(NOTES_MARKER) :]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.rstrip() + "\n\n" + notes)


# Entry point -----------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help="smoke run: small dataset only, 2 s per measurement, report in var/bench",
    )
    parser.add_argument("--rebuild", action="store_true", help="build the datasets again")
    parser.add_argument("--seconds", type=int, default=10, help="length of each measurement")
    parser.add_argument("--output", type=Path, help="where to write the report")
    parser.add_argument(
        "--only",
        metavar="PAGES",
        help="measure under load only these pages (keys or groups, comma-separated: "
        + ", ".join(sorted(GROUPS))
        + ", or a key such as case_list) beside the trivial view, on the uncached server; "
        "no cached run, front or nginx; report in var/bench/RESULTS-only.md",
    )
    parser.add_argument(
        "--measure-queries", nargs=2, metavar=("MANIFEST", "DB"), help=argparse.SUPPRESS
    )
    parser.add_argument(
        "--measure-figures", nargs=2, metavar=("MANIFEST", "DB"), help=argparse.SUPPRESS
    )
    parser.add_argument("--measure-plan-import", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument(
        "--publish-title", nargs=3, metavar=("HOST", "PATH", "TITLE"), help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.measure_queries:
        manifest, db = args.measure_queries
        print(json.dumps(measure_queries_in_process(Path(manifest), Path(db))))
        return 0
    if args.measure_figures:
        print(json.dumps(measure_figures_in_process(Path(args.measure_figures[0]))))
        return 0
    if args.measure_plan_import:
        print(json.dumps(measure_plan_import_in_process()))
        return 0
    if args.publish_title:
        publish_title_in_process(*args.publish_title)
        return 0

    def terminate(signum: int, frame: Any) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, terminate)
    signal.signal(signal.SIGHUP, terminate)
    if args.output:
        output = args.output
    elif args.only:
        output = VAR / ("RESULTS-only-quick.md" if args.quick else "RESULTS-only.md")
    else:
        output = VAR / "RESULTS-quick.md" if args.quick else RESULTS
    bench = Bench(args)
    started = time.monotonic()
    try:
        bench.run()
    except Exception as error:
        # What was measured before the failure is still worth a report that says so.
        traceback.print_exc()
        bench.failure = f"{type(error).__name__}: {error}"
        if not bench.runs:
            return 1
    finally:
        bench.loadavg_after = Path("/proc/loadavg").read_text().split()[:3]
        bench.cleanup()
    text = report(bench)
    write_report(text, output)
    print()
    print(text)
    log(f"done in {time.monotonic() - started:.0f} s; report written to {output}")
    return 1 if bench.failure else 0


if __name__ == "__main__":
    sys.exit(main())
