"""Settings of the benchmark: production's, plus a trivial view to measure the ceiling.

``bench/run.py`` sets every variable production needs (bench-only keys, plain-HTTP
cookies on loopback, its own database, static and cache directories), so the figures
are those of the settings a school runs, not of a debug server.

One difference, for one row: the help channel's limits. The load run posts about a
hundred help requests a second from one address to one school; with production's
limits (a few posts per address per ten minutes, 300 per school per hour) all but
the first few would be refused with 429, and the row would time the refusal. Raised
here, every post is still counted against them in the shared cache as in production,
and goes through: the figure is that of an accepted request.
"""

from config.settings.production import *  # noqa: F403

ROOT_URLCONF = "bench.urls"

_NEVER_REACHED = 10**9
HELP_CHANNEL_POSTS_PER_ADDRESS = (_NEVER_REACHED, 10 * 60)
HELP_CHANNEL_POSTS_PER_ADDRESS_DAY = (_NEVER_REACHED, 24 * 60 * 60)
HELP_CHANNEL_POSTS_PER_SCHOOL = (_NEVER_REACHED, 60 * 60)
