"""Typed access to configuration in the process environment.

Every deployment-specific value (secrets, hosts, database, cache, e-mail) comes
from the environment so that the same code runs on a laptop, in CI and on a
school's server without editing files.
"""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    """Return the variable, or ``default`` when it is unset or empty."""
    value = os.environ.get(name, "").strip()
    return value or default


def env_bool(name: str, default: bool = False) -> bool:
    """Return a boolean; refuse anything that is not clearly yes or no."""
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int) -> int:
    """Return an integer, naming the variable when it is not one."""
    raw = env_str(name)
    if raw is None:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from exc


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    """Return a comma-separated list with blanks dropped."""
    raw = env_str(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]


def cache_config(url: str | None, file_location: str) -> dict:
    """Build the ``default`` cache from ``CACHE_URL``.

    A per-process memory cache would let each gunicorn worker serve its own stale
    copy, so the default is a file cache that all workers on the machine share;
    ``redis://`` selects Django's Redis backend in its tolerant form
    (:class:`config.cache.TolerantRedisCache`), so a Redis outage makes the site
    slower, never an error page.
    """
    if url is None:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": file_location,
        }
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "config.cache.TolerantRedisCache", "LOCATION": url}
    if url.startswith("file://"):
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": url.removeprefix("file://"),
        }
    if url == "locmem://":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if url == "dummy://":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        "CACHE_URL must start with redis://, rediss://, unix://, file:// or be locmem:// or dummy://."
    )


def page_cache_config(url: str | None, file_location: str) -> dict:
    """Build the ``pages`` cache (rendered public pages) from the same ``CACHE_URL``.

    It shares the backend with ``default`` but never its entries: Redis keys get
    their own prefix, and a file cache its own folder, so clearing or culling
    one leaves the other alone. A file cache keeps up to 10,000 pages, enough
    for every page of a school's site in two languages.
    """
    config = cache_config(url, file_location)
    config["KEY_PREFIX"] = "pages"
    if config["BACKEND"].endswith("FileBasedCache"):
        if url is not None:
            config["LOCATION"] = config["LOCATION"].rstrip("/") + "/pages"
        config["OPTIONS"] = {"MAX_ENTRIES": 10_000}
    return config


_KEY_ID_CHARS = set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")


def parse_id_keys(name: str, values: list[str], min_secret: int = 32) -> list[tuple[str, str]]:
    """Split ``"id:secret"`` items (newest first) into ``(id, secret)`` pairs.

    Used for keys that must stay usable after a rotation: each value written with
    a key stores the short id, so the secret can be found again while the key is
    still listed. Refuses an id that is empty, longer than 16 characters or not
    plain ASCII letters, digits, ``-`` or ``_``, a repeated id, and a secret
    shorter than ``min_secret`` characters. The messages name the variable and
    the id, never a secret.
    """
    keys: list[tuple[str, str]] = []
    for position, item in enumerate(values, start=1):
        key_id, sep, secret = item.partition(":")
        key_id, secret = key_id.strip(), secret.strip()
        if not sep or not key_id or len(key_id) > 16 or not set(key_id) <= _KEY_ID_CHARS:
            raise ImproperlyConfigured(
                f"{name}: item {position} must be written id:secret, with an id of 1 to 16 "
                "letters, digits, '-' or '_'."
            )
        if len(secret) < min_secret:
            raise ImproperlyConfigured(
                f"{name}: the secret of key {key_id!r} must be at least {min_secret} characters."
            )
        if any(key_id == known for known, _ in keys):
            raise ImproperlyConfigured(f"{name}: key id {key_id!r} is listed twice.")
        keys.append((key_id, secret))
    return keys
