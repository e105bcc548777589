# Sourced by bin/serve-dev and deploy/cluster/run-nodes: the one loop that runs a
# periodic management command where no systemd timer does (deploy/systemd).
#
# every SECONDS COMMAND…: run `manage.py COMMAND…`, sleep, again, until the calling
# script is gone. For a command that runs until it fails (the task worker, which exits
# when the database restarts), that is a restart SECONDS after it ends, as systemd's
# Restart= does. Needs PYTHON; the command's errors go to EVERY_LOG (default: the
# terminal). Children run in the background and are waited for, so a signal is acted
# on at once rather than after a whole sleep; they ignore Ctrl-C, so pass it on.
every() {
  local interval="$1" child="" parent=$$ log="${EVERY_LOG:-/dev/stderr}"
  shift
  trap '[ -n "$child" ] && kill "$child" 2>/dev/null; exit 0' INT TERM HUP
  # Also stop if the script is gone without running its traps (kill -9).
  while kill -0 "$parent" 2>/dev/null; do
    "$PYTHON" manage.py "$@" >/dev/null 2>>"$log" &
    child=$!
    wait "$child" || echo "$(basename "$0"): $1 failed; trying again in ${interval}s" >&2
    sleep "$interval" &
    child=$!
    wait "$child" || true
  done
}
