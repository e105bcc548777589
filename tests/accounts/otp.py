"""What an authenticator app would show, for tests that sign in for real."""

import time

from django_otp.oath import hotp

from accounts.models import AuthenticatorDevice


def next_code(device: AuthenticatorDevice) -> str:
    """The app's code now, or the next one if now's code was already used.

    The server refuses a code twice (``last_t``), and a test may sign in twice
    within one 30-second step; the next step's code is within the tolerance.
    """
    device.refresh_from_db()
    now_t = (int(time.time()) - device.t0) // device.step + device.drift
    step = max(now_t, device.last_t + 1)
    return str(hotp(device.bin_key, step, device.digits)).zfill(device.digits)
