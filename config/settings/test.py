"""Settings for the pytest suite: fast hashing, isolated cache and media."""

import tempfile
from pathlib import Path

from config.env import env_int, env_str

from .base import *  # noqa: F403
from .base import CACHES

DEBUG = False
SECRET_KEY = "test-only-key-not-secret-" + "x" * 40
ALLOWED_HOSTS = ["*"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tasks run at once, in the caller, after its transaction commits; the tests of the
# worker (tests/notifications) switch to the database backend and run db_worker's loop.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="truong-an-toan-media-")
# Each run gets its own file cache unless a CACHE_URL is given, so the suite
# exercises the same backend as a deployment without sharing state between runs.
if env_str("CACHE_URL") is None:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tempfile.mkdtemp(prefix="truong-an-toan-cache-"),
        },
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": tempfile.mkdtemp(prefix="truong-an-toan-page-cache-"),
            "KEY_PREFIX": "pages",
        },
    }
# Most tests change content through the ORM and look again at once; the page
# cache is switched on by the tests that are about it (tests/page_cache).
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 0)
FRAGMENT_CACHE_SECONDS = env_int("FRAGMENT_CACHE_SECONDS", 0)
WAGTAILADMIN_BASE_URL = "http://testserver"
STATIC_ROOT = tempfile.mkdtemp(prefix="truong-an-toan-static-")
# Fixed, public test keys: tests must never run with a deployment's keys.
CASE_ENCRYPTION_KEYS = ["Vx5E9W8tqkQv1c0wJQ0S4aYyJ9Jt0m0S8mM1n3bV8s0="]
CASE_INDEX_KEY = "test-only-index-key-not-secret-0123456789"
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="truong-an-toan-private-")
# The audit chain's keys: fixed and public, newest first (tests/audit rotates them).
AUDIT_CHAIN_KEYS = ["t1:test-only-audit-chain-key-not-secret-0123456789"]
# Anchors of this run only; tests that anchor point this at their own tmp_path.
AUDIT_ANCHOR_FILE = Path(tempfile.mkdtemp(prefix="truong-an-toan-anchors-")) / "anchors.jsonl"
AUDIT_ANCHOR_EMAIL: list[str] = []
# pytest-django empties the tables after each transactional test with `flush`;
# audit/management/commands/flush.py lifts the audit's triggers for it here only.
AUDIT_FLUSH_MAY_EMPTY_AUDIT = True
