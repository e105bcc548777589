"""A kept fragment is reused until something public changes, then built afresh."""

import pytest

from page_cache.fragments import remember
from pages.models import Hotline

pytestmark = pytest.mark.django_db


def test_fragment_is_kept_until_a_public_change(page_cache_on, settings, committed):
    settings.FRAGMENT_CACHE_SECONDS = 600
    calls = []

    def names() -> list[str]:
        calls.append(1)
        return sorted(Hotline.objects.values_list("name", flat=True))

    first = remember("hotline-names", names)
    assert remember("hotline-names", names) == first
    assert len(calls) == 1
    line = Hotline.objects.get(number="111")
    line.name = "Tên mới của tổng đài"
    with committed():
        line.save()
    assert "Tên mới của tổng đài" in remember("hotline-names", names)
    assert len(calls) == 2


def test_switched_off_it_always_computes(settings):
    settings.FRAGMENT_CACHE_SECONDS = 0
    calls = []
    remember("x", lambda: calls.append(1))
    remember("x", lambda: calls.append(1))
    assert len(calls) == 2


def test_the_site_lookup_is_kept_and_dropped_by_a_site_change(
    client, page_cache_on, settings, committed
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Site

    settings.FRAGMENT_CACHE_SECONDS = 600
    settings.PAGE_CACHE_SECONDS = 0

    def site_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        return sum('FROM "wagtailcore_site"' in q["sql"] for q in queries.captured_queries)

    assert site_queries() == 1  # looked up, then kept
    assert site_queries() == 0  # handed to Wagtail from the kept fragment
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Cổng thông tin thử"
    with committed():
        site.save()
    assert site_queries() == 1


def test_a_process_reads_a_kept_fragment_from_the_shared_cache_once(
    page_cache_on, settings, committed, monkeypatch
):
    """Each read from Redis is a round trip; a worker keeps its own copy of the current
    generation's fragments, and a public change made elsewhere still reaches it."""
    from page_cache import fragments
    from page_cache.store import new_generation, page_cache

    settings.FRAGMENT_CACHE_SECONDS = 600
    monkeypatch.setattr(fragments, "local_copies", fragments.LocalCopies())
    store = page_cache()
    reads = []
    real_get = store.get

    def counted_get(key, *args, **kwargs):
        if key.startswith("fragment:"):
            reads.append(key)
        return real_get(key, *args, **kwargs)

    monkeypatch.setattr(store, "get", counted_get)
    store.set(f"fragment:{fragments.current_generation()}:menu", ["Kế hoạch"], 600)

    first = remember("menu", lambda: ["tính lại"])
    first.append("đổi trong yêu cầu này")
    assert remember("menu", lambda: ["tính lại"]) == ["Kế hoạch"]  # a copy, unchanged
    assert len(reads) == 1

    new_generation()  # as a publish through another node does
    assert remember("menu", lambda: ["tính lại"]) == ["tính lại"]


def test_a_shared_fragment_is_unpickled_once_per_generation(
    page_cache_on, settings, committed, monkeypatch
):
    """A value nobody changes (a province's thousand site roots) is not unpickled for
    every request: the process gives the same object until the next public change."""
    from page_cache import fragments
    from page_cache.store import new_generation, page_cache

    settings.FRAGMENT_CACHE_SECONDS = 600
    monkeypatch.setattr(fragments, "local_copies", fragments.LocalCopies())
    page_cache().set(f"fragment:{fragments.current_generation()}:roots", (("1", "/trang/"),), 600)

    first = remember("roots", lambda: (), shared=True)
    assert first == (("1", "/trang/"),)
    assert remember("roots", lambda: (), shared=True) is first
    assert remember("roots", lambda: ()) is not first  # asked for a copy: a copy

    new_generation()
    assert remember("roots", lambda: (("2", "/moi/"),), shared=True) == (("2", "/moi/"),)


def test_while_redis_is_unreachable_a_process_keeps_its_fragments_for_seconds(
    settings, monkeypatch
):
    """Each request then has a generation of its own; recomputing every fragment for
    each made a province's nodes miss the front's health probes. A process keeps its
    copies for OUTAGE_SECONDS, then computes again (a change shows within them)."""
    import uuid

    from page_cache import fragments
    from page_cache.store import UNREACHABLE_PREFIX

    settings.FRAGMENT_CACHE_SECONDS = 600
    monkeypatch.setattr(fragments, "local_copies", fragments.LocalCopies())
    monkeypatch.setattr(
        fragments, "current_generation", lambda: UNREACHABLE_PREFIX + uuid.uuid4().hex
    )
    monkeypatch.setattr(fragments, "page_cache", lambda: _Unreachable())
    now = [1000.0]
    monkeypatch.setattr(fragments.time, "monotonic", lambda: now[0])
    computed = []

    def roots():
        computed.append(1)
        return (("1", "/trang/"),)

    for _request in range(3):
        assert remember("roots", roots, shared=True) == (("1", "/trang/"),)
    assert len(computed) == 1

    now[0] += fragments.OUTAGE_SECONDS + 1
    remember("roots", roots, shared=True)
    assert len(computed) == 2


class _Unreachable:
    """The shared cache while Redis is down: nothing read, nothing kept."""

    def get(self, key, default=None):
        return default

    def set(self, *args, **kwargs):
        return False
