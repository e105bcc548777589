"""The query plans behind the admin lists of a province (issue 18, point 5).

On a database built by ``bench/province.py``, renders each admin page of its manifest
in process as the user the manifest names (signed in with both factors), captures
the queries with ``CaptureQueriesContext``, and runs ``EXPLAIN (ANALYZE, BUFFERS)`` on
each read. Writes one file per page to ``var/bench/plans/`` and a summary naming
the slowest query of each page and every sequential scan of a table of more than
10,000 rows::

    .venv/bin/python bench/province_plans.py \\
        --database-url postgres://postgres@127.0.0.1:5432/province_full \\
        --manifest var/bench/province-full.json

Nothing is changed: the plans run in a transaction that is rolled back, and only
statements that read (``SELECT``) are analysed.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OUT = ROOT / "var" / "bench" / "plans"
BIG_TABLE_ROWS = 10_000
_SEQ_SCAN = re.compile(r"Seq Scan on (\w+)")
_EXECUTION = re.compile(r"Execution Time: ([\d.]+) ms")


def signed_in_client(username: str):
    """A test client signed in as ``username`` with a verified second factor."""
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorDevice

    user = get_user_model().objects.get(username=username)
    client = Client(raise_request_exception=False)
    client.force_login(user)
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    return client


def capture(client, host: str, path: str) -> tuple[int, list[dict[str, str]]]:
    """The queries of the second request of ``path`` (the first fills per-process caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path, HTTP_HOST=host)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, HTTP_HOST=host)
    return response.status_code, list(queries.captured_queries)


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reltuples::bigint FROM pg_class WHERE relkind = 'r'")
        return dict(cursor.fetchall())


def explain(sql: str) -> str:
    """``EXPLAIN (ANALYZE, BUFFERS)`` of one read, in a savepoint rolled back."""
    from django.db import connection, transaction

    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
    except Exception as error:  # a query that cannot be replayed alone says why
        plan = f"(not explained: {type(error).__name__}: {error})"
    return plan


def analyse_page(page: dict, client, host: str, sizes: dict[str, int]) -> dict[str, Any]:
    status, queries = capture(client, host, page["path"])
    entries = []
    for n, query in enumerate(queries, start=1):
        sql = query["sql"]
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        plan = explain(sql)
        found = _EXECUTION.search(plan)
        scans = sorted(
            {t for t in _SEQ_SCAN.findall(plan) if sizes.get(t, 0) > BIG_TABLE_ROWS},
        )
        entries.append(
            {
                "n": n,
                "sql": sql,
                "plan": plan,
                "ms": float(found.group(1)) if found else None,
                "seq_scans": scans,
            }
        )
    slowest = max(entries, key=lambda e: e["ms"] or 0, default=None)
    return {
        "name": page["name"],
        "user": page["user"],
        "path": page["path"],
        "status": status,
        "queries": len(queries),
        "explained": entries,
        "slowest": slowest,
        "seq_scans": sorted({t for e in entries for t in e["seq_scans"]}),
    }


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def write(result: dict[str, Any], out: Path) -> Path:
    lines = [
        f"# {result['name']} — {result['path']} as {result['user']}",
        f"status {result['status']}, {result['queries']} queries, "
        f"{len(result['explained'])} reads explained",
        "",
    ]
    for entry in result["explained"]:
        ms = f"{entry['ms']:.2f} ms" if entry["ms"] is not None else "?"
        lines += [f"## query {entry['n']} ({ms})", entry["sql"], "", entry["plan"], ""]
    path = out / f"{slug(result['name'])}.txt"
    path.write_text("\n".join(lines))
    return path


def summary(results: list[dict[str, Any]]) -> str:
    lines = ["view | status | queries | slowest (ms) | seq scans on tables > 10,000 rows"]
    for r in results:
        slowest = r["slowest"]
        ms = f"{slowest['ms']:.2f} (query {slowest['n']})" if slowest and slowest["ms"] else "-"
        lines.append(
            f"{r['name']} | {r['status']} | {r['queries']} | {ms} | "
            f"{', '.join(r['seq_scans']) or 'none'}"
        )
    for r in results:
        if r["slowest"]:
            lines += ["", f"Slowest query of {r['name']}:", r["slowest"]["sql"][:2000]]
    return "\n".join(lines) + "\n"


def run(manifest: dict[str, Any], out: Path = OUT) -> list[dict[str, Any]]:
    """Analyse every admin page of ``manifest``; Django must be set up on its database."""
    out.mkdir(parents=True, exist_ok=True)
    sizes = table_sizes()
    admin = manifest["admin"]
    clients: dict[str, Any] = {}
    results = []
    for page in admin["pages"]:
        user = page["user"]
        if user not in clients:
            clients[user] = signed_in_client(admin["users"][user]["username"])
        result = analyse_page(page, clients[user], admin["host"], sizes)
        write(result, out)
        results.append(result)
    (out / "summary.txt").write_text(summary(results))
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--manifest", required=True, type=Path)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    from bench.province import configure

    configure(args.database_url)
    results = run(json.loads(args.manifest.read_text()), args.out)
    print(summary(results).split("\n\n", 1)[0])
    print(f"plans written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
