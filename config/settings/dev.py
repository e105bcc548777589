"""Local development: DEBUG on, a throwaway key, e-mail written to files under var/mail/."""

from config.env import env_int, env_list, env_str

from .base import *  # noqa: F403

DEBUG = True
SECRET_KEY = env_str("DJANGO_SECRET_KEY", "dev-only-insecure-key-never-use-in-production")
# *.localhost resolves to this machine in browsers, so each demo school's own
# site (an-lac.localhost:8000) works without editing a hosts file.
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost", ".localhost", "[::1]"])
# Each e-mail (alerts, digests) is a file in var/mail/, to read without a mail server.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = VAR_DIR / "mail"  # noqa: F405
# Serve static files straight from site/static and the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# A developer changing a template wants to see it at once; PAGE_CACHE_SECONDS=600 tries the cache.
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)

# Case-data keys for a developer's machine: from the environment when given,
# otherwise made once and kept in var/dev-keys.json (never committed), so the demo
# database stays readable across restarts.
from config.dev_keys import dev_case_keys  # noqa: E402

CASE_ENCRYPTION_KEYS, CASE_INDEX_KEY = dev_case_keys(
    VAR_DIR,  # noqa: F405
    env_list("CASE_ENCRYPTION_KEYS"),
    env_str("CASE_INDEX_KEY", ""),
)

from config.dev_keys import dev_audit_keys  # noqa: E402

AUDIT_CHAIN_KEYS = dev_audit_keys(VAR_DIR, env_list("AUDIT_CHAIN_KEYS"))  # noqa: F405
