"""Timing the reports on a bench database (``bench/run.py --measure-figures`` runs this in
a child process): ``compute_school_figures`` for the figures school's year, and the
district overview page for that year as the district officer. The data is built by
``bench/figures.py``; this module is apart from it so that changing how things are
measured does not rebuild the datasets (the builder's code is in their stamp).
"""

from __future__ import annotations

import statistics
import time
from typing import Any

RUNS = 20


def _percentiles(seconds: list[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return {"p50_ms": statistics.median(ordered) * 1000, "p99_ms": p99 * 1000}


def measure(manifest: dict, runs: int = RUNS) -> dict[str, Any]:
    """Time the school's year figures and the district overview in this process.

    Each is run once to warm the process, then ``runs`` times; the queries are those of
    the last run. The officer is signed in as the test suite does (both factors: the
    session carries the confirmed authenticator, as the code page leaves it).
    """
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY

    from accounts.models import AuthenticatorDevice
    from reports.figures import compute_school_figures
    from reports.models import ReportingPeriod
    from schools.models import School

    section = manifest.get("figures")
    if not section:
        return {}
    results: dict[str, Any] = {}
    school = School.objects.get(pk=section["school_id"])
    year = ReportingPeriod.objects.get(pk=section["period_id"])

    def timed(call) -> tuple[list[float], int, Any]:
        call()
        seconds, cpu, answer = [], [], None
        for _n in range(runs):
            with CaptureQueriesContext(connection) as queries:
                started, used = time.perf_counter(), time.process_time()
                answer = call()
                seconds.append(time.perf_counter() - started)
                cpu.append(time.process_time() - used)
        # SQLite runs in this process: its CPU time is the work itself, whatever else
        # the machine is doing, where the wall time grows with the load.
        timings.append(statistics.median(cpu) * 1000)
        return seconds, len(queries), answer

    timings: list[float] = []

    seconds, queries, figures = timed(lambda: compute_school_figures(school, year))
    results["figures"] = {
        **_percentiles(seconds),
        "cpu_p50_ms": timings[-1],
        "queries": queries,
        "runs": runs,
        "cases": section["cases"],
        "entries": section["entries"],
        "activities": section["activities"],
        "cases_opened": figures["totals"]["cases_opened"],
        "sessions": figures["totals"]["sessions"],
    }

    officer = get_user_model().objects.get(username=section["officer"]["username"])
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    session = client.session
    device = AuthenticatorDevice.objects.get(user=officer, confirmed=True)
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    host = manifest.get("host") or "127.0.0.1"
    seconds, queries, response = timed(lambda: client.get(section["overview_url"], HTTP_HOST=host))
    results["district"] = {
        **_percentiles(seconds),
        "cpu_p50_ms": timings[-1],
        "queries": queries,
        "runs": runs,
        "status": response.status_code,
        "schools": section["district_schools"],
        "bytes": len(response.content),
    }
    return results
