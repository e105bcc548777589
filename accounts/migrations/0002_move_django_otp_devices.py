"""Move second factors out of django-otp's plugins, whose tables keep them in clear.

For each authenticator app of ``otp_totp`` the same secret is written, encrypted, to
``AuthenticatorDevice`` (with its step, digits, drift and last used step), so people
keep signing in with the app they already have. For each set of recovery codes of
``otp_static`` the codes are hashed into a ``RecoveryCodeDevice``: the same codes keep
working, once each. Then the old tables are dropped, so no copy of a seed or a code
stays behind, and the plugins' migration records are removed.

The old tables are read with plain SQL because the plugins are no longer installed;
a database that never had them (a new site) has nothing to move.

**One way.** Recovery codes cannot be turned back from their hashes, and the old
tables are gone; going back to django-otp's plugins means everyone sets up two-step
sign-in again. Sessions verified before the move are asked for a code once more (they
name the old device). ``CASE_ENCRYPTION_KEYS`` must be set when this runs.
"""

from django.db import migrations
from django.db.migrations.recorder import MigrationRecorder

from accounts.models import recovery_digest

OLD_TOTP = "otp_totp_totpdevice"
OLD_STATIC_DEVICE = "otp_static_staticdevice"
OLD_STATIC_TOKEN = "otp_static_statictoken"
ITERATIONS = 100_000


def _normalise(code: str) -> str:
    # As accounts.devices.normalize_code, frozen here: what a person types is compared
    # in this form.
    return "".join(ch for ch in (code or "") if ch not in " -\t").lower()


def move_devices(connection, apps) -> dict[str, int]:
    """Copy old devices into the new models and drop the old tables; counts by kind."""
    import secrets

    AuthenticatorDevice = apps.get_model("accounts", "AuthenticatorDevice")
    RecoveryCodeDevice = apps.get_model("accounts", "RecoveryCodeDevice")
    RecoveryCode = apps.get_model("accounts", "RecoveryCode")
    tables = set(connection.introspection.table_names())
    moved = {"apps": 0, "code sets": 0, "codes": 0}
    with connection.cursor() as cursor:
        if OLD_TOTP in tables:
            cursor.execute(
                "SELECT user_id, name, confirmed, key, step, t0, digits, tolerance, drift, "
                f"last_t FROM {connection.ops.quote_name(OLD_TOTP)} ORDER BY id"
            )
            for user_id, name, confirmed, key, step, t0, digits, tol, drift, last_t in (
                cursor.fetchall()
            ):
                AuthenticatorDevice.objects.create(
                    user_id=user_id,
                    name=name,
                    confirmed=bool(confirmed),
                    key=key,
                    step=step,
                    t0=t0,
                    digits=digits,
                    tolerance=tol,
                    drift=drift,
                    last_t=last_t,
                )
                moved["apps"] += 1
        if OLD_STATIC_DEVICE in tables:
            cursor.execute(
                "SELECT id, user_id, name, confirmed "
                f"FROM {connection.ops.quote_name(OLD_STATIC_DEVICE)} ORDER BY id"
            )
            devices = cursor.fetchall()
            tokens: dict[int, list[str]] = {}
            if OLD_STATIC_TOKEN in tables:
                cursor.execute(
                    "SELECT device_id, token "
                    f"FROM {connection.ops.quote_name(OLD_STATIC_TOKEN)} ORDER BY id"
                )
                for device_id, token in cursor.fetchall():
                    tokens.setdefault(device_id, []).append(token)
            for old_id, user_id, name, confirmed in devices:
                salt = secrets.token_hex(16)
                device = RecoveryCodeDevice.objects.create(
                    user_id=user_id,
                    name=name,
                    confirmed=bool(confirmed),
                    salt=salt,
                    iterations=ITERATIONS,
                )
                codes = [_normalise(token) for token in tokens.get(old_id, [])]
                RecoveryCode.objects.bulk_create(
                    RecoveryCode(device=device, digest=recovery_digest(code, salt, ITERATIONS))
                    for code in codes
                    if code
                )
                moved["code sets"] += 1
                moved["codes"] += len(codes)
        for table in (OLD_STATIC_TOKEN, OLD_STATIC_DEVICE, OLD_TOTP):
            if table in tables:
                cursor.execute(f"DROP TABLE {connection.ops.quote_name(table)}")
    MigrationRecorder(connection).migration_qs.filter(app__in=["otp_totp", "otp_static"]).delete()
    return moved


def forward(apps, schema_editor) -> None:
    move_devices(schema_editor.connection, apps)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_second_factor_devices")]

    # No reverse: the codes are hashes now, and the old tables are gone.
    operations = [migrations.RunPython(forward, elidable=False)]
