"""A publish in one worker is seen at once by every other worker.

gunicorn runs several worker processes. Each test here plays worker A in the
test process (renders, stores, publishes) and worker B as a separate Python
process with the same settings and cache location, which asks the page cache
middleware for the page. Worker B's own renderer answers 503 (never stored),
so its output says whether it was answered from the shared store or not.
"""

import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from pages.models import PlanIndexPage
from tests.pages.factories import plan, publish, site_home

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
WORKER_B = """
import sys
import django
django.setup()
from django.http import HttpResponse
from django.test import RequestFactory
from page_cache.middleware import PageCacheMiddleware

def render(request):
    return HttpResponse("rendered by worker B", status=503, content_type="text/html")

response = PageCacheMiddleware(render)(RequestFactory().get(sys.argv[1], HTTP_HOST="testserver"))
sys.stdout.write(response.get("X-Page-Cache", "none") + "\\n" + response.content.decode())
"""


def redis_url() -> str | None:
    """A Redis database of this run's own (SQLite and PostgreSQL runs go side by side)."""
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        if os.environ.get("CI") == "true":
            raise
        return None
    return f"redis://127.0.0.1:6379/{14 if connection.vendor == 'sqlite' else 15}"


@pytest.fixture(params=["file", "redis"])
def shared_cache(request, settings, tmp_path) -> str:
    """Point this process at a shared cache; return the CACHE_URL worker B is given."""
    if request.param == "file":
        url = f"file://{tmp_path}"
        default = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache"}
        settings.CACHES = {
            "default": {**default, "LOCATION": str(tmp_path)},
            "pages": {**default, "LOCATION": str(tmp_path / "pages"), "KEY_PREFIX": "pages"},
        }
    else:
        url = redis_url()
        if url is None:
            pytest.skip("Redis is not running here (under CI=true this fails instead)")
        backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        settings.CACHES = {"default": backend, "pages": {**backend, "KEY_PREFIX": "pages"}}
    settings.PAGE_CACHE_SECONDS = 600
    from django.core.cache import caches

    caches["pages"].clear()
    yield url
    caches["pages"].clear()


def ask_worker_b(path: str, cache_url: str) -> tuple[str, str]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "CACHE_URL": cache_url,
        "PAGE_CACHE_SECONDS": "600",
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-c", WORKER_B, path],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    state, _, body = done.stdout.partition("\n")
    return state, body


def test_publish_in_one_worker_changes_the_page_in_another_at_once(client, shared_cache, committed):
    with committed():
        index = publish(site_home(), PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
        page = plan(index, "ke-hoach-tu-van", title="Kế hoạch tư vấn học đường")
    assert client.get(page.url)["X-Page-Cache"] == "miss"  # worker A renders and stores

    state, body = ask_worker_b(page.url, shared_cache)
    assert state == "hit"
    assert "Kế hoạch tư vấn học đường" in body

    page.title = "Kế hoạch tư vấn học đường (sửa đổi)"
    with committed():
        page.save_revision().publish()  # in worker A

    state, body = ask_worker_b(page.url, shared_cache)
    assert state == "none"  # not served from the store: worker B renders afresh
    assert body == "rendered by worker B"
    assert "(sửa đổi)" in client.get(page.url).content.decode()
