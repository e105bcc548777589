"""Wrong passwords lock the guesser out, not the person they are guessing for.

Five failures lock the pair (account, address); the account alone is locked only after
many failures from many addresses, and an address that tries many accounts is locked
as an address (accounts.lockout).
"""

import io

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import override_settings
from django.utils import translation

from schools.roles import Role
from tests.accounts.conftest import sign_in

SECURITY = "/admin/bao-mat-dang-nhap/"
UNLOCK = "/admin/bao-mat-dang-nhap/mo-khoa/"

PAIR = (
    "Too many wrong passwords for this account from this network. Signing in to it from here "
    "is paused: try again after %(minutes)s minute, or ask your school's administrator to "
    "unlock your account.",
    "Too many wrong passwords for this account from this network. Signing in to it from here "
    "is paused: try again after %(minutes)s minutes, or ask your school's administrator to "
    "unlock your account.",
)
ACCOUNT = (
    "This account has had too many wrong passwords from many different places, so it is "
    "locked to protect it. Try again after %(minutes)s minute, or ask your school's "
    "administrator to unlock it.",
    "This account has had too many wrong passwords from many different places, so it is "
    "locked to protect it. Try again after %(minutes)s minutes, or ask your school's "
    "administrator to unlock it.",
)
ADDRESS = (
    "Too many failed sign-ins, for several accounts, have come from this network, so signing "
    "in from here is paused. Try again after %(minutes)s minute or from another network (for "
    "example your phone's mobile data).",
    "Too many failed sign-ins, for several accounts, have come from this network, so signing "
    "in from here is paused. Try again after %(minutes)s minutes or from another network (for "
    "example your phone's mobile data).",
)


def vi_n(forms: tuple[str, str], minutes: int = 30) -> str:
    """The Vietnamese text of a plural message, as the lock page shows it."""
    with translation.override("vi"):
        return translation.ngettext(*forms, minutes) % {"minutes": minutes}


def fail(client, username: str, address: str = "127.0.0.1"):
    return sign_in(client, username, "sai-mat-khau-roi", REMOTE_ADDR=address)


def page(response) -> str:
    return response.content.decode()


def test_five_wrong_passwords_from_one_address_lock_the_account_from_there_only(client, person):
    person("ctxh")
    for _n in range(4):
        assert fail(client, "ctxh", "10.0.0.1").status_code == 200
    locked = fail(client, "ctxh", "10.0.0.1")
    assert locked.status_code == 429
    assert vi_n(PAIR) in page(locked)

    # The right password from that address is refused too...
    refused = sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.1")
    assert refused.status_code == 429
    assert "_auth_user_id" not in client.session
    # ...but the real person at another address (their phone) signs in.
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.9.9.9").status_code == 302
    # And someone else at the locked address is not affected.
    person("bientap", role=None)
    client.post("/admin/logout/")
    assert sign_in(client, "bientap", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_an_outsider_at_one_address_cannot_lock_a_teacher_out_everywhere(client, person):
    """Wrong passwords typed from outside for someone else's account do not lock its owner out.

    Otherwise anyone who knows a principal's username could keep them out of the
    admin from home, just by guessing badly.
    """
    person("hieutruong", Role.PRINCIPAL)
    for _n in range(40):
        fail(client, "hieutruong", "203.0.113.66")
    assert sign_in(client, "hieutruong", REMOTE_ADDR="10.0.0.5").status_code == 302


def test_failures_from_a_few_addresses_do_not_lock_the_account_everywhere(client, person):
    person("ctxh")
    for address in ("203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"):
        for _n in range(9):
            fail(client, "ctxh", address)
    # 36 failures, but from 4 addresses only: the account is locked from those.
    assert sign_in(client, "ctxh", REMOTE_ADDR="203.0.113.1").status_code == 429
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.5").status_code == 302


def test_many_failures_from_many_addresses_lock_the_account_everywhere(client, person):
    person("ctxh")
    # A guess spread thin: 4 tries from each of 8 addresses, never enough for a pair.
    for n in range(8):
        for _try in range(4):
            assert fail(client, "ctxh", f"198.51.100.{n}").status_code in (200, 429)
    locked = sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.5")
    assert locked.status_code == 429
    assert vi_n(ACCOUNT) in page(locked)
    assert "_auth_user_id" not in client.session


def test_one_address_trying_many_accounts_is_locked_as_an_address(client, person):
    person("ctxh")
    for n in range(19):
        assert fail(client, f"khong-ton-tai-{n}", "10.1.1.1").status_code == 200
    locked = fail(client, "nguoi-khac", "10.1.1.1")
    assert locked.status_code == 429
    assert vi_n(ADDRESS) in page(locked)

    # A real account from that address is refused, from elsewhere it is fine.
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.1.1.1").status_code == 429
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.2.2.2").status_code == 302


def test_an_ipv6_attacker_changing_address_within_their_network_counts_as_one(client, person):
    """A /64 is one connection: new addresses in it neither add guesses nor places."""
    person("ctxh")
    for n in range(1, 41):
        fail(client, "ctxh", f"2001:db8:7:7::{n:x}")
    # Locked from that network after five, whatever the address in it...
    assert sign_in(client, "ctxh", REMOTE_ADDR="2001:db8:7:7::ffff").status_code == 429
    # ...and forty failures from one network do not lock the account everywhere.
    assert sign_in(client, "ctxh", REMOTE_ADDR="2001:db8:9:9::1").status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"2001:db8:7:7::"}


@pytest.mark.parametrize(
    ("remote", "counted"),
    [
        ("192.0.2.10", "192.0.2.10"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::"),
        ("::ffff:192.0.2.10", "192.0.2.10"),
        ("", ""),
    ],
)
def test_failures_are_counted_per_ipv4_address_and_per_ipv6_network(remote, counted):
    from django.test import RequestFactory

    from accounts.lockout import lockout_address

    assert lockout_address(RequestFactory().get("/", REMOTE_ADDR=remote)) == counted


def test_fewer_failures_than_the_limit_lock_nothing(client, person):
    person("ctxh")
    for _ in range(4):
        fail(client, "ctxh")
    assert sign_in(client, "ctxh").status_code == 302


def test_the_right_password_clears_the_failures_from_that_address(client, person):
    person("ctxh")
    for _ in range(4):
        fail(client, "ctxh")
    assert sign_in(client, "ctxh").status_code == 302
    client.post("/admin/logout/")
    for _ in range(4):
        fail(client, "ctxh")
    assert sign_in(client, "ctxh").status_code == 302


@override_settings(
    AXES_FAILURE_LIMIT=2,
    LOCKOUT_ACCOUNT_FAILURE_LIMIT=3,
    LOCKOUT_ACCOUNT_MIN_ADDRESSES=2,
    LOCKOUT_ADDRESS_FAILURE_LIMIT=4,
)
def test_the_limits_come_from_settings(client, person):
    person("ctxh")
    person("bientap", role=None)
    fail(client, "ctxh", "10.0.0.1")
    assert fail(client, "ctxh", "10.0.0.1").status_code == 429  # the pair
    fail(client, "bientap", "10.0.0.2")
    fail(client, "bientap", "10.0.0.3")
    assert fail(client, "bientap", "10.0.0.4").status_code == 429  # the account
    for n in range(3):
        fail(client, f"ai-do-{n}", "10.0.0.7")
    assert fail(client, "ai-do-9", "10.0.0.7").status_code == 429  # the address


def test_the_lock_page_says_how_many_minutes_are_left(client, person):
    from datetime import timedelta

    person("ctxh")
    for _ in range(5):
        fail(client, "ctxh")
    last = AccessAttempt.objects.get().attempt_time
    AccessAttempt.objects.update(attempt_time=last - timedelta(minutes=20))
    locked = sign_in(client, "ctxh")
    assert locked.status_code == 429
    assert vi_n(PAIR, minutes=10) in page(locked)


# Unlocking --------------------------------------------------------------------------------


def test_superuser_unlocks_an_account_on_the_security_screen(client, person, django_user_model):
    person("ctxh")
    for n in range(8):
        for _try in range(4):
            fail(client, "ctxh", f"10.0.0.{n}")

    admin = django_user_model.objects.create_superuser("quantri", password="x")
    staff = client.__class__()
    staff.force_login(admin)
    screen = staff.get(SECURITY)
    assert screen.status_code == 200
    assert [(lock.value, lock.everywhere) for lock in screen.context["usernames"]] == [
        ("ctxh", True)
    ]

    staff.post(UNLOCK, {"kind": "username", "value": "ctxh"})
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.7").status_code == 302


def test_superuser_unlocks_an_address(client, person, django_user_model):
    for n in range(20):
        fail(client, f"ai-do-{n}", "10.3.3.3")
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    staff = client.__class__()
    staff.force_login(admin)
    screen = staff.get(SECURITY)
    assert [lock.value for lock in screen.context["addresses"]] == ["10.3.3.3"]
    staff.post(UNLOCK, {"kind": "ip", "value": "10.3.3.3"})
    person("ctxh")
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.3.3.3").status_code == 302


@pytest.fixture
def two_schools(school, make_school, person, make_staff):
    """An administrator of school A, a teacher locked out at A and one at B."""
    other = make_school("BT", "Trường THCS Bình Tâm")
    admin_a = person("quantri.a", Role.ADMINISTRATOR)
    person("ctxh.a")
    make_staff("ctxh.b", Role.CASE_WORKER, other)
    return admin_a


def lock_out(client, username: str, address: str = "10.0.0.1") -> None:
    for _ in range(5):
        fail(client, username, address)


def test_a_schools_administrator_unlocks_a_teacher_of_their_school(client, two_schools):
    lock_out(client, "ctxh.a")
    lock_out(client, "ctxh.b")
    staff = client.__class__()
    staff.force_login(two_schools)
    screen = staff.get(SECURITY)
    assert screen.status_code == 200
    # Only their own staff: not the other school's teacher, not the addresses.
    assert [lock.value for lock in screen.context["usernames"]] == ["ctxh.a"]
    assert "ctxh.b" not in page(screen)
    assert screen.context["addresses"] == []

    done = staff.post(UNLOCK, {"kind": "username", "value": "ctxh.a"})
    assert done.status_code == 302
    assert sign_in(client, "ctxh.a", REMOTE_ADDR="10.0.0.1").status_code == 302


def test_a_schools_administrator_gets_404_for_a_teacher_of_another_school(client, two_schools):
    lock_out(client, "ctxh.b")
    staff = client.__class__()
    staff.force_login(two_schools)
    refused = staff.post(UNLOCK, {"kind": "username", "value": "ctxh.b"})
    assert refused.status_code == 404
    assert AccessAttempt.objects.filter(username="ctxh.b").exists()
    assert sign_in(client, "ctxh.b", REMOTE_ADDR="10.0.0.1").status_code == 429


@pytest.mark.parametrize(("kind", "value"), [("username", "khong-ai-ca"), ("ip", "10.0.0.1")])
def test_a_schools_administrator_gets_404_for_what_they_do_not_manage(
    client, two_schools, kind, value
):
    """Usernames of nobody and addresses are the operator's."""
    lock_out(client, value if kind == "username" else "ai-do")
    staff = client.__class__()
    staff.force_login(two_schools)
    assert staff.post(UNLOCK, {"kind": kind, "value": value}).status_code == 404
    assert AccessAttempt.objects.exists()


def test_unlock_from_the_command_line(client, person):
    person("ctxh")
    lock_out(client, "ctxh")
    call_command("axes_reset_username", "ctxh", stdout=io.StringIO())
    assert not AccessAttempt.objects.filter(username="ctxh").exists()
    assert sign_in(client, "ctxh", REMOTE_ADDR="10.0.0.1").status_code == 302


@pytest.mark.parametrize("role", [Role.PRINCIPAL, Role.CASE_WORKER, Role.EDITOR])
def test_other_roles_may_not_unlock(client, person, role):
    person("ctxh")
    lock_out(client, "ctxh")
    staff = client.__class__()
    staff.force_login(person("nguoikhac", role))
    assert staff.get(SECURITY).status_code in (302, 403)
    response = staff.post(UNLOCK, {"kind": "username", "value": "ctxh"})
    # Wagtail answers a refusal in the admin by sending back to the dashboard.
    assert response.status_code in (302, 403)
    assert response.get("Location") != SECURITY
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
