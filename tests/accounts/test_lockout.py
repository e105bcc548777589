"""Repeated wrong passwords lock the account, and the address, with a clear message."""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import override_settings

from tests.accounts.conftest import sign_in, vi

LOCKED = (
    "Too many failed sign-in attempts. Try again after %(minutes)s minutes, "
    "or ask the administrator to unlock your account."
)


def locked_message() -> str:
    return vi(LOCKED, minutes=30)


def fail(client, username: str, address: str = "127.0.0.1"):
    return sign_in(client, username, "sai-mat-khau-roi", REMOTE_ADDR=address)


def test_five_failures_for_one_account_from_many_addresses_lock_that_account(client, person):
    person("ctxh")
    for n in range(4):
        assert fail(client, "ctxh", f"10.0.0.{n}").status_code == 200
    locked = fail(client, "ctxh", "10.0.0.9")
    assert locked.status_code == 429
    assert locked_message() in locked.content.decode()

    # The right password from yet another address is refused too.
    refused = sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.50")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # Someone else at one of those addresses still signs in.
    person("bientap", role=None)
    assert sign_in(client, "bientap", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_many_failures_from_one_address_lock_that_address(client, person):
    person("ctxh")
    for n in range(4):
        fail(client, f"khong-ton-tai-{n}", "10.1.1.1")
    assert fail(client, "nguoi-khac", "10.1.1.1").status_code == 429

    # A real account from that address is refused, from elsewhere it is fine.
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_fewer_failures_than_the_limit_lock_nothing(client, person):
    person("ctxh")
    for _ in range(4):
        fail(client, "ctxh")
    assert sign_in(client, "ctxh").status_code == 302


@override_settings(AXES_FAILURE_LIMIT=2)
def test_the_limit_comes_from_settings(client, person):
    person("ctxh")
    fail(client, "ctxh")
    assert fail(client, "ctxh").status_code == 429


def test_superuser_unlocks_an_account_on_the_security_screen(client, person, django_user_model):
    person("ctxh")
    for n in range(5):
        fail(client, "ctxh", f"10.0.0.{n}")

    admin = django_user_model.objects.create_superuser("quantri", password="x")
    staff = client.__class__()
    staff.force_login(admin)
    screen = staff.get("/admin/bao-mat-dang-nhap/")
    assert screen.status_code == 200
    assert [lock.value for lock in screen.context["usernames"]] == ["ctxh"]

    staff.post("/admin/bao-mat-dang-nhap/mo-khoa/", {"kind": "username", "value": "ctxh"})
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_superuser_unlocks_an_address(client, person, django_user_model):
    for n in range(5):
        fail(client, f"ai-do-{n}", "10.3.3.3")
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    staff = client.__class__()
    staff.force_login(admin)
    screen = staff.get("/admin/bao-mat-dang-nhap/")
    assert [lock.value for lock in screen.context["addresses"]] == ["10.3.3.3"]
    staff.post("/admin/bao-mat-dang-nhap/mo-khoa/", {"kind": "ip", "value": "10.3.3.3"})
    person("ctxh")
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.3.3.3").status_code == 302


def test_unlock_from_the_command_line(client, person):
    person("ctxh")
    for n in range(5):
        fail(client, "ctxh", f"10.0.0.{n}")
    call_command("axes_reset_username", "ctxh", stdout=io.StringIO())
    assert not AccessAttempt.objects.filter(username="ctxh").exists()
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_only_superusers_may_unlock(client, person):
    for n in range(5):
        fail(client, "ctxh", f"10.0.0.{n}")
    principal = person("hieutruong", "principal")
    staff = client.__class__()
    staff.force_login(principal)
    response = staff.post(
        "/admin/bao-mat-dang-nhap/mo-khoa/", {"kind": "username", "value": "ctxh"}
    )
    # Wagtail answers a refusal in the admin by sending back to the dashboard.
    assert response.status_code in (302, 403)
    assert response.get("Location") != "/admin/bao-mat-dang-nhap/"
    assert AccessAttempt.objects.filter(username="ctxh").exists()


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [(0, "1.1.1.1", "10.9.9.9"), (1, "6.6.6.6, 2.2.2.2", "2.2.2.2")],
)
def test_client_address_trusts_only_the_configured_proxies(settings, proxies, forwarded, expected):
    from django.test import RequestFactory

    from accounts.lockout import client_ip

    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected
