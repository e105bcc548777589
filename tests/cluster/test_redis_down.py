"""Redis away, two live nodes: visitors get pages, staff sign in, pupils write; when it
is back the page cache works again and shows nothing older than a publish made meanwhile.

The nodes (tests/cluster/conftest.py) share a redis-server of this module's own
(tests/redis_server.py), so it can be killed, or frozen to play a network cut after
which Redis still holds the pages and the generation from before. Each node leaves
Redis alone for a few seconds after an error (config/cache.py), so what follows a
recovery is polled for, not timed.
"""

import re
import time

import pytest
import requests

from concerns.models import Concern
from page_cache.models import MissedGeneration
from pages.models import PlanIndexPage
from schools.roles import Role
from tests.cluster.conftest import Cluster, running_nodes
from tests.cluster.test_across_nodes import sign_in_with_second_factor
from tests.conftest import build_school, build_staff
from tests.pages.factories import plan, publish
from tests.redis_server import RedisServer, own_redis_server

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

OLD_TITLE = "Kế hoạch phòng chống bạo lực"
NEW_TITLE = "Kế hoạch phòng chống bạo lực (sửa đổi)"
RECOVERY_TIMEOUT = 60
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STARTED_FIELD = re.compile(r'name="started" value="([^"]+)"')


@pytest.fixture(scope="module")
def redis_server(django_db_setup) -> RedisServer:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("several app nodes need PostgreSQL (SQLite is one machine's database)")
    with own_redis_server() as server:
        yield server


@pytest.fixture(scope="module")
def nodes(redis_server, django_db_blocker) -> Cluster:
    with running_nodes(redis_server.url()) as cluster:
        yield cluster


@pytest.fixture
def redis(redis_server):
    """The module's server, running and reachable again after each test."""
    yield redis_server
    if redis_server.process is None:
        redis_server.start()
    else:
        redis_server.mend()


@pytest.fixture
def school():
    return build_school("RD")


@pytest.fixture
def plan_page(school):
    index = publish(school.root_page, PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    return plan(index, "ke-hoach-redis", title=OLD_TITLE)


def visitor() -> requests.Session:
    http = requests.Session()
    http.headers["Host"] = "localhost"  # behind the front every node is asked for the site
    return http


def visit(http: requests.Session, node: str, page) -> tuple[str, str]:
    response = http.get(f"{node}{page.url}", timeout=30)
    assert response.status_code == 200, response.text[:500]
    return response.headers.get("X-Page-Cache", ""), response.text


def until_cached_again(http: requests.Session, node: str, page) -> list[str]:
    """The page's text at each visit until one is served from the cache."""
    seen = []
    deadline = time.monotonic() + RECOVERY_TIMEOUT
    while time.monotonic() < deadline:
        state, text = visit(http, node, page)
        seen.append(text)
        if state == "hit":
            return seen
        time.sleep(0.5)
    pytest.fail(f"{node} never served the page from the cache again")


def send_help(node: str, school_code: str) -> requests.Response:
    """A pupil's message through the public form of ``node``."""
    http = requests.Session()
    form = http.get(f"{node}/tro-giup/{school_code}/", timeout=30)
    assert form.status_code == 200
    return http.post(
        f"{node}/tro-giup/{school_code}/",
        data={
            "csrfmiddlewaretoken": CSRF_FIELD.search(form.text).group(1),
            "started": STARTED_FIELD.search(form.text).group(1),
            "sender_role": "learner",
            "text": "Em bị mấy bạn chặn đường đòi tiền mỗi chiều.",
            "reach": "anonymous",
            "contact": "",
            "website": "",
        },
        allow_redirects=False,
        timeout=30,
    )


def publish_through(node: str, staff: requests.Session, page) -> None:
    action = f"{node}/admin/bulk/wagtailcore/page/publish/?id={page.pk}&next=/admin/"
    assert staff.get(action, timeout=30).status_code == 200
    published = staff.post(
        action,
        data={"csrfmiddlewaretoken": staff.cookies["csrftoken"]},
        allow_redirects=False,
        timeout=30,
    )
    assert published.status_code == 302, published.text[:500]


def test_redis_cut_off_the_site_works_and_a_page_published_meanwhile_is_fresh_after(
    nodes, redis, school, plan_page
):
    node_a, node_b = nodes.urls
    principal = build_staff("hieutruong-redis", Role.PRINCIPAL, school)
    public = visitor()
    visit(public, node_b, plan_page)
    assert visit(public, node_a, plan_page)[0] == "hit"

    redis.cut()
    for node in (node_a, node_b):
        state, text = visit(public, node, plan_page)
        assert (state, OLD_TITLE in text) == ("miss", True)

    staff = requests.Session()
    sign_in_with_second_factor(staff, node_a, principal)
    plan_page.title = NEW_TITLE
    plan_page.save_revision(user=principal)
    publish_through(node_a, staff, plan_page)
    assert MissedGeneration.objects.count() == 1

    sent = send_help(node_b, school.code)
    assert sent.status_code == 302, sent.text[:500]
    assert Concern.objects.filter(school=school).count() == 1
    assert NEW_TITLE in visit(public, node_b, plan_page)[1]

    redis.mend()
    # Redis still holds the old page and generation: neither node may show them.
    for node in (node_b, node_a):
        texts = until_cached_again(public, node, plan_page)
        assert all(NEW_TITLE in text for text in texts)
    assert MissedGeneration.objects.count() == 0


def test_redis_killed_pages_and_sign_in_work_and_the_cache_returns_with_it(
    nodes, redis, school, plan_page
):
    node_a, node_b = nodes.urls
    worker = build_staff("ctxh-redis", Role.CASE_WORKER, school)
    public = visitor()

    redis.stop()
    for node in (node_a, node_b):
        state, text = visit(public, node, plan_page)
        assert (state, OLD_TITLE in text) == ("miss", True)
    staff = requests.Session()
    sign_in_with_second_factor(staff, node_b, worker)

    redis.start()
    for node in (node_a, node_b):
        until_cached_again(public, node, plan_page)
