"""The caching proxy in front is told to drop its copies when something public changes."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pages.models import Hotline, PlanIndexPage
from tests.pages.factories import plan, publish, site_home

pytestmark = pytest.mark.django_db


class RecordingProxy(BaseHTTPRequestHandler):
    """Stands in for Varnish: records each PURGE and BAN it is sent."""

    received: list[tuple[str, str]] = []

    def _record(self) -> None:
        self.received.append((self.command, self.path))
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_PURGE = do_BAN = _record

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def proxy(settings):
    RecordingProxy.received = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), RecordingProxy)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    location = f"http://127.0.0.1:{server.server_port}"
    settings.FRONTEND_CACHE_PURGE_URLS = [location]
    settings.WAGTAILFRONTENDCACHE = {
        "proxy0": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
            "LOCATION": location,
        }
    }
    yield RecordingProxy.received
    server.shutdown()


def test_publishing_purges_the_page_and_bans_everything_once(proxy, committed):
    with committed():
        index = publish(site_home(), PlanIndexPage(title="Kế hoạch", slug="ke-hoach"))
    proxy.clear()
    with committed():
        page = plan(index, "ke-hoach-moi", title="Kế hoạch mới")
    assert ("PURGE", page.url) in proxy  # Wagtail's own invalidation of the page
    assert proxy.count(("BAN", "/")) == 1  # listings and the home page show it too


def test_editing_a_hotline_bans_everything(proxy, committed):
    line = Hotline.objects.get(number="111")
    line.name = "Tổng đài thử nghiệm"
    with committed():
        line.save()
    assert proxy == [("BAN", "/")]


def test_a_rolled_back_change_sends_nothing(proxy, committed):
    from django.db import transaction

    line = Hotline.objects.get(number="111")
    with committed():
        try:
            with transaction.atomic():
                line.name = "Không lưu"
                line.save()
                raise RuntimeError("the edit fails")
        except RuntimeError:
            pass
    assert proxy == []


def test_a_proxy_that_is_down_does_not_stop_publishing(settings, committed):
    settings.FRONTEND_CACHE_PURGE_URLS = ["http://127.0.0.1:9"]
    line = Hotline.objects.get(number="111")
    line.name = "Vẫn lưu được"
    with committed():
        line.save()
    line.refresh_from_db()
    assert line.name == "Vẫn lưu được"
