"""A database dump, or a backup, cannot be used to pass the second step.

The authenticator secret is encrypted with the case keys and recovery codes are kept
as hashes only; signing in still works, a recovery code still works once, after a key
rotation and after moving devices from django-otp's plugins.
"""

import importlib
import io
import re
from base64 import b32encode
from binascii import unhexlify

import pytest
from django.core.management import call_command
from django.db import connection
from django_otp.oath import totp

from accounts.models import AuthenticatorDevice, RecoveryCode
from forms_app.encryption import generate_key, is_current
from tests.accounts.conftest import app_of
from tests.accounts.otp import next_code
from tests.accounts.test_two_factor import VERIFY, WRONG, new_enrolled_user, sign_in_again
from tests.forms_app.test_encryption import _dump

move = importlib.import_module("accounts.migrations.0002_move_django_otp_devices")


def seed_forms(key_hex: str) -> list[str]:
    """Every way a seed could be written down: hex, base32 (grouped or not), raw."""
    raw = unhexlify(key_hex)
    b32 = b32encode(raw).decode().rstrip("=")
    grouped = " ".join(b32[i : i + 4] for i in range(0, len(b32), 4))
    return [key_hex, key_hex.upper(), b32, b32.lower(), grouped, raw.decode("latin-1"), repr(raw)]


def leaks(secrets: list[str]) -> list[str]:
    dump = _dump().casefold()
    return [secret for secret in secrets if secret.casefold() in dump]


def raw_column(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "
            "WHERE id = %s",
            [pk],
        )
        return cursor.fetchone()[0]


def sign_in_with_code(client, username: str, code: str):
    sign_in_again(client, username)
    return client.post(VERIFY, {"code": code, "next": "/admin/"}, follow=True)


@pytest.fixture
def enrolled(client, person):
    """A case worker who enrolled through the real pages; their recovery codes."""
    user, codes = new_enrolled_user(client, person)
    assert len(codes) == 10
    return user, codes


def test_a_database_dump_holds_no_seed_and_no_recovery_code(enrolled):
    user, codes = enrolled
    device = app_of(user)
    assert leaks(seed_forms(device.key)) == []
    assert leaks(codes) == []
    # The stored values are tokens of the case keys, not something to brute-force.
    assert is_current(raw_column("accounts_authenticatordevice", "key", device.pk))
    digest = RecoveryCode.objects.filter(device__user=user).first()
    assert is_current(raw_column("accounts_recoverycode", "digest", digest.pk))


def test_sign_in_with_the_app_and_a_recovery_code_once(client, enrolled):
    user, codes = enrolled
    assert (
        sign_in_with_code(client, "ctxh", next_code(app_of(user))).request["PATH_INFO"] == "/admin/"
    )
    assert sign_in_with_code(client, "ctxh", codes[3]).request["PATH_INFO"] == "/admin/"
    again = sign_in_with_code(client, "ctxh", codes[3])
    assert again.request["PATH_INFO"] == VERIFY
    assert WRONG in again.content.decode()
    assert RecoveryCode.objects.filter(device__user=user).count() == 9


def test_new_recovery_codes_replace_the_old_ones(client, enrolled):
    _user, codes = enrolled
    response = client.post("/admin/xac-thuc-2-buoc/", {"action": "new-codes"}, follow=True)
    fresh = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    assert len(fresh) == 10
    assert not set(fresh) & set(codes)
    assert leaks(fresh) == []
    assert sign_in_with_code(client, "ctxh", fresh[0]).request["PATH_INFO"] == "/admin/"
    assert sign_in_with_code(client, "ctxh", codes[0]).request["PATH_INFO"] == VERIFY


def test_key_rotation_re_encrypts_the_seeds_and_codes_and_sign_in_still_works(
    client, enrolled, settings
):
    user, codes = enrolled
    old_key = settings.CASE_ENCRYPTION_KEYS[0]
    new_key = generate_key()
    settings.CASE_ENCRYPTION_KEYS = [new_key, old_key]
    out = io.StringIO()
    call_command("rotate_case_keys", stdout=out)
    assert "accounts.AuthenticatorDevice: 1 values re-encrypted" in out.getvalue()
    assert "accounts.RecoveryCode: 10 values re-encrypted" in out.getvalue()

    # The old key is dropped: everything opens with the new one alone.
    settings.CASE_ENCRYPTION_KEYS = [new_key]
    device = app_of(user)
    assert is_current(raw_column("accounts_authenticatordevice", "key", device.pk))
    assert sign_in_with_code(client, "ctxh", next_code(device)).request["PATH_INFO"] == "/admin/"
    assert sign_in_with_code(client, "ctxh", codes[5]).request["PATH_INFO"] == "/admin/"


# Moving devices from django-otp's plugins --------------------------------------------------


def test_a_session_verified_by_a_plugin_device_is_asked_for_a_code_again(client, enrolled):
    """After the upgrade a session names a device model that is gone: no error, a code."""
    from django_otp import DEVICE_ID_SESSION_KEY

    session = client.session
    session[DEVICE_ID_SESSION_KEY] = "otp_totp.totpdevice/1"
    session.save()
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


OLD_TABLES = {
    move.OLD_TOTP: (
        "id integer PRIMARY KEY, user_id integer NOT NULL, name varchar(64) NOT NULL, "
        "confirmed boolean NOT NULL, key varchar(80) NOT NULL, step smallint NOT NULL, "
        "t0 bigint NOT NULL, digits smallint NOT NULL, tolerance smallint NOT NULL, "
        "drift smallint NOT NULL, last_t bigint NOT NULL, "
        "throttling_failure_timestamp timestamp NULL, "
        "throttling_failure_count integer NOT NULL, created_at timestamp NULL, "
        "last_used_at timestamp NULL"
    ),
    move.OLD_STATIC_DEVICE: (
        "id integer PRIMARY KEY, user_id integer NOT NULL, name varchar(64) NOT NULL, "
        "confirmed boolean NOT NULL, throttling_failure_timestamp timestamp NULL, "
        "throttling_failure_count integer NOT NULL, created_at timestamp NULL, "
        "last_used_at timestamp NULL"
    ),
    move.OLD_STATIC_TOKEN: (
        "id integer PRIMARY KEY, device_id integer NOT NULL, token varchar(16) NOT NULL"
    ),
}
OLD_KEY = "3132333435363738393031323334353637383930"  # RFC 6238's test secret
OLD_CODES = ["abcd2345", "qrstwxyz"]


@pytest.fixture
def old_plugin_tables(person):
    """django-otp's plugin tables as an existing site has them, with one user's factors."""
    user = person("ctxh")
    with connection.cursor() as cursor:
        for table, columns in OLD_TABLES.items():
            cursor.execute(f"CREATE TABLE {table} ({columns})")
        cursor.execute(
            f"INSERT INTO {move.OLD_TOTP} VALUES "
            "(7, %s, 'authenticator', %s, %s, 30, 0, 6, 1, 0, -1, NULL, 0, NULL, NULL)",
            [user.pk, True, OLD_KEY],
        )
        cursor.execute(
            f"INSERT INTO {move.OLD_STATIC_DEVICE} VALUES "
            "(3, %s, 'recovery', %s, NULL, 0, NULL, NULL)",
            [user.pk, True],
        )
        for n, code in enumerate(OLD_CODES, start=1):
            cursor.execute(f"INSERT INTO {move.OLD_STATIC_TOKEN} VALUES (%s, 3, %s)", [n, code])
    return user


def test_the_migration_keeps_the_same_app_and_codes_and_leaves_no_clear_copy(
    client, old_plugin_tables
):
    from django.apps import apps

    user = old_plugin_tables
    assert leaks([OLD_KEY]) == [OLD_KEY]  # the problem being fixed

    moved = move.move_devices(connection, apps)

    assert moved == {"apps": 1, "code sets": 1, "codes": 2}
    assert not set(OLD_TABLES) & set(connection.introspection.table_names())
    assert leaks([*seed_forms(OLD_KEY), *OLD_CODES]) == []
    device = app_of(user)
    assert device.key == OLD_KEY
    # The app on the phone keeps working: its code now is accepted.
    code = str(totp(unhexlify(OLD_KEY))).zfill(6)
    assert sign_in_with_code(client, "ctxh", code).request["PATH_INFO"] == "/admin/"
    # A code typed as printed before (capitals, space) works, once.
    typed = f"{OLD_CODES[1][:4].upper()} {OLD_CODES[1][4:]}"
    assert sign_in_with_code(client, "ctxh", typed).request["PATH_INFO"] == "/admin/"
    assert sign_in_with_code(client, "ctxh", typed).request["PATH_INFO"] == VERIFY


def test_the_migration_on_a_new_site_has_nothing_to_move(db):
    from django.apps import apps

    assert move.move_devices(connection, apps) == {"apps": 0, "code sets": 0, "codes": 0}
    assert not AuthenticatorDevice.objects.exists()
