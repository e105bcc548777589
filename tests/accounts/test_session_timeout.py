"""A session left open ends after 30 idle minutes, and 8 hours after signing in anyway."""

from datetime import timedelta
from unittest import mock

from django.utils import timezone

from accounts.middleware import LAST_SEEN_KEY, LOGIN_AT_KEY
from schools.roles import Role
from tests.accounts.conftest import vi

IDLE = "You were signed out after %(minutes)s minutes without activity. Please sign in again."
ABSOLUTE = "For safety you are signed out %(hours)s hours after signing in. Please sign in again."


def later(**delta):
    """Pretend the clock moved on."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + timedelta(**delta))


def signed_in(client, person, role=Role.EDITOR):
    client.force_login(person("nguoidung", role))
    assert client.get("/admin/").status_code == 200
    return client


def test_idle_session_ends_with_a_message(client, person):
    signed_in(client, person)
    with later(minutes=31):
        response = client.get("/admin/", follow=True)
    assert response.request["PATH_INFO"] == "/admin/login/"
    assert vi(IDLE, minutes=30) in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(client, person):
    signed_in(client, person, Role.CASE_WORKER)
    for minutes in (20, 40, 60):
        with later(minutes=minutes):
            assert client.get("/admin/").status_code == 200


def test_activity_is_recorded_at_most_once_a_minute(client, person):
    signed_in(client, person)
    seen = client.session[LAST_SEEN_KEY]
    with later(seconds=30):
        client.get("/admin/")
    assert client.session[LAST_SEEN_KEY] == seen
    with later(seconds=90):
        client.get("/admin/")
    assert client.session[LAST_SEEN_KEY] > seen


def test_session_ends_eight_hours_after_signing_in_even_when_active(client, person):
    signed_in(client, person)
    session = client.session
    eight_hours_ago = (timezone.now() - timedelta(hours=8, minutes=1)).timestamp()
    session[LOGIN_AT_KEY] = eight_hours_ago
    session.save()  # last activity stays recent
    response = client.get("/admin/ho-so/nhap/", follow=True)
    assert response.request["PATH_INFO"] == "/admin/login/"
    assert vi(ABSOLUTE, hours=8) in response.content.decode()


def test_public_pages_carry_on_for_a_timed_out_visitor(client, person):
    signed_in(client, person)
    with later(minutes=31):
        response = client.get("/robots.txt")
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
