"""Production settings refuse unsafe configuration and pass Django's deployment checks."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from config.env import cache_config, env_bool

BASE_DIR = Path(__file__).resolve().parents[2]

# The environment the README documents for a production server.
DOCUMENTED_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": secrets.token_urlsafe(64),
    "DJANGO_ALLOWED_HOSTS": "truong.example.edu.vn",
    "DATABASE_URL": "sqlite:////tmp/truong-an-toan-deploy-check.sqlite3",
    "CASE_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "CASE_INDEX_KEY": secrets.token_urlsafe(48),
    "AUDIT_CHAIN_KEYS": f"a1:{secrets.token_urlsafe(48)}",
}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def without(name: str) -> dict[str, str]:
    """The documented environment with ``name`` left out."""
    return {k: v for k, v in DOCUMENTED_ENV.items() if k != name}


@pytest.mark.parametrize(
    ("missing", "message"),
    [
        ("DJANGO_SECRET_KEY", "DJANGO_SECRET_KEY must be set"),
        ("DJANGO_ALLOWED_HOSTS", "DJANGO_ALLOWED_HOSTS"),
        ("CASE_ENCRYPTION_KEYS", "CASE_ENCRYPTION_KEYS and CASE_INDEX_KEY must be set"),
        ("CASE_INDEX_KEY", "CASE_ENCRYPTION_KEYS and CASE_INDEX_KEY must be set"),
    ],
)
def test_production_refuses_to_start_without_a_required_setting(missing, message):
    result = run_manage("check", env=without(missing))
    assert result.returncode != 0, missing
    assert message in result.stderr


def test_production_refuses_a_short_or_placeholder_secret_key():
    for weak in ("short", "django-insecure-" + "a" * 60):
        result = run_manage("check", env={**DOCUMENTED_ENV, "DJANGO_SECRET_KEY": weak})
        assert result.returncode != 0, weak
        assert "DJANGO_SECRET_KEY" in result.stderr


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (None, "AUDIT_CHAIN_KEYS must be set"),
        ("no-id-given", "must be written id:secret"),
        ("a1:too-short", "must be at least 32 characters"),
    ],
)
def test_production_refuses_to_start_without_a_usable_audit_key(value, message):
    env = without("AUDIT_CHAIN_KEYS")
    if value is not None:
        env["AUDIT_CHAIN_KEYS"] = value
    result = run_manage("check", env=env)
    assert result.returncode != 0
    assert message in result.stderr
    assert "too-short" not in result.stderr  # a secret is never printed


PRINT_SECURITY = """
from django.conf import settings as s
print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_SSL_REDIRECT)
print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY)
print(s.CONTENT_SECURITY_POLICY["DIRECTIVES"].get("upgrade-insecure-requests"))
print(s.CONTENT_SECURITY_POLICY_ADMIN["DIRECTIVES"].get("upgrade-insecure-requests"))
"""


def test_production_sends_hsts_secure_cookies_and_upgrades_insecure_requests():
    result = run_manage("shell", "-c", PRINT_SECURITY, env=DOCUMENTED_ENV)
    assert result.returncode == 0, result.stderr
    # The last four lines: ``shell`` may first say what it imported.
    hsts, cookies, upgrade, upgrade_admin = result.stdout.strip().splitlines()[-4:]
    seconds, subdomains, redirect = hsts.split()
    assert int(seconds) >= 31_536_000
    assert (subdomains, redirect) == ("True", "True")
    assert cookies == "True True True"
    assert (upgrade, upgrade_admin) == ("True", "True")


def test_production_passes_check_deploy_with_the_documented_environment():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=DOCUMENTED_ENV)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_vietnamese_is_the_default_language_with_english_available():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]
    assert settings.LOCALE_PATHS[0] == BASE_DIR / "site" / "locale"


def test_cache_is_shared_between_workers_by_default_and_redis_when_given():
    assert cache_config(None, "/tmp/c")["BACKEND"].endswith("FileBasedCache")
    redis = cache_config("redis://127.0.0.1:6379/1", "/tmp/c")
    assert redis == {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": "redis://127.0.0.1:6379/1",
    }
    with pytest.raises(ImproperlyConfigured):
        cache_config("memcached://x", "/tmp/c")


def test_database_url_selects_postgresql():
    code = "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'])"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
        "PYTHONPATH": str(BASE_DIR),
    }
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=BASE_DIR,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "django.db.backends.postgresql"


def test_env_bool_rejects_ambiguous_values(monkeypatch):
    monkeypatch.setenv("X_FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env_bool("X_FLAG")
    monkeypatch.setenv("X_FLAG", "off")
    assert env_bool("X_FLAG", default=True) is False


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """JIT compiled the province's search for 0.7-2 s before a 1 ms query (issue 18)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("JIT is PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
        # And random reads priced as memory's, not a spinning disk's (base settings).
        cursor.execute("SHOW random_page_cost")
        assert cursor.fetchone()[0] == "1.1"
