"""Settings for the pytest suite: fast hashing, isolated cache and media."""

import tempfile

from config.env import env_str

from .base import *  # noqa: F403
from .base import CACHES

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = tempfile.mkdtemp(prefix="truong-an-toan-media-")
# Each run gets its own file cache unless a CACHE_URL is given, so the suite
# exercises the same backend as a deployment without sharing state between runs.
if env_str("CACHE_URL") is None:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tempfile.mkdtemp(prefix="truong-an-toan-cache-"),
        }
    }
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = tempfile.mkdtemp(prefix="truong-an-toan-static-")
