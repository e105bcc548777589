"""bin/every.sh: the loop that keeps the task worker and the timers' jobs going off systemd.

The task worker exits when PostgreSQL restarts; under ``deploy/cluster/run-nodes`` its
end used to stop every node. Run through ``every``, it is started again, and the
failure is said in the log, as systemd's ``Restart=always`` would.
"""

import os
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_command_that_exits_is_started_again_until_the_script_ends(tmp_path):
    runs = tmp_path / "runs"
    # Stands in for `python manage.py db_worker …`: notes each start, then fails.
    python = tmp_path / "python"
    python.write_text(f'#!/bin/sh\necho "$@" >> {runs}\nexit 1\n')
    python.chmod(0o755)
    log = tmp_path / "every.log"
    script = (
        ". bin/every.sh\n"
        "every 0.2 db_worker --no-reload &\n"
        "loop=$!\n"
        "sleep 1.5\n"
        'kill "$loop"\n'
        'wait "$loop"\n'
    )

    subprocess.run(
        ["bash", "-c", script],
        cwd=ROOT,
        env={**os.environ, "PYTHON": str(python), "EVERY_LOG": str(log)},
        check=True,
        timeout=30,
    )
    started = runs.read_text().splitlines()
    time.sleep(0.5)

    assert len(started) >= 3, started
    assert set(started) == {"manage.py db_worker --no-reload"}
    assert runs.read_text().splitlines() == started  # nothing runs once the loop is stopped
