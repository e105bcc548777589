"""The user's second factor: an authenticator app (TOTP) and single-use recovery codes.

Kept apart from the views so the management command, the administrators' screen and
the test helpers change devices the same way. The devices are the project's own
(``accounts.models``): the app's secret is encrypted and recovery codes are kept as
hashes, so a database dump cannot be used to pass the second step.
"""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django_otp import devices_for_user
from django_otp.models import Device

from accounts.models import AuthenticatorDevice, RecoveryCode, RecoveryCodeDevice

# Device names are data, not interface text.
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"


def normalize_code(raw: str) -> str:
    """A typed code without spaces, hyphens or capitals, as people copy them."""
    return "".join(ch for ch in (raw or "") if ch not in " -\t").lower()


def pending_app_device(user: AbstractBaseUser) -> AuthenticatorDevice:
    """The unconfirmed TOTP device being enrolled, created on first need.

    Reusing it keeps the QR code the same when the page is reloaded, so a user who
    scanned it and then refreshed is not left with a stale secret.
    """
    device = AuthenticatorDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = AuthenticatorDevice.objects.create(
            user=user, name=APP_DEVICE_NAME, confirmed=False
        )
    return device


def has_confirmed_app(user: AbstractBaseUser) -> bool:
    return AuthenticatorDevice.objects.filter(user=user, confirmed=True).exists()


def secret_text(device: AuthenticatorDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: AuthenticatorDevice) -> str:
    """An inline SVG QR code of the otpauth URL: no image request, no script."""
    code = segno.make(device.config_url, error="m")
    return code.svg_inline(
        scale=5, dark="#000", light="#fff", title=_("QR code for the authenticator app")
    )


def confirm_app(device: AuthenticatorDevice, code: str) -> bool:
    """Confirm an enrolment with the first code the app shows."""
    code = normalize_code(code)
    if not code.isdigit() or not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    AuthenticatorDevice.objects.filter(user=device.user, confirmed=False).delete()
    return True


# Eight characters of base32 (40 random bits), lower case: what people copied from
# paper before, so codes handed out by django-otp's static plugin keep their shape.
RECOVERY_CODE_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"
RECOVERY_CODE_LENGTH = 8


def new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the user's recovery codes with fresh ones and return them (shown once).

    Only their hashes are stored; the caller shows the returned list and forgets it.
    """
    device, _created = RecoveryCodeDevice.objects.get_or_create(
        user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
    )
    codes: list[str] = []
    while len(codes) < settings.RECOVERY_CODE_COUNT:
        code = get_random_string(RECOVERY_CODE_LENGTH, RECOVERY_CODE_ALPHABET)
        # All digits would be taken for an app code by verify_code (one in 650,000).
        if not code.isdigit() and code not in codes:
            codes.append(code)
    device.replace_codes(codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


class VerifyResult:
    """What a code did: the device that accepted it, or why none did."""

    def __init__(self, device: Device | None = None, throttled: bool = False) -> None:
        self.device = device
        self.throttled = throttled

    @property
    def used_recovery_code(self) -> bool:
        return isinstance(self.device, RecoveryCodeDevice)


def verify_code(user: AbstractBaseUser, raw: str) -> VerifyResult:
    """Check a six-digit app code or a recovery code; a recovery code is used up.

    Each device keeps django-otp's throttling (a growing wait after wrong codes), so
    guessing six digits is slow; the caller is told when a wait is in force.
    """
    code = normalize_code(raw)
    if not code:
        return VerifyResult()
    kind = AuthenticatorDevice if code.isdigit() else RecoveryCodeDevice
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
    for model in (AuthenticatorDevice, RecoveryCodeDevice):
        devices = model.objects.filter(user=user)
        removed += devices.count()
        devices.delete()
    return removed
