"""While the database is away, every page answers the Vietnamese 503 page, not a stack trace.

Here the database "goes away" by making every query raise ``OperationalError``, so
the page must also render without one; tests/cluster/test_database_outage.py
cuts a real connection.
"""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.http import HttpRequest
from django.test import Client, override_settings
from django.urls import path

import config.urls
from config.database_outage import RETRY_AFTER_SECONDS

# A query's text, as psycopg quotes it in some messages: it must never reach the log.
QUERY_IN_MESSAGE = 'server closed the connection unexpectedly: SELECT "learner_name_index"'
VIETNAMESE = "Hệ thống đang tạm gián đoạn"


def _database_gone(*args, **kwargs):
    raise OperationalError(QUERY_IN_MESSAGE)


@pytest.fixture
def database_down():
    """Every query fails from here on, as when PostgreSQL restarts under the site."""
    with mock.patch.object(CursorWrapper, "_execute_with_wrappers", _database_gone):
        yield


@pytest.fixture
def browser() -> Client:
    """A visitor with a session cookie, so the session and user middleware query first."""
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "x" * 32
    return client


def _assert_outage_page(response, language: str = "vi") -> str:
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER_SECONDS)
    assert "no-store" in response["Cache-Control"]
    assert f'<html lang="{language}">' in body
    assert 'href="tel:111"' in body
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert "SELECT" not in body
    return body


@pytest.mark.parametrize("url", ["/", "/tim-kiem/?q=an+toan", "/admin/", "/admin/ho-so/nhap/"])
def test_public_and_admin_pages_answer_the_vietnamese_503_page(db, database_down, browser, url):
    body = _assert_outage_page(browser.get(url))
    assert VIETNAMESE in body


def test_the_outage_page_is_english_for_a_visitor_who_chose_english(db, database_down, browser):
    browser.cookies["django_language"] = "en"
    body = _assert_outage_page(browser.get("/"), language="en")
    assert "Please try again in a few minutes" in body
    assert VIETNAMESE not in body


def test_the_log_gets_one_line_with_the_error_class_only(db, database_down, browser, caplog):
    with caplog.at_level(logging.INFO):
        browser.get("/admin/")
    lines = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(lines) == 1
    assert lines[0].name == "config.database_outage"
    assert lines[0].exc_info is None
    text = lines[0].getMessage()
    assert "OperationalError" in text
    assert "SELECT" not in text
    assert "learner" not in text


def _view_losing_the_database(request: HttpRequest):
    raise OperationalError(QUERY_IN_MESSAGE)


def _view_with_a_bug(request: HttpRequest):
    raise RuntimeError("a bug, not an outage")


urlpatterns = [
    path("mat-ket-noi/", _view_losing_the_database),
    path("loi/", _view_with_a_bug),
    *config.urls.urlpatterns,
]
handler500 = config.urls.handler500


@override_settings(ROOT_URLCONF=__name__)
def test_a_view_losing_its_connection_answers_the_outage_page(db, caplog):
    response = Client(raise_request_exception=False).get("/mat-ket-noi/")
    body = _assert_outage_page(response)
    assert VIETNAMESE in body
    assert not [r for r in caplog.records if r.name == "django.request"]


@override_settings(ROOT_URLCONF=__name__)
def test_any_other_error_is_still_a_500_reported_as_such(db, caplog):
    response = Client(raise_request_exception=False).get("/loi/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert [r.exc_info[0] for r in caplog.records if r.name == "django.request"] == [RuntimeError]
