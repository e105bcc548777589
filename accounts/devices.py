"""The user's second factor: an authenticator app (TOTP) and single-use recovery codes.

Kept apart from the views so the management command, the administrators' screen and
the test helpers change devices the same way.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

# Device names are data, not interface text.
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def normalize_code(raw: str) -> str:
    """A typed code without spaces, hyphens or capitals, as people copy them."""
    return "".join(ch for ch in (raw or "") if ch not in " -\t").lower()


def pending_app_device(user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed TOTP device being enrolled, created on first need.

    Reusing it keeps the QR code the same when the page is reloaded, so a user who
    scanned it and then refreshed is not left with a stale secret.
    """
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def has_confirmed_app(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """An inline SVG QR code of the otpauth URL: no image request, no script."""
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code for the authenticator app")
    )


def confirm_app(device: TOTPDevice, code: str) -> bool:
    """Confirm an enrolment with the first code the app shows."""
    code = normalize_code(code)
    if not code.isdigit() or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(settings.RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


class VerifyResult:
    """What a code did: the device that accepted it, or why none did."""

    def __init__(self, device: Device | None = None, throttled: bool = False) -> None:
        self.device = device
        self.throttled = throttled

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, StaticDevice)


def verify_code(user: AbstractBaseUser, raw: str) -> VerifyResult:
    """Check a six-digit app code or a recovery code; a recovery code is used up.

    Each device keeps django-otp's throttling (a growing wait after wrong codes), so
    guessing six digits is slow; the caller is told when a wait is in force.
    """
    code = normalize_code(raw)
    if not code:
        return VerifyResult()
    kind = TOTPDevice if code.isdigit() else StaticDevice
    throttled = False
    with transaction.atomic():
        for device in devices_for_user(user, confirmed=True, for_verify=True):
            if not isinstance(device, kind):
                continue
            allowed, _info = device.verify_is_allowed()
            if not allowed:
                throttled = True
                continue
            if device.verify_token(code):
                return VerifyResult(device)
    return VerifyResult(throttled=throttled)


def reset_two_factor(user: AbstractBaseUser) -> int:
    """Remove every second-factor device of the user; they enrol again at next sign-in.

    Sessions verified by a removed device stop counting as verified at once
    (django-otp's middleware no longer finds the device).
    """
    removed = 0
    for model in (TOTPDevice, StaticDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    return removed
