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
