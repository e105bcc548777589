"""Case workers, principals and administrators cannot reach the admin on a password alone."""

import re

import pytest
from django.core.management import call_command

from accounts.models import AuthenticatorDevice, RecoveryCode
from schools.roles import Role
from tests.accounts.conftest import app_of, sign_in, vi
from tests.accounts.otp import next_code

SETUP = "/admin/xac-thuc-2-buoc/thiet-lap/"
VERIFY = "/admin/xac-thuc-2-buoc/nhap-ma/"
WRONG = vi("That code is wrong or has expired. Try again.")
RECOVERY_USED = vi(
    "You signed in with a recovery code; it cannot be used again. Recovery codes left: %(count)s."
)


def enrol(client, user) -> list[str]:
    """Go through the set-up page as a user would; return the recovery codes shown."""
    page = client.get(SETUP)
    assert page.status_code == 200
    device = AuthenticatorDevice.objects.get(user=user, confirmed=False)
    confirmed = client.post(SETUP, {"code": next_code(device), "next": "/admin/ho-so/nhap/"})
    assert confirmed.status_code == 302
    codes_page = client.get(confirmed["Location"])
    return re.findall(r"<li><code>([a-z2-7]{8})</code></li>", codes_page.content.decode())


def new_enrolled_user(client, person, username: str = "ctxh", role: str = Role.CASE_WORKER):
    """A new staff member, signed in with their password, who has just enrolled.

    Returns the user and the recovery codes shown.
    """
    user = person(username, role)
    sign_in(client, username)
    return user, enrol(client, user)


def sign_in_again(client, username: str = "ctxh") -> None:
    """Sign out, then in again with the password only: the second step comes next."""
    client.post("/admin/logout/")
    sign_in(client, username)


@pytest.mark.parametrize("role", [Role.CASE_WORKER, Role.PRINCIPAL, Role.ADMINISTRATOR])
def test_case_roles_are_sent_to_enrol_and_reach_the_case_area_only_after_a_code(
    client, person, role
):
    user = person("nhanvien", role)
    assert sign_in(client, "nhanvien").status_code == 302

    blocked = client.get("/admin/ho-so/nhap/")
    assert blocked.status_code == 302
    assert blocked["Location"].startswith(SETUP)
    # Every admin page, not only the case area.
    assert client.get("/admin/").status_code == 302

    page = client.get(SETUP)
    html = page.content.decode()
    assert "<svg" in html
    assert "<script>" not in html.split("<main", 1)[1]
    device = AuthenticatorDevice.objects.get(user=user, confirmed=False)
    # Reloading shows the same secret: a code scanned before the reload still works.
    assert client.get(SETUP).context["secret"] == page.context["secret"]
    assert AuthenticatorDevice.objects.filter(user=user).count() == 1

    codes = enrol(client, user)
    assert len(codes) == 10
    device.refresh_from_db()
    assert device.confirmed
    if role != Role.ADMINISTRATOR:
        assert client.get("/admin/ho-so/nhap/").status_code == 200
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_are_shown_once(client, person):
    _user, codes = new_enrolled_user(client, person)
    assert codes
    again = client.get("/admin/xac-thuc-2-buoc/ma-du-phong/")
    assert again.status_code == 302
    assert codes[0] not in client.get(again["Location"]).content.decode()


def test_next_sign_in_asks_for_a_code_and_accepts_the_app(client, person):
    user, _codes = new_enrolled_user(client, person)

    sign_in_again(client)
    blocked = client.get("/admin/ho-so/nhap/")
    assert blocked["Location"].startswith(VERIFY)
    done = client.post(VERIFY, {"code": next_code(app_of(user)), "next": "/admin/ho-so/nhap/"})
    assert done["Location"] == "/admin/ho-so/nhap/"
    assert client.get("/admin/ho-so/nhap/").status_code == 200


def test_wrong_code_is_refused_with_a_message(client, person):
    user, _codes = new_enrolled_user(client, person)
    sign_in_again(client)

    good = next_code(app_of(user))
    wrong = str((int(good) + 1) % 1_000_000).zfill(6)
    refused = client.post(VERIFY, {"code": wrong})
    assert refused.status_code == 200
    assert WRONG in refused.content.decode()
    assert client.get("/admin/ho-so/nhap/").status_code == 302


def test_a_recovery_code_works_once(client, person):
    user, codes = new_enrolled_user(client, person)

    for attempt in ("first", "second"):
        sign_in_again(client)
        # Typed in capitals with a space, as people copy them from paper.
        typed = f"{codes[0][:4].upper()} {codes[0][4:]}"
        response = client.post(VERIFY, {"code": typed, "next": "/admin/"}, follow=True)
        if attempt == "first":
            assert response.request["PATH_INFO"] == "/admin/"
            assert RECOVERY_USED % {"count": 9} in response.content.decode()
        else:
            assert response.request["PATH_INFO"] == VERIFY
            assert WRONG in response.content.decode()
    assert RecoveryCode.objects.filter(device__user=user).count() == 9


def test_editor_and_district_officer_are_not_forced(client, person):
    person("bientap", Role.EDITOR)
    sign_in(client, "bientap")
    assert client.get("/admin/").status_code == 200
    assert not AuthenticatorDevice.objects.exists()


def test_editor_who_enrolled_is_asked_for_the_code_too(client, person):
    new_enrolled_user(client, person, "bientap", Role.EDITOR)
    sign_in_again(client, "bientap")
    assert client.get("/admin/")["Location"].startswith(VERIFY)


def test_reset_command_sends_the_user_back_to_enrolment(client, person):
    new_enrolled_user(client, person)

    call_command("reset_2fa", "ctxh", stdout=open("/dev/null", "w"))  # noqa: SIM115

    # The session verified by the removed device no longer counts.
    assert client.get("/admin/")["Location"].startswith(SETUP)


def test_superuser_resets_a_users_two_factor_on_the_security_screen(
    client, person, django_user_model
):
    user = person("ctxh")
    AuthenticatorDevice.objects.create(user=user, name="x", confirmed=True)
    admin = django_user_model.objects.create_superuser("quantri", password="x")
    client.force_login(admin)
    response = client.post("/admin/bao-mat-dang-nhap/dat-lai-2-buoc/", {"username": "ctxh"})
    assert response.status_code == 302
    assert not AuthenticatorDevice.objects.filter(user=user).exists()


def test_a_schools_administrator_cannot_reset_a_second_factor(
    client, person, make_school, make_staff
):
    """A reset after a password change would let the administrator into a case account."""
    admin = person("quantri", Role.ADMINISTRATOR)
    AuthenticatorDevice.objects.create(user=person("ctxh"), name="x", confirmed=True)
    other = make_staff("ctxh.b", Role.CASE_WORKER, make_school("BT"))
    AuthenticatorDevice.objects.create(user=other, name="x", confirmed=True)
    client.force_login(admin)
    screen = client.get("/admin/bao-mat-dang-nhap/")
    assert screen.status_code == 200
    assert "/admin/bao-mat-dang-nhap/dat-lai-2-buoc/" not in screen.content.decode()
    # Their own staff: refused. Another school's account, or nobody: not found.
    refused = client.post("/admin/bao-mat-dang-nhap/dat-lai-2-buoc/", {"username": "ctxh"})
    assert refused.status_code in (302, 403)
    assert refused.get("Location") != "/admin/bao-mat-dang-nhap/"
    for username in ("ctxh.b", "khong-ai-ca"):
        response = client.post("/admin/bao-mat-dang-nhap/dat-lai-2-buoc/", {"username": username})
        assert response.status_code == 404
    assert AuthenticatorDevice.objects.filter(user__username__in=["ctxh", "ctxh.b"]).count() == 2


def test_others_cannot_use_the_security_screen(client, person):
    user = person("hieutruong", Role.PRINCIPAL)
    AuthenticatorDevice.objects.create(user=person("ctxh"), name="x", confirmed=True)
    client.force_login(user)
    refused = client.get("/admin/bao-mat-dang-nhap/")
    # Wagtail answers a refusal in the admin by sending back to the dashboard.
    assert refused.status_code in (302, 403)
    client.post("/admin/bao-mat-dang-nhap/dat-lai-2-buoc/", {"username": "ctxh"})
    assert AuthenticatorDevice.objects.filter(user__username="ctxh").exists()
