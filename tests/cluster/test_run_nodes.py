"""deploy/cluster/run-nodes refuses what several nodes cannot share, before starting anything."""

import os
import subprocess

import pytest

from tests.cluster.conftest import ROOT, SCRIPT


def run_nodes(tmp_path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", str(SCRIPT)],
        cwd=ROOT,
        env={**os.environ, "CLUSTER_DIR": str(tmp_path), "MIGRATE": "0", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("database_url", "says"),
    [
        ("sqlite:////tmp/db.sqlite3", "must be PostgreSQL"),
        ("", "DATABASE_URL is not set"),
    ],
)
def test_a_database_the_nodes_cannot_share_is_refused(tmp_path, database_url, says):
    done = run_nodes(tmp_path, DATABASE_URL=database_url)
    assert done.returncode == 2
    assert says in done.stderr
    assert not (tmp_path / "node-1").exists()


def test_a_cache_of_one_machine_is_refused(tmp_path):
    done = run_nodes(
        tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:5432/x", CACHE_URL="file:///tmp/c"
    )
    assert done.returncode == 2
    assert "CACHE_URL must be Redis" in done.stderr
    assert not (tmp_path / "node-1").exists()
