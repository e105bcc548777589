"""The shared cache: a real Redis when configured, and a miss, never an error, when Redis
goes away (config/cache.py)."""

import logging
import os
import socket
import uuid

import pytest

from config import cache as tolerant
from config.cache import TolerantRedisCache, cache_recovered, is_reachable, set_confirmed
from config.env import cache_config
from tests.redis_server import free_port, own_redis_server

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(autouse=True)
def fresh_breakers():
    """Each test starts with every server trusted, as a new process does, and without
    the page cache's catching up (its database side is tested in tests/page_cache)."""
    from page_cache.invalidation import _on_cache_recovered

    tolerant._breakers.clear()
    cache_recovered.disconnect(dispatch_uid="page_cache.cache_recovered")
    yield
    cache_recovered.connect(_on_cache_recovered, dispatch_uid="page_cache.cache_recovered")
    tolerant._breakers.clear()


def redis_reachable() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


def cache_at(url: str, **options) -> TolerantRedisCache:
    """The backend ``CACHE_URL=url`` configures, with extra OPTIONS."""
    config = cache_config(url, "/unused")
    backend = config.pop("BACKEND")
    assert backend == "config.cache.TolerantRedisCache"
    return TolerantRedisCache(config.pop("LOCATION"), {**config, "OPTIONS": options})


def test_redis_cache_from_url_stores_and_returns_values():
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must be reachable at 127.0.0.1:6379 under CI=true")
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = cache_at(REDIS_URL)
    key = f"test-{uuid.uuid4()}"
    cache.set(key, {"trang": "chủ"}, 30)
    assert cache.get(key) == {"trang": "chủ"}
    assert cache.add(key, "khác") is False
    counter = f"{key}-n"
    assert cache.add(counter, 1, 30) is True
    assert cache.incr(counter) == 2
    cache.delete_many([key, counter])
    assert cache.get(key) is None
    assert set_confirmed(cache, key, 1, 30) is True
    cache.delete(key)


def test_every_operation_is_a_miss_when_nothing_listens():
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0")

    assert cache.get("k", "mặc định") == "mặc định"
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("k") is False
    assert cache.set("k", 1) is None
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.add("k", 1) is False
    assert cache.touch("k") is False
    assert cache.delete("k") is False
    assert cache.delete_many(["a", "b"]) is None
    assert cache.clear() is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("k")
    with pytest.raises(ValueError, match="not found"):
        cache.decr("k")
    assert cache.get_or_set("k", lambda: "tính lại") == "tính lại"
    assert set_confirmed(cache, "k", 1) is False
    assert is_reachable(cache) is False


def test_an_outage_is_logged_once_and_names_no_password_or_key(caplog):
    port = free_port()
    cache = cache_at(f"redis://:mat-khau-redis@127.0.0.1:{port}/0", breaker_seconds=0)
    with caplog.at_level(logging.WARNING, logger="config.cache"):
        for _ in range(5):
            cache.get("hoc-sinh:nguyen-van-a")
            cache.set("hoc-sinh:nguyen-van-a", "giá trị")

    warnings = [r.getMessage() for r in caplog.records if r.name == "config.cache"]
    assert len(warnings) == 1
    assert f"127.0.0.1:{port}" in warnings[0]
    assert "mat-khau-redis" not in caplog.text
    assert "nguyen-van-a" not in caplog.text
    assert "giá trị" not in caplog.text


def test_after_an_error_redis_is_left_alone_until_the_breaker_retries(monkeypatch):
    cache = cache_at(f"redis://127.0.0.1:{free_port()}/0", breaker_seconds=3600)
    attempts = []
    real_get_client = cache._cache.get_client

    def counted(*args, **kwargs):
        attempts.append(1)
        return real_get_client(*args, **kwargs)

    monkeypatch.setattr(cache._cache, "get_client", counted)

    assert cache.get("a") is None
    for _ in range(20):
        cache.get_many(["a", "b"])
        cache.set("a", 1)
    assert len(attempts) == 1

    # Another alias naming the same server (the "pages" cache) skips it too.
    other = cache_at(cache._servers[0], breaker_seconds=3600)
    monkeypatch.setattr(other._cache, "get_client", counted)
    assert other.get("a") is None
    assert len(attempts) == 1


def test_a_redis_that_accepts_but_never_answers_times_out_into_a_miss():
    # The kernel completes the connection (listen backlog) but nobody ever answers:
    # what a frozen Redis or a half-dead link looks like. Without the backend's read
    # timeout this test would hang.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        cache = cache_at(f"redis://127.0.0.1:{silent.getsockname()[1]}/0")
        assert cache.get("k", "mặc định") == "mặc định"
        assert is_reachable(cache) is False


def test_a_cut_off_redis_is_a_miss_and_afterwards_still_holds_its_data():
    with own_redis_server() as server:
        cache = cache_at(server.url(), breaker_seconds=0)
        cache.set("giu-lai", "vẫn còn", None)
        server.cut()
        try:
            assert cache.get("giu-lai", "trượt") == "trượt"
        finally:
            server.mend()
        assert cache.get("giu-lai") == "vẫn còn"
        assert is_reachable(cache) is True


def test_redis_back_after_a_restart_is_used_again_and_recovery_runs_before_the_call():
    seen = []

    def catch_up(sender, location, **kwargs):
        seen.append(location)
        # Work done here is visible to the call that found Redis back.
        probe.set("bu-lai", "đã bù", None)

    with own_redis_server() as server:
        probe = cache_at(server.url(), breaker_seconds=0)
        cache_recovered.connect(catch_up)
        try:
            probe.set("truoc", 1, None)
            server.stop()
            assert probe.get("truoc") is None
            assert seen == []
            server.start()
            assert probe.get("bu-lai") == "đã bù"
            assert probe.get("truoc") is None  # a restart without persistence: data gone
            probe.set("sau", 2, None)
            assert probe.get("sau") == 2
        finally:
            cache_recovered.disconnect(catch_up)
    assert seen == [f"redis://127.0.0.1:{server.port}/0"]


def test_a_recovery_that_cannot_finish_keeps_redis_unused(caplog):
    failing = True

    def catch_up(sender, **kwargs):
        if failing:
            raise RuntimeError("the database is away too")

    with own_redis_server() as server:
        cache = cache_at(server.url(), breaker_seconds=0)
        cache.set("cu", "trang cũ", None)
        cache_recovered.connect(catch_up)
        try:
            server.cut()
            try:
                assert cache.get("cu") is None
            finally:
                server.mend()
            # Redis answers, but what was missed could not be made up: nothing is read.
            assert cache.get("cu") is None
            assert "could not catch up (RuntimeError)" in caplog.text
            failing = False
            assert cache.get("cu") == "trang cũ"
        finally:
            cache_recovered.disconnect(catch_up)


def test_other_backends_always_confirm_and_are_always_reachable(tmp_path):
    from django.core.cache.backends.filebased import FileBasedCache

    files = FileBasedCache(str(tmp_path), {})
    assert set_confirmed(files, "k", 1) is True
    assert is_reachable(files) is True


def test_one_redis_client_serves_every_call_of_a_cache():
    """Django makes a redis-py client per call, each filling its reply table again (a
    fifth of a public page's time in the province bench); ours keeps one per pool."""
    if not redis_reachable():
        if os.environ.get("CI") == "true":
            pytest.fail("Redis must be reachable at 127.0.0.1:6379 under CI=true")
        pytest.skip("no Redis at 127.0.0.1:6379")
    cache = cache_at(REDIS_URL)
    first = cache._cache.get_client(None)
    key = f"test-{uuid.uuid4()}"
    cache.set(key, "một", 30)
    assert cache.get(key) == "một"
    assert cache._cache.get_client(None) is first
    assert cache._cache.get_client(None, write=True) is first
