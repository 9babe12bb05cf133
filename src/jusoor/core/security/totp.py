"""Time-based one-time passwords (RFC 6238) for the second factor (ASVS 2.8)."""

from __future__ import annotations

import datetime
import time

import pyotp
import segno

ISSUER = "Jusoor"


def new_secret() -> str:
    return str(pyotp.random_base32())


def provisioning_uri(secret: str, username: str) -> str:
    return str(pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=ISSUER))


def qr_svg(uri: str) -> str:
    """An inline SVG QR code for authenticator apps (rendered server-side: no CDN, no script)."""
    return str(segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff"))


def verify(secret: str, code: str, *, last_used_step: int | None) -> int | None:
    """The time step the code belongs to when valid (±1 step of drift), else None.

    A step already used is refused, so an observed code cannot be replayed (ASVS 2.8.4).
    """
    code = code.strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        return None
    totp = pyotp.TOTP(secret)
    now_step = int(totp.timecode(datetime.datetime.now()))
    for step in (now_step, now_step - 1, now_step + 1):
        if totp.generate_otp(step) == code and (last_used_step is None or step > last_used_step):
            return step
    return None


def current_code(secret: str) -> str:
    return str(pyotp.TOTP(secret).now())


def unused_code(secret: str, last_used_step: int | None) -> str | None:
    """A code `verify` accepts after `last_used_step`: this step's, else the next one's (within
    the drift it allows); None when both are used, i.e. until the clock reaches the next step."""
    totp = pyotp.TOTP(secret)
    now_step = int(totp.timecode(datetime.datetime.now()))
    for step in (now_step, now_step + 1):
        if last_used_step is None or step > last_used_step:
            return str(totp.generate_otp(step))
    return None


def next_unused_code(secret: str, last_used_step: int | None) -> str:
    """`unused_code`, waiting for the clock's next step when this one's and the next one's are
    both used (at most one step: then the step after the used ones is within the drift)."""
    code = unused_code(secret, last_used_step)
    while code is None:
        totp = pyotp.TOTP(secret)
        now = datetime.datetime.now().timestamp()
        time.sleep(totp.interval - now % totp.interval + 0.2)
        code = unused_code(secret, last_used_step)
    return code
