"""Second-factor devices whose secrets a database dump does not reveal.

django-otp's own TOTP and static plugins keep the authenticator seed in hex and the
recovery codes as typed, so every backup held what a thief needs to pass the second
step. Here:

- the **authenticator seed** is an :class:`~forms_app.fields.EncryptedTextField`, under
  the same keys as case data (``CASE_ENCRYPTION_KEYS``); ``manage.py rotate_case_keys``
  finds the field by its type and re-encrypts it with everything else;
- a **recovery code** is kept only as a slow salted hash (PBKDF2), and that hash is
  itself encrypted, so the dump shows neither the code nor something to brute-force
  without the keys. A code is deleted when used, so it works once.

The TOTP arithmetic is django-otp's (``django_otp.oath.TOTP``); only where the secret
lives changed. The models are django-otp ``Device`` subclasses, so ``OTPMiddleware``,
``devices_for_user`` and ``django_otp.login`` work with them unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote, urlencode

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from django_otp.oath import TOTP

from forms_app.fields import EncryptedTextField

# PBKDF2-SHA256 rounds for a new recovery-code set (kept per device, so raising it
# later does not break codes already handed out). About 30 ms a code on a small
# server: one hash per attempt, ten when a set is made.
RECOVERY_CODE_ITERATIONS = 100_000


def default_key() -> str:
    """A new 20-byte TOTP secret in hex (what authenticator apps expect: 160 bits)."""
    return secrets.token_hex(20)


def default_salt() -> str:
    return secrets.token_hex(16)


def recovery_digest(code: str, salt: str, iterations: int) -> str:
    """The stored form of a normalised recovery code (hex PBKDF2-SHA256).

    A module-level function so the migration that converts old codes hashes them
    exactly as the device checks them.
    """
    return hashlib.pbkdf2_hmac(
        "sha256", code.encode("utf-8"), salt.encode("ascii"), iterations
    ).hex()


class AuthenticatorDevice(TimestampMixin, ThrottlingMixin, Device):
    """An authenticator app (TOTP, RFC 6238), its secret encrypted at rest.

    Same fields and behaviour as django-otp's ``TOTPDevice``: 30-second steps, six
    digits, one step of tolerance, a code accepted only once (``last_t``), drift
    followed, throttling after wrong codes.
    """

    key = EncryptedTextField(
        default=default_key,
        help_text="The secret shared with the app, in hex; encrypted in the database.",
    )
    step = models.PositiveSmallIntegerField(default=30)
    t0 = models.BigIntegerField(default=0)
    digits = models.PositiveSmallIntegerField(choices=[(6, 6), (8, 8)], default=6)
    tolerance = models.PositiveSmallIntegerField(default=1)
    drift = models.SmallIntegerField(default=0)
    last_t = models.BigIntegerField(default=-1)

    class Meta(Device.Meta):
        verbose_name = _("authenticator app")
        verbose_name_plural = _("authenticator apps")

    @property
    def bin_key(self) -> bytes:
        return unhexlify(self.key.encode("ascii"))

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_TOTP_THROTTLE_FACTOR", 1)

    def verify_token(self, token) -> bool:
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        try:
            value = int(token)
        except (TypeError, ValueError):
            verified = False
        else:
            totp = TOTP(self.bin_key, self.step, self.t0, self.digits, self.drift)
            totp.time = time.time()
            verified = totp.verify(value, self.tolerance, self.last_t + 1)
            if verified:
                self.last_t = totp.t()
                if getattr(settings, "OTP_TOTP_SYNC", True):
                    self.drift = totp.drift
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
        if not verified:
            self.throttle_increment(commit=True)
        return verified

    @property
    def config_url(self) -> str:
        """The ``otpauth://`` URL an app reads from the QR code."""
        label = str(self.user.get_username())
        params = urlencode(
            {
                "secret": b32encode(self.bin_key),
                "algorithm": "SHA1",
                "digits": self.digits,
                "period": self.step,
            }
        )
        issuer = getattr(settings, "OTP_TOTP_ISSUER", "") or ""
        if issuer:
            issuer = issuer.replace(":", "")
            label = f"{issuer}:{label}"
            params += f"&issuer={quote(issuer)}"
        return f"otpauth://totp/{quote(label)}?{params}"


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A user's set of single-use recovery codes, kept as hashes only."""

    salt = models.CharField(max_length=64, default=default_salt)
    iterations = models.PositiveIntegerField(default=RECOVERY_CODE_ITERATIONS)

    class Meta(Device.Meta):
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def digest(self, code: str) -> str:
        return recovery_digest(code, self.salt, self.iterations)

    def replace_codes(self, codes: list[str]) -> None:
        """Forget every code of the set and keep the hashes of ``codes`` instead."""
        with transaction.atomic():
            self.codes.all().delete()
            RecoveryCode.objects.bulk_create(
                RecoveryCode(device=self, digest=self.digest(code)) for code in codes
            )

    def verify_token(self, token) -> bool:
        """Accept a code of the set once: it is deleted in the same transaction.

        The delete's row count decides, so two requests racing with the same code
        cannot both pass.
        """
        allowed, _info = self.verify_is_allowed()
        if not allowed:
            return False
        candidate = self.digest(str(token))
        matched = False
        with transaction.atomic():
            for code in self.codes.select_for_update().order_by("pk"):
                if hmac.compare_digest(code.digest, candidate):
                    deleted, _rows = RecoveryCode.objects.filter(pk=code.pk).delete()
                    matched = deleted > 0
                    break
            if matched:
                self.throttle_reset(commit=False)
                self.set_last_used_timestamp(commit=False)
                self.save()
            else:
                self.throttle_increment()
        return matched


class RecoveryCode(models.Model):
    """One unused recovery code: its encrypted hash, never the code."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    digest = EncryptedTextField()

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        # Never the digest: a listing or an error report shows which set, nothing more.
        return f"{self.device} #{self.pk}"
