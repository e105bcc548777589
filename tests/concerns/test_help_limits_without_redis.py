"""The help channel without Redis: a pupil's message is taken, and a flood is still
counted, in the worker's own memory (concerns/help_limits.py)."""

import pytest

from concerns import gateway, help_limits
from concerns.models import Concern
from config import cache as tolerant
from tests.conftest import build_school
from tests.redis_server import free_port

pytestmark = pytest.mark.django_db


@pytest.fixture
def school(db):
    return build_school("KR", "Trường THCS Không Redis")


def submit(school, text="Em bị bắt nạt ở nhà xe.", client_address="203.0.113.9"):
    return gateway.submit_help_request(school.code, text, client_address=client_address)


@pytest.fixture
def redis_away(settings):
    tolerant._breakers.clear()
    help_limits._while_unreachable.clear()
    backend = {
        "BACKEND": "config.cache.TolerantRedisCache",
        "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
    }
    settings.CACHES = {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}
    yield
    tolerant._breakers.clear()
    help_limits._while_unreachable.clear()


def test_a_pupil_can_still_write_while_redis_is_away(redis_away, school):
    for attempt in range(3):
        receipt = submit(school, text=f"Em cần giúp đỡ, lần thứ {attempt + 1}.")
        assert receipt.code
    assert Concern.objects.filter(school=school).count() == 3


def test_a_flood_is_still_stopped_while_redis_is_away(redis_away, school, settings):
    settings.HELP_CHANNEL_POSTS_PER_ADDRESS = (3, 600)
    for _ in range(3):
        submit(school, client_address="198.51.100.7")
    with pytest.raises(help_limits.OverLimit):
        submit(school, client_address="198.51.100.7")
    # Another address is not held back by the flood.
    assert submit(school, client_address="198.51.100.8").code
