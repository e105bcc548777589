"""Settings of the benchmark: production's, plus a trivial view to measure the ceiling.

``bench/run.py`` sets every variable production needs (bench-only keys, plain-HTTP
cookies on loopback, its own database, static and cache directories), so the figures
are those of the settings a school runs, not of a debug server.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
