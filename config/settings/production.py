"""Production: everything sensitive comes from the environment.

Refuses to start without a real secret key, and with the environment documented
in the README passes ``manage.py check --deploy`` with no warnings.
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_int, env_list, env_str, parse_id_keys

from .base import *  # noqa: F403
from .base import CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY_ADMIN, STORAGES

DEBUG = False

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if (
    not SECRET_KEY
    or len(SECRET_KEY) < 50
    or len(set(SECRET_KEY)) < 5
    or SECRET_KEY.startswith("django-insecure")
):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set to a random value of at least 50 characters "
        "(for example: python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )

if not CASE_ENCRYPTION_KEYS or len(CASE_INDEX_KEY) < 32:  # noqa: F405
    raise ImproperlyConfigured(
        "CASE_ENCRYPTION_KEYS and CASE_INDEX_KEY must be set: case data is encrypted at "
        "rest with keys that never live in the database (see docs/operations.md)."
    )

# The audit chain's HMAC keys: without them anyone able to write to the database
# could rewrite the audit and recompute every hash (see audit/keys.py).
if not parse_id_keys("AUDIT_CHAIN_KEYS", AUDIT_CHAIN_KEYS):  # noqa: F405
    raise ImproperlyConfigured(
        "AUDIT_CHAIN_KEYS must be set (id:secret, newest first): the access audit is "
        "chained with a key that never lives in the database (see docs/operations.md)."
    )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list the site's host names.")

# HTTPS everywhere. Behind a TLS-terminating proxy set DJANGO_SECURE_PROXY_SSL_HEADER=true.
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
if env_bool("DJANGO_SECURE_PROXY_SSL_HEADER", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", True)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
# nosniff, Referrer-Policy, Cross-Origin-Opener-Policy, X-Frame-Options DENY and
# the two Content-Security-Policies are set in base; here the browser is also told
# to fetch any http:// reference over HTTPS.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY["DIRECTIVES"],
        "upgrade-insecure-requests": True,
    }
}
CONTENT_SECURITY_POLICY_ADMIN = {
    "DIRECTIVES": {
        **CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"],
        "upgrade-insecure-requests": True,
    }
}

# Hashed, compressed static files served by WhiteNoise from the app server.
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

ADMINS = [("Admin", addr) for addr in env_list("DJANGO_ADMIN_EMAILS")]
