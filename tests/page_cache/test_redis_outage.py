"""Redis away: public pages are served uncached, and a change made meanwhile is never
hidden behind a page Redis kept from before it (page_cache.invalidation)."""

import pytest
from django.core.management import call_command

from config import cache as tolerant
from page_cache.models import MissedGeneration
from pages.models import PlanIndexPage
from tests.pages.factories import plan, publish, site_home
from tests.redis_server import own_redis_server

pytestmark = pytest.mark.django_db

OLD_TITLE = "Kế hoạch phòng chống bạo lực"
NEW_TITLE = "Kế hoạch phòng chống bạo lực (sửa đổi)"


@pytest.fixture
def redis(settings):
    """The page cache as in a cluster: on, in a Redis of this test's own, which the
    backend tries again at once after an error (no breaker pause to wait out)."""
    tolerant._breakers.clear()
    with own_redis_server() as server:
        backend = {
            "BACKEND": "config.cache.TolerantRedisCache",
            "LOCATION": server.url(),
            "OPTIONS": {"breaker_seconds": 0},
        }
        settings.CACHES = {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}
        settings.PAGE_CACHE_SECONDS = 600
        settings.FRAGMENT_CACHE_SECONDS = 3600
        yield server
    tolerant._breakers.clear()


@pytest.fixture
def plan_page(redis, committed):
    with committed():
        index = publish(site_home(), PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
        return plan(index, "ke-hoach-cum", title=OLD_TITLE)


def republish(page, committed) -> None:
    with committed():
        page.title = NEW_TITLE
        page.save_revision().publish()


def visit(client, page) -> tuple[str, str]:
    response = client.get(page.url)
    assert response.status_code == 200
    return response["X-Page-Cache"], response.content.decode()


def test_public_pages_are_served_uncached_while_redis_is_down_and_cached_once_back(
    client, plan_page, redis
):
    assert visit(client, plan_page)[0] == "miss"
    assert visit(client, plan_page)[0] == "hit"

    redis.stop()
    for _ in range(2):
        state, page = visit(client, plan_page)
        assert state == "miss"
        assert OLD_TITLE in page

    redis.start()
    assert visit(client, plan_page)[0] == "miss"
    assert visit(client, plan_page)[0] == "hit"


def test_a_page_published_while_redis_is_cut_off_is_fresh_when_it_is_back(
    client, plan_page, redis, committed
):
    visit(client, plan_page)
    assert visit(client, plan_page)[0] == "hit"

    redis.cut()
    try:
        republish(plan_page, committed)
        assert MissedGeneration.objects.count() == 1
        state, page = visit(client, plan_page)
        assert (state, NEW_TITLE in page) == ("miss", True)
    finally:
        redis.mend()

    # Redis still holds the old page and generation; they must not come back.
    state, page = visit(client, plan_page)
    assert NEW_TITLE in page
    assert MissedGeneration.objects.count() == 0
    state, page = visit(client, plan_page)
    assert (state, NEW_TITLE in page) == ("hit", True)


def test_a_node_that_never_saw_the_outage_is_put_right_by_publish_scheduled(
    client, plan_page, redis, committed
):
    visit(client, plan_page)
    redis.cut()
    try:
        republish(plan_page, committed)
    finally:
        redis.mend()
    # Another node, which made no call while Redis was away, trusts it still.
    tolerant._breakers.clear()

    call_command("publish_scheduled", verbosity=0)

    assert MissedGeneration.objects.count() == 0
    state, page = visit(client, plan_page)
    assert (state, NEW_TITLE in page) == ("miss", True)


def test_a_change_missed_stays_recorded_while_redis_is_still_away(plan_page, redis, committed):
    redis.stop()
    republish(plan_page, committed)
    call_command("publish_scheduled", verbosity=0)
    assert MissedGeneration.objects.count() == 1
