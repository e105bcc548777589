"""The shared cache works against a real Redis when one is configured (always in CI)."""

import os
import socket
import uuid

import pytest
from django.core.cache.backends.redis import RedisCache

from config.env import cache_config

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def test_redis_cache_from_url_stores_and_returns_values():
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must be reachable at 127.0.0.1:6379 under CI=true")
        pytest.skip("no Redis at 127.0.0.1:6379")
    config = cache_config(REDIS_URL, "/unused")
    cache = RedisCache(config["LOCATION"], {})
    key = f"test-{uuid.uuid4()}"
    cache.set(key, {"trang": "chủ"}, 30)
    assert cache.get(key) == {"trang": "chủ"}
    cache.delete(key)
    assert cache.get(key) is None
